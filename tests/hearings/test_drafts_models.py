"""Drafts for comment: the rules as model methods (Order 713 Art. 15, 18, 32-33; PIPL Art. 25), with exact 2026 dates.

The 2026 calendar loaded by civiccenter/migrations/0004: Mid-Autumn 25-27 Sep, National Day 1-7 Oct, with
Sun 20 Sep and Sat 10 Oct as working days.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from hearings.models import AdoptionReport, Article, Comment, Draft, DraftKind
from tests.conftest import make_department, make_staff, make_user

ARTICLE_TEXTS = [
    "为规范本区老旧小区改造工作，根据有关法律法规，结合本区实际，制定本办法。",
    "本办法适用于本区行政区域内2000年底前建成的城镇老旧小区改造。",
    "改造内容分为基础类、完善类和提升类。基础类包括水电气路及光纤等配套设施改造。",
    "改造方案应当征求小区居民意见，经专有部分面积占比三分之二以上的业主同意。",
    "本办法自发布之日起施行。",
]


def kind(name="重大行政决策"):
    return DraftKind.objects.get(name=name)


def make_draft(
    department,
    *,
    opens_on,
    closes_on,
    major=False,
    kind_name="重大行政决策",
    shortened_reason="",
    articles=ARTICLE_TEXTS,
    publish_by=None,
    title="示范区老旧小区改造实施办法（征求意见稿）",
    catalogue_item=None,
):
    if major and catalogue_item is None:
        # Order 713 Art. 3: a major decision is an item of the published catalogue.
        catalogue_item = published_item(department, title=title)
    draft = Draft.objects.create(
        catalogue_item=catalogue_item,
        title=title,
        department=department,
        kind=kind(kind_name),
        major=major,
        explanation="为推进老旧小区改造，起草了本办法。",
        how_to_comment="也可来信寄至区住房和城乡建设局。",
        opens_on=opens_on,
        closes_on=closes_on,
        shortened_reason=shortened_reason,
    )
    Article.objects.bulk_create(
        Article(draft=draft, number=number, text=text) for number, text in enumerate(articles, start=1)
    )
    if publish_by is not None:
        draft.publish(by=publish_by, today=opens_on)
    return draft


def published_item(department, *, title="示范区老旧小区改造实施办法", year=2026, by=None):
    from hearings.models import CatalogueItem

    item, created = CatalogueItem.objects.get_or_create(year=year, title=title, defaults={"department": department})
    if created:
        item.publish(by=by, today=date(year, 1, 10))
    return item


def article(draft, number):
    return draft.articles.get(number=number)


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def moderator(other_department):
    return make_staff("moderator@example.cn", roles.MODERATOR, other_department, full_name="赵敏")


OPENS = date(2026, 9, 1)
CLOSES = date(2026, 10, 8)


@pytest.fixture
def closed_draft(department, head, applicant, other_applicant):
    """A published draft whose period ran 1 Sep - 8 Oct 2026, with four comments from two people."""
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=head)
    during = date(2026, 9, 10)
    draft.submit_comment(
        by=applicant, text="第三条应写明加装电梯。", display_name="居民甲", article=article(draft, 3), today=during
    )
    draft.submit_comment(
        by=applicant, text="建议增加停车位。", display_name="居民甲", article=article(draft, 3), today=during
    )
    draft.submit_comment(
        by=other_applicant, text="同意第四条。", display_name="老李", article=article(draft, 4), today=during
    )
    draft.submit_comment(by=other_applicant, text="希望小区旁边建地铁站。", display_name="老李", today=during)
    return draft


AFTER = date(2026, 10, 9)


def moderate_all(draft, moderator):
    for comment in draft.comments.all():
        comment.moderate(by=moderator, publish=True)


# The 30-day rule and its published exception (Order 713 Art. 15) ---------------------------------


@pytest.mark.django_db
def test_art15_thirty_days_ending_in_national_day_run_to_the_next_working_day(department, head):
    """1 Sep + 30 days = 1 Oct, a holiday: the period may close on 8 Oct at the earliest (Civil Code Art. 203)."""
    draft = make_draft(department, opens_on=OPENS, closes_on=date(2026, 10, 7))
    assert draft.earliest_close().due == date(2026, 10, 8)
    with pytest.raises(InvalidTransition, match="2026-10-08"):
        draft.publish(by=head, today=OPENS)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PREPARING and draft.published_at is None

    Draft.objects.filter(pk=draft.pk).update(closes_on=date(2026, 10, 8))
    draft.refresh_from_db()
    draft.publish(by=head, today=OPENS)
    assert draft.status == Draft.Status.CONSULTING
    assert draft.published_by == head and draft.published_at is not None


@pytest.mark.django_db
def test_art15_thirty_calendar_days_on_an_ordinary_monday(department, head):
    """15 Aug + 30 days = Mon 14 Sep 2026: the 13th is one day short."""
    short = make_draft(department, opens_on=date(2026, 8, 15), closes_on=date(2026, 9, 13))
    with pytest.raises(InvalidTransition):
        short.publish(by=head, today=date(2026, 8, 15))
    enough = make_draft(department, opens_on=date(2026, 8, 15), closes_on=date(2026, 9, 14), title="另一稿")
    enough.publish(by=head, today=date(2026, 8, 15))
    assert enough.status == Draft.Status.CONSULTING


@pytest.mark.django_db
def test_art15_period_ending_in_mid_autumn_runs_to_monday_28_september(department, head):
    """27 Aug + 30 days = Sat 26 Sep, inside Mid-Autumn (25-27 Sep): the earliest close is Mon 28 Sep."""
    draft = make_draft(department, opens_on=date(2026, 8, 27), closes_on=date(2026, 9, 27))
    assert draft.earliest_close().due == date(2026, 9, 28)
    with pytest.raises(InvalidTransition):
        draft.publish(by=head, today=date(2026, 8, 27))


@pytest.mark.django_db
def test_art15_shorter_period_allowed_only_with_its_published_reason(department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=date(2026, 9, 15))
    with pytest.raises(InvalidTransition, match="Art. 15"):
        draft.publish(by=head, today=OPENS)
    reasoned = make_draft(
        department,
        opens_on=OPENS,
        closes_on=date(2026, 9, 15),
        shortened_reason="汛期前须完成排水设施改造，征求意见期缩短为14日。",
        title="紧急稿",
    )
    reasoned.publish(by=head, today=OPENS)
    assert reasoned.status == Draft.Status.CONSULTING and reasoned.is_shortened


@pytest.mark.django_db
def test_art15_whitespace_is_not_a_reason(department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=date(2026, 9, 15), shortened_reason="   ")
    with pytest.raises(InvalidTransition):
        draft.publish(by=head, today=OPENS)


@pytest.mark.django_db
def test_minimum_is_configurable_per_kind_in_working_days_across_national_day(department, head):
    """A kind set to 7 working days: from Mon 28 Sep 2026 the 7th is Tue 13 Oct (Sat 10 Oct counts, 1-7 Oct do not)."""
    DraftKind.objects.filter(name="行政规范性文件").update(min_days=7, unit="working")
    draft = make_draft(department, kind_name="行政规范性文件", opens_on=date(2026, 9, 28), closes_on=date(2026, 10, 12))
    assert draft.earliest_close().due == date(2026, 10, 13)
    with pytest.raises(InvalidTransition):
        draft.publish(by=head, today=date(2026, 9, 28))
    Draft.objects.filter(pk=draft.pk).update(closes_on=date(2026, 10, 13))
    draft.refresh_from_db()
    draft.publish(by=head, today=date(2026, 9, 28))
    assert draft.status == Draft.Status.CONSULTING


@pytest.mark.django_db
def test_seeded_kinds_default_to_thirty_calendar_days():
    kinds = {k.name: (k.min_days, k.unit) for k in DraftKind.objects.all()}
    assert kinds["重大行政决策"] == (30, "calendar")
    assert kinds["规章"] == (30, "calendar")
    assert kinds["行政规范性文件"] == (30, "calendar")
    assert "unverified" in DraftKind.objects.get(name="行政规范性文件").note


@pytest.mark.django_db
def test_publish_refuses_a_period_opening_before_publication_no_articles_and_a_second_publication(department, head):
    past = make_draft(department, opens_on=OPENS, closes_on=CLOSES)
    with pytest.raises(InvalidTransition):
        past.publish(by=head, today=OPENS + timedelta(days=1))
    empty = make_draft(department, opens_on=OPENS, closes_on=CLOSES, articles=[], title="空稿")
    with pytest.raises(InvalidTransition):
        empty.publish(by=head, today=OPENS)
    past.publish(by=head, today=OPENS)
    with pytest.raises(InvalidTransition):
        past.publish(by=head, today=OPENS)


@pytest.mark.django_db
def test_database_refuses_a_period_closing_before_it_opens_and_duplicate_article_numbers(department):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_draft(department, opens_on=OPENS, closes_on=OPENS)
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(draft=draft, number=3, text="重复")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(draft=draft, number=0, text="零")
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=draft.pk).update(status="decided")


# Commenting ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_comments_only_while_open_inclusive_of_both_days(department, head, applicant):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=head)
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=applicant, text="提前", display_name="甲", today=OPENS - timedelta(days=1))
    assert draft.submit_comment(by=applicant, text="首日意见", display_name="甲", today=OPENS).state == "pending"
    assert draft.submit_comment(by=applicant, text="末日意见", display_name="甲", today=CLOSES).state == "pending"
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=applicant, text="迟到", display_name="甲", today=AFTER)
    assert draft.comments.count() == 2


@pytest.mark.django_db
def test_comments_refused_on_unpublished_draft_anonymous_foreign_article_or_empty(department, head, applicant):
    preparing = make_draft(department, opens_on=OPENS, closes_on=CLOSES)
    with pytest.raises(InvalidTransition):
        preparing.submit_comment(by=applicant, text="意见", display_name="甲", today=OPENS)
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=head, title="已发布")
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=AnonymousUser(), text="意见", display_name="甲", today=OPENS)
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=applicant, text="意见", display_name="甲", article=article(preparing, 1), today=OPENS)
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=applicant, text="   ", display_name="甲", today=OPENS)
    with pytest.raises(InvalidTransition):
        draft.submit_comment(by=applicant, text="意见", display_name=" ", today=OPENS)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_personal_details_are_scrubbed_before_anything_is_public(department, head, applicant):
    """PIPL Art. 25: phone, identity number, e-mail and the author's own name are masked in the public copy."""
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=head)
    text = "我是张明，电话13812345678，身份证110105199003071234，邮箱zhangming@example.cn，建议加装电梯。"
    comment = draft.submit_comment(by=applicant, text=text, display_name="新华街居民", today=OPENS)
    assert comment.text == text  # the original stays, privately
    assert "13812345678" not in comment.public_text and "138****5678" in comment.public_text
    assert "110105199003071234" not in comment.public_text and "110105********1234" in comment.public_text
    assert "zhangming@example.cn" not in comment.public_text
    assert "张明" not in comment.public_text and "张*" in comment.public_text
    kinds = {finding.kind for finding in comment.scrub_preview().findings}
    assert kinds == {"phone", "id_number", "email", "name"}


