"""The question workflow's table, walked: every move from every state, through the real model methods.

From a state the table lists, the move passes its state check (a rule of the
method may still refuse it, never with the state refusal); from any other
state the method refuses it with a message naming the move and the status,
in Chinese (the default) and in English.
"""

import pytest
from django.utils import translation

from civiccenter.cases import InvalidTransition
from civiccenter.workflow import APPLICANT, STAFF, Workflow
from consultation.models import Question
from tests.consultation.conftest import ask

pytestmark = pytest.mark.django_db

FLOW = Question.WORKFLOW
S = Question.Status


def test_the_table_is_registered_and_is_the_graph():
    assert FLOW in Workflow.registry and FLOW.name == "consultation.question"
    assert not hasattr(Question, "ALLOWED")
    assert FLOW.allowed == {
        "submitted": {"drafted"},
        "drafted": {"drafted", "answered", "returned"},
        "returned": {"drafted"},
        "follow_up": {"drafted"},
        "answered": {"follow_up"},
    }


def in_state(state, applicant, topic, reviewer, head):
    """A question (its asker consenting to publication) brought to `state` through the real moves."""
    question = ask(applicant, topic, consent_to_publish=True)
    if state == S.SUBMITTED:
        return question
    question.draft_answer(by=reviewer, text="初稿")
    if state == S.RETURNED:
        question.send_back(by=head, note="请补充依据")
    if state in (S.ANSWERED, S.FOLLOW_UP):
        question.approve(by=head)
    if state == S.FOLLOW_UP:
        question.ask_follow_up(by=applicant, text="可以网上办理吗？")
    question.refresh_from_db()
    assert question.status == state
    return question


def take(question, name, *, applicant, reviewer, head, other_department):
    """Call the real model method of move `name`, with arguments its own rules accept."""
    calls = {
        "draft_answer": lambda: question.draft_answer(by=reviewer, text="答复稿"),
        "send_back": lambda: question.send_back(by=head, note="请修改"),
        "approve": lambda: question.approve(by=head),
        "transfer": lambda: question.transfer(by=reviewer, department=other_department, reason="属于其他部门"),
        "ask_follow_up": lambda: question.ask_follow_up(by=applicant, text="追问一下"),
        "publish": lambda: question.publish(by=head, title="许可证有效期", body="有效期多久？", answer="5年。"),
        "unpublish": lambda: question.unpublish(by=head),
        "withdraw_consent": lambda: question.withdraw_consent(by=applicant),
    }
    assert set(calls) == set(FLOW.moves)
    return calls[name]()


CASES = [(move.name, state) for move in FLOW for state in S.values]


@pytest.mark.parametrize(("name", "state"), CASES)
def test_every_move_from_every_state(name, state, applicant, topic, reviewer, head, other_department):
    move = FLOW[name]
    question = in_state(state, applicant, topic, reviewer, head)
    events = question.case.events.count()
    people = {"applicant": applicant, "reviewer": reviewer, "head": head, "other_department": other_department}
    if state in move.sources:
        FLOW.check(name, state)
        try:
            take(question, name, **people)
        except InvalidTransition as refused:
            # A rule of the method (no publication yet to withdraw...), never the state.
            assert str(refused) != str(FLOW.refusal(name, state))
        else:
            question.refresh_from_db()
            assert question.status == (move.target or state)
        return
    with pytest.raises(InvalidTransition) as refused:
        take(question, name, **people)
    # The move and the status as each language renders them (the sentence is formatted when shown).
    with translation.override("zh-hans"):
        message = str(refused.value)
        assert str(move.label) in message and str(S(state).label) in message, message
    with translation.override("en"):
        assert str(refused.value) == f"“{move.label}” is not possible while the status is “{S(state).label}”."
    question.refresh_from_db()
    assert question.status == state and question.case.events.count() == events


def test_labels_read_in_each_language():
    with translation.override("zh-hans"):
        assert str(FLOW["ask_follow_up"].label) == "追问"
        assert str(S("answered").label) != "Answered"
    with translation.override("en"):
        assert str(FLOW["ask_follow_up"].label) == "Ask a follow-up question"


def test_what_can_happen_next_comes_from_the_table(applicant, other_applicant, topic, reviewer, head):
    question = ask(applicant, topic, consent_to_publish=True)
    assert list(question.available_moves(reviewer)) == ["draft_answer", "transfer"]
    assert list(question.available_moves(applicant)) == ["withdraw_consent"]
    assert question.available_moves(other_applicant) == {}
    question.draft_answer(by=reviewer, text="稿")
    # The reviewer cannot approve; the head can, and may also draft (a head holds the reviewer's permission).
    assert "approve" not in question.available_moves(reviewer)
    assert {"approve", "send_back"} <= set(question.available_moves(head))
    question.approve(by=head)
    question.refresh_from_db()
    assert list(question.available_moves(applicant)) == ["ask_follow_up", "withdraw_consent"]
    assert "publish" in question.available_moves(head) and "unpublish" not in question.available_moves(head)
    assert all(m.by == STAFF for m in question.available_moves(head).values())
    assert all(m.by == APPLICANT for m in question.available_moves(applicant).values())


def test_the_askers_page_and_the_handle_page_offer_the_tables_moves(client, applicant, topic, reviewer, head):
    from django.urls import reverse

    question = ask(applicant, topic, consent_to_publish=True)
    client.force_login(reviewer)
    page = client.get(reverse("admin:consultation_question_move", args=[question.pk]))
    assert [move.name for move, _form, _page in page.context["moves"]] == ["draft_answer", "transfer"]
    question.draft_answer(by=reviewer, text="稿")
    question.approve(by=head)
    client.force_login(applicant)
    page = client.get(reverse("consultation:my-question", args=[question.pk]))
    assert list(page.context["moves"]) == ["ask_follow_up", "withdraw_consent"]
    assert page.context["follow_up_form"] is not None
