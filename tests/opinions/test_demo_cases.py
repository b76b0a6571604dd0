"""The demo opinion cases hold the invariants real cases hold, cover every status and channel, and load fast."""

import time

import pytest
from django.conf import settings
from django.db.models import F, Q

from civiccenter.cases import Case, CaseEvent, Rating
from demo.opinions import cases as demo_cases
from opinions.models import BoardEntry, Kind, Opinion

pytestmark = pytest.mark.django_db


def test_every_status_and_channel_is_shown(demo):
    assert set(Opinion.objects.values_list("status", flat=True)) == set(Opinion.Status.values)
    assert set(Case.objects.filter(kind="opinion").values_list("channel", flat=True)) == set(Case.Channel.values)
    assert Opinion.objects.filter(status="replied", reopened_at__isnull=False).exists()
    assert Opinion.objects.count() >= 0.95 * settings.DEMO_OPINION_CASES  # a few received later today


def test_closed_cases_have_a_reply_and_a_closing_day(demo):
    replied = Opinion.objects.filter(status="replied")
    assert not replied.filter(Q(reply="") | Q(replied_at=None) | Q(case__closed_at=None)).exists()
    assert not replied.filter(case__due_at_close=None).exists()
    assert not Opinion.objects.filter(status__in=Opinion.OPEN, case__closed_at__isnull=False).exists()
    running = Opinion.objects.filter(status__in=Opinion.OPEN).exclude(status="info_requested")
    assert not running.filter(case__due_date=None).exists()
    # Waiting for the submitter: the clock is stopped (an open pause), so no day is due yet.
    waiting = Opinion.objects.filter(status="info_requested")
    assert waiting.exists()
    assert not waiting.exclude(case__pauses__ends_on__isnull=True, case__pauses__isnull=False).exists()
    assert not Opinion.objects.filter(case__closed_at__lt=F("case__created_at")).exists()


def test_most_replied_in_time_some_late(demo):
    closed = Case.objects.filter(kind="opinion", opinion__status="replied")
    late = closed.filter(closed_at__date__gt=F("due_at_close")).count()
    assert 0.03 < late / closed.count() < 0.25


def test_merged_cases_point_to_an_open_or_replied_main_case(demo):
    merged = Opinion.objects.filter(status="merged").select_related("merged_into")
    assert merged.exists()
    for opinion in merged:
        main = opinion.merged_into
        assert main.status != "merged"
        assert main.case.department_id == opinion.case.department_id
        assert (main.kind == Kind.REPORT) == (opinion.kind == Kind.REPORT)


def test_reports_never_consent_nor_handled_by_the_unit_reported(demo):
    reports = Opinion.objects.filter(kind=Kind.REPORT)
    assert reports.exists()
    assert not reports.filter(consent_to_publish=True).exists()
    assert not reports.filter(reported_department=F("case__department")).exists()


def test_the_board_shows_scrubbed_masked_consented_cases(demo):
    published = BoardEntry.objects.published()
    assert 20 <= published.count() <= 60
    assert published.count() == Opinion.objects.filter(published_at__isnull=False).count()
    for entry in published.select_related("case"):
        assert entry.public_name.endswith("*") and entry.public_name[0] == entry.case.contact_name[0]
        assert "138" not in entry.public_description.replace("138****", "")


def test_ratings_on_closed_cases_only_and_every_case_has_its_timeline(demo):
    assert Rating.objects.filter(case__kind="opinion").count() > settings.DEMO_OPINION_CASES // 3
    assert not Rating.objects.filter(case__kind="opinion", case__closed_at=None).exists()
    assert not Case.objects.filter(kind="opinion", events=None).exists()
    assert CaseEvent.objects.filter(case__kind="opinion", new_status="reopened").exists()


def test_tracking_numbers_continue_after_the_demo(demo):
    from civiccenter.cases import next_tracking_number

    last = Case.objects.filter(kind="opinion", number__startswith="YJ-2026-").order_by("-number").first().number
    assert next_tracking_number("YJ", 2026) > last


def test_second_run_creates_nothing_and_the_part_is_quick(demo):
    started = time.monotonic()
    assert demo_cases.seed() == 0
    assert time.monotonic() - started < 2


def test_a_few_complaints_and_requests_for_help_are_urgent(demo):
    """prc-rules §7: only complaints and requests for help are urgent; an emergency has the shortest time limit."""
    urgent = Opinion.objects.exclude(urgency="normal")
    assert urgent.filter(urgency="urgent").exists() and urgent.filter(urgency="emergency").exists()
    assert not urgent.exclude(kind__in=[Kind.COMPLAINT, Kind.HELP]).exists()
    assert urgent.count() < 0.1 * Opinion.objects.count()
    for opinion in urgent.filter(reopened_at=None).select_related("case", "category")[:20]:
        assert opinion.case.clock_days == opinion.category.time_limit_for(opinion.urgency)