# Moderation ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moderation_moves_allowed_and_refused(closed_draft, moderator):
    first, second, *_ = closed_draft.comments.order_by("pk")
    first.moderate(by=moderator, publish=True)
    assert first.state == "published" and first.moderated_by == moderator and first.moderated_at
    with pytest.raises(InvalidTransition):
        first.moderate(by=moderator, publish=True)  # published -> published
    first.moderate(by=moderator, publish=False, reason="含有广告内容")
    assert first.state == "withheld" and first.withheld_reason == "含有广告内容"
    with pytest.raises(InvalidTransition):
        first.moderate(by=moderator, publish=False, reason="再次")  # withheld -> withheld
    first.moderate(by=moderator, publish=True)  # reconsidered
    first.refresh_from_db()
    assert first.state == "published" and first.withheld_reason == ""
    second.moderate(by=moderator, publish=False, reason="人身攻击")
    second.refresh_from_db()
    assert second.state == "withheld"


@pytest.mark.django_db
def test_withholding_needs_a_reason_in_the_method_and_the_database(closed_draft, moderator):
    comment = closed_draft.comments.first()
    with pytest.raises(InvalidTransition):
        comment.moderate(by=moderator, publish=False, reason="  ")
    comment.refresh_from_db()
    assert comment.state == "pending"
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(
            state="withheld", withheld_reason="", moderated_at=comment.created_at
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(state="published")  # no moderation time


@pytest.mark.django_db
def test_wording_edited_by_the_moderator_is_scrubbed_again(closed_draft, moderator):
    comment = closed_draft.comments.first()
    comment.moderate(by=moderator, publish=True, public_text="请联系 139 1234 5678 了解详情")
    comment.refresh_from_db()
    assert "139 1234 5678" not in comment.public_text and "139****5678" in comment.public_text


# Dispositions and the adoption report (Art. 18, 29) ---------------------------------------------


@pytest.mark.django_db
def test_dispositions_only_after_the_period_closes_with_a_reason(closed_draft, head):
    comment = closed_draft.comments.first()
    with pytest.raises(InvalidTransition):
        comment.dispose(by=head, disposition="adopted", reason="采纳", today=CLOSES)  # last day: still open
    with pytest.raises(InvalidTransition):
        comment.dispose(by=head, disposition="adopted", reason=" ", today=AFTER)
    with pytest.raises(InvalidTransition):
        comment.dispose(by=head, disposition="maybe", reason="理由", today=AFTER)
    comment.dispose(by=head, disposition="adopted", reason="已在第三条增加加装电梯内容。", today=AFTER)
    comment.refresh_from_db()
    assert (comment.disposition, comment.disposed_by) == ("adopted", head)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(disposition_reason="")


def dispose_all(draft, head, moderator):
    moderate_all(draft, moderator)
    a, b, c, d = draft.comments.order_by("pk")
    a.dispose(by=head, disposition="adopted", reason="已增加加装电梯内容。", today=AFTER)
    b.dispose(by=head, disposition="partly", reason="停车位纳入提升类改造。", today=AFTER)
    c.dispose(by=head, disposition="not_adopted", reason="表示赞同，无需修改。", today=AFTER)
    d.dispose(by=head, disposition="out_of_scope", reason="地铁规划不属于本办法范围。", today=AFTER)
    return a, b, c, d


@pytest.mark.django_db
def test_report_needs_the_period_closed_every_comment_moderated_and_disposed(closed_draft, head, moderator):
    with pytest.raises(InvalidTransition):
        closed_draft.generate_report(by=head, today=CLOSES)
    with pytest.raises(InvalidTransition, match="moderation"):
        closed_draft.generate_report(by=head, today=AFTER)
    moderate_all(closed_draft, moderator)
    closed_draft.comments.first().dispose(by=head, disposition="adopted", reason="采纳", today=AFTER)
    with pytest.raises(InvalidTransition, match="3"):
        closed_draft.generate_report(by=head, today=AFTER)
    assert not AdoptionReport.objects.exists()


@pytest.mark.django_db
def test_generated_report_counts_by_article_and_disposition(closed_draft, head, moderator):
    dispose_all(closed_draft, head, moderator)
    # One more comment on article 3, adopted for the same reason: grouped with the first.
    Comment.objects.create(
        draft=closed_draft, article=article(closed_draft, 3), author=head, display_name="某单位", text="加装电梯",
        public_text="加装电梯", state="withheld", withheld_reason="重复", moderated_at=closed_draft.published_at,
        disposition="adopted", disposition_reason="已增加加装电梯内容。", disposed_at=closed_draft.published_at,
    )  # fmt: skip
    report = closed_draft.generate_report(by=head, today=AFTER)
    counts = {row["article"]: row for row in report.counts}
    assert [row["article"] for row in report.counts] == [None, 3, 4]
    assert (counts[3]["adopted"], counts[3]["partly"], counts[3]["not_adopted"], counts[3]["total"]) == (2, 1, 0, 3)
    assert (counts[4]["not_adopted"], counts[4]["total"]) == (1, 1)
    assert (counts[None]["out_of_scope"], counts[None]["total"]) == (1, 1)
    assert report.totals == {"adopted": 2, "partly": 1, "not_adopted": 1, "out_of_scope": 1, "total": 5}
    groups = {group["disposition"]: group["items"] for group in report.data["reasons"]}
    assert groups["adopted"] == [{"article": 3, "reason": "已增加加装电梯内容。", "count": 2}]
    assert groups["out_of_scope"] == [{"article": None, "reason": "地铁规划不属于本办法范围。", "count": 1}]
    assert report.text and report.published_at is None


@pytest.mark.django_db
def test_publishing_the_report_notifies_every_commenter_once_and_freezes_dispositions(
    closed_draft, head, moderator, applicant, other_applicant
):
    a, *_ = dispose_all(closed_draft, head, moderator)
    report = closed_draft.generate_report(by=head, today=AFTER)
    # A disposition changed after generation: publication rebuilds the tables.
    a.dispose(by=head, disposition="partly", reason="部分采纳。", today=AFTER)
    report.publish(by=head, today=AFTER)
    report.refresh_from_db()
    assert report.published_at and report.published_by == head
    assert report.totals["partly"] == 2 and report.totals["adopted"] == 0
    notified = Notification.objects.filter(subject__contains=closed_draft.title)
    assert sorted(n.recipient_id for n in notified) == sorted([applicant.pk, other_applicant.pk])
    with pytest.raises(InvalidTransition):
        report.publish(by=head, today=AFTER)
    with pytest.raises(InvalidTransition):
        closed_draft.generate_report(by=head, today=AFTER)
    with pytest.raises(InvalidTransition):
        a.dispose(by=head, disposition="adopted", reason="改回", today=AFTER)


# The final decision (Art. 32-33) -----------------------------------------------------------------


@pytest.mark.django_db
def test_art32_33_major_decision_refused_before_the_adoption_report_is_published(
    department, head, moderator, applicant, other_applicant
):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, major=True, publish_by=head)
    draft.submit_comment(by=applicant, text="意见一", display_name="甲", article=article(draft, 3), today=OPENS)
    with pytest.raises(InvalidTransition, match="Art. 32-33"):
        draft.publish_decision(by=head, text="决定全文", today=AFTER)
    draft.comments.get().moderate(by=moderator, publish=True)
    draft.comments.get().dispose(by=head, disposition="adopted", reason="采纳", today=AFTER)
    report = draft.generate_report(by=head, today=AFTER)
    with pytest.raises(InvalidTransition, match="Art. 32-33"):
        draft.publish_decision(by=head, text="决定全文", today=AFTER)  # generated is not published
    report.publish(by=head, today=AFTER)
    draft.publish_decision(by=head, text="决定全文", today=AFTER)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DECIDED and draft.decided_by == head and draft.decision_text == "决定全文"


