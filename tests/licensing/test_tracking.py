"""/track/ and /accounts/cases/ over real licensing cases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.licensing.test_applications import make_application

TRACK = reverse("track")
MY_CASES = reverse("accounts:cases")


@pytest.fixture
def case(matter, applicant, staff_user):
    application = make_application(matter, applicant).submit(by=applicant, today=date(2026, 9, 24))
    application.request_correction(
        by=staff_user, items=[(matter.current_version.materials.first(), "缺少签字")], today=date(2026, 9, 25)
    )
    return application.case


@pytest.mark.django_db
def test_tracking_by_number_and_code_shows_the_public_timeline_without_an_account(client, case):
    client.cookies["django_language"] = "en"
    response = client.get(TRACK, {"number": case.number.lower(), "code": case.query_code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html and "Correction requested" in html and "缺少签字" in html
    assert "Submitted, awaiting acceptance" in html


@pytest.mark.django_db
def test_tracking_shows_the_deadline_and_how_it_was_computed(client, matter, applicant):
    case = make_application(matter, applicant).submit(by=applicant, today=date(2026, 9, 24)).case
    html = client.get(TRACK, {"number": case.number, "code": case.query_code}).content.decode()
    assert '<time class="due-date" datetime="2026-10-09">' in html
    assert "/deadlines/?start=2026-09-24&amp;days=5&amp;unit=working" in html


@pytest.mark.django_db
def test_wrong_number_and_wrong_code_get_the_same_answer(client, case):
    wrong_code = client.get(TRACK, {"number": case.number, "code": "ZZZZZZZZ"})
    wrong_number = client.get(TRACK, {"number": "XK-2026-999999", "code": case.query_code})
    assert wrong_code.status_code == wrong_number.status_code == 200
    assert wrong_code.context["form"].non_field_errors() == wrong_number.context["form"].non_field_errors()
    assert wrong_code.context["case"] is None and "缺少签字" not in wrong_code.content.decode()


@pytest.mark.django_db
def test_repeated_failures_from_one_client_are_slowed_down(client, case):
    for _ in range(10):
        client.get(TRACK, {"number": case.number, "code": "ZZZZZZZZ"})
    blocked = client.get(TRACK, {"number": case.number, "code": case.query_code})
    assert blocked.status_code == 429 and blocked.context["case"] is None
    other_client = client.get(TRACK, {"number": case.number, "code": case.query_code}, REMOTE_ADDR="10.9.9.9")
    assert other_client.context["case"] == case


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"number": "", "code": ""}, {"number": "x" * 100, "code": "y" * 100}, {"number": "XK\x00", "code": "<script>"}],
)
def test_bad_tracking_input_gets_errors_not_a_500(client, query):
    response = client.get(TRACK, query)
    if "\x00" in query["number"]:
        assert response.status_code == 400  # unreadable, refused before the view
    else:
        assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.django_db
def test_tracking_keeps_a_fixed_number_of_queries(client, case, staff_user, django_assert_num_queries):
    query = {"number": case.number, "code": case.query_code}
    with CaptureQueriesContext(connection) as one:
        client.get(TRACK, query)
    application = case.application
    application.resubmit(by=case.applicant, today=date(2026, 10, 8))
    application.accept(by=staff_user, today=date(2026, 10, 9))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(TRACK, query)


@pytest.mark.django_db
def test_my_cases_lists_own_cases_only_with_fixed_queries(
    client, matter, applicant, other_applicant, django_assert_num_queries
):
    mine = make_application(matter, applicant).submit(by=applicant, today=date(2026, 9, 24)).case
    theirs = make_application(matter, other_applicant).submit(by=other_applicant, today=date(2026, 9, 24)).case
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as one:
        html = client.get(MY_CASES).content.decode()
    assert mine.number in html and theirs.number not in html
    for _ in range(15):
        make_application(matter, applicant).submit(by=applicant, today=date(2026, 9, 24))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(MY_CASES)


@pytest.mark.django_db
def test_my_cases_requires_sign_in(client):
    response = client.get(MY_CASES)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_internal_events_stay_internal(client, case):
    case.events.create(new_status=case.status, note="内部意见：材料存疑", public=False)
    html = client.get(TRACK, {"number": case.number, "code": case.query_code}).content.decode()
    assert "内部意见" not in html
