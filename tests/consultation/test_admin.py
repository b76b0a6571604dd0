"""The staff side: the transition page takes the table's moves; scoping by department; the knowledge base's review list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import KnowledgeEntry, Question
from tests.consultation.conftest import answered, ask

pytestmark = pytest.mark.django_db


# The page's old action names, by the table's move each one is.
MOVES = {"draft": "draft_answer"}


def steps_url(question):
    return reverse("admin:consultation_question_move", args=[question.pk])


def handle(client, question, action, **data):
    """Post one move's form on the transition page (fields prefixed by the move), or promote from it."""
    if action == "promote":
        url = reverse("admin:consultation_question_changelist") + "?handling=all"
        return client.post(url, {"action": "promote_selected", "index": 0, "_selected_action": [question.pk]})
    move = MOVES.get(action, action)
    return client.post(steps_url(question), {"move": move, **{f"{move}-{key}": value for key, value in data.items()}})


def test_reviewer_drafts_head_sends_back_then_approves(client, applicant, topic, reviewer, head):
    question = ask(applicant, topic)
    client.force_login(reviewer)
    assert client.get(reverse("admin:consultation_question_changelist")).status_code == 200
    handle(client, question, action="draft", text="答复初稿")
    question.refresh_from_db()
    assert question.status == "drafted"
    assert handle(client, question, action="approve").status_code == 403  # a reviewer does not approve
    client.force_login(head)
    handle(client, question, action="send_back", note="")
    question.refresh_from_db()
    assert question.status == "drafted"  # a note is required
    handle(client, question, action="send_back", note="请补充依据")
    question.refresh_from_db()
    assert question.status == "returned"
    client.force_login(reviewer)
    handle(client, question, action="draft", text="答复终稿")
    client.force_login(head)
    handle(client, question, action="approve")
    question.refresh_from_db()
    assert question.status == "answered" and question.answers.get().text == "答复终稿"


def test_transfer_and_scoping(client, applicant, topic, reviewer, other_department, other_head):
    question = ask(applicant, topic)
    client.force_login(other_head)
    assert client.get(steps_url(question)).status_code == 404
    client.force_login(reviewer)
    handle(client, question, action="transfer", department=other_department.pk, reason="民政事项")
    question.refresh_from_db()
    assert question.case.department == other_department
    assert client.get(steps_url(question)).status_code == 404
    client.force_login(other_head)
    assert client.get(steps_url(question)).status_code == 200


def test_publication_review_shows_scrubbed_text_and_publishes(client, applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, body="电话13812345678，身份证33010619900101123X")
    client.force_login(head)
    page = client.get(steps_url(question)).content.decode()
    assert "138****5678" in page and "330106********123X" in page  # the suggested copy, and what was masked
    handle(client, question, action="publish", title="许可证有效期", body="电话 13812345678", answer="5年")
    question.refresh_from_db()
    assert question.published_at is not None and "13812345678" not in question.public_body
    response = handle(client, question, action="promote")
    entry = KnowledgeEntry.objects.get()
    assert response.url == reverse("admin:consultation_knowledgeentry_change", args=[entry.pk])
    handle(client, question, action="unpublish")
    question.refresh_from_db()
    assert question.published_at is None


def test_private_questions_offer_no_publication(client, applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, consent=False)
    client.force_login(head)
    page = client.get(steps_url(question)).content.decode()
    assert 'name="move" value="publish"' not in page
    handle(client, question, action="publish", title="t", body="b", answer="a")
    assert not Question.objects.published().exists()


def test_changelist_shows_open_questions_by_default(client, applicant, topic, reviewer, head):
    open_question = ask(applicant, topic)
    done = answered(applicant, topic, reviewer, head)
    client.force_login(reviewer)
    rows = list(client.get(reverse("admin:consultation_question_changelist")).context["cl"].result_list)
    assert rows == [open_question]
    rows = (
        client.get(reverse("admin:consultation_question_changelist"), {"handling": "answered"})
        .context["cl"]
        .result_list
    )
    assert list(rows) == [done]
    changelist = reverse("admin:consultation_question_changelist")
    assert len(client.get(changelist, {"handling": "all"}).context["cl"].result_list) == 2
    # A value no link offers (typed by hand) shows the default, never everything.
    assert list(client.get(changelist, {"handling": "nonsense"}).context["cl"].result_list) == [open_question]


def test_knowledge_entries_not_reviewed_for_a_year(client, topic, head):
    stale = KnowledgeEntry.objects.create(topic=topic, question="旧条目", answer="答")
    KnowledgeEntry.objects.filter(pk=stale.pk).update(last_reviewed_on=timezone.localdate() - timedelta(days=400))
    KnowledgeEntry.objects.create(topic=topic, question="新条目", answer="答")
    client.force_login(head)
    url = reverse("admin:consultation_knowledgeentry_changelist")
    assert [e.question for e in client.get(url, {"review": "stale"}).context["cl"].result_list] == ["旧条目"]
    client.post(url, {"action": "mark_reviewed", "_selected_action": [stale.pk]})
    stale.refresh_from_db()
    assert stale.last_reviewed_on == timezone.localdate()


def test_the_transition_page_keeps_a_fixed_number_of_queries(
    client, applicant, topic, reviewer, head, django_assert_num_queries, django_assert_max_num_queries
):
    fresh, worked = ask(applicant, topic), ask(applicant, topic)
    for question, rounds in ((fresh, 1), (worked, 4)):  # drafts sent back: more answers and timeline entries
        for round_ in range(rounds):
            question.draft_answer(by=reviewer, text=f"稿{round_}")
            question.send_back(by=head, note="请修改")
    client.force_login(head)
    client.get(steps_url(fresh))  # warm the caches (permissions, site)
    with django_assert_max_num_queries(100) as few:
        client.get(steps_url(fresh))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(steps_url(worked)).status_code == 200