@pytest.mark.django_db
def test_non_major_decision_has_no_report_gate(closed_draft, head):
    closed_draft.publish_decision(by=head, text="决定全文", today=AFTER)
    assert closed_draft.status == Draft.Status.DECIDED


@pytest.mark.django_db
def test_decision_refused_during_the_period_without_text_unpublished_and_twice(department, closed_draft, head):
    with pytest.raises(InvalidTransition):
        closed_draft.publish_decision(by=head, text="决定", today=CLOSES)
    with pytest.raises(InvalidTransition):
        closed_draft.publish_decision(by=head, text="  ", today=AFTER)
    preparing = make_draft(department, opens_on=OPENS, closes_on=CLOSES, title="未发布")
    with pytest.raises(InvalidTransition):
        preparing.publish_decision(by=head, text="决定", today=AFTER)
    closed_draft.publish_decision(by=head, text="决定", today=AFTER)
    with pytest.raises(InvalidTransition):
        closed_draft.publish_decision(by=head, text="再次决定", today=AFTER)
    with pytest.raises(InvalidTransition):
        closed_draft.publish(by=head, today=AFTER)


@pytest.mark.django_db
def test_querysets_open_and_past(department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=head)
    make_draft(department, opens_on=OPENS, closes_on=CLOSES, title="准备中")
    assert list(Draft.objects.open(OPENS)) == [draft]
    assert list(Draft.objects.open(CLOSES)) == [draft]
    assert list(Draft.objects.open(AFTER)) == []
    assert list(Draft.objects.past(AFTER)) == [draft]
    assert draft.days_left(date(2026, 10, 1)) == 7


