"""Suggestions, complaints and reports: every transition allowed and refused, the clock, merging, reopening once."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition, Rating
from civiccenter.models import Notification
from opinions.models import Category, Kind, Opinion
from tests.conftest import make_department, make_staff

# prc-rules.md §9: Mid-Autumn 25-27 Sep 2026, National Day 1-7 Oct, Sun 20 Sep and Sat 10 Oct working days.
THU_24_SEP = date(2026, 9, 24)


def make_category(department, slug="food-safety", name="食品安全", days=10, unit="working", co=(), **fields):
    fields.setdefault("name_en", "Food safety")
    category = Category.objects.create(
        slug=slug, name=name, lead_department=department, time_limit_days=days, time_limit_unit=unit, **fields
    )
    category.co_departments.set(co)
    return category


def submit(submitter, category, *, kind=Kind.COMPLAINT, title="餐馆出售过期食品", **kwargs):
    kwargs.setdefault("description", "文汇路一家餐馆出售过期的牛奶和面包，请尽快检查。")
    kwargs.setdefault("contact_email", submitter.email if submitter else "caller@example.cn")
    return Opinion.submit(by=submitter, submitter=submitter, kind=kind, category=category, title=title, **kwargs)


@pytest.fixture
def category(department):
    return make_category(department)


@pytest.fixture
def handler(staff_user):
    return staff_user


@pytest.fixture
def other_handler(other_department):
    return make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department, full_name="刘强")


@pytest.fixture
def opinion(applicant, category):
    return submit(applicant, category)


def test_submit_opens_a_yj_case_in_the_lead_department_with_the_category_clock(applicant, category):
    opinion = submit(applicant, category, today=THU_24_SEP)
    case = opinion.case
    assert case.number.startswith("YJ-2026-")
    assert case.kind == "opinion" and case.department == category.lead_department
    assert opinion.status == Opinion.Status.SUBMITTED == case.status
    # 10 working days from Thu 24 Sep over the Mid-Autumn and National Day holidays, Sat 10 Oct counted.
    assert case.due_date == date(2026, 10, 15)
    assert "食品安全" in case.clock_rule and case.clock_unit == "working"
    assert Notification.objects.filter(recipient=applicant, subject__contains=case.number).exists()


def test_calendar_day_category_counts_calendar_days(applicant, department):
    category = make_category(department, slug="care", name="养老服务", days=15, unit="calendar")
    opinion = submit(applicant, category, today=date(2026, 11, 2))
    assert opinion.case.due_date == date(2026, 11, 17)


def test_closed_category_refuses_submissions(applicant, department):
    category = make_category(department, active=False)
    with pytest.raises(ValidationError):
        submit(applicant, category)


def test_report_needs_the_unit_reported_and_never_consents_to_publication(applicant, category, other_department):
    with pytest.raises(ValidationError):
        submit(applicant, category, kind=Kind.REPORT)
    report = submit(
        applicant, category, kind=Kind.REPORT, reported_department=other_department, consent_to_publish=True
    )
    assert report.consent_to_publish is False


def test_art_30_the_unit_reported_never_handles_a_report_about_itself(applicant, category, department):
    """Letters and Visits Regulations Art. 30: never pass a whistleblower's material to the unit reported."""
    with pytest.raises(ValidationError):
        submit(applicant, category, kind=Kind.REPORT, reported_department=department)


def test_only_reports_name_a_unit(applicant, category, other_department):
    with pytest.raises(ValidationError):
        submit(applicant, category, kind=Kind.SUGGESTION, reported_department=other_department)


