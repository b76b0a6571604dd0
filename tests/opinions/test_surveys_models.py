"""Surveys: publishing, the period, the audience, one response per account (also under concurrency), the
per-client limit for anonymous answers, the database's guards, and the aggregated results."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from civiccenter import roles
from opinions.models import Answer, Choice, Question, Response, Survey
from tests.conftest import make_department, make_staff, make_user


def make_survey(department, *, publish_by=None, opens=None, closes=None, **fields):
    """A survey with a single-choice, a multiple-choice, a scale and a free-text question."""
    now = timezone.now()
    survey = Survey.objects.create(
        title=fields.pop("title", "政务服务大厅办事满意度调查"),
        introduction="请您对本次办事体验作出评价。",
        department=department,
        opens_at=opens or now - timedelta(days=1),
        closes_at=closes or now + timedelta(days=14),
        **fields,
    )
    single = Question.objects.create(survey=survey, order=1, text="您本次办理的事项是否一次办成？", kind="single")
    for i, text in enumerate(["一次办成", "跑了两次", "跑了三次及以上"], 1):
        Choice.objects.create(question=single, order=i, text=text)
    multiple = Question.objects.create(
        survey=survey, order=2, text="您认为哪些方面需要改进？", kind="multiple", required=False
    )
    for i, text in enumerate(["等候时间", "指引标识", "工作人员态度", "网上预约"], 1):
        Choice.objects.create(question=multiple, order=i, text=text)
    Question.objects.create(
        survey=survey,
        order=3,
        text="总体满意度",
        kind="scale",
        scale_max=5,
        scale_min_label="非常不满意",
        scale_max_label="非常满意",
    )
    Question.objects.create(survey=survey, order=4, text="其他意见和建议", kind="text", required=False)
    if publish_by is not None:
        survey.publish(by=publish_by, now=now - timedelta(days=2))
    return survey


def questions(survey):
    return {q.order: q for q in survey.questions.prefetch_related("choices")}


def answers_for(survey, *, single=0, multiple=(), scale=5, text=""):
    q = questions(survey)
    result = [(q[1], list(q[1].choices.all())[single], None, "")]
    result += [(q[2], list(q[2].choices.all())[i], None, "") for i in multiple]
    result.append((q[3], None, scale, ""))
    if text:
        result.append((q[4], None, None, text))
    return result


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department)


@pytest.fixture
def survey(department, head):
    return make_survey(department, publish_by=head)


# Publishing -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unpublished_survey_is_neither_open_nor_listed(department):
    survey = make_survey(department)
    assert not survey.is_open()
    assert not Survey.objects.published().filter(pk=survey.pk).exists()
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=None, key="k", answers=[])
    assert refused.value.code == "not_open"


@pytest.mark.django_db
def test_publish_sets_the_date_and_refuses_twice(department, head):
    survey = make_survey(department)
    survey.publish(by=head)
    survey.refresh_from_db()
    assert survey.published_at is not None and survey.published_by == head
    with pytest.raises(ValidationError) as refused:
        survey.publish(by=head)
    assert refused.value.code == "published"


@pytest.mark.django_db
def test_publish_refuses_a_survey_without_questions(department, head):
    now = timezone.now()
    survey = Survey.objects.create(
        title="空问卷", introduction="-", department=department, opens_at=now, closes_at=now + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        survey.publish(by=head)
    assert refused.value.code == "no_questions"


@pytest.mark.django_db
def test_publish_refuses_a_choice_question_with_fewer_than_two_choices(department, head):
    survey = make_survey(department)
    Choice.objects.filter(question__order=1, question__survey=survey).exclude(order=1).delete()
    with pytest.raises(ValidationError) as refused:
        survey.publish(by=head)
    assert refused.value.code == "few_choices"
    assert "Question 1" in refused.value.messages[0]


@pytest.mark.django_db
def test_close_now_ends_an_open_survey_and_refuses_a_closed_one(survey, head):
    survey.close_now(by=head)
    survey.refresh_from_db()
    assert survey.is_closed() and not survey.is_open()
    with pytest.raises(ValidationError) as refused:
        survey.close_now(by=head)
    assert refused.value.code == "not_open"


# The period and the audience --------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_before_the_period_are_refused(department, head):
    now = timezone.now()
    survey = make_survey(department, publish_by=head, opens=now + timedelta(days=1), closes=now + timedelta(days=5))
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=None, key="k", answers=answers_for(survey))
    assert refused.value.code == "not_open" and "opens on" in refused.value.messages[0]
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_answers_at_and_after_the_closing_moment_are_refused(survey, applicant):
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=applicant, key="", answers=answers_for(survey), now=survey.closes_at)
    assert refused.value.code == "not_open" and "closed" in refused.value.messages[0]
    just_before = survey.closes_at - timedelta(seconds=1)
    survey.submit_response(by=applicant, key="", answers=answers_for(survey), now=just_before)
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_signed_in_only_survey_refuses_anonymous_answers(department, head, applicant):
    survey = make_survey(department, publish_by=head, audience=Survey.Audience.SIGNED_IN)
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=None, key="k", answers=answers_for(survey))
    assert refused.value.code == "sign_in"
    survey.submit_response(by=applicant, key="", answers=answers_for(survey))
    assert Response.objects.get().respondent == applicant


# One response per account -----------------------------------------------------------------------


@pytest.mark.django_db
def test_one_response_per_account(survey, applicant, other_applicant):
    survey.submit_response(by=applicant, key="", answers=answers_for(survey))
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=applicant, key="", answers=answers_for(survey, single=1))
    assert refused.value.code == "already"
    survey.submit_response(by=other_applicant, key="", answers=answers_for(survey))
    assert Response.objects.filter(survey=survey).count() == 2
    assert survey.has_answered(applicant)


@pytest.mark.django_db
def test_the_database_refuses_a_second_response_of_an_account(survey, applicant):
    Response.objects.create(survey=survey, respondent=applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, respondent=applicant)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_account_the_database_refuses_the_second():
    """The first submission holds its transaction open; the second passes the "already answered?" check (it
    cannot see the uncommitted row), then waits on the UNIQUE index and is refused when the first commits."""
    department = make_department()
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department)
    citizen = make_user()
    survey = make_survey(department, publish_by=head)
    first_inserted, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                survey.submit_response(by=citizen, key="", answers=answers_for(survey))
                first_inserted.set()
                release.wait(10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        first_inserted.wait(10)
        try:
            survey.submit_response(by=citizen, key="", answers=answers_for(survey, single=2))
            outcome["second"] = "saved"
        except ValidationError as error:
            outcome["second"] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inserted.wait(10)
    time.sleep(0.5)  # the second is now blocked on the index
    assert "second" not in outcome
    release.set()
    for thread in threads:
        thread.join(15)
    assert outcome == {"first": "saved", "second": "already"}
    assert Response.objects.filter(survey=survey, respondent=citizen).count() == 1
    assert Answer.objects.filter(response__survey=survey, choice__text="跑了三次及以上").count() == 0


# Anonymous answers: the per-client limit --------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_answers_are_limited_per_client(survey):
    survey.anonymous_limit = 2
    survey.save()
    for _i in range(2):
        survey.submit_response(by=None, key="client-a", answers=answers_for(survey))
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=None, key="client-a", answers=answers_for(survey))
    assert refused.value.code == "client_limit"
    survey.submit_response(by=None, key="client-b", answers=answers_for(survey))
    assert list(Response.objects.filter(client_key="client-a").values_list("client_slot", flat=True)) == [1, 2]
    assert Response.objects.filter(survey=survey).count() == 3


@pytest.mark.django_db
def test_the_database_refuses_two_anonymous_responses_in_the_same_slot(survey):
    """Two racing anonymous submissions from one client compute the same slot: only one lands."""
    Response.objects.create(survey=survey, client_key="client-a", client_slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, client_key="client-a", client_slot=1)


@pytest.mark.django_db
def test_an_anonymous_response_must_carry_a_client_key_and_slot(survey, applicant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, client_key="", client_slot=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, respondent=applicant, client_key="x", client_slot=1)


def test_the_client_key_is_per_survey_and_does_not_contain_the_address():
    from opinions.models import client_key

    key = client_key(1, "203.0.113.7", "Mozilla/5.0")
    assert len(key) == 64 and "203.0.113.7" not in key
    assert key == client_key(1, "203.0.113.7", "Mozilla/5.0")
    assert key != client_key(2, "203.0.113.7", "Mozilla/5.0")
    assert key != client_key(1, "203.0.113.8", "Mozilla/5.0")
    assert key != client_key(1, "203.0.113.7", "Other/1.0")


# Answers belong to the survey and its questions -------------------------------------------------


@pytest.mark.django_db
def test_a_choice_of_another_question_is_refused(survey, applicant):
    q = questions(survey)
    forged = [(q[1], q[2].choices.first(), None, "")]
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=applicant, key="", answers=forged)
    assert refused.value.code == "foreign_answer"
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_question_of_another_survey_is_refused(survey, department, head, applicant):
    other = make_survey(department, publish_by=head, title="另一份问卷")
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(by=applicant, key="", answers=answers_for(other))
    assert refused.value.code == "foreign_answer"


@pytest.mark.django_db
def test_an_answer_holds_exactly_one_kind_of_value(survey, applicant):
    response = Response.objects.create(survey=survey, respondent=applicant)
    q = questions(survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=q[1], choice=q[1].choices.first(), value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=q[4])


@pytest.mark.django_db
def test_a_question_or_choice_with_answers_cannot_be_deleted(survey, applicant):
    from django.db.models import ProtectedError

    survey.submit_response(by=applicant, key="", answers=answers_for(survey))
    with pytest.raises(ProtectedError):
        questions(survey)[1].choices.first().delete()
    with pytest.raises(ProtectedError):
        questions(survey)[3].delete()


# Results ----------------------------------------------------------------------------------------


def fill(survey, department):
    """Ten respondents: 6/3/1 on question 1, seven answering question 2, scale 5x4 4x3 1x3, two written answers."""
    plan = [
        (0, (0, 1), 5, "大厅座位不够"),
        (0, (0,), 5, ""),
        (0, (), 5, ""),
        (0, (2,), 5, ""),
        (0, (0, 3), 4, ""),
        (0, (), 4, ""),
        (1, (1,), 4, "身份证号110105199001011234"),
        (1, (0,), 1, ""),
        (1, (), 1, ""),
        (2, (0, 1, 2), 1, ""),
    ]
    for i, (single, multiple, scale, text) in enumerate(plan):
        survey.submit_response(
            by=None,
            key=f"client-{i}",
            answers=answers_for(survey, single=single, multiple=multiple, scale=scale, text=text),
        )


@pytest.mark.django_db
def test_results_counts_and_percentages(survey, department):
    fill(survey, department)
    results = survey.results()
    assert results.total == 10
    q1, q2, q3, q4 = results.questions
    assert q1.answered == 10
    assert [(r["label"], r["count"], r["percent"]) for r in q1.rows] == [
        ("一次办成", 6, 60.0),
        ("跑了两次", 3, 30.0),
        ("跑了三次及以上", 1, 10.0),
    ]
    # Multiple choice: percentages of the 7 who answered the question (they add up to more than 100).
    assert q2.answered == 7
    assert [(r["count"], r["percent"]) for r in q2.rows] == [(5, 71.4), (3, 42.9), (2, 28.6), (1, 14.3)]
    assert [r["count"] for r in q3.rows] == [3, 0, 0, 3, 4]
    assert q3.rows[0]["label"] == "1 非常不满意" and q3.rows[4]["label"] == "5 非常满意"
    assert q3.mean == 3.5
    assert q4.answered == 2 and q4.rows == []


@pytest.mark.django_db
def test_results_of_a_survey_without_responses(survey):
    results = survey.results()
    assert results.total == 0
    assert all(row["percent"] == 0.0 for q in results.questions for row in q.rows)


@pytest.mark.django_db
def test_results_cost_the_same_queries_for_few_and_many_responses(survey, department, django_assert_num_queries):
    fill(survey, department)
    with django_assert_num_queries(5):
        survey.results()
    for i in range(20):
        survey.submit_response(by=None, key=f"more-{i}", answers=answers_for(survey, multiple=(1, 2), text="好"))
    with django_assert_num_queries(5):
        survey.results()


@pytest.mark.django_db
def test_results_are_public_only_after_closing_and_when_published(survey, head):
    assert not survey.results_public()
    survey.close_now(by=head)
    assert survey.results_public()
    survey.publish_results = False
    assert not survey.results_public()


@pytest.mark.django_db
def test_querysets_split_open_upcoming_and_closed(department, head):
    now = timezone.now()
    open_ = make_survey(department, publish_by=head)
    upcoming = make_survey(department, publish_by=head, opens=now + timedelta(days=2), closes=now + timedelta(days=9))
    closed = make_survey(department, publish_by=head, opens=now - timedelta(days=9), closes=now - timedelta(days=2))
    make_survey(department)  # not published
    assert list(Survey.objects.open()) == [open_]
    assert list(Survey.objects.upcoming()) == [upcoming]
    assert list(Survey.objects.closed()) == [closed]
    assert list(Survey.objects.with_results()) == [closed]


@pytest.mark.django_db
def test_a_survey_must_close_after_it_opens(department):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(title="x", introduction="x", department=department, opens_at=now, closes_at=now)
