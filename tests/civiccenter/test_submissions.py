"""One submission per form (civiccenter/submissions.py): a double click, a retry after a lost answer or the
back button gives the first receipt, never a second case; 50 identical POSTs at once make one case."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from civiccenter.cases import Case
from civiccenter.models import Notification
from civiccenter.submissions import Submission, sweep_old_submissions
from opinions.models import Opinion
from tests.conftest import make_department, make_user
from tests.opinions.test_cases import make_category
from tests.opinions.test_cases_views import form_data

INDEX = reverse("opinions:index")
RATES = {"account-mail": "5/h", "submit": "1000/h", "track": "10/15m", "document-check": "10/15m"}


def token_from(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="submission_token" value="([0-9a-f-]{36})"', page).group(1)


@pytest.fixture
def category(department):
    return make_category(department)


@pytest.mark.django_db
def test_every_form_that_opens_something_carries_a_fresh_token(client, applicant, category):
    client.force_login(applicant)
    first, second = token_from(client, INDEX + "?kind=complaint"), token_from(client, INDEX + "?kind=complaint")
    assert first != second


@pytest.mark.django_db
def test_the_same_form_sent_twice_gives_the_first_receipt_and_one_case(client, applicant, category):
    client.force_login(applicant)
    token = token_from(client, INDEX + "?kind=complaint")
    first = client.post(INDEX, {**form_data(category), "submission_token": token})
    again = client.post(INDEX, {**form_data(category), "submission_token": token})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Opinion.objects.count() == 1 and Case.objects.count() == 1
    page = client.get(again["Location"]).content.decode()
    assert Opinion.objects.get().case.number in page
    assert "没有重复提交" in page


@pytest.mark.django_db
def test_a_form_with_errors_releases_its_token_for_the_corrected_form(client, applicant, category):
    client.force_login(applicant)
    token = token_from(client, INDEX + "?kind=complaint")
    wrong = client.post(INDEX, {**form_data(category, title=""), "submission_token": token})
    assert wrong.status_code == 200 and not Opinion.objects.exists()
    assert not Submission.objects.exists()
    right = client.post(INDEX, {**form_data(category), "submission_token": token})
    assert right.status_code == 302 and Opinion.objects.count() == 1


@pytest.mark.django_db
def test_another_persons_token_opens_nothing_of_theirs(client, applicant, other_applicant, category):
    client.force_login(applicant)
    token = token_from(client, INDEX + "?kind=complaint")
    mine = client.post(INDEX, {**form_data(category), "submission_token": token})
    client.force_login(other_applicant)
    theirs = client.post(INDEX, {**form_data(category), "submission_token": token})
    assert theirs.status_code == 302 and theirs["Location"] != mine["Location"]  # their own new case
    assert Opinion.objects.filter(submitter=other_applicant).count() == 1


@pytest.mark.django_db
def test_a_post_without_a_token_works_as_before(client, applicant, category):
    client.force_login(applicant)
    assert client.post(INDEX, form_data(category)).status_code == 302
    assert client.post(INDEX, {**form_data(category), "submission_token": "not-a-uuid"}).status_code == 302
    assert Opinion.objects.count() == 2


@pytest.mark.django_db
def test_old_tokens_are_forgotten_after_a_week(applicant):
    from datetime import timedelta

    from civiccenter.lib import clock

    Submission.objects.create(key="3f1c7a52-9d0e-4a55-9c1f-0d7c1e2b8a11", created_at=clock.now() - timedelta(days=8))
    Submission.objects.create(key="3f1c7a52-9d0e-4a55-9c1f-0d7c1e2b8a12", created_at=clock.now())
    assert sweep_old_submissions(clock.today()) == 1 and Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(THROTTLE_RATES=RATES)
def test_fifty_identical_complaints_sent_at_once_make_one_case_one_receipt_one_notice():
    department = make_department()
    category = make_category(department)
    user = make_user()
    client = Client()
    client.force_login(user)
    token = token_from(client, INDEX + "?kind=complaint")
    cookies = client.cookies
    barrier = threading.Barrier(50)
    answers = []

    def send():
        own = Client()
        own.cookies = cookies
        barrier.wait()
        try:
            answers.append(own.post(INDEX, {**form_data(category), "submission_token": token}))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 50
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer["Location"] for answer in answers}) == 1
    assert Opinion.objects.count() == Case.objects.count() == 1
    assert Notification.objects.filter(recipient=user).count() == 1  # one receipt


# Every view that opens something takes the token ------------------------------------------------------------


ONCE_VIEWS = [
    "opinions.views.cases.index",
    "opinions.views.petitions.file_petition",
    "disclosure.views.requests.request_new",
    "consultation.views.questions.ask",
    "consultation.views.content.interview_ask",
    "consultation.views.content.lecture_register",
    "hearings.views.hearings.register",
    "licensing.views.start_application",
    "licensing.views.renew_licence",
    "licensing.views.application_edit",
    "licensing.views.book_slot",
    "ngo.views.organizations.register",
    "ngo.views.venues.book",
    "ngo.views.development.activity_register",
]


@pytest.mark.parametrize("path", ONCE_VIEWS)
def test_each_view_that_opens_a_case_or_booking_is_one_submission_only(path):
    import inspect

    from django.utils.module_loading import import_string

    view = import_string(path)
    source = inspect.getsource(inspect.unwrap(view))
    assert "submissions.receipt(" in source
    assert getattr(view, "one_submission", False)
