"""The demo loads whatever the date and the time of day: late in the evening Beijing time, and just after
midnight on the first day of a year, every case's timeline (and every NGO organization's, activity's and
achievement's history) runs forwards, ends at the status, and nothing is dated after the moment the demo was loaded."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from civiccenter.cases import Case, CaseEvent
from tests.conftest import restore_migration_data
from tests.ngo.test_demo_history import ngo_history_problems

BEIJING = ZoneInfo("Asia/Shanghai")


def timeline_problems():
    now = timezone.now()
    problems = [
        f"event after now: {n}"
        for n in CaseEvent.objects.filter(created_at__gt=now).values_list("case__number", flat=True)[:5]
    ]
    problems += [
        f"case after now: {n}" for n in Case.objects.filter(created_at__gt=now).values_list("number", flat=True)[:5]
    ]
    problems += [
        f"closed before received: {n}"
        for n in Case.objects.filter(closed_at__lt=F("created_at")).values_list("number", flat=True)[:5]
    ]
    last = {}
    events = CaseEvent.objects.order_by("case_id", "created_at", "pk").values_list(
        "case_id", "case__number", "old_status", "new_status"
    )
    for case_id, number, old, new in events.iterator(chunk_size=5000):
        previous = last.get(case_id)
        if previous is None and old != "":
            problems.append(f"{number}: the first event is {old} → {new}, not the opening")
        elif previous is not None and old != previous:
            problems.append(f"{number}: the timeline runs backwards ({previous}, then {old} → {new})")
        last[case_id] = new
    for case_id, number, status in Case.objects.values_list("pk", "number", "status").iterator(chunk_size=5000):
        if last.get(case_id) not in (None, status):
            problems.append(f"{number}: the last event says {last[case_id]}, the case {status}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        # The day a demo case was found closed before it was received (its reply drawn earlier in the day
        # than its receipt); any hour after the working day draws the same.
        datetime(2026, 12, 7, 23, 50, tzinfo=BEIJING),
        datetime(2027, 1, 1, 0, 20, tzinfo=BEIJING),
    ],
    ids=["late-evening", "new-year-just-after-midnight"],
)
def test_demo_timelines_run_forwards_whenever_it_is_loaded(moment, tmp_path):
    restore_migration_data()
    with (
        time_machine.travel(moment, tick=True),
        override_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=tmp_path / "private"),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        assert Case.objects.exists()
        assert timeline_problems() == []
        assert ngo_history_problems() == []  # the organizations, activities and registrations too
