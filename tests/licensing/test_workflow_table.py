"""The licence application's table (Application.WORKFLOW), walked move by move through the real methods.

Every move is taken from each state it lists, and refused from every other state with a sentence that names
the move and the status, in Chinese (the default) and in English.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.workflow import ANYONE, STAFF, SYSTEM, Workflow
from hearings.models import Hearing
from licensing.models import Application
from tests.conftest import make_staff
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

WORKFLOW = Application.WORKFLOW
Status = Application.Status


@pytest.fixture
def people(department, applicant, staff_user):
    head = make_staff("head-t@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    return {"applicant": applicant, "staff": staff_user, "head": head}


def reach(state, matter, people):
    """An application in `state`, brought there by the real moves."""
    applicant, staff = people["applicant"], people["staff"]
    application = make_application(matter, applicant)
    if state == Status.DRAFT:
        return application
    application.submit(by=applicant)
    if state == Status.CORRECTION_REQUESTED:
        application.request_correction(by=staff, items=[(None, "申请书缺少签字")])
    elif state == Status.NOT_ACCEPTED:
        application.refuse(by=staff, reason="不属于本机关职权范围")
    elif state != Status.SUBMITTED:
        application.accept(by=staff)
        if state == Status.SUSPENDED:
            application.suspend(by=staff, kind="testing", expected_days=5)
        elif state == Status.APPROVED:
            application.approve(by=staff, scope="热食类食品制售", valid_until=None)
        elif state == Status.DENIED:
            application.deny(by=staff, reasons="经营场所不符合要求")
    application.refresh_from_db()
    assert application.status == state
    return application


# The real method of each move, with arguments that pass every rule but the status.
CALLS = {
    "submit": lambda a, p: a.submit(by=p["applicant"]),
    "request_correction": lambda a, p: a.request_correction(by=p["staff"], items=[(None, "复印件不清晰")]),
    "resubmit": lambda a, p: a.resubmit(by=p["applicant"]),
    "accept": lambda a, p: a.accept(by=p["staff"]),
    "deem_accepted": lambda a, p: a.deem_accepted(today=timezone.localdate() + timedelta(days=30)),
    "refuse": lambda a, p: a.refuse(by=p["staff"], reason="不属于本机关职权范围"),
    "suspend": lambda a, p: a.suspend(by=p["staff"], kind="testing", expected_days=5),
    "resume": lambda a, p: a.resume(by=p["staff"]),
    "extend": lambda a, p: a.extend(by=p["head"], reason="需要现场核查两个经营场所"),
    # Taken by the hearings app through licensing.hearing_link.
    "offer_hearing": lambda a, p: Hearing.notify_right_to_hearing(
        application=a, by=p["staff"], reviewing_officer=p["staff"]
    ),
    "approve": lambda a, p: a.approve(by=p["staff"], scope="热食类食品制售", valid_until=None),
    "deny": lambda a, p: a.deny(by=p["staff"], reasons="经营场所不符合要求"),
}

TAKEN = [(move.name, state) for move in WORKFLOW for state in move.sources]
REFUSED = [(move.name, state) for move in WORKFLOW for state in Status.values if state not in move.sources]


def test_the_table_is_registered_and_every_move_has_a_method_label_and_requirement():
    assert WORKFLOW in Workflow.registry
    assert set(CALLS) == set(WORKFLOW.moves)
    for move in WORKFLOW:
        assert move.label and move.requires and move.by in (STAFF, ANYONE, SYSTEM), move.name
        assert move.by == SYSTEM or move.by == ANYONE or move.permission, move.name
        if move.name != "offer_hearing":
            assert callable(getattr(Application, move.name)), move.name


def test_the_graph_the_case_checks_comes_from_the_table():
    assert WORKFLOW.allowed == {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.CORRECTION_REQUESTED, Status.NOT_ACCEPTED},
        Status.CORRECTION_REQUESTED: {Status.SUBMITTED},
        Status.ACCEPTED: {Status.SUSPENDED, Status.APPROVED, Status.DENIED},
        Status.SUSPENDED: {Status.ACCEPTED},
    }
    assert not hasattr(Application, "ALLOWED")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), TAKEN)
def test_each_move_is_taken_from_each_state_it_lists(name, state, department, people):
    application = reach(state, make_matter(department), people)
    WORKFLOW.check(name, application.status)  # the state check passes
    CALLS[name](application, people)
    application.refresh_from_db()
    move = WORKFLOW[name]
    assert application.status == (move.target or state)
    assert application.case.status == application.status


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), REFUSED)
def test_each_move_is_refused_from_every_other_state_naming_the_move_and_status(name, state, department, people):
    application = reach(state, make_matter(department), people)
    move = WORKFLOW[name]
    events = application.case.events.count() if application.case_id else 0

    with translation.override("zh-hans"):  # the default language, whatever an earlier test left active
        with pytest.raises(InvalidTransition) as refused:
            CALLS[name](application, people)
        message = str(refused.value)
        assert str(move.label) in message and str(WORKFLOW.label(state)) in message, message

    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        CALLS[name](application, people)
    with translation.override("en"):
        english = str(refused.value)
        assert english == f"“{move.label}” is not possible while the status is “{WORKFLOW.label(state)}”."
    assert english != message

    application.refresh_from_db()
    assert application.status == state
    assert (application.case.events.count() if application.case_id else 0) == events


@pytest.mark.django_db
def test_what_can_happen_next_follows_the_table_the_permission_and_the_once_rules(department, people):
    matter = make_matter(department)
    applicant, staff, head = people["applicant"], people["staff"], people["head"]
    draft = reach(Status.DRAFT, matter, people)
    assert list(draft.available_moves(applicant)) == ["submit"]

    submitted = reach(Status.SUBMITTED, matter, people)
    assert list(submitted.available_moves(applicant)) == []
    assert list(submitted.available_moves(staff)) == ["request_correction", "accept", "refuse"]
    submitted.request_correction(by=staff, items=[(None, "申请书缺少签字")])
    assert list(submitted.available_moves(applicant)) == ["resubmit"]
    submitted.resubmit(by=applicant)
    assert list(submitted.available_moves(staff)) == ["accept", "refuse"]  # one correction notice (Art. 32)

    accepted = reach(Status.ACCEPTED, matter, people)
    assert list(accepted.available_moves(staff)) == ["suspend", "offer_hearing", "approve", "deny"]
    assert "extend" in accepted.available_moves(head)  # the head's permission
    accepted.extend(by=head, reason="需要现场核查")
    assert "extend" not in accepted.available_moves(head)  # once (Art. 42)
    Hearing.notify_right_to_hearing(application=accepted, by=staff, reviewing_officer=staff)
    assert "offer_hearing" not in accepted.available_moves(staff)  # one hearing (Art. 47)