def test_database_refuses_a_published_or_consenting_report(applicant, category, other_department):
    report = submit(applicant, category, kind=Kind.REPORT, reported_department=other_department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.filter(pk=report.pk).update(consent_to_publish=True)


# --- Accepting and transferring -----------------------------------------------------------------------


def test_accept(opinion, handler):
    opinion.accept(by=handler)
    assert opinion.status == Opinion.Status.ACCEPTED
    assert opinion.case.events.filter(new_status="accepted").exists()
    with pytest.raises(InvalidTransition):
        opinion.accept(by=handler)


def test_staff_of_another_department_cannot_act(opinion, other_handler):
    with pytest.raises(InvalidTransition):
        opinion.accept(by=other_handler)
    with pytest.raises(InvalidTransition):
        opinion.reply_to(by=other_handler, text="答复")


def test_transfer_needs_a_reason_and_another_department(opinion, handler, department, other_department):
    with pytest.raises(InvalidTransition):
        opinion.transfer(by=handler, department=other_department, reason=" ")
    with pytest.raises(InvalidTransition):
        opinion.transfer(by=handler, department=department, reason="不属于本部门")
    due = opinion.case.due_date
    opinion.transfer(by=handler, department=other_department, reason="属于民政局职责")
    opinion.refresh_from_db()
    assert opinion.case.department == other_department
    assert opinion.status == Opinion.Status.SUBMITTED and opinion.transferred_from == department
    assert opinion.case.due_date == due  # the clock keeps running
    assert opinion.case.events.filter(note__contains="属于民政局职责", public=True).exists()


def test_accepted_case_can_be_transferred(opinion, handler, other_department):
    opinion.accept(by=handler)
    opinion.transfer(by=handler, department=other_department, reason="属于民政局职责")
    assert opinion.status == Opinion.Status.SUBMITTED


def test_a_report_is_never_transferred_to_the_unit_reported(applicant, category, handler, other_department):
    report = submit(applicant, category, kind=Kind.REPORT, reported_department=other_department)
    with pytest.raises(InvalidTransition):
        report.transfer(by=handler, department=other_department, reason="转办")


def test_dispute_and_supervisor_decision(opinion, handler, other_handler, other_department, department, supervisor):
    # Only a transferred case can be disputed.
    with pytest.raises(InvalidTransition):
        opinion.dispute_transfer(by=handler, reason="不是我们的")
    opinion.transfer(by=handler, department=other_department, reason="属于民政局职责")
    with pytest.raises(InvalidTransition):
        opinion.dispute_transfer(by=other_handler, reason=" ")
    opinion.dispute_transfer(by=other_handler, reason="食品安全属于市场监管")
    assert opinion.status == Opinion.Status.TRANSFER_DISPUTED
    assert not opinion.case.events.get(new_status="transfer_disputed").public
    # Only the supervisor decides; the department named handles it at once.
    with pytest.raises(InvalidTransition):
        opinion.decide_transfer(by=handler, department=department)
    opinion.decide_transfer(by=supervisor, department=department, note="按职责由市场监管局办理")
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ACCEPTED and opinion.case.department == department
    assert opinion.transferred_from is None
    with pytest.raises(InvalidTransition):
        opinion.decide_transfer(by=supervisor, department=department)


def test_an_accepted_transfer_cannot_be_disputed(opinion, handler, other_handler, other_department):
    opinion.transfer(by=handler, department=other_department, reason="属于民政局职责")
    opinion.accept(by=other_handler)
    with pytest.raises(InvalidTransition):
        opinion.dispute_transfer(by=other_handler, reason="不是我们的")


# --- More information: the clock pauses ----------------------------------------------------------------


def test_request_information_pauses_the_clock_until_the_answer(applicant, category, handler):
    opinion = submit(applicant, category, today=date(2026, 11, 2))  # Monday
    assert opinion.case.due_date == date(2026, 11, 16)
    with pytest.raises(InvalidTransition):  # not yet accepted
        opinion.request_information(by=handler, question="请提供照片", today=date(2026, 11, 3))
    opinion.accept(by=handler)
    with pytest.raises(InvalidTransition):
        opinion.request_information(by=handler, question="", today=date(2026, 11, 3))
    opinion.request_information(by=handler, question="请提供购物小票照片", today=date(2026, 11, 3))
    assert opinion.status == Opinion.Status.INFO_REQUESTED
    assert opinion.case.due_date is None  # stopped, no end yet
    assert Notification.objects.filter(recipient=applicant, body__contains="购物小票").exists()
    # Answered a week later: the five working days Wed 4 - Tue 10 Nov do not count.
    opinion.answer_information(by=applicant, text="小票照片已上传。", today=date(2026, 11, 10))
    assert opinion.status == Opinion.Status.ACCEPTED
    assert opinion.case.due_date == date(2026, 11, 23)
    with pytest.raises(InvalidTransition):
        opinion.answer_information(by=applicant, text="再补充", today=date(2026, 11, 11))


def test_answer_the_same_day_loses_no_day(applicant, category, handler):
    opinion = submit(applicant, category, today=date(2026, 11, 2))
    opinion.accept(by=handler)
    opinion.request_information(by=handler, question="请补充地址", today=date(2026, 11, 3))
    opinion.answer_information(by=applicant, text="文汇路12号", today=date(2026, 11, 3))
    assert opinion.case.due_date == date(2026, 11, 16)
    assert not opinion.case.pauses.exists()


def test_only_the_submitter_or_the_department_answers(opinion, handler, other_applicant):
    opinion.accept(by=handler)
    opinion.request_information(by=handler, question="请补充")
    with pytest.raises(InvalidTransition):
        opinion.answer_information(by=other_applicant, text="我来答")
    opinion.answer_information(by=handler, text="来电补充：在文汇路12号")  # recorded from a phone call
    assert opinion.status == Opinion.Status.ACCEPTED


# --- Reply, rating, reopening once --------------------------------------------------------------------


def test_reply_closes_and_reaches_the_submitter(opinion, handler, applicant):
    with pytest.raises(InvalidTransition):  # not accepted yet
        opinion.reply_to(by=handler, text="已处理")
    opinion.accept(by=handler)
    with pytest.raises(InvalidTransition):
        opinion.reply_to(by=handler, text=" ")
    opinion.reply_to(by=handler, text="经查，该店已下架过期食品并被立案调查。")
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REPLIED and opinion.replied_at is not None
    assert opinion.case.closed_at is not None and opinion.case.due_date is None
    assert Notification.objects.filter(recipient=applicant, body__contains="立案调查").exists()
    with pytest.raises(InvalidTransition):
        opinion.reply_to(by=handler, text="再次答复")


def replied(opinion, handler):
    opinion.accept(by=handler)
    opinion.reply_to(by=handler, text="经查，该店已整改。")
    return opinion


def test_reopen_once_with_a_reason_and_a_new_time_limit(opinion, handler, applicant):
    replied(opinion, handler)
    with pytest.raises(InvalidTransition):
        opinion.reopen(by=applicant, reason=" ")
    opinion.reopen(by=applicant, reason="该店仍在出售过期食品", today=date(2026, 11, 2))
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REOPENED and opinion.reopened_at is not None
    assert opinion.case.closed_at is None and opinion.case.due_date == date(2026, 11, 16)
    opinion.reply_to(by=handler, text="已再次检查并处罚。")
    with pytest.raises(InvalidTransition, match="once"):
        opinion.reopen(by=applicant, reason="还是不满意")


def test_only_the_submitter_reopens(opinion, handler, other_applicant):
    replied(opinion, handler)
    with pytest.raises(InvalidTransition):
        opinion.reopen(by=other_applicant, reason="不满意")
    with pytest.raises(InvalidTransition):
        opinion.reopen(by=handler, reason="不满意")


def test_an_open_case_cannot_be_reopened(opinion, applicant):
    with pytest.raises(InvalidTransition):
        opinion.reopen(by=applicant, reason="不满意")


def test_poor_rating_then_reopen_but_not_after_a_satisfied_rating(applicant, other_applicant, category, handler):
    """好差评 (国办发〔2019〕51号): rated before reopening; only a dissatisfied submitter reopens."""
    poor = replied(submit(applicant, category), handler)
    Rating.give(case=poor.case, level=2, by=applicant)
    assert "reopen" in poor.available_moves(applicant)
    poor.reopen(by=applicant, reason="没有解决")
    assert poor.status == Opinion.Status.REOPENED
    content = replied(submit(other_applicant, category, title="建议增设停车位"), handler)
    Rating.give(case=content.case, level=4, by=other_applicant)
    assert "reopen" not in content.available_moves(other_applicant)
    with pytest.raises(InvalidTransition):
        content.reopen(by=other_applicant, reason="改主意了")


def test_reopened_case_can_be_rated_after_its_second_reply(opinion, handler, applicant):
    replied(opinion, handler)
    opinion.reopen(by=applicant, reason="没有解决")
    opinion.reply_to(by=handler, text="已再次处理。")
    opinion.case.refresh_from_db()
    Rating.give(case=opinion.case, level=5, by=applicant)


# --- Merging duplicates -------------------------------------------------------------------------------


def test_merge_closes_the_duplicate_and_every_submitter_hears_the_reply(applicant, other_applicant, category, handler):
    main = submit(applicant, category)
    duplicate = submit(other_applicant, category, title="同一家餐馆卖过期面包")
    third = submit(None, category, title="来电反映同一问题", contact_email="caller@example.cn", channel="phone")
    main.accept(by=handler)
    duplicate.merge_into(main, by=handler)
    duplicate.refresh_from_db()
    assert duplicate.status == Opinion.Status.MERGED and duplicate.merged_into == main
    assert duplicate.case.closed_at is not None
    assert Notification.objects.filter(recipient=other_applicant, body__contains=main.case.number).exists()
    third.merge_into(main, by=handler)
    main.reply_to(by=handler, text="经查，该店已停业整顿。")
    assert Notification.objects.filter(recipient=other_applicant, body__contains="停业整顿").exists()
    assert Notification.objects.filter(email="caller@example.cn", body__contains="停业整顿").exists()
    assert Notification.objects.filter(recipient=applicant, body__contains="停业整顿").exists()


def test_merge_refusals(applicant, other_applicant, category, handler, other_department):
    main = submit(applicant, category)
    duplicate = submit(other_applicant, category)
    with pytest.raises(InvalidTransition):
        main.merge_into(main, by=handler)
    report = submit(other_applicant, category, kind=Kind.REPORT, reported_department=other_department)
    with pytest.raises(InvalidTransition):
        report.merge_into(main, by=handler)
    replied(main, handler)
    with pytest.raises(InvalidTransition):  # the main case must be open
        duplicate.merge_into(main, by=handler)
    elsewhere = submit(applicant, make_category(other_department, slug="x", name="养老"))
    with pytest.raises(InvalidTransition):  # another department's case
        duplicate.merge_into(elsewhere, by=handler)
    merged_target = submit(applicant, category)
    duplicate.merge_into(merged_target, by=handler)
    with pytest.raises(InvalidTransition):  # a merged case does not move again
        duplicate.merge_into(merged_target, by=handler)


def test_merged_duplicates_follow_their_case_into_the_main_one(applicant, category, handler):
    main, middle, last = (submit(applicant, category, title=f"重复{i}") for i in range(3))
    last.merge_into(middle, by=handler)
    middle.merge_into(main, by=handler)
    last.refresh_from_db()
    assert last.merged_into == main


def test_database_holds_merged_iff_merged_into(opinion):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=opinion.case_id).update(status="merged")
        Opinion.objects.filter(pk=opinion.pk).update(status="merged")


