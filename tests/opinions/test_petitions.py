"""Petitions under the Letters and Visits Regulations (prc-rules.md §3): every move, every time limit.

Calendar days throughout. The 2026 holidays used (civiccenter migration 0004): Mid-Autumn 25-27 Sep,
National Day 1-7 Oct, Sat 10 Oct a working day.
"""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from opinions.models.petitions import Petition, PetitionOpinion, PetitionRepresentative
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
S = Petition.Status


def file(petitioner, department, *, today=date(2026, 9, 24), **overrides):
    fields = {
        "name": petitioner.full_name if petitioner else "赵大伟",
        "address": "示范区文三路 100 号 3 幢 201 室",
        "request": "请求责令小区旁的餐馆整改油烟直排问题",
        "facts": "自 2026 年 6 月起，楼下餐馆每天中午和晚上油烟直排，影响居民生活。",
        "reasons": "《大气污染防治法》规定餐饮服务业经营者应当安装油烟净化设施。",
    }
    fields.update(overrides)
    return Petition.file(by=petitioner, petitioner=petitioner, department=department, today=today, **fields)


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def clerk(department):
    return make_staff("clerk@example.cn", roles.WINDOW_CLERK, department, full_name="孙丽")


def opinion(petition, by, today, outcome="explained"):
    petition.issue_opinion(
        by=by,
        outcome=outcome,
        facts="经现场核查，该餐馆已安装油烟净化设施但未正常使用。",
        legal_basis="《中华人民共和国大气污染防治法》第八十一条",
        text="已责令该餐馆限期整改，并将持续跟踪检查。",
        today=today,
    )


def accepted(applicant, department, staff_user, today=date(2026, 9, 24), **kwargs):
    petition = file(applicant, department, today=today, **kwargs)
    petition.accept(by=staff_user, today=today)
    return petition


def issued(applicant, department, staff_user, on, **kwargs):
    petition = accepted(applicant, department, staff_user, today=date(2026, 8, 1), **kwargs)
    opinion(petition, staff_user, on)
    return petition


def reviewed(applicant, department, staff_user, on):
    petition = issued(applicant, department, staff_user, date(2026, 8, 20))
    petition.request_review(by=applicant, reason="整改没有落实", today=date(2026, 8, 25))
    opinion(petition, staff_user, on)
    return petition


# --- Filing (Art. 19, 20, 22-23) --------------------------------------------------------


def test_filing_registers_a_case_with_the_15_day_clock_over_national_day_art_23(applicant, department):
    """Thu 24 Sep + 15 calendar days = Fri 9 Oct: the Mid-Autumn and National Day holidays inside count."""
    petition = file(applicant, department)
    case = petition.case
    assert case.number.startswith("XF-2026-")
    assert (case.kind, case.status, petition.status) == ("petition", S.REGISTERED, S.REGISTERED)
    assert case.clock_unit == "calendar"
    assert case.due_date == date(2026, 10, 9)
    assert case.events.count() == 1
    assert Notification.objects.filter(recipient=applicant).count() == 1


def test_15_day_limit_last_day_and_day_after_art_23(applicant, department):
    case = file(applicant, department).case
    assert not case.__class__.objects.overdue(today=date(2026, 10, 9)).filter(pk=case.pk).exists()
    assert case.__class__.objects.overdue(today=date(2026, 10, 10)).filter(pk=case.pk).exists()


@pytest.mark.parametrize("missing", ["name", "address", "request", "facts", "reasons"])
def test_name_address_request_facts_and_reasons_are_required_art_19(applicant, department, missing):
    with pytest.raises(InvalidTransition, match="Art. 19"):
        file(applicant, department, **{missing: "  "})
    assert not Petition.objects.exists()


def test_at_most_5_representatives_art_20(applicant, department):
    with pytest.raises(InvalidTransition, match="at most 5"):
        file(applicant, department, represented_count=40, representatives=["甲", "乙", "丙", "丁", "戊", "己"])
    petition = file(applicant, department, represented_count=40, representatives=["甲", "乙", "丙", "丁", "戊"])
    assert [r.seq for r in petition.representatives.all()] == [1, 2, 3, 4, 5]
    assert petition.is_group


