"""The core's own moves: the clock's pauses and extension, transfers, status-less events, notices, and the
database keeping an app record's status equal to its case's."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import translation

from civiccenter.cases import Case, CaseEvent, InvalidTransition
from civiccenter.models import Department, Notification, User
from civiccenter.workflow import APPLICANT, STAFF, SYSTEM, Move, Workflow

MON_5_OCT = date(2026, 10, 12)  # a Monday after the National Day holiday


@pytest.fixture
def department(db):
    return Department.objects.create(name="测试部门", code="csbm", phone="0571-88888888")


@pytest.fixture
def other_department(db):
    return Department.objects.create(name="另一部门", code="lybm", phone="0571-88888889")


@pytest.fixture
def person(db):
    return User.objects.create_user(email="core-person@example.com", password="x-long-password", full_name="王五")


def open_case(department, person=None, *, start=MON_5_OCT, days=20, unit="working"):
    with transaction.atomic():
        return Case.open_case(
            kind="followup",
            prefix="TEST",
            department=department,
            status="opened",
            by=None,
            applicant=person,
            contact_name="王五",
            received_on=start,
            clock=("测试时限", unit, days, start),
        )


@pytest.mark.django_db
def test_pause_starts_the_day_after_the_act_and_resume_counts_from_the_day_after(department):
    case = open_case(department)
    due = case.due_date
    # Paused on Monday 12 Oct: Monday counts; Tuesday to Thursday (resumed Thursday) do not.
    case.pause(by=None, reason="征求第三方意见", note="暂停", today=MON_5_OCT)
    assert case.is_paused and case.due_date is None or case.due_date >= due
    case.resume(by=None, note="恢复", today=date(2026, 10, 15))
    pause = case.pauses.get()
    assert (pause.starts_on, pause.ends_on) == (date(2026, 10, 13), date(2026, 10, 16))
    assert Case.objects.get(pk=case.pk).due_date == date(2026, 11, 12)  # 20 working days + 3 paused
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "paused", "resumed"]


@pytest.mark.django_db
def test_a_pause_lifted_the_day_it_began_costs_nothing(department):
    case = open_case(department)
    due = case.due_date
    case.pause(by=None, reason="x", note="x", today=MON_5_OCT)
    case.resume(by=None, note="y", today=MON_5_OCT)
    assert not case.pauses.exists() and Case.objects.get(pk=case.pk).due_date == due


@pytest.mark.django_db
def test_a_pause_from_a_named_day_excludes_that_day(department):
    case = open_case(department, days=30, unit="calendar")
    case.pause(by=None, reason="听证", note="听证", starts_on=date(2026, 10, 20), today=date(2026, 10, 19))
    case.resume(by=None, note="听证结束", through=date(2026, 10, 21))
    pause = case.pauses.get()
    assert (pause.starts_on, pause.ends_on) == (date(2026, 10, 20), date(2026, 10, 22))


@pytest.mark.django_db
def test_refused_pauses_and_resumes(department):
    case = open_case(department)
    with pytest.raises(InvalidTransition):
        case.resume(by=None, note="x")
    case.pause(by=None, reason="x", note="x", today=MON_5_OCT)
    with pytest.raises(InvalidTransition):
        case.pause(by=None, reason="again", note="x", today=MON_5_OCT)


@pytest.mark.django_db
def test_extension_once_only_and_not_after_the_time_is_over(department, person):
    case = open_case(department, person)
    due = case.due_date
    case.extend(
        by=None,
        days=10,
        note="延长至%(due)s",
        today=MON_5_OCT,
        notify="civiccenter/email/deadline",
        notify_context={"overdue": False},
    )
    assert case.due_date > due and case.clock_extension == 10
    event = case.events.get(kind="extended")
    assert case.due_date.isoformat() in event.note and event.old_status == event.new_status
    assert Notification.objects.filter(recipient=person).count() == 1
    with translation.override("en"), pytest.raises(InvalidTransition, match="only once"):
        case.extend(by=None, days=5, note="again", today=MON_5_OCT)
    late = open_case(department)
    with translation.override("en"), pytest.raises(InvalidTransition, match="already over"):
        late.extend(by=None, days=5, note="x", today=date(2027, 1, 4))


@pytest.mark.django_db
def test_transfer_keeps_the_clock_and_is_on_the_timeline(department, other_department):
    case = open_case(department)
    due = case.due_date
    case.transfer(by=None, department=other_department, note="不属于本部门")
    case.refresh_from_db()
    assert case.department == other_department and case.due_date == due
    assert case.events.filter(kind="transferred").exists()
    with pytest.raises(InvalidTransition):
        case.transfer(by=None, department=other_department, note="again")


@pytest.mark.django_db
def test_notice_goes_to_the_account_or_else_the_contact_email(department, person):
    with_account = open_case(department, person)
    with_account.notify_applicant("civiccenter/email/deadline", {"overdue": False})
    assert Notification.objects.get().recipient == person
    without = open_case(department)
    assert without.notify_applicant("civiccenter/email/deadline", {"overdue": False}) is None
    Case.objects.filter(pk=without.pk).update(contact_email="caller@example.com")
    without.refresh_from_db()
    assert without.notify_applicant("civiccenter/email/deadline", {"overdue": False}).email == "caller@example.com"


@pytest.mark.django_db
def test_log_refuses_unknown_kinds_and_the_database_refuses_a_statusless_event_that_moves(department):
    case = open_case(department)
    with pytest.raises(ValueError):
        case.log("whatever", by=None)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(case=case, kind="note", old_status="opened", new_status="closed")


# --- The declarative table ----------------------------------------------------------------------


def test_workflow_table_gives_the_graph_the_checks_and_what_can_happen_next():
    from django.db import models

    class State(models.TextChoices):
        A = "a", "A"
        B = "b", "B"
        C = "c", "C"

    flow = Workflow(
        "test",
        State,
        [
            Move("go", (State.A,), State.B, label="Go"),
            Move("back", (State.B,), State.A, label="Back", by=APPLICANT),
            Move("note", (State.A, State.B), None, label="Note"),
            Move("sweep", (State.B,), State.C, by=SYSTEM),
        ],
    )
    Workflow.registry.remove(flow)
    assert flow.allowed == {"a": {"b"}, "b": {"a", "c"}}
    assert [m.name for m in flow.available("b")] == ["back", "note"]
    assert [m.name for m in flow.available("b", by=STAFF)] == ["note"]
    flow.check("go", "a")
    with pytest.raises(InvalidTransition) as refused:
        flow.check("go", "b")
    assert "“Go”" in str(refused.value)
    with pytest.raises(ValueError):
        Workflow("bad", State, [Move("x", ("zz",), State.A)])


# --- One owner of the status --------------------------------------------------------------------


@pytest.mark.django_db
def test_every_case_record_table_takes_its_status_from_the_case():
    """The record's own write of another status is replaced by the case's (a trigger per table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE '%%_status_from_case' ORDER BY 1"
        )
        tables = sorted({row[0] for row in cursor.fetchall()})
    assert tables == [
        "consultation_question",
        "disclosure_disclosurerequest",
        "licensing_application",
        "ngo_booking",
        "opinions_opinion",
        "opinions_petition",
    ]
