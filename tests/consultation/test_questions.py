"""The question workflow on the shared case machinery: ask, draft, approve or send back, transfer, follow-up, rating."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civiccenter.cases import Case, InvalidTransition, Rating
from civiccenter.models import Notification
from consultation.models import Answer, KnowledgeEntry, Question
from tests.consultation.conftest import THU_24_SEP, answered, ask, make_topic, published

pytestmark = pytest.mark.django_db


def test_asking_opens_a_case_with_the_topics_clock(applicant, topic):
    question = ask(applicant, topic, today=THU_24_SEP)
    case = question.case
    assert case.kind == "consultation" and case.number.startswith("ZX-2026-")
    assert case.department == topic.department and case.applicant == applicant
    assert question.status == case.status == "submitted"
    # Thu 24 Sep + 5 working days, over Mid-Autumn (25-27 Sep) and National Day (1-7 Oct): Fri 9 Oct.
    assert case.due_date == date(2026, 10, 9)
    assert case.clock_unit == "working" and case.clock_days == 5
    assert Notification.objects.filter(recipient=applicant).count() == 1
    assert case.events.count() == 1


def test_a_topic_sets_its_own_reply_limit(applicant, department):
    topic = make_topic(department, slug="tax", name="税务", reply_days=10)
    # Fri 18 Sep + 10 working days: Sun 20 Sep works (1), 21-24 (2-5), 25-27 Sep and 1-7 Oct off,
    # 28-30 Sep (6-8), Thu 8 Oct (9), Fri 9 Oct (10).
    assert ask(applicant, topic, today=date(2026, 9, 18)).case.due_date == date(2026, 10, 9)


def test_default_reply_limit_comes_from_settings(settings, department):
    settings.CONSULTATION_REPLY_WORKING_DAYS = 7
    from consultation.models import Topic

    assert Topic.objects.create(slug="other", name="其他", department=department).reply_days == 7


def test_a_closed_topic_takes_no_questions(applicant, topic):
    topic.active = False
    topic.save()
    with pytest.raises(InvalidTransition):
        ask(applicant, topic)
    assert not Question.objects.exists()


def test_draft_approve_publishes_to_the_asker_and_closes_the_case(applicant, topic, reviewer, head):
    question = ask(applicant, topic)
    question.draft_answer(by=reviewer, text="有效期为5年。")
    assert question.status == "drafted" and question.case.closed_at is None
    assert not question.case.events.filter(new_status="drafted", public=True).exists()  # internal step
    Notification.objects.all().delete()
    question.approve(by=head)
    question.case.refresh_from_db()
    assert question.status == "answered" and question.answered_at is not None
    assert question.case.closed_at is not None and question.case.due_date is None
    answer = question.answers.get()
    assert answer.approved_by == head and answer.drafted_by == reviewer
    notice = Notification.objects.get(recipient=applicant)
    assert "有效期为5年" in notice.body
    assert question.case.events.filter(new_status="answered", public=True, note__contains="有效期为5年").exists()


def test_only_a_head_approves(applicant, topic, reviewer):
    question = ask(applicant, topic)
    question.draft_answer(by=reviewer, text="答复")
    with pytest.raises(InvalidTransition):
        question.approve(by=reviewer)
    question.refresh_from_db()
    assert question.status == "drafted"


def test_send_back_needs_a_note_and_the_clock_keeps_running(applicant, topic, reviewer, head):
    question = ask(applicant, topic, today=THU_24_SEP)
    question.draft_answer(by=reviewer, text="初稿")
    with pytest.raises(InvalidTransition):
        question.send_back(by=head, note=" ")
    question.send_back(by=head, note="请补充法律依据")
    assert question.status == "returned"
    assert question.answers.get().return_note == "请补充法律依据"
    assert question.case.due_date == date(2026, 10, 9)
    question.draft_answer(by=reviewer, text="修改稿：依据《食品安全法》")
    assert question.status == "drafted" and question.answers.get().return_note == ""
    question.approve(by=head)
    assert question.answers.get().text.startswith("修改稿")


def test_revising_a_draft_keeps_it_waiting(applicant, topic, reviewer):
    question = ask(applicant, topic)
    question.draft_answer(by=reviewer, text="一稿")
    question.draft_answer(by=reviewer, text="二稿")
    assert question.status == "drafted" and question.answers.get().text == "二稿"


@pytest.mark.parametrize(
    ("status", "move"),
    [
        ("submitted", "approve"),
        ("submitted", "send_back"),
        ("returned", "approve"),
        ("answered", "draft"),
        ("answered", "send_back"),
        ("answered", "approve"),
        ("answered", "transfer"),
    ],
)
def test_refused_moves(applicant, topic, reviewer, head, other_department, status, move):
    question = ask(applicant, topic)
    if status in ("returned", "answered"):
        question.draft_answer(by=reviewer, text="稿")
    if status == "returned":
        question.send_back(by=head, note="改")
    if status == "answered":
        question.approve(by=head)
    before = question.case.events.count()
    moves = {
        "approve": lambda: question.approve(by=head),
        "send_back": lambda: question.send_back(by=head, note="改"),
        "draft": lambda: question.draft_answer(by=reviewer, text="又一稿"),
        "transfer": lambda: question.transfer(by=reviewer, department=other_department, reason="不属本部门"),
    }
    with pytest.raises(InvalidTransition):
        moves[move]()
    question.refresh_from_db()
    assert question.status == status and question.case.events.count() == before


def test_the_state_graph_is_the_only_way(applicant, topic, reviewer):
    question = ask(applicant, topic)
    for target in ("answered", "returned", "follow_up"):
        with pytest.raises(InvalidTransition):
            question.case.transition(target, allowed=Question.WORKFLOW.allowed, by=reviewer)


def test_transfer_moves_the_case_with_a_reason_and_keeps_the_clock(
    applicant, topic, reviewer, head, other_department, other_head
):
    question = ask(applicant, topic, today=THU_24_SEP)
    with pytest.raises(InvalidTransition):
        question.transfer(by=reviewer, department=other_department, reason="")
    with pytest.raises(InvalidTransition):
        question.transfer(by=reviewer, department=topic.department, reason="同一部门")
    question.transfer(by=reviewer, department=other_department, reason="属于民政事项")
    case = Case.objects.get(pk=question.case_id)
    assert case.department == other_department
    assert case.due_date == date(2026, 10, 9) and case.clock_start == THU_24_SEP  # not restarted
    event = case.events.order_by("-pk").first()
    assert event.public and "属于民政事项" in event.note and other_department.name in event.note
    # The new department's staff see it now; the old one no longer does.
    assert Question.objects.visible_to(other_head).filter(pk=question.pk).exists()
    assert not Question.objects.visible_to(reviewer).filter(pk=question.pk).exists()


def test_one_follow_up_on_the_same_case_with_a_new_clock(applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, today=THU_24_SEP)
    number = question.case.number
    assert question.can_follow_up(date(2026, 10, 9))
    question.ask_follow_up(by=applicant, text="可以网上办理吗？", today=date(2026, 10, 9))
    case = question.case
    assert question.status == case.status == "follow_up" and case.number == number
    assert case.closed_at is None
    # Fri 9 Oct + 5 working days: Sat 10 Oct works, then Mon 12 - Thu 15.
    assert case.due_date == date(2026, 10, 15)
    question.draft_answer(by=reviewer, text="可以，全程网办。")
    question.approve(by=head)
    question.case.refresh_from_db()
    assert question.status == "answered" and question.case.closed_at is not None
    assert [a.round for a in question.answers.all()] == [1, 2]
    with pytest.raises(InvalidTransition):
        question.ask_follow_up(by=applicant, text="再问一个", today=date(2026, 10, 16))


def test_follow_up_only_by_the_asker_and_in_time(applicant, other_applicant, topic, reviewer, head, settings):
    question = answered(applicant, topic, reviewer, head)
    with pytest.raises(InvalidTransition):
        question.ask_follow_up(by=other_applicant, text="我也想问")
    with pytest.raises(InvalidTransition):
        question.ask_follow_up(by=applicant, text="  ")
    # The period counts Beijing days: closed_at is stored in UTC, 8 hours behind.
    late = timezone.localdate(question.case.closed_at) + timedelta(days=settings.CONSULTATION_FOLLOW_UP_DAYS + 1)
    with pytest.raises(InvalidTransition):
        question.ask_follow_up(by=applicant, text="太晚了", today=late)
    question.refresh_from_db()
    assert question.follow_up == "" and question.status == "answered"


def test_an_open_question_cannot_be_followed_up(applicant, topic):
    question = ask(applicant, topic)
    with pytest.raises(InvalidTransition):
        question.ask_follow_up(by=applicant, text="追问")


def test_the_answer_is_rated_with_the_shared_rating(applicant, topic, reviewer, head):
    question = ask(applicant, topic)
    with pytest.raises(InvalidTransition):
        Rating.give(case=question.case, level=5, by=applicant)  # not answered yet
    question.draft_answer(by=reviewer, text="答复")
    question.approve(by=head)
    Rating.give(case=question.case, level=2, comment="没有回答我的问题", by=applicant)
    assert question.case.ratings.get().level == 2
    assert Case.objects.filter(kind="followup", department=topic.department).exists()  # a poor rating is followed up


# Consent and publication -------------------------------------------------------------


def test_nothing_is_published_without_consent(applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, consent=False)
    with pytest.raises(InvalidTransition):
        question.publish(by=head, title="t", body="b", answer="a")
    assert not Question.objects.published().exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(published_at=question.answered_at)


def test_an_unanswered_question_is_not_published(applicant, topic, head):
    question = ask(applicant, topic, consent_to_publish=True)
    with pytest.raises(InvalidTransition):
        question.publish(by=head, title="t", body="b", answer="a")


def test_the_publication_draft_is_scrubbed_and_lists_what_was_masked(applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, body="我是张明，电话138-1234-5678，邮箱zm@example.cn")
    draft, findings = question.publication_draft()
    assert "138-1234-5678" not in draft["body"] and "zm@example.cn" not in draft["body"] and "张明" not in draft["body"]
    assert "0571-86010101" not in draft["answer"]
    assert {f.kind for f in findings} >= {"phone", "email", "name", "landline"}


def test_publishing_scrubs_again_whatever_staff_typed(applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head)
    question.publish(
        by=head,
        title="许可证 13812345678",
        body="身份证 33010619900101123X",
        answer="联系 zhang@example.cn 或 +86 138 1234 5678",
    )
    question.refresh_from_db()
    published_text = " ".join([question.public_title, question.public_body, question.public_answer])
    for secret in ("13812345678", "33010619900101123X", "zhang@example.cn", "138 1234 5678"):
        assert secret not in published_text
    assert question.public_asker == "张*"
    assert Question.objects.published().search("许可证").filter(pk=question.pk).exists()


def test_withdrawing_consent_unpublishes(applicant, other_applicant, topic, reviewer, head):
    question = published(applicant, topic, reviewer, head)
    with pytest.raises(InvalidTransition):
        question.withdraw_consent(by=other_applicant)
    question.withdraw_consent(by=applicant)
    assert not question.consent_to_publish and question.published_at is None
    assert not Question.objects.published().exists()


def test_search_in_chinese_and_english(applicant, topic, reviewer, head):
    one = published(
        applicant, topic, reviewer, head, title="食品经营许可证延续", body="许可证快到期，如何延续 online？"
    )
    published(applicant, topic, reviewer, head, title="公司变更住所", body="公司搬家了怎么办？")
    assert list(Question.objects.published().search("许可")) == [one]
    assert list(Question.objects.published().search("ONLINE")) == [one]
    assert list(Question.objects.published().search("延续 许可证")) == [one]
    assert not Question.objects.published().search("社保").exists()


def test_similar_questions_are_found_by_distinctive_words(applicant, topic, reviewer, head):
    one = published(applicant, topic, reviewer, head, title="食品经营许可证有效期多久", body="许可证有效期是几年？")
    published(applicant, topic, reviewer, head, title="公司变更住所", body="需要哪些材料？")
    assert list(Question.objects.similar_to("请问食品经营许可证怎么延续"))[:1] == [one]
    assert not Question.objects.similar_to("请问 怎么").exists()


def test_helpful_votes_once_per_visitor(applicant, topic, reviewer, head):
    question = published(applicant, topic, reviewer, head)
    assert question.vote(voter="session:abc", helpful=True)
    assert not question.vote(voter="session:abc", helpful=False)
    assert question.vote(voter="user:1", helpful=False)
    question.refresh_from_db()
    assert (question.helpful_yes, question.helpful_no) == (1, 1)


# Knowledge base ----------------------------------------------------------------------


def test_promote_a_published_answer_and_review_entries(applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head)
    with pytest.raises(InvalidTransition):
        KnowledgeEntry.promote(question, by=head)
    draft, _ = question.publication_draft()
    question.publish(by=head, **draft)
    entry = KnowledgeEntry.promote(question, by=head)
    assert entry.source == question and not entry.published and "0571-86010101" not in entry.answer
    KnowledgeEntry.objects.filter(pk=entry.pk).update(last_reviewed_on=date.today() - timedelta(days=400))
    assert list(KnowledgeEntry.objects.stale()) == [entry]
    entry.mark_reviewed(by=head)
    assert not KnowledgeEntry.objects.stale().exists()


def test_entries_are_scrubbed_and_searchable(topic):
    entry = KnowledgeEntry.objects.create(
        topic=topic, question="食品经营许可证有效期", answer="5年。咨询13812345678", published=True
    )
    assert "13812345678" not in entry.answer
    assert list(KnowledgeEntry.objects.published().search("有效期")) == [entry]
    assert list(KnowledgeEntry.objects.similar_to("许可证的有效期是多久")) == [entry]


def test_answers_one_per_round_in_the_database(applicant, topic, reviewer):
    question = ask(applicant, topic)
    Answer.objects.create(question=question, round=1, text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(question=question, round=1, text="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(question=question, round=3, text="c")


def test_staff_see_their_departments_questions_and_citizens_their_own(
    applicant, other_applicant, topic, reviewer, other_head, supervisor
):
    question = ask(applicant, topic)
    assert list(Question.objects.visible_to(reviewer)) == [question]
    assert list(Question.objects.visible_to(supervisor)) == [question]
    assert not Question.objects.visible_to(other_head).exists()
    assert list(Question.objects.visible_to(applicant)) == [question]
    assert not Question.objects.visible_to(other_applicant).exists()