def test_database_refuses_a_sixth_representative_art_20(applicant, department):
    petition = file(applicant, department, represented_count=9, representatives=["甲"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PetitionRepresentative.objects.create(petition=petition, seq=6, name="庚")


def test_same_matter_pending_is_not_accepted_again_art_19(applicant, department, other_department):
    first = file(applicant, department)
    with pytest.raises(InvalidTransition, match=f"{first.case.number}.*Art. 19"):
        # Same petitioner and request, other spacing and punctuation, another organ.
        file(applicant, other_department, request="请求责令小区旁的餐馆整改油烟直排问题！ ")
    assert Petition.objects.count() == 1
    # Another request by the same person is a new matter.
    file(applicant, department, request="请求公开该餐馆的环评批复")


def test_database_holds_one_live_petition_per_matter(applicant, department):
    first = file(applicant, department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.create(
            case=first.case, fingerprint=first.fingerprint, name="x", address="x", request="x", facts="x", reasons="x"
        )


def test_a_matter_not_accepted_may_be_filed_again(applicant, department, staff_user):
    first = file(applicant, department)
    first.refuse(by=staff_user, reason="该事项已在市信访局办理中")
    again = file(applicant, department)
    assert again.pk != first.pk


# --- The 15-day decision ----------------------------------------------------------------


def test_accept_starts_the_60_day_clock_art_34(applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user)
    assert petition.status == S.ACCEPTED
    assert petition.case.due_date == date(2026, 11, 23)  # 24 Sep + 60
    assert petition.case.closed_at is None


def test_transfer_names_the_organ_and_closes(applicant, department, staff_user):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        petition.transfer(by=staff_user, organ="", reason="属地管辖")
    petition.transfer(by=staff_user, organ="文三街道办事处", reason="属地管辖")
    assert petition.status == S.TRANSFERRED
    assert petition.case.closed_at is not None
    assert "文三街道办事处" in petition.case.events.last().note


def test_redirect_names_the_procedure_with_explanation_art_31(applicant, department, staff_user):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        petition.redirect(by=staff_user, route="litigation", explanation=" ")
    with pytest.raises(InvalidTransition):
        petition.redirect(by=staff_user, route="lottery", explanation="x")
    petition.redirect(by=staff_user, route="litigation", explanation="劳动报酬纠纷请向人民法院起诉。")
    assert (petition.status, petition.route) == (S.REDIRECTED, "litigation")
    assert petition.case.closed_at is not None


def test_refuse_requires_a_reason(applicant, department, staff_user):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        petition.refuse(by=staff_user, reason="")
    petition.refuse(by=staff_user, reason="同一事项正由上级机关办理")
    assert petition.status == S.NOT_ACCEPTED


def test_only_handlers_decide(applicant, department, supervisor):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        petition.accept(by=supervisor)
    with pytest.raises(InvalidTransition):
        petition.accept(by=applicant)


@pytest.mark.parametrize(
    "move",
    [
        lambda p, by: p.accept(by=by),
        lambda p, by: p.transfer(by=by, organ="街道", reason="属地"),
        lambda p, by: p.redirect(by=by, route="arbitration", explanation="劳动争议仲裁"),
        lambda p, by: p.refuse(by=by, reason="重复"),
    ],
)
def test_a_decided_petition_cannot_be_decided_again(applicant, department, staff_user, move):
    petition = accepted(applicant, department, staff_user)
    with pytest.raises(InvalidTransition):
        move(petition, staff_user)


def test_opinion_needs_an_accepted_petition(applicant, department, staff_user):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        opinion(petition, staff_user, date(2026, 9, 25))


# --- Extension (Art. 34) ----------------------------------------------------------------


def test_extension_once_by_at_most_30_days_by_a_head_with_the_reason_told_art_34(
    applicant, department, staff_user, head
):
    petition = accepted(applicant, department, staff_user)
    with pytest.raises(InvalidTransition, match="head"):
        petition.extend(by=staff_user, days=30, reason="需要现场勘验")
    with pytest.raises(InvalidTransition, match="reason"):
        petition.extend(by=head, days=30, reason=" ")
    with pytest.raises(InvalidTransition, match="1 to 30"):
        petition.extend(by=head, days=31, reason="需要现场勘验")
    before = Notification.objects.filter(recipient=applicant).count()
    with pytest.raises(InvalidTransition, match="already over"):  # the 60 days ended on 23 Nov
        petition.extend(by=head, days=30, reason="需要现场勘验", today=date(2026, 11, 24))
    petition.extend(by=head, days=30, reason="需要现场勘验", today=date(2026, 11, 23))
    assert petition.case.due_date == date(2026, 12, 23)  # 23 Nov + 30
    assert petition.extension_approved_by == head
    told = Notification.objects.filter(recipient=applicant).order_by("pk")
    assert told.count() == before + 1 and "需要现场勘验" in told.last().body
    assert petition.case.events.last().public
    with pytest.raises(InvalidTransition, match="only once"):
        petition.extend(by=head, days=1, reason="再延")


def test_database_refuses_an_extension_over_30_days_or_without_reason(applicant, department):
    petition = file(applicant, department)
    for days, reason in [(31, "原因"), (10, "")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Petition.objects.filter(pk=petition.pk).update(extension_days=days, extension_reason=reason)


def test_extension_only_while_handling(applicant, department, head):
    petition = file(applicant, department)
    with pytest.raises(InvalidTransition):
        petition.extend(by=head, days=10, reason="原因")


# --- Opinion, review (Art. 32, 35) -------------------------------------------------------


def test_opinion_requires_outcome_facts_and_legal_basis_art_32(applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user)
    good = {"outcome": "supported", "facts": "事实", "legal_basis": "依据", "text": "意见"}
    for key, bad in [("outcome", "maybe"), ("facts", ""), ("legal_basis", " "), ("text", "")]:
        with pytest.raises(InvalidTransition):
            petition.issue_opinion(by=staff_user, **{**good, key: bad})
    assert not PetitionOpinion.objects.exists()


def test_opinion_closes_the_case_and_opens_the_30_day_review_window_art_35(applicant, department, staff_user):
    """Opinion on Thu 10 Sep: the review may be asked until Sat 10 Oct (a working day), National Day counted."""
    petition = issued(applicant, department, staff_user, date(2026, 9, 10))
    assert petition.status == S.OPINION_ISSUED
    assert petition.case.closed_at is not None and petition.case.due_date is None
    assert petition.review_window_ends == date(2026, 10, 10)
    assert "request_review" in petition.available_moves(applicant, today=date(2026, 10, 10))
    assert "request_review" not in petition.available_moves(applicant, today=date(2026, 10, 11))


def test_review_requested_on_the_last_day_art_35(applicant, department, staff_user):
    petition = issued(applicant, department, staff_user, date(2026, 9, 10))
    petition.request_review(by=applicant, reason="整改没有落实", today=date(2026, 10, 10))
    assert petition.status == S.REVIEW_REQUESTED
    assert petition.case.closed_at is None
    assert petition.case.due_date == date(2026, 11, 9)  # 10 Oct + 30


def test_review_requested_the_day_after_is_refused_naming_the_day_art_35(applicant, department, staff_user):
    petition = issued(applicant, department, staff_user, date(2026, 9, 10))
    with pytest.raises(InvalidTransition, match="ended on 2026-10-10"):
        petition.request_review(by=applicant, reason="整改没有落实", today=date(2026, 10, 11))
    petition.refresh_from_db()
    assert petition.status == S.OPINION_ISSUED


def test_a_window_ending_on_a_holiday_ends_the_next_working_day_civil_code_art_203(applicant, department, staff_user):
    petition = issued(applicant, department, staff_user, date(2026, 9, 3))  # + 30 = Sat 3 Oct, a holiday
    assert petition.review_window_ends == date(2026, 10, 8)


def test_review_needs_reasons_and_an_opinion(applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user)
    with pytest.raises(InvalidTransition):
        petition.request_review(by=applicant, reason="不服")
    opinion(petition, staff_user, date(2026, 9, 30))
    with pytest.raises(InvalidTransition):
        petition.request_review(by=applicant, reason=" ", today=date(2026, 10, 1))
    with pytest.raises(InvalidTransition):
        petition.request_rereview(by=applicant, reason="不服", today=date(2026, 10, 1))


def test_review_opinion_within_30_days_then_the_rereview_window_art_35_36(applicant, department, staff_user):
    petition = reviewed(applicant, department, staff_user, date(2026, 9, 10))
    assert petition.status == S.REVIEWED
    assert petition.case.closed_at is not None
    assert petition.rereview_window_ends == date(2026, 10, 10)
    with pytest.raises(InvalidTransition, match="ended on 2026-10-10"):
        petition.request_rereview(by=applicant, reason="仍不服", today=date(2026, 10, 11))
    petition.request_rereview(by=applicant, reason="仍不服", today=date(2026, 10, 10))
    assert petition.status == S.REREVIEW_REQUESTED
    assert petition.case.due_date == date(2026, 11, 9)


def test_review_answer_due_30_days_after_the_request_art_35(applicant, department, staff_user):
    petition = issued(applicant, department, staff_user, date(2026, 9, 10))
    petition.request_review(by=applicant, reason="不服", today=date(2026, 9, 20))
    assert petition.case.due_date == date(2026, 10, 20)
    assert petition.case.clock_unit == "calendar"


# --- Re-review, hearing pause, finality (Art. 36) -----------------------------------------


def test_hearing_time_is_excluded_from_the_rereview_limit_art_36(applicant, department, staff_user):
    petition = reviewed(applicant, department, staff_user, date(2026, 9, 10))
    petition.request_rereview(by=applicant, reason="仍不服", today=date(2026, 9, 30))
    assert petition.case.due_date == date(2026, 10, 30)
    with pytest.raises(InvalidTransition):
        petition.end_hearing(by=staff_user, on=date(2026, 10, 15))
    petition.start_hearing(by=staff_user, on=date(2026, 10, 12))
    assert petition.case.due_date is None  # paused, no end yet
    with pytest.raises(InvalidTransition):
        petition.start_hearing(by=staff_user, on=date(2026, 10, 13))
    petition.end_hearing(by=staff_user, on=date(2026, 10, 15))
    # The hearing's days, its first (12 Oct) through its last (15 Oct), are not counted: 30 Oct + 4 days.
    assert petition.case.due_date == date(2026, 11, 3)


def test_hearing_pause_only_during_rereview(applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user)
    with pytest.raises(InvalidTransition):
        petition.start_hearing(by=staff_user, on=date(2026, 10, 12))


def test_rereview_opinion_makes_the_matter_final_and_blocks_the_same_facts_art_36(
    applicant, department, staff_user, other_department
):
    petition = reviewed(applicant, department, staff_user, date(2026, 9, 10))
    petition.request_rereview(by=applicant, reason="仍不服", today=date(2026, 9, 30))
    opinion(petition, staff_user, date(2026, 10, 20), outcome="not_supported")
    assert petition.status == S.FINAL
    assert petition.case.closed_at is not None
    assert [o.stage for o in petition.opinions.all()] == ["handling", "review", "rereview"]
    with pytest.raises(InvalidTransition, match="Art. 36"):
        file(applicant, other_department)
    with pytest.raises(InvalidTransition):
        petition.request_review(by=applicant, reason="再不服")
    with pytest.raises(InvalidTransition):
        opinion(petition, staff_user, date(2026, 10, 21))


def test_every_move_writes_a_timeline_event(applicant, department, staff_user):
    petition = reviewed(applicant, department, staff_user, date(2026, 9, 10))
    statuses = list(petition.case.events.values_list("new_status", flat=True))
    assert statuses == [S.REGISTERED, S.ACCEPTED, S.OPINION_ISSUED, S.REVIEW_REQUESTED, S.REVIEWED]


def test_the_closed_petition_can_be_rated(applicant, department, staff_user):
    from civiccenter.cases import Rating

    petition = issued(applicant, department, staff_user, date(2026, 9, 10))
    assert Rating.give(case=petition.case, level=4, by=applicant).level == 4


def test_clerk_may_decide_but_not_extend(applicant, department, clerk):
    petition = file(applicant, department)
    petition.accept(by=clerk, today=date(2026, 9, 24))
    with pytest.raises(InvalidTransition):
        petition.extend(by=clerk, days=5, reason="原因")
