"""The interviews' and their questions' workflow tables, walked move by move through the real model methods.

Every move is taken from each state it lists (and writes exactly one `StatusEvent`), and refused from every
other state with a refusal that names the move and the status, in Chinese (the default) and in English.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from civiccenter.cases import InvalidTransition
from civiccenter.stateful import StatusEvent
from consultation.models import Interview, InterviewQuestion

pytestmark = pytest.mark.django_db


def force_interview(department, status):
    interview = Interview.objects.create(
        title="在线访谈：加装电梯",
        topic="加装电梯",
        department=department,
        host="林晓",
        starts_at=timezone.now() + timedelta(days=2),
    )
    Interview.objects.filter(pk=interview.pk).update(status=status)
    interview.refresh_from_db()
    return interview


def force_question(interview, asker, status):
    question = InterviewQuestion.objects.create(interview=interview, asker=asker, text="费用怎么分摊？")
    InterviewQuestion.objects.filter(pk=question.pk).update(status=status)
    question.refresh_from_db()
    return question


def events(obj):
    return StatusEvent.objects.of(obj)


def assert_refusal_names_move_and_status(error, workflow, name, state):
    move = workflow[name]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            message = str(error)
            assert message == str(workflow.refusal(name, state))
            assert f"“{move.label}”" in message, (language, message)
            assert f"“{workflow.label(state)}”" in message, (language, message)
    with translation.override("en"):
        assert str(error).endswith(f"is not possible while the status is “{workflow.label(state)}”.")


INTERVIEW_CASES = [(move.name, state) for move in Interview.WORKFLOW for state in Interview.Status.values]
QUESTION_CASES = [
    (move.name, state) for move in InterviewQuestion.WORKFLOW for state in InterviewQuestion.Status.values
]


@pytest.mark.parametrize(("name", "state"), INTERVIEW_CASES)
def test_interview_move_taken_from_its_states_and_refused_from_the_others(name, state, department, staff_user):
    move = Interview.WORKFLOW[name]
    interview = force_interview(department, state)
    method = getattr(interview, name)
    if state in move.sources:
        Interview.WORKFLOW.check(name, state)
        method(by=staff_user)
        event = events(interview).get()
        assert (event.move, event.old_status, event.new_status, event.actor) == (
            name,
            state,
            move.target,
            staff_user,
        )
        assert interview.status == move.target
        interview.refresh_from_db()
        assert interview.status == move.target
    else:
        with pytest.raises(InvalidTransition) as refused:
            method(by=staff_user)
        assert_refusal_names_move_and_status(refused.value, Interview.WORKFLOW, name, state)
        assert not events(interview).exists()
        interview.refresh_from_db()
        assert interview.status == state


@pytest.mark.parametrize(("name", "state"), QUESTION_CASES)
def test_question_move_taken_from_its_states_and_refused_from_the_others(
    name, state, department, staff_user, applicant
):
    move = InterviewQuestion.WORKFLOW[name]
    question = force_question(force_interview(department, Interview.Status.LIVE), applicant, state)
    method = getattr(question, name)
    if state in move.sources:
        InterviewQuestion.WORKFLOW.check(name, state)
        method(by=staff_user)
        event = events(question).get()
        assert (event.move, event.old_status, event.new_status, event.actor) == (
            name,
            state,
            move.target,
            staff_user,
        )
        question.refresh_from_db()
        assert question.status == move.target and question.moderated_by == staff_user
    else:
        with pytest.raises(InvalidTransition) as refused:
            method(by=staff_user)
        assert_refusal_names_move_and_status(refused.value, InterviewQuestion.WORKFLOW, name, state)
        assert not events(question).exists()
        question.refresh_from_db()
        assert question.status == state


def test_every_move_says_who_may_take_it_and_what_it_needs():
    for model in (Interview, InterviewQuestion):
        for move in model.WORKFLOW:
            assert move.label and move.requires, move.name
            app_label, codename = move.permission.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
            assert callable(getattr(model, move.name))


def test_the_tables_give_the_old_graphs():
    assert Interview.WORKFLOW.allowed == {"draft": {"announced"}, "announced": {"live"}, "live": {"finished"}}
    assert InterviewQuestion.WORKFLOW.allowed == {"pending": {"accepted", "rejected"}}


def test_a_question_logs_its_submission_and_its_moderation(department, staff_user, applicant):
    interview = force_interview(department, Interview.Status.ANNOUNCED)
    question = interview.submit_question(by=applicant, text="费用怎么分摊？")
    question.moderate(by=staff_user, accept=False)
    assert list(question.history.values_list("move", "old_status", "new_status", "actor")) == [
        ("", "", "pending", applicant.pk),
        ("reject", "pending", "rejected", staff_user.pk),
    ]


def test_the_admin_actions_are_the_moves_and_the_change_page_shows_the_history(client, department):
    from django.contrib.admin import helpers
    from django.urls import reverse

    from civiccenter import roles
    from tests.conftest import make_staff

    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    interview = force_interview(department, Interview.Status.DRAFT)
    client.cookies["django_language"] = "en"
    client.force_login(head)
    changelist = reverse("admin:consultation_interview_changelist")
    for action in ("announce", "go_live"):
        client.post(changelist, {"action": action, helpers.ACTION_CHECKBOX_NAME: [interview.pk]})
    client.post(changelist, {"action": "announce", helpers.ACTION_CHECKBOX_NAME: [interview.pk]})  # refused
    interview.refresh_from_db()
    assert interview.status == "live"
    assert [(e.move, e.new_status, e.actor) for e in interview.history] == [
        ("announce", "announced", head),
        ("go_live", "live", head),
    ]
    page = client.get(reverse("admin:consultation_interview_change", args=[interview.pk])).content.decode()
    assert "status history" in page.lower() and "Live now" in page
