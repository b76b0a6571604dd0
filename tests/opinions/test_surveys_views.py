"""Survey pages: the list, answering (signed in and anonymously, the limits, bad input), thanks, results, CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from opinions.models import Response, Survey
from tests.conftest import make_staff
from tests.opinions.test_surveys_models import answers_for, fill, make_survey, questions

UA = "Mozilla/5.0 (Linux; Android 14) Mobile"


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """Assertions read the English messages; the language comes from the visitor's cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department)


@pytest.fixture
def survey(department, head):
    return make_survey(department, publish_by=head)


def post_data(survey, *, single=0, multiple=(), scale=4, text=""):
    q = questions(survey)
    data = {f"q{q[1].pk}": str(list(q[1].choices.all())[single].pk), f"q{q[3].pk}": str(scale)}
    if multiple:
        data[f"q{q[2].pk}"] = [str(list(q[2].choices.all())[i].pk) for i in multiple]
    if text:
        data[f"q{q[4].pk}"] = text
    return data


def closed_survey(department, head, **fields):
    now = timezone.now()
    survey = make_survey(
        department, publish_by=head, opens=now - timedelta(days=20), closes=now + timedelta(days=1), **fields
    )
    return survey


# The list ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_open_upcoming_and_closed_but_not_unpublished(client, department, head):
    now = timezone.now()
    make_survey(department, publish_by=head, title="开放中的问卷")
    make_survey(
        department,
        publish_by=head,
        title="即将开始的问卷",
        opens=now + timedelta(days=3),
        closes=now + timedelta(days=9),
    )
    make_survey(
        department, publish_by=head, title="已结束的问卷", opens=now - timedelta(days=9), closes=now - timedelta(days=1)
    )
    make_survey(department, title="草稿问卷")
    response = client.get(reverse("opinions:surveys"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "开放中的问卷" in html and "即将开始的问卷" in html and "已结束的问卷" in html
    assert "草稿问卷" not in html
    closed = Survey.objects.get(title="已结束的问卷")
    assert reverse("opinions:survey-results", args=[closed.pk]) in html


def bulk_surveys(department, head, n, *, closed):
    now = timezone.now()
    for i in range(n):
        days = -30 - i if closed else 0
        make_survey(
            department,
            publish_by=head,
            title=f"问卷{i}",
            opens=now + timedelta(days=days - 5),
            closes=now + timedelta(days=days + (0 if closed else 10)),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 20])
def test_list_queries_do_not_grow_with_surveys(client, department, head, n, django_assert_num_queries):
    bulk_surveys(department, head, n, closed=False)
    bulk_surveys(department, head, n, closed=True)
    client.get(reverse("opinions:surveys"))  # warm the session and caches
    with django_assert_num_queries(3):
        assert client.get(reverse("opinions:surveys")).status_code == 200


@pytest.mark.django_db
def test_closed_surveys_page_by_keyset(client, department, head):
    bulk_surveys(department, head, 25, closed=True)
    first = client.get(reverse("opinions:surveys"))
    older = first.context["older"]
    assert len(first.context["closed"]) == 20 and older
    second = client.get(reverse("opinions:surveys"), {"before": older})
    assert len(second.context["closed"]) == 5 and second.context["older"] is None
    titles = {s.title for s in first.context["closed"]} | {s.title for s in second.context["closed"]}
    assert len(titles) == 25


@pytest.mark.django_db
def test_a_malformed_cursor_is_not_found(client):
    assert client.get(reverse("opinions:surveys"), {"before": "yesterday_x"}).status_code == 404
    assert client.get(reverse("opinions:surveys"), {"before": "2026-01-01T00:00:00_5"}).status_code == 404


# Answering ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_in_citizen_answers_and_is_thanked(client, survey, applicant):
    client.force_login(applicant)
    page = client.get(survey.get_absolute_url())
    html = page.content.decode()
    assert "<fieldset" in html and "<legend" in html and "asteriskField" in html
    response = client.post(survey.get_absolute_url(), post_data(survey, multiple=(0, 2), text="希望增加周末窗口"))
    assert response.status_code == 302 and response["Location"] == reverse("opinions:survey-thanks", args=[survey.pk])
    saved = Response.objects.get(survey=survey)
    assert saved.respondent == applicant and saved.client_key == ""
    assert saved.answers.count() == 5
    again = client.get(survey.get_absolute_url())
    assert again.context["form"] is None and again.context["answered"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_second_answer_from_the_same_account_is_refused(client, survey, applicant):
    client.force_login(applicant)
    client.post(survey.get_absolute_url(), post_data(survey))
    response = client.post(survey.get_absolute_url(), post_data(survey, single=2), follow=True)
    assert "already answered" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


@pytest.mark.django_db
def test_an_anonymous_visitor_answers_up_to_the_limit_per_client(client, survey):
    survey.anonymous_limit = 2
    survey.save()
    url = survey.get_absolute_url()
    for _i in range(2):
        assert client.post(url, post_data(survey), HTTP_USER_AGENT=UA, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post(url, post_data(survey), HTTP_USER_AGENT=UA, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 200 and "Too many responses" in refused.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2
    # Another network address is another client.
    assert client.post(url, post_data(survey), HTTP_USER_AGENT=UA, REMOTE_ADDR="203.0.113.8").status_code == 302
    assert Response.objects.filter(survey=survey).count() == 3
    assert not Response.objects.filter(client_key__contains="203.0.113").exists()


@pytest.mark.django_db
def test_a_required_question_left_empty_is_a_form_error(client, survey, applicant):
    client.force_login(applicant)
    data = post_data(survey)
    del data[f"q{questions(survey)[1].pk}"]
    response = client.post(survey.get_absolute_url(), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"q{questions(survey)[1].pk}"]
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_choice_id_of_another_question_is_a_form_error(client, survey, applicant):
    client.force_login(applicant)
    q = questions(survey)
    data = post_data(survey)
    data[f"q{q[1].pk}"] = str(q[2].choices.first().pk)  # a real choice, of question 2
    response = client.post(survey.get_absolute_url(), data)
    assert response.status_code == 200 and response.context["form"].errors[f"q{q[1].pk}"]
    data = post_data(survey)
    data[f"q{q[3].pk}"] = "9"  # off the 1-5 scale
    response = client.post(survey.get_absolute_url(), data)
    assert response.context["form"].errors[f"q{q[3].pk}"]
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_overlong_written_answer_is_a_form_error(client, survey, applicant):
    client.force_login(applicant)
    response = client.post(survey.get_absolute_url(), post_data(survey, text="很" * 2001))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_only_survey_sends_anonymous_visitors_to_sign_in(client, department, head, applicant):
    survey = make_survey(department, publish_by=head, audience=Survey.Audience.SIGNED_IN)
    page = client.get(survey.get_absolute_url())
    assert page.context["form"] is None and reverse("accounts:login") in page.content.decode()
    response = client.post(survey.get_absolute_url(), post_data(survey))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not Response.objects.exists()
    client.force_login(applicant)
    assert client.post(survey.get_absolute_url(), post_data(survey)).status_code == 302
    assert Response.objects.get().respondent == applicant


@pytest.mark.django_db
def test_answers_outside_the_period_are_refused_with_a_message(client, department, head):
    now = timezone.now()
    upcoming = make_survey(department, publish_by=head, opens=now + timedelta(days=1), closes=now + timedelta(days=8))
    closed = make_survey(department, publish_by=head, opens=now - timedelta(days=8), closes=now - timedelta(hours=1))
    for survey in (upcoming, closed):
        page = client.get(survey.get_absolute_url())
        assert page.status_code == 200 and page.context["form"] is None
        response = client.post(survey.get_absolute_url(), post_data(survey), follow=True)
        assert "not open for answers" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_unpublished_survey_is_not_found(client, department):
    survey = make_survey(department)
    assert client.get(survey.get_absolute_url()).status_code == 404
    assert client.post(survey.get_absolute_url(), post_data(survey)).status_code == 404
    assert client.get(reverse("opinions:survey-thanks", args=[survey.pk])).status_code == 404


# Results ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_are_not_found_before_closing(client, survey):
    assert client.get(reverse("opinions:survey-results", args=[survey.pk])).status_code == 404
    assert client.get(reverse("opinions:survey-results-csv", args=[survey.pk])).status_code == 404


@pytest.mark.django_db
def test_results_page_shows_counts_and_percentages_in_a_table_and_no_written_answers(client, survey, department, head):
    fill(survey, department)
    survey.close_now(by=head)
    response = client.get(reverse("opinions:survey-results", args=[survey.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html and "<caption" in html and 'scope="row"' in html
    assert '<td class="text-end result-count">6</td>' in html and "60.0%" in html
    assert "71.4%" in html
    assert "大厅座位不够" not in html and "110105199001011234" not in html
    assert 'aria-hidden="true"' in html  # the bars; the numbers are in the table


@pytest.mark.django_db
def test_results_are_not_found_when_staff_keep_them_unpublished(client, department, head):
    survey = make_survey(department, publish_by=head, publish_results=False)
    survey.close_now(by=head)
    assert client.get(reverse("opinions:survey-results", args=[survey.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 20])
def test_results_page_queries_do_not_grow_with_responses(client, survey, head, n, django_assert_num_queries):
    for i in range(n):
        survey.submit_response(by=None, key=f"c{i}", answers=answers_for(survey, multiple=(0, 1), text="意见"))
    survey.close_now(by=head)
    url = reverse("opinions:survey-results", args=[survey.pk])
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_results_csv_is_aggregated_and_has_no_written_answers(client, survey, department, head):
    fill(survey, department)
    survey.close_now(by=head)
    response = client.get(reverse("opinions:survey-results-csv", args=[survey.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Question no.", "Survey question", "Choice or scale point", "Number of people"]
    assert ["1", "您本次办理的事项是否一次办成？", "一次办成", "6", "60.0", "10"] in rows
    assert ["3", "总体满意度", "5 非常满意", "4", "40.0", "10"] in rows
    assert rows[-1][1:4] == ["Total responses", "", "10"]
    assert "大厅座位不够" not in body
