"""The booking workflow's table, walked: every move from every state, through the real model methods.

From a state the table lists, the move passes its state check (a rule of the
method may still refuse it, never with the state refusal); from any other
state the method refuses it with a message naming the move and the status,
in Chinese (the default) and in English.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import CalendarDay
from civiccenter.workflow import SYSTEM, Workflow
from ngo.models.venues import Booking
from tests.conftest import make_staff
from tests.ngo.test_venues import at, book, make_org, make_venue, open_day

pytestmark = pytest.mark.django_db

FLOW = Booking.WORKFLOW
S = Booking.Status


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def org(applicant):
    return make_org(applicant)


def test_the_table_is_registered_and_is_the_graph():
    assert FLOW in Workflow.registry and FLOW.name == "ngo.booking"
    assert not hasattr(Booking, "ALLOWED")
    assert FLOW.allowed == {
        "pending": {"approved", "rejected", "cancelled", "expired"},
        "approved": {"cancelled", "completed", "no_show"},
        "completed": {"no_show"},
    }
    assert {m.name for m in FLOW if m.by == SYSTEM} == {"complete", "expire"}


def past_day():
    """The latest day before today that is no public holiday."""
    day = timezone.localdate() - timedelta(days=1)
    holidays = set(CalendarDay.objects.filter(kind="holiday").values_list("date", flat=True))
    while day in holidays:
        day -= timedelta(days=1)
    return day


def in_state(state, venue, org, applicant, reviewer):
    """A booking of yesterday 10-12 (booked two days before) brought to `state` through the real moves."""
    day = past_day()
    booking = book(venue, org, applicant, day, 10, 12, now=at(day, 8) - timedelta(days=2))
    if state in (S.APPROVED, S.COMPLETED, S.NO_SHOW):
        booking.approve(by=reviewer)
    moves = {
        S.REJECTED: lambda: booking.reject(by=reviewer, reason="该时段中心有活动"),
        S.CANCELLED: lambda: booking.cancel_by_staff(by=reviewer, reason="场地检修"),
        S.EXPIRED: lambda: booking.expire(),
        S.COMPLETED: lambda: booking.complete(),
        S.NO_SHOW: lambda: booking.record_no_show(by=reviewer),
    }
    if state in moves:
        moves[state]()
    booking.refresh_from_db()
    assert booking.status == state
    return booking


def take(booking, name, *, applicant, reviewer):
    """Call the real model method of move `name`, with arguments its own rules accept."""
    calls = {
        "approve": lambda: booking.approve(by=reviewer),
        "reject": lambda: booking.reject(by=reviewer, reason="不符合场地用途"),
        "cancel": lambda: booking.cancel(by=applicant, now=booking.starts_at - timedelta(days=2)),
        "cancel_by_staff": lambda: booking.cancel_by_staff(by=reviewer, reason="场地漏水"),
        "record_no_show": lambda: booking.record_no_show(by=reviewer),
        "complete": lambda: booking.complete(),
        "expire": lambda: booking.expire(),
    }
    assert set(calls) == set(FLOW.moves)
    return calls[name]()


CASES = [(move.name, state) for move in FLOW for state in S.values]


@pytest.mark.parametrize(("name", "state"), CASES)
def test_every_move_from_every_state(name, state, department, org, applicant, reviewer):
    move = FLOW[name]
    booking = in_state(state, make_venue(department), org, applicant, reviewer)
    events = booking.case.events.count()
    if state in move.sources:
        FLOW.check(name, state)
        # Every rule of these methods holds for a booking that has ended: each listed move goes through.
        take(booking, name, applicant=applicant, reviewer=reviewer)
        booking.refresh_from_db()
        assert booking.status == move.target and booking.case.status == move.target
        return
    with pytest.raises(InvalidTransition) as refused:
        take(booking, name, applicant=applicant, reviewer=reviewer)
    # The move and the status as each language renders them (the sentence is formatted when shown).
    with translation.override("zh-hans"):
        message = str(refused.value)
        assert str(move.label) in message and str(S(state).label) in message, message
    with translation.override("en"):
        assert str(refused.value) == f"“{move.label}” is not possible while the status is “{S(state).label}”."
    booking.refresh_from_db()
    assert booking.status == state and booking.case.events.count() == events


def test_what_can_happen_next_comes_from_the_table(department, org, applicant, other_applicant, reviewer):
    venue = make_venue(department)
    booking = book(venue, org, applicant, open_day(), 10, 12)
    assert list(booking.available_moves(reviewer)) == ["approve", "reject", "cancel_by_staff"]
    assert list(booking.available_moves(applicant)) == ["cancel"]
    assert booking.available_moves(other_applicant) == {}
    # Past the cancellation deadline the organization can no longer cancel online.
    assert booking.available_moves(applicant, now=booking.cancel_deadline + timedelta(minutes=1)) == {}
    booking.approve(by=reviewer)
    assert list(booking.available_moves(reviewer)) == ["cancel_by_staff"]  # a no-show only after the end
    after = booking.ends_at + timedelta(minutes=1)
    assert list(booking.available_moves(reviewer, now=after)) == ["cancel_by_staff", "record_no_show"]


def test_the_organizations_page_and_the_staff_page_offer_the_tables_moves(client, department, org, applicant, reviewer):
    booking = book(make_venue(department), org, applicant, open_day(), 10, 12)
    client.force_login(applicant)
    page = client.get(booking.get_absolute_url())
    assert list(page.context["moves"]) == ["cancel"]
    assert reverse("ngo:booking-cancel", args=[booking.pk]) in page.content.decode()
    client.force_login(reviewer)
    page = client.get(reverse("admin:ngo_booking_change", args=[booking.pk]))
    steps = page.context["steps_url"]
    assert steps == reverse("admin:ngo_booking_move", args=[booking.pk]) and steps in page.content.decode()
    page = client.get(steps)
    assert [move.name for move, _form, _page in page.context["moves"]] == ["approve", "reject", "cancel_by_staff"]
    html = page.content.decode()
    assert 'name="move" value="approve"' in html and 'name="move" value="record_no_show"' not in html
    response = client.post(steps, {"move": "reject", "reject-reason": " "})  # a reason is required
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    client.post(steps, {"move": "approve"})
    booking.refresh_from_db()
    assert booking.status == "approved"