# --- Who sees what ------------------------------------------------------------------------------------


def test_visible_to(applicant, other_applicant, category, handler, other_handler, other_department, supervisor):
    mine = submit(applicant, category)
    assert set(Opinion.objects.visible_to(applicant)) == {mine}
    assert not Opinion.objects.visible_to(other_applicant).exists()
    assert set(Opinion.objects.visible_to(handler)) == {mine}
    assert not Opinion.objects.visible_to(other_handler).exists()
    assert set(Opinion.objects.visible_to(supervisor)) == {mine}


def test_co_handling_departments_read_the_case(applicant, department, other_department, other_handler):
    category = make_category(department, slug="co", co=[other_department])
    opinion = submit(applicant, category)
    assert list(Opinion.objects.visible_to(other_handler)) == [opinion]
    with pytest.raises(InvalidTransition):  # reading only
        opinion.accept(by=other_handler)


def test_art_30_staff_of_the_reported_unit_never_see_the_report(applicant, department, other_department):
    """Art. 30: even as a co-handling department or a center-wide role, the unit reported sees nothing."""
    category = make_category(department, slug="co", co=[other_department])
    report = submit(applicant, category, kind=Kind.REPORT, reported_department=other_department)
    reported_staff = make_staff("mz-head@example.cn", roles.DEPARTMENT_HEAD, other_department)
    reported_supervisor = make_staff("mz-sup@example.cn", roles.CENTER_SUPERVISOR, other_department)
    assert not Opinion.objects.visible_to(reported_staff).filter(pk=report.pk).exists()
    assert not Opinion.objects.visible_to(reported_supervisor).filter(pk=report.pk).exists()
    other_unit = make_department(code="JY", name="区教育局", phone="0571-86010606")
    assert (
        Opinion.objects.visible_to(make_staff("sup@jy.cn", roles.CENTER_SUPERVISOR, other_unit))
        .filter(pk=report.pk)
        .exists()
    )


def test_staff_registered_call_has_no_account(category, handler):
    opinion = Opinion.submit(
        by=handler,
        kind=Kind.HELP,
        category=category,
        title="欠薪求助",
        description="工地拖欠三个月工资，请帮助。",
        contact_name="赵刚",
        contact_phone="13700137000",
        channel="phone",
    )
    assert opinion.submitter is None and opinion.case.channel == "phone"
    assert not Notification.objects.filter(body__contains=opinion.case.number).exists()  # no address to reach
