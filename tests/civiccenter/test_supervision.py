"""The supervision view: figures checked against a hand-computed data set, fixed queries, CSV, scoping."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles, supervision
from civiccenter.cases import Case
from tests.conftest import make_staff

URL = reverse("admin:supervision")
TODAY = date(2026, 11, 23)  # Monday; +3 working days = Thursday 26 Nov


def make_case(department, n, *, received, due=None, closed=None, due_at_close=None):
    return Case.objects.create(
        kind="licensing",
        number=f"XK-2026-{n:06d}",
        contact_name="张明",
        department=department,
        status="accepted",
        received_on=received,
        due_date=None if closed else due,
        due_at_close=due_at_close,
        closed_at=timezone.make_aware(datetime(closed.year, closed.month, closed.day, 12)) if closed else None,
        clock_unit="working" if due else "",
    )


@pytest.fixture
def data(department, other_department):
    # Open: one overdue (due 20 Nov), one due soon (26 Nov), one later (10 Dec).
    make_case(department, 1, received=date(2026, 10, 1), due=date(2026, 11, 20))
    make_case(department, 2, received=date(2026, 11, 2), due=date(2026, 11, 26))
    make_case(department, 3, received=date(2026, 11, 16), due=date(2026, 12, 10))
    # Closed in November: 10 days (on time), 20 days (late), 30 days (on time).
    make_case(department, 4, received=date(2026, 11, 1), closed=date(2026, 11, 11), due_at_close=date(2026, 11, 13))
    make_case(department, 5, received=date(2026, 10, 25), closed=date(2026, 11, 14), due_at_close=date(2026, 11, 10))
    make_case(department, 6, received=date(2026, 10, 20), closed=date(2026, 11, 19), due_at_close=date(2026, 11, 30))
    # Another department: one overdue.
    make_case(other_department, 7, received=date(2026, 10, 1), due=date(2026, 11, 2))


@pytest.mark.django_db
def test_figures_match_the_hand_computed_set(data, supervisor, department, other_department):
    rows, soon = supervision.figures(supervisor, start=date(2026, 11, 1), end=date(2026, 11, 30), today=TODAY)
    assert soon == date(2026, 11, 26)
    by = {row["department"]: row for row in rows}
    mine = by[department]
    assert (mine["open"], mine["due_soon"], mine["overdue"], mine["closed"]) == (3, 1, 1, 3)
    assert mine["on_time_rate"] == 67 and mine["median_days"] == 20
    theirs = by[other_department]
    assert (theirs["open"], theirs["overdue"], theirs["closed"], theirs["on_time_rate"]) == (1, 1, 0, None)


@pytest.mark.django_db
def test_supervisor_sees_every_department_and_a_head_only_their_own(
    client, data, supervisor, department, other_department
):
    client.force_login(supervisor)
    response = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30"})
    assert {row["department"] for row in response.context["rows"]} == {department, other_department}
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    client.force_login(head)
    assert [row["department"] for row in client.get(URL).context["rows"]] == [department]


@pytest.mark.django_db
def test_clerks_and_citizens_cannot_open_it(client, department, applicant):
    client.force_login(make_staff("clerk@example.cn", roles.WINDOW_CLERK, department))
    assert client.get(URL).status_code == 403
    client.force_login(applicant)
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_csv_export(client, data, supervisor):
    client.force_login(supervisor)
    response = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # UTF-8 with a BOM, so spreadsheet programs read the Chinese
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("department,open,due_soon,overdue")
    assert len(lines) == 3


@pytest.mark.django_db
def test_bad_periods_get_a_message_not_a_500(client, supervisor):
    client.force_login(supervisor)
    for query in ({"start": "2026-02-30"}, {"start": "2026-12-01", "end": "2026-11-01"}):
        response = client.get(URL, query)
        assert response.status_code == 200 and response.context["errors"]
    assert client.get(URL, {"end": "x\x00"}).status_code == 400  # unreadable, refused before the view


@pytest.mark.django_db
def test_supervision_keeps_a_fixed_number_of_queries(client, data, supervisor, department, django_assert_num_queries):
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(100, 140):
        make_case(department, n, received=date(2026, 11, 2), due=date(2026, 11, 20) + timedelta(days=n % 5))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(URL)


@pytest.mark.django_db
def test_departments_are_reminded_of_due_soon_and_told_of_overdue_once(data, department, other_department):
    from civiccenter.models import Notification
    from civiccenter.reminders import sweep_deadline_reminders

    reviewer = make_staff("reviewer2@example.cn", roles.DEPARTMENT_REVIEWER, department)
    other = make_staff("other@example.cn", roles.DEPARTMENT_REVIEWER, other_department)
    # Due soon: #2 (26 Nov). Overdue: #1 (20 Nov) and #7 (other department). Later: #3, not yet.
    assert sweep_deadline_reminders(TODAY) == 3
    assert sweep_deadline_reminders(TODAY) == 0
    subjects = sorted(Notification.objects.filter(recipient=reviewer).values_list("subject", flat=True))
    assert (
        len(subjects) == 2
        and any("XK-2026-000002" in s for s in subjects)
        and any("XK-2026-000001" in s for s in subjects)
    )
    assert Notification.objects.filter(recipient=other).count() == 1
    # An extended deadline is a new date: it is reminded again when it comes near.
    Case.objects.filter(number="XK-2026-000002").update(due_date=date(2026, 11, 25))
    assert sweep_deadline_reminders(TODAY) == 1
