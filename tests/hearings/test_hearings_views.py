"""Hearings' public pages, registration, my registrations, feed, calendar, and the staff admin."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from hearings.models import Hearing, HearingRegistration
from tests.conftest import make_staff, make_user
from tests.hearings.test_hearings_rules import LISTED, drawn_hearing, make_hearing, make_id, register


def open_hearing(department, staff):
    """A hearing announced today with registration open now (the views use the real date)."""
    today = timezone.localdate()
    hearing = make_hearing(
        department,
        starts_at=timezone.now() + timedelta(days=40),
        registration_opens=today,
        registration_closes=today + timedelta(days=10),
    )
    hearing.announce(by=staff, today=today)
    return hearing


@pytest.fixture
def staff(department):
    return make_staff("organizer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def hearing(department, staff):
    return open_hearing(department, staff)


def form_data(hearing, **overrides):
    return {
        "category": hearing.categories.get(name="消费者").pk,
        "name": "张明",
        "id_number": make_id(),
        "contact": "13800138000",
        "statement": "希望价格调整循序渐进。",
        **overrides,
    }


@pytest.mark.django_db
def test_list_and_page_show_the_notice_and_registration(client, hearing):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("hearings:hearings"))
    assert response.status_code == 200
    assert (
        "示范区管道天然气销售价格调整听证会" in response.text or "Hearing on piped natural gas prices" in response.text
    )
    assert "Registration open" in response.text
    page = client.get(hearing.get_absolute_url())
    assert "Sign in to register" in page.text and "个人报名" in page.text


@pytest.mark.django_db
def test_drafts_are_not_public(client, department):
    draft = make_hearing(department)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_registration_form_happy_path(client, hearing, applicant):
    client.force_login(applicant)
    url = reverse("hearings:hearing-register", args=[hearing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(hearing, publish_consent="on"))
    assert response.status_code == 302 and response.url == reverse("hearings:my-registrations")
    registration = HearingRegistration.objects.get(hearing=hearing)
    assert registration.user == applicant and registration.publish_consent and registration.status == "applied"
    mine = client.get(reverse("hearings:my-registrations"))
    assert 'data-status="applied"' in mine.text


@pytest.mark.django_db
def test_registration_requires_sign_in(client, hearing):
    url = reverse("hearings:hearing-register", args=[hearing.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert client.post(url, form_data(hearing)).status_code == 302
    assert not HearingRegistration.objects.exists()
    assert client.get(reverse("hearings:my-registrations")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"id_number": "36042619910102009X"},  # bad check character
        {"id_number": make_id(birth="20200101")},  # a child
        {"name": ""},
        {"contact": "abc"},
        {"category": "999999"},
    ],
)
def test_bad_input_gets_errors_and_saves_nothing(client, hearing, applicant, overrides):
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("hearings:hearing-register", args=[hearing.pk]), form_data(hearing, **overrides))
    assert response.status_code == 200 and "Please correct the errors below" in response.text
    assert not HearingRegistration.objects.exists()


@pytest.mark.django_db
def test_registering_twice_is_a_form_error(client, hearing, applicant):
    client.force_login(applicant)
    url = reverse("hearings:hearing-register", args=[hearing.pk])
    client.post(url, form_data(hearing))
    response = client.post(url, form_data(hearing))
    assert response.status_code == 200
    assert HearingRegistration.objects.count() == 1


@pytest.mark.django_db
def test_withdraw_own_registration_and_404_for_another_users(client, hearing, applicant, other_applicant):
    registration = register(hearing, hearing.categories.first(), user=applicant, today=timezone.localdate())
    url = reverse("hearings:registration-withdraw", args=[registration.pk])
    assert client.get(url).status_code in (302, 405)
    client.force_login(other_applicant)
    assert client.post(url).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "withdrawn"


@pytest.mark.django_db
def test_drawn_hearing_page_shows_seed_hash_log_and_verification(client, department, staff):
    hearing = drawn_hearing(department, staff)
    hearing.publish_list(by=staff, today=LISTED)
    client.cookies["django_language"] = "en"
    page = client.get(hearing.get_absolute_url())
    assert hearing.draw_seed in page.text and hearing.candidate_hash in page.text
    assert "gives the same result" in page.text
    assert "Participants" in page.text


@pytest.mark.django_db
def test_hearing_page_has_a_fixed_number_of_queries(client, department, staff, django_assert_num_queries):
    small = drawn_hearing(department, staff, per_category=(5, 2, 1))
    small.publish_list(by=staff, today=LISTED)
    large = drawn_hearing(department, staff, per_category=(30, 12, 6))
    large.publish_list(by=staff, today=LISTED)
    user = make_user("reader@example.cn")
    client.force_login(user)
    client.get(small.get_absolute_url())  # warm up the session and the calendar
    with django_assert_num_queries(9) as small_queries:  # the hearers of a price hearing: one more
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(small_queries.captured_queries)):
        client.get(large.get_absolute_url())


@pytest.mark.django_db
def test_list_page_has_a_fixed_number_of_queries(client, department, staff, django_assert_num_queries):
    open_hearing(department, staff)
    with django_assert_num_queries(2) as few:
        client.get(reverse("hearings:hearings"))
    for _i in range(5):
        hearing = open_hearing(department, staff)
        for _j in range(3):
            register(hearing, hearing.categories.first(), today=timezone.localdate())
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("hearings:hearings"))


@pytest.mark.django_db
def test_feed_and_calendar(client, hearing):
    feed = client.get(reverse("hearings:hearings-feed"))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert "示范区管道天然气销售价格调整听证会" in feed.text
    ics = client.get(reverse("hearings:hearings-ics"))
    assert ics["Content-Type"].startswith("text/calendar") and "BEGIN:VEVENT" in ics.text
    assert f"UID:hearing-{hearing.pk}@civiccenter" in ics.text


@pytest.mark.django_db
def test_a_public_hearings_outcome_and_record_are_public(client, department, staff):
    from django.core.files.base import ContentFile

    from tests.hearings.test_hearings_rules import PDF

    hearing = drawn_hearing(department, staff, kind="major_decision")
    hearing.publish_list(by=staff, today=LISTED)
    hearing.materials_summary = "材料"
    hearing.save(update_fields=["materials_summary"])
    hearing.send_materials(by=staff, today=date(2026, 11, 5))
    hearing.conclude(
        by=staff,
        record=ContentFile(PDF, name="r.pdf"),
        record_signed=True,
        report="报告",
        decision="决定",
        adoption="采纳",
        today=date(2026, 11, 20),
    )
    assert client.get(reverse("hearings:hearing-record", args=[hearing.pk])).status_code == 200
    page = client.get(hearing.get_absolute_url())
    assert "报告" in page.text and "采纳" in page.text


# --- Admin -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_lists_only_the_departments_hearings(client, department, other_department, staff):
    mine = make_hearing(department)
    theirs = make_hearing(other_department, matter="别的部门的听证会")
    client.force_login(staff)
    response = client.get(reverse("admin:hearings_hearing_changelist"))
    assert response.status_code == 200
    assert mine.matter in response.text and theirs.matter not in response.text
    assert client.get(reverse("admin:hearings_hearing_move", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_changelists_have_a_fixed_number_of_queries(
    client, department, staff, django_assert_num_queries, django_assert_max_num_queries
):
    drawn_hearing(department, staff, per_category=(3, 1, 1))
    client.force_login(staff)
    client.get(reverse("admin:hearings_hearing_changelist"))
    urls = [reverse("admin:hearings_hearing_changelist"), reverse("admin:hearings_hearingregistration_changelist")]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as captured:  # compared below
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    drawn_hearing(department, staff, per_category=(12, 5, 3))
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


@pytest.mark.django_db
def test_conduct_page_steps_call_the_model(client, department, staff):
    hearing = make_hearing(
        department,
        starts_at=timezone.now() + timedelta(days=40),
        registration_opens=timezone.localdate(),
        registration_closes=timezone.localdate() + timedelta(days=5),
    )
    client.force_login(staff)
    url = reverse("admin:hearings_hearing_move", args=[hearing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"move": "announce"})
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == "announced"
    # A refused step is a message, not an error page.
    response = client.post(url, {"move": "close_registration"}, follow=True)
    assert response.status_code == 200
    assert Hearing.objects.get(pk=hearing.pk).status == "announced"


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_conduct(client, department, staff, supervisor):
    hearing = make_hearing(department)
    client.force_login(supervisor)
    assert client.get(reverse("admin:hearings_hearing_changelist")).status_code == 200
    steps = reverse("admin:hearings_hearing_move", args=[hearing.pk])
    assert 'name="move"' not in client.get(steps).content.decode()  # they read it; nothing to take
    assert client.post(steps, {"move": "announce"}).status_code == 403
