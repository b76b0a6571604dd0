"""Surveys in the admin: building one with its questions, freezing it once answered, publishing and closing,
written answers and the responses CSV for staff only, department scoping, fixed query counts."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from opinions.models import Choice, Survey
from tests.conftest import make_staff
from tests.opinions.test_surveys_models import answers_for, fill, make_survey


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department)


@pytest.fixture
def editor(department):
    return make_staff("editor@example.cn", roles.CONTENT_EDITOR, department, full_name="孙丽")


def inline_data(questions, *, initial=0, ids=()):
    data = {
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, question in enumerate(questions):
        for key, value in question.items():
            data[f"questions-{i}-{key}"] = value
        if i < len(ids):
            data[f"questions-{i}-id"] = str(ids[i])
    return data


def survey_data(department, **overrides):
    now = timezone.localtime()
    data = {
        "title": "社区老年食堂意见征集",
        "introduction": "了解居民对社区老年食堂的需求。",
        "department": str(department.pk),
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + timezone.timedelta(days=20)).strftime("%Y-%m-%d"),
        "closes_at_1": "18:00:00",
        "audience": "everyone",
        "anonymous_limit": "3",
        "publish_results": "on",
    }
    data.update(overrides)
    return data


QUESTIONS = [
    {"order": "1", "text": "您多久去一次老年食堂？", "kind": "single", "required": "on", "choices_text": "每天\n每周几次\n很少去"},
    {"order": "2", "text": "您对饭菜的满意程度", "kind": "scale", "required": "on", "scale_max": "5",
     "scale_min_label": "很不满意", "scale_max_label": "很满意", "choices_text": ""},
    {"order": "3", "text": "其他建议", "kind": "text", "choices_text": ""},
]  # fmt: skip


@pytest.mark.django_db
def test_an_editor_builds_a_survey_with_questions_and_choices(client, editor, department):
    client.force_login(editor)
    response = client.post(reverse("admin:opinions_survey_add"), {**survey_data(department), **inline_data(QUESTIONS)})
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    survey = Survey.objects.get()
    assert [q.kind for q in survey.questions.all()] == ["single", "scale", "text"]
    assert list(Choice.objects.filter(question__survey=survey).values_list("text", flat=True)) == [
        "每天",
        "每周几次",
        "很少去",
    ]
    assert survey.published_at is None


@pytest.mark.django_db
def test_bad_questions_are_form_errors_and_nothing_is_saved(client, editor, department):
    client.force_login(editor)
    bad = [
        {**QUESTIONS[0], "choices_text": "只有一个选项"},
        {**QUESTIONS[1], "scale_max": "30"},
    ]
    response = client.post(reverse("admin:opinions_survey_add"), {**survey_data(department), **inline_data(bad)})
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["choices_text"] and errors[1]["scale_max"]
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_a_survey_closing_before_it_opens_is_a_form_error(client, editor, department):
    client.force_login(editor)
    data = survey_data(department, closes_at_0="2020-01-01")
    response = client.post(reverse("admin:opinions_survey_add"), {**data, **inline_data(QUESTIONS)})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_editing_choices_before_responses_replaces_them(client, editor, department):
    survey = make_survey(department)
    client.force_login(editor)
    q1 = survey.questions.get(order=1)
    rest = [
        {"order": str(q.order), "text": q.text, "kind": q.kind, "required": "on" if q.required else "",
         "scale_max": q.scale_max or "", "scale_min_label": q.scale_min_label, "scale_max_label": q.scale_max_label,
         "choices_text": "\n".join(c.text for c in q.choices.all())}
        for q in survey.questions.all()
    ]  # fmt: skip
    rest[0]["choices_text"] = "是\n否"
    data = {
        **survey_data(department, title=survey.title),
        **inline_data(rest, initial=4, ids=[q.pk for q in survey.questions.all()]),
    }
    response = client.post(reverse("admin:opinions_survey_change", args=[survey.pk]), data)
    assert response.status_code == 302
    assert list(q1.choices.values_list("text", flat=True)) == ["是", "否"]


@pytest.mark.django_db
def test_an_answered_survey_is_frozen_and_says_so(client, head, department):
    survey = make_survey(department, publish_by=head)
    survey.submit_response(by=None, key="k", answers=answers_for(survey))
    client.force_login(head)
    url = reverse("admin:opinions_survey_change", args=[survey.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "can no longer be changed" in html
    assert "choices_text" not in html and 'name="title"' not in html
    assert 'name="closes_at_0"' in html
    # Posting a new title and question text changes nothing.
    data = survey_data(department, title="改过的标题", opens_at_0="2020-01-01")
    data.update(inline_data([], initial=0))
    data["questions-0-text"] = "改过的问题"
    response = client.post(url, data)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "政务服务大厅办事满意度调查"
    assert survey.questions.get(order=1).text == "您本次办理的事项是否一次办成？"


@pytest.mark.django_db
def test_publish_and_close_actions_call_the_model(client, head, department):
    survey = make_survey(department)
    empty = Survey.objects.create(
        title="空问卷", introduction="-", department=department, opens_at=survey.opens_at, closes_at=survey.closes_at
    )
    client.force_login(head)
    changelist = reverse("admin:opinions_survey_changelist")
    response = client.post(
        changelist, {"action": "publish_selected", "_selected_action": [survey.pk, empty.pk]}, follow=True
    )
    survey.refresh_from_db()
    empty.refresh_from_db()
    assert survey.published_at is not None and survey.published_by == head
    assert empty.published_at is None
    assert "at least one question" in response.content.decode()
    client.post(changelist, {"action": "close_selected", "_selected_action": [survey.pk]})
    survey.refresh_from_db()
    assert survey.is_closed()


@pytest.mark.django_db
def test_a_reviewer_cannot_publish(client, department):
    reviewer = make_staff("reviewer2@example.cn", roles.DEPARTMENT_REVIEWER, department)
    survey = make_survey(department)
    client.force_login(reviewer)
    client.post(
        reverse("admin:opinions_survey_changelist"), {"action": "publish_selected", "_selected_action": [survey.pk]}
    )
    survey.refresh_from_db()
    assert survey.published_at is None


@pytest.mark.django_db
def test_written_answers_and_responses_csv_are_for_staff(client, head, department, applicant):
    survey = make_survey(department, publish_by=head)
    fill(survey, department)
    survey.submit_response(by=applicant, key="", answers=answers_for(survey, text="希望延长午间服务"))
    written = reverse("admin:opinions_survey_written", args=[survey.pk])
    csv_url = reverse("admin:opinions_survey_responses_csv", args=[survey.pk])
    client.force_login(head)
    html = client.get(written).content.decode()
    assert "大厅座位不够" in html and "希望延长午间服务" in html
    body = client.get(csv_url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 12 and rows[0][3].startswith("1. ")
    assert "zhang@example.cn" not in body and applicant.full_name not in body
    assert ["yes"] == [row[2] for row in rows[1:] if "希望延长午间服务" in row[6]]
    # A citizen, and staff without the permission, are kept out.
    client.force_login(applicant)
    assert client.get(written).status_code == 302
    moderator = make_staff("moderator@example.cn", roles.MODERATOR, department)
    client.force_login(moderator)
    assert client.get(written).status_code == 403
    assert client.get(csv_url).status_code == 403


@pytest.mark.django_db
def test_staff_of_another_department_do_not_see_the_survey(client, head, department, other_department):
    survey = make_survey(department, publish_by=head)
    other = make_staff("other@example.cn", roles.DEPARTMENT_HEAD, other_department)
    client.force_login(other)
    assert survey.title not in client.get(reverse("admin:opinions_survey_changelist") + "?phase=all").content.decode()
    change = client.get(reverse("admin:opinions_survey_change", args=[survey.pk]))
    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert client.get(reverse("admin:opinions_survey_written", args=[survey.pk])).status_code == 404
    assert client.get(reverse("admin:opinions_survey_responses_csv", args=[survey.pk])).status_code == 404


@pytest.mark.django_db
def test_the_supervisor_reads_every_department(client, head, department, supervisor):
    survey = make_survey(department, publish_by=head)
    client.force_login(supervisor)
    assert survey.title in client.get(reverse("admin:opinions_survey_changelist")).content.decode()
    assert client.get(reverse("admin:opinions_survey_written", args=[survey.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 20])
def test_changelist_queries_do_not_grow(client, head, department, n, django_assert_num_queries):
    for i in range(n):
        survey = make_survey(department, publish_by=head, title=f"问卷{i}")
        survey.submit_response(by=None, key="k", answers=answers_for(survey))
    client.force_login(head)
    url = reverse("admin:opinions_survey_changelist")
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
