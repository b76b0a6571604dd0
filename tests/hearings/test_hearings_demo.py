import pytest
from django.core.management import call_command

from civiccenter.cases import Case
from demo.hearings import hearings as demo_hearings
from hearings.models import Hearing, HearingRegistration


@pytest.mark.django_db
def test_demo_seed_is_complete_and_idempotent(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)  # departments, staff, licensing applications (and ours, once wired in)
    demo_hearings.seed()
    upcoming = Hearing.objects.get(matter=demo_hearings.UPCOMING)
    assert upcoming.status == "announced" and upcoming.registration_open()
    consumers = upcoming.categories.get(is_consumer=True)
    assert upcoming.registrations.filter(category=consumers).count() > consumers.quota  # over quota
    past = Hearing.objects.get(matter=demo_hearings.PAST)
    assert past.status == "concluded" and past.verify_draw().ok and past.record
    assert HearingRegistration.objects.filter(hearing=past, status="selected").count() == 9
    # NDRC Order 21: its hearers (one presiding, who signed), the attendance at the opening, the adoption table.
    assert past.hearers.count() == 3 and past.hearers.get(presiding=True).signed_report
    assert past.lists_published_in_time and past.participants_present == 9 and past.opened_on == past.hearing_date
    assert past.opinion_rows.filter(adopted=False).exists() and past.opinion_rows.filter(adopted=True).exists()
    licensing = Hearing.objects.get(kind="licensing")
    assert licensing.status == "announced" and licensing.presiding_officer != licensing.reviewing_officer
    assert Case.objects.get(pk=licensing.application.case_id).status == "suspended"
    assert demo_hearings.seed() == 0