@pytest.mark.django_db
def test_staff_see_their_departments_comments_moderators_all_citizens_their_own(
    closed_draft, department, moderator, applicant
):
    reviewer = make_staff("r2@example.cn", roles.DEPARTMENT_REVIEWER, department)
    elsewhere = make_staff("r3@example.cn", roles.DEPARTMENT_REVIEWER, make_department(code="JT", name="区交通运输局"))
    assert Comment.objects.visible_to(reviewer).count() == 4
    assert Comment.objects.visible_to(moderator).count() == 4
    assert Comment.objects.visible_to(elsewhere).count() == 0
    assert Comment.objects.visible_to(applicant).count() == 2
    assert Comment.objects.visible_to(AnonymousUser()).count() == 0
    assert Comment.objects.visible_to(make_user("x@example.cn")).count() == 0


@pytest.mark.django_db
def test_art17_32_33_a_decision_waits_for_the_hearing_on_its_draft_then_points_to_its_record(
    client, department, closed_draft, head
):
    """A hearing informing a draft: the decision is published once the hearing's signed record is in, and the
    published decision links the hearing's record, report and adoption of opinions."""
    from django.utils import translation

    from hearings.models import Hearing
    from tests.hearings.test_hearings_rules import make_hearing

    hearing = make_hearing(department, kind="major_decision", draft=closed_draft)
    for language, words in (("zh-hans", "第十七条"), ("en", "Art. 17")):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                closed_draft.publish_decision(by=head, text="决定全文", today=AFTER)
            assert words in str(refused.value)
    assert Draft.objects.get(pk=closed_draft.pk).status != "decided"
    # Concluded with its signed record (set here directly; the conclusion's own rules are tested with hearings).
    Hearing.objects.filter(pk=hearing.pk).update(
        status="concluded", record="hearings/records/r.pdf", decision="采纳主要意见。", concluded_on=AFTER
    )
    closed_draft.publish_decision(by=head, text="决定全文", today=AFTER)
    page = client.get(closed_draft.get_absolute_url()).content.decode()
    assert hearing.get_absolute_url() in page
    # A licensing hearing informs no draft (held in the database).
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(kind="licensing")
