"""The urgency of complaints and requests for help (prc-rules §7, the 12345 hotline rules 国办发〔2020〕53号:
emergencies are passed on at once; other cases within time limits). Tests of these rules end in `_hotline_53`.

The shorter limits are the category's (5 days urgent, 1 day emergency by default, never longer than the ordinary
limit). Working days over the 2026 calendar: Mid-Autumn 25-27 Sep, National Day 1-7 Oct, Sat 10 Oct a working day.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import CaseEvent, InvalidTransition
from civiccenter.models import Notification
from opinions.models import Kind, Opinion
from opinions.models.categories import Urgency
from tests.conftest import make_department, make_staff, make_user
from tests.opinions.test_cases import THU_24_SEP, make_category, submit

pytestmark = pytest.mark.django_db

MON_2_NOV = date(2026, 11, 2)


@pytest.fixture
def category(department):
    return make_category(department)  # 10 working days; urgent 5, emergency 1 by default


def emergencies():
    return Notification.objects.filter(subject__contains="特急")


# --- Submitting ----------------------------------------------------------------------------------------------


def test_normal_complaint_keeps_the_ordinary_limit_hotline_53(applicant, category):
    opinion = submit(applicant, category, today=MON_2_NOV)
    assert opinion.urgency == Urgency.NORMAL
    assert opinion.case.due_date == date(2026, 11, 16)  # 10 working days


def test_urgent_complaint_gets_the_categorys_shorter_limit_hotline_53(applicant, category):
    opinion = submit(applicant, category, urgency=Urgency.URGENT, today=THU_24_SEP)
    case = opinion.case
    # 5 working days from Thu 24 Sep: Mon 28, Tue 29, Wed 30 Sep, then after National Day Thu 8 and Fri 9 Oct.
    assert case.due_date == date(2026, 10, 9)
    assert case.clock_days == 5 and case.clock_unit == "working"
    assert "紧急" in case.clock_rule and "食品安全" in case.clock_rule
    assert not emergencies().exists()  # only an emergency is passed on at once


def test_emergency_request_for_help_is_due_next_working_day_and_told_to_the_duty_contact_hotline_53(
    applicant, department
):
    department.duty_email = "duty@scjg.example.cn"
    department.save()
    category = make_category(department)
    opinion = submit(applicant, category, kind=Kind.HELP, urgency=Urgency.EMERGENCY, today=THU_24_SEP)
    # 1 working day from Thu 24 Sep, over the Mid-Autumn holiday: Mon 28 Sep.
    assert opinion.case.due_date == date(2026, 9, 28)
    notice = emergencies().get()
    assert notice.email == "duty@scjg.example.cn" and notice.recipient is None
    assert opinion.case.number in notice.subject and opinion.title in notice.subject
    assert f"/admin/opinions/opinion/{opinion.pk}/move/" in notice.body


def test_emergency_without_a_duty_contact_tells_the_departments_opinion_handlers_hotline_53(
    applicant, category, staff_user, other_department
):
    clerk = make_user("clerk@example.cn", is_staff=True, department=category.lead_department)  # no role
    elsewhere = make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department)
    assert staff_user.has_perm("opinions.handle_opinion") and not clerk.has_perm("opinions.handle_opinion")
    submit(applicant, category, urgency=Urgency.EMERGENCY, today=MON_2_NOV)
    assert set(emergencies().values_list("recipient", flat=True)) == {staff_user.pk}
    assert not emergencies().filter(recipient__in=[clerk, elsewhere]).exists()


def test_the_shorter_limit_is_never_longer_than_the_ordinary_one_hotline_53(applicant, department):
    category = make_category(department, slug="short", days=3)  # urgent would be 5
    opinion = submit(applicant, category, urgency=Urgency.URGENT, today=MON_2_NOV)
    assert opinion.case.clock_days == 3 and opinion.case.due_date == date(2026, 11, 5)


def test_a_category_sets_its_own_urgent_limits_in_its_unit_hotline_53(applicant, department):
    category = make_category(
        department, slug="heat", days=15, unit="calendar", urgent_time_limit_days=3, emergency_time_limit_days=2
    )
    urgent = submit(applicant, category, urgency=Urgency.URGENT, today=MON_2_NOV, title="供暖中断")
    emergency = submit(applicant, category, urgency=Urgency.EMERGENCY, today=MON_2_NOV, title="供暖中断两天")
    assert urgent.case.due_date == date(2026, 11, 5) and emergency.case.due_date == date(2026, 11, 4)


def test_category_refuses_urgent_limits_longer_than_the_ordinary_one(department):
    category = make_category(department, days=10)
    category.urgent_time_limit_days = 12
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert "urgent_time_limit_days" in refused.value.message_dict
    category.urgent_time_limit_days, category.emergency_time_limit_days = 5, 6
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert "emergency_time_limit_days" in refused.value.message_dict


@pytest.mark.parametrize("kind", [Kind.SUGGESTION, Kind.REPORT])
def test_suggestions_and_reports_are_never_urgent_hotline_53(applicant, category, other_department, kind):
    extra = {"reported_department": other_department} if kind == Kind.REPORT else {}
    for language, text in (("zh-hans", "只有投诉和求助"), ("en", "Only a complaint or a request for help")):
        with pytest.raises(ValidationError) as refused:
            submit(applicant, category, kind=kind, urgency=Urgency.URGENT, **extra)
        with translation.override(language):
            assert text in " ".join(refused.value.message_dict["urgency"])
    assert not Opinion.objects.exists()


def test_the_database_refuses_an_urgent_suggestion(applicant, category):
    opinion = submit(applicant, category, kind=Kind.SUGGESTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.filter(pk=opinion.pk).update(urgency=Urgency.EMERGENCY)


# --- Changing it ---------------------------------------------------------------------------------------------


def test_raising_to_emergency_recounts_from_the_day_received_and_is_on_the_timeline_hotline_53(
    applicant, category, staff_user
):
    category.lead_department.duty_email = "duty@scjg.example.cn"
    category.lead_department.save()
    opinion = submit(applicant, category, today=MON_2_NOV)
    opinion.accept(by=staff_user)
    opinion.set_urgency(by=staff_user, urgency=Urgency.EMERGENCY, reason="老人独居，停水三天")
    case = opinion.case
    assert opinion.urgency == Urgency.EMERGENCY and opinion.status == Opinion.Status.ACCEPTED
    assert case.clock_start == MON_2_NOV and case.clock_days == 1 and case.due_date == date(2026, 11, 3)
    event = case.events.filter(kind=CaseEvent.Kind.NOTE).latest("pk")
    assert event.public and event.actor == staff_user
    assert "“普通”" in event.note and "“特急”" in event.note and "2026-11-03" in event.note
    assert "老人独居，停水三天" in event.note
    assert emergencies().get().email == "duty@scjg.example.cn"

    # Lowered again: the ordinary limit from the same day, and no second notice.
    opinion.set_urgency(by=staff_user, urgency=Urgency.NORMAL, reason="已临时供水")
    assert opinion.case.due_date == date(2026, 11, 16) and opinion.case.clock_days == 10
    assert emergencies().count() == 1


def test_a_pause_survives_a_change_of_urgency_hotline_53(applicant, category, staff_user):
    opinion = submit(applicant, category, today=MON_2_NOV)
    opinion.accept(by=staff_user)
    opinion.request_information(by=staff_user, question="请提供具体楼栋", today=MON_2_NOV)
    opinion.set_urgency(by=staff_user, urgency=Urgency.URGENT, reason="涉及燃气泄漏")
    assert opinion.case.due_date is None  # still paused
    # Answered on Wed 4 Nov: Tue 3 and Wed 4 are not counted; 5 working days from Mon 2 Nov end on Wed 11 Nov.
    opinion.answer_information(by=applicant, text="3 幢 2 单元", today=date(2026, 11, 4))
    assert opinion.case.due_date == date(2026, 11, 11)


def test_transferring_an_emergency_tells_the_receiving_duty_contact_hotline_53(applicant, category, staff_user):
    receiving = make_department(code="ZJ", name="区住建局", name_en="Housing Bureau", duty_email="duty@zj.example.cn")
    opinion = submit(applicant, category, urgency=Urgency.EMERGENCY, today=MON_2_NOV)
    opinion.transfer(by=staff_user, department=receiving, reason="属于住建局职责")
    assert emergencies().filter(email="duty@zj.example.cn").count() == 1


def test_reopening_an_urgent_case_gives_the_urgent_limit_again_hotline_53(applicant, category, staff_user):
    opinion = submit(applicant, category, urgency=Urgency.URGENT, today=MON_2_NOV)
    opinion.accept(by=staff_user)
    opinion.reply_to(by=staff_user, text="已处理。")
    opinion.reopen(by=applicant, reason="问题仍然存在", today=date(2026, 11, 9))
    assert opinion.case.clock_days == 5 and opinion.case.due_date == date(2026, 11, 16)


def test_changing_the_urgency_of_a_suggestion_is_refused_hotline_53(applicant, category, staff_user):
    opinion = submit(applicant, category, kind=Kind.SUGGESTION)
    assert "set_urgency" not in opinion.available_moves(staff_user)
    for language, text in (("zh-hans", "只有投诉和求助"), ("en", "Only a complaint or a request for help")):
        with pytest.raises(InvalidTransition) as refused:
            opinion.set_urgency(by=staff_user, urgency=Urgency.URGENT, reason="紧急")
        with translation.override(language):
            assert text in str(refused.value)


def test_the_same_urgency_again_is_refused_in_the_readers_language(applicant, category, staff_user):
    opinion = submit(applicant, category, urgency=Urgency.URGENT)
    assert "set_urgency" in opinion.available_moves(staff_user)
    with pytest.raises(InvalidTransition) as refused:
        opinion.set_urgency(by=staff_user, urgency=Urgency.URGENT, reason="再次确认")
    with translation.override("zh-hans"):
        assert str(refused.value) == "该件已经是“紧急”。"
    with translation.override("en"):
        assert str(refused.value) == "The case is already “Urgent”."


def test_changing_the_urgency_needs_a_reason_and_the_handling_department(
    applicant, category, staff_user, other_department
):
    opinion = submit(applicant, category)
    with pytest.raises(InvalidTransition):
        opinion.set_urgency(by=staff_user, urgency=Urgency.URGENT, reason="  ")
    outsider = make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department)
    with pytest.raises(InvalidTransition):
        opinion.set_urgency(by=outsider, urgency=Urgency.URGENT, reason="紧急")
    opinion.refresh_from_db()
    assert opinion.urgency == Urgency.NORMAL and opinion.case.clock_days == 10


def test_a_replied_case_keeps_its_urgency(applicant, category, staff_user):
    opinion = submit(applicant, category, urgency=Urgency.URGENT)
    opinion.accept(by=staff_user)
    opinion.reply_to(by=staff_user, text="已处理。")
    with pytest.raises(InvalidTransition):
        opinion.set_urgency(by=staff_user, urgency=Urgency.NORMAL, reason="事后降级")
    opinion.refresh_from_db()
    assert opinion.urgency == Urgency.URGENT
