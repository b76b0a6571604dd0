"""Disclosure requests (Regulations on Open Government Information, Art. 29-39): every move and rule,
with exact dates across the 2026 Mid-Autumn and National Day holidays."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from civiccenter.cases import Case, InvalidTransition
from civiccenter.models import Notification
from disclosure.models.requests import NEEDS_REASONS, REPORT_ROWS, Consultation, DisclosureRequest, ReplyType
from tests.disclosure.test_requests_common import (
    FRI_18_SEP,
    MON_14_SEP,
    THU_24_SEP,
    clerk_of,
    head_of,
    online,
    received,
    registered,
)

Status = DisclosureRequest.Status


@pytest.fixture(autouse=True)
def _refusals_read_in_english():
    """Refusals are lazy and read in the reader's language; these tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def clerk(department):
    return clerk_of(department)


@pytest.fixture
def head(department):
    return head_of(department)


def due(request):
    return Case.objects.get(pk=request.case_id).due_date


def fresh(request):
    return DisclosureRequest.objects.select_related("case").get(pk=request.pk)


# --- Filing and receipt (Art. 29, 31) ----------------------------------------------------------


@pytest.mark.django_db
def test_online_request_opens_a_gk_case_without_a_clock_until_confirmed_art_31(applicant, department):
    request = online(applicant, department)
    case = Case.objects.get(pk=request.case_id)
    assert request.status == case.status == Status.SUBMITTED
    assert case.kind == "disclosure" and case.number.startswith("GK-") and case.channel == "web"
    # Art. 31: not received yet; the office's clock to confirm runs: 2 working days from Fri 18 Sep 2026 are
    # Sun 20 Sep (an adjusted working day) and Mon 21 Sep.
    assert case.received_on is None and case.due_date == date(2026, 9, 21)
    assert case.applicant == applicant and request.applicant == applicant
    assert Notification.objects.filter(recipient=applicant).count() == 1
    assert case.events.count() == 1


@pytest.mark.django_db
def test_confirmation_fixes_the_day_of_receipt_and_starts_20_working_days_art_31_33(applicant, department, clerk):
    """Art. 31/33: filed Wed 30 Sep, confirmed Thu 8 Oct (after National Day): reply due Wed 4 Nov 2026."""
    request = online(applicant, department, today=date(2026, 9, 30))
    request.confirm(by=clerk, today=date(2026, 10, 8))
    case = Case.objects.get(pk=request.case_id)
    assert request.status == Status.RECEIVED and request.receipt_basis == "online_confirmed"
    assert case.received_on == date(2026, 10, 8)
    assert case.due_date == date(2026, 11, 4)
    assert case.events.last().actor == clerk
    assert Notification.objects.filter(recipient=applicant).count() == 2  # filed, then received


@pytest.mark.django_db
def test_clerk_registers_an_oral_request_received_at_once_art_29(clerk, department):
    """Art. 29: an oral request is written down by the clerk; received that day (Thu 24 Sep -> due Thu 29 Oct)."""
    request = registered(clerk, department, received_on=THU_24_SEP, channel="phone", oral=True)
    case = Case.objects.get(pk=request.case_id)
    assert request.status == Status.RECEIVED and request.applicant is None
    assert (case.channel, case.received_on, request.receipt_basis) == ("phone", THU_24_SEP, "in_person")
    assert case.due_date == date(2026, 10, 29)
    assert Notification.objects.filter(email="zhang@example.cn").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel,basis",
    [("post", "in_person"), ("window", "post_signed"), ("web", "online_confirmed"), ("phone", "post_confirmed")],
)
def test_registration_needs_the_receipt_basis_of_its_channel_art_31(clerk, department, channel, basis):
    with pytest.raises(InvalidTransition):
        registered(clerk, department, channel=channel, basis=basis)
    assert not DisclosureRequest.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_signed_for_post_is_received_the_day_it_was_signed_for_art_31(clerk, department):
    request = registered(clerk, department, received_on=MON_14_SEP, channel="post", basis="post_signed")
    assert request.case.received_on == MON_14_SEP and due(request) == date(2026, 10, 16)


# --- Correction (Art. 30) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_notice_within_7_working_days_across_the_holidays_art_30(clerk, department):
    """Art. 30: received Thu 24 Sep 2026 (Fri 25 Sep is Mid-Autumn): the 7th working day is Mon 12 Oct,
    after National Day, counting the adjusted working Saturday 10 Oct."""
    late = registered(clerk, department, received_on=THU_24_SEP)
    with pytest.raises(InvalidTransition, match="7 working days"):
        late.request_correction(by=clerk, items=["x"], deadline=date(2026, 10, 30), today=date(2026, 10, 13))
    assert fresh(late).status == Status.RECEIVED and fresh(late).correction_issued_on is None

    on_time = registered(clerk, department, received_on=THU_24_SEP, applicant_name="李华")
    on_time.request_correction(
        by=clerk, items=["请说明所需信息的年份", "请补充文号"], deadline=date(2026, 10, 23), today=date(2026, 10, 12)
    )
    on_time = fresh(on_time)
    assert on_time.status == Status.CORRECTION_REQUESTED
    assert on_time.correction_lines == ["请说明所需信息的年份", "请补充文号"]
    assert (on_time.correction_issued_on, on_time.correction_deadline) == (date(2026, 10, 12), date(2026, 10, 23))
    assert on_time.case.due_date is None  # the clock stops


@pytest.mark.django_db
def test_correction_notice_names_items_and_a_deadline_after_today_art_30(clerk, department):
    request = registered(clerk, department, received_on=MON_14_SEP)
    with pytest.raises(InvalidTransition):
        request.request_correction(by=clerk, items=["  ", ""], deadline=date(2026, 9, 30), today=MON_14_SEP)
    with pytest.raises(InvalidTransition):
        request.request_correction(by=clerk, items=["年份"], deadline=MON_14_SEP, today=MON_14_SEP)
    assert fresh(request).status == Status.RECEIVED


@pytest.mark.django_db
def test_the_correction_restarts_the_20_working_days_art_30(clerk, department):
    """Art. 30: corrected Fri 16 Oct 2026 -> received that day; reply due Fri 13 Nov 2026."""
    request = registered(clerk, department, received_on=THU_24_SEP)
    request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 10, 23), today=date(2026, 10, 12))
    request.correct(by=clerk, today=date(2026, 10, 16), description="请提供2025年度的项目清单。")
    request = fresh(request)
    assert request.status == Status.RECEIVED and request.corrected_on == date(2026, 10, 16)
    assert request.description == "请提供2025年度的项目清单。"
    assert request.case.received_on == date(2026, 10, 16) and request.case.due_date == date(2026, 11, 13)


@pytest.mark.django_db
def test_only_one_correction_notice_art_30(clerk, department):
    request = registered(clerk, department, received_on=MON_14_SEP)
    request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 9, 30), today=MON_14_SEP)
    request.correct(by=clerk, today=date(2026, 9, 16))
    with pytest.raises(InvalidTransition, match="only once"):
        request.request_correction(by=clerk, items=["文号"], deadline=date(2026, 10, 30), today=date(2026, 9, 17))
    assert fresh(request).status == Status.RECEIVED


@pytest.mark.django_db
def test_no_correction_by_the_deadline_is_abandoned_by_the_sweep_art_30(clerk, department):
    """Art. 30: correct by Fri 23 Oct; the sweep of that day leaves it, the sweep of Sat 24 Oct closes it (row 3.6.1)."""
    from disclosure.models.requests import sweep_abandoned_requests

    request = registered(clerk, department, received_on=THU_24_SEP)
    request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 10, 23), today=date(2026, 10, 12))
    assert sweep_abandoned_requests(date(2026, 10, 23)) == 0
    with pytest.raises(InvalidTransition):
        request.abandon(today=date(2026, 10, 23))
    assert sweep_abandoned_requests(date(2026, 10, 24)) == 1
    request = fresh(request)
    assert request.status == Status.ABANDONED and request.closed_reason == "abandoned_no_correction"
    assert request.report_row == "3.6.1" and request.case.closed_at is not None
    assert sweep_abandoned_requests(date(2026, 10, 25)) == 0  # once
    with pytest.raises(InvalidTransition):
        request.correct(by=clerk, today=date(2026, 10, 26))


@pytest.mark.django_db
def test_a_late_correction_is_refused_art_30(clerk, department):
    request = registered(clerk, department, received_on=THU_24_SEP)
    request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 10, 23), today=date(2026, 10, 12))
    with pytest.raises(InvalidTransition, match="abandoned"):
        request.correct(by=clerk, today=date(2026, 10, 24))
    assert fresh(request).status == Status.CORRECTION_REQUESTED


def test_the_sweep_is_registered_with_sweep_deadlines():
    from civiccenter import parts
    from disclosure.models.requests import sweep_abandoned_requests

    assert sweep_abandoned_requests in [sweep for sweep, _label in parts.sweeps()]


# --- Consultation (Art. 32, 34) ---------------------------------------------------------------


@pytest.mark.django_db
def test_consultation_pauses_the_clock_for_15_working_days_art_32_33(clerk, department):
    """Received Fri 18 Sep (due Thu 22 Oct). A third party consulted Mon 21 Sep must answer by Mon 19 Oct;
    the consultation ends Wed 14 Oct: 22 Sep - 14 Oct are not counted, so the reply is due Mon 9 Nov 2026."""
    request = registered(clerk, department, received_on=FRI_18_SEP)
    assert due(request) == date(2026, 10, 22)
    consultation = request.consult(
        by=clerk, kind="third_party", party="示范区悦来餐饮管理有限公司", today=date(2026, 9, 21)
    )
    assert consultation.answer_due == date(2026, 10, 19)
    assert request.status == Status.CONSULTING and due(request) is None  # paused
    with pytest.raises(InvalidTransition, match="2026-10-19"):
        request.end_consultation(by=clerk, today=date(2026, 10, 14))  # the party still has time
    request.record_answer(
        by=clerk,
        consultation=consultation,
        answered_on=date(2026, 10, 13),
        objects_to_disclosure=False,
        today=date(2026, 10, 14),
    )
    request.end_consultation(by=clerk, today=date(2026, 10, 14))
    assert request.status == Status.RECEIVED and due(request) == date(2026, 11, 9)


@pytest.mark.django_db
def test_silence_of_the_consulted_party_lets_the_office_decide_after_15_days_art_32_34(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    request.consult(by=clerk, kind="organ", party="区财政局", today=date(2026, 9, 21))
    request.end_consultation(by=clerk, today=date(2026, 10, 20))  # due 19 Oct, no answer
    assert request.status == Status.RECEIVED
    # 22 Sep - 20 Oct paused: counted Sun 20 Sep (a working day) and 21 Sep, then 18 more from 21 Oct.
    assert due(request) == date(2026, 11, 13)


@pytest.mark.django_db
def test_a_second_party_is_consulted_without_a_second_pause(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    request.consult(by=clerk, kind="third_party", party="张三", today=date(2026, 9, 21))
    request.consult(by=clerk, kind="organ", party="区财政局", today=date(2026, 9, 22))
    assert request.consultations.count() == 2 and request.case.pauses.count() == 1
    assert request.status == Status.CONSULTING


@pytest.mark.django_db
def test_an_answer_is_recorded_once_with_a_plausible_date(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    consultation = request.consult(by=clerk, kind="third_party", party="张三", today=date(2026, 9, 21))
    for answered_on in (date(2026, 9, 20), date(2026, 10, 2)):
        with pytest.raises(InvalidTransition):
            request.record_answer(
                by=clerk,
                consultation=consultation,
                answered_on=answered_on,
                objects_to_disclosure=True,
                today=date(2026, 10, 1),
            )
    request.record_answer(
        by=clerk,
        consultation=consultation,
        answered_on=date(2026, 9, 30),
        objects_to_disclosure=True,
        answer="涉及商业秘密",
    )
    consultation.refresh_from_db()
    assert consultation.objects_to_disclosure is True and consultation.answered_on == date(2026, 9, 30)
    assert not request.case.events.last().public  # the third party's view stays in the office's file
    with pytest.raises(InvalidTransition):
        request.record_answer(
            by=clerk, consultation=consultation, answered_on=date(2026, 9, 30), objects_to_disclosure=False
        )


@pytest.mark.django_db
def test_disclosure_over_an_objection_needs_the_public_interest_and_tells_the_third_party_art_32(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    consultation = request.consult(
        by=clerk, kind="third_party", party="示范区悦来餐饮管理有限公司", today=date(2026, 9, 21)
    )
    request.record_answer(
        by=clerk,
        consultation=consultation,
        answered_on=date(2026, 9, 28),
        objects_to_disclosure=True,
        today=date(2026, 9, 28),
    )
    request.end_consultation(by=clerk, today=date(2026, 9, 28))
    with pytest.raises(InvalidTransition, match="Article 32"):
        request.reply(by=clerk, reply_type="disclosed", today=date(2026, 10, 9))
    assert fresh(request).status == Status.RECEIVED
    request.reply(
        by=clerk,
        reply_type="disclosed",
        reasons="涉及公众食品安全，不公开会对公共利益造成重大影响。",
        today=date(2026, 10, 9),
    )
    consultation.refresh_from_db()
    assert consultation.disclosed_over_objection_notified_on == date(2026, 10, 9)


@pytest.mark.django_db
def test_withholding_after_an_objection_sends_no_letter(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    consultation = request.consult(by=clerk, kind="third_party", party="张三", today=date(2026, 9, 21))
    request.record_answer(
        by=clerk,
        consultation=consultation,
        answered_on=date(2026, 9, 28),
        objects_to_disclosure=True,
        today=date(2026, 9, 28),
    )
    request.end_consultation(by=clerk, today=date(2026, 9, 28))
    request.reply(by=clerk, reply_type="withheld_third_party", reasons="涉及第三方商业秘密。", today=date(2026, 10, 9))
    consultation.refresh_from_db()
    assert consultation.disclosed_over_objection_notified_on is None


# --- Extension (Art. 33) ----------------------------------------------------------------------


@pytest.mark.django_db
def test_one_extension_of_at_most_20_working_days_by_the_office_head_art_33(clerk, head, department):
    """Received Fri 18 Sep: due Thu 22 Oct; extended by 20 working days: due Thu 19 Nov 2026."""
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(InvalidTransition, match="head"):
        request.extend(by=clerk, reason="需调取档案", days=10, today=date(2026, 10, 20))
    for days in (0, 21):
        with pytest.raises(InvalidTransition, match="20 working days"):
            request.extend(by=head, reason="需调取档案", days=days, today=date(2026, 10, 20))
    with pytest.raises(InvalidTransition, match="reason"):
        request.extend(by=head, reason=" ", days=20, today=date(2026, 10, 20))
    assert due(request) == date(2026, 10, 22)
    request.extend(by=head, reason="需从档案馆调取2015年以前的纸质档案", days=20, today=date(2026, 10, 20))
    request = fresh(request)
    assert request.case.due_date == date(2026, 11, 19) and request.case.clock_extension == 20
    assert request.extended_by == head and request.extension_reason == "需从档案馆调取2015年以前的纸质档案"
    event = request.case.events.last()
    assert event.public and "需从档案馆调取2015年以前的纸质档案" in event.note
    with pytest.raises(InvalidTransition, match="only once"):
        request.extend(by=head, reason="再次延长", days=5, today=date(2026, 10, 21))
    assert due(request) == date(2026, 11, 19)


@pytest.mark.django_db
def test_no_extension_once_the_time_limit_is_over_art_33(clerk, head, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(InvalidTransition, match="over"):
        request.extend(by=head, reason="需调取档案", days=5, today=date(2026, 10, 23))
    assert due(request) == date(2026, 10, 22)


@pytest.mark.django_db
def test_extension_and_consultation_add_up_art_33(clerk, head, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    request.consult(by=clerk, kind="organ", party="区财政局", today=date(2026, 9, 21))
    request.extend(by=head, reason="需会商", days=10, today=date(2026, 9, 22))
    request.end_consultation(by=clerk, today=date(2026, 10, 20))
    assert due(request) == date(2026, 11, 27)  # Fri 13 Nov + 10 working days


# --- Reply (Art. 36-39) -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reply_type", ReplyType.values)
def test_each_reply_type_with_its_mandatory_reasons_art_36_37(clerk, department, reply_type):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    extra = {"published_where": "示范区人民政府网站“政府信息公开”栏目"} if reply_type == "already_published" else {}
    if reply_type in NEEDS_REASONS:
        with pytest.raises(InvalidTransition, match="reasons"):
            request.reply(by=clerk, reply_type=reply_type, reasons=" ", today=date(2026, 10, 9), **extra)
        assert fresh(request).status == Status.RECEIVED
    request.reply(by=clerk, reply_type=reply_type, reasons="依据条例相关规定。", today=date(2026, 10, 9), **extra)
    request = fresh(request)
    assert request.status == Status.REPLIED and request.reply_type == reply_type
    assert request.replied_on == date(2026, 10, 9) and request.case.closed_at is not None
    assert request.case.due_at_close == date(2026, 10, 22) and request.case.due_date is None
    assert request.report_row == REPORT_ROWS[reply_type]
    assert "60" in request.case.events.last().note  # the remedies, in every reply


@pytest.mark.django_db
def test_already_published_names_where_art_36_1(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(InvalidTransition):
        request.reply(by=clerk, reply_type="already_published", today=date(2026, 10, 9))
    request.reply(by=clerk, reply_type="already_published", published_where="区政府网站", today=date(2026, 10, 9))
    assert fresh(request).published_where == "区政府网站"


@pytest.mark.django_db
def test_not_held_names_the_competent_organ_when_known_art_36_5(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    request.reply(
        by=clerk,
        reply_type="not_held",
        reasons="该信息由市级部门制作。",
        competent_organ="市住房和城乡建设局",
        today=date(2026, 10, 9),
    )
    assert fresh(request).competent_organ == "市住房和城乡建设局"


@pytest.mark.django_db
def test_a_reply_is_exactly_one_known_type(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    for reply_type in ("", "maybe", None):
        with pytest.raises(InvalidTransition):
            request.reply(by=clerk, reply_type=reply_type, reasons="x")
    assert fresh(request).status == Status.RECEIVED


@pytest.mark.django_db
def test_the_database_refuses_a_refusal_without_reasons(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureRequest.objects.filter(pk=request.pk).update(reply_type="withheld_state_secret", reply_reasons="")


@pytest.mark.django_db
def test_the_database_refuses_a_reply_without_its_type(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=request.case_id).update(status="replied")
        DisclosureRequest.objects.filter(pk=request.pk).update(status="replied")


@pytest.mark.django_db
def test_withdrawal_closes_the_request_report_row_3_6_3(applicant, department):
    request = online(applicant, department)
    request.withdraw(by=applicant)
    request = fresh(request)
    assert request.status == Status.WITHDRAWN and request.report_row == "3.6.3" and request.case.closed_at


# --- The state graph: every move from every state ---------------------------------------------


def _in_state(state, applicant, clerk, department):
    if state == "submitted":
        return online(applicant, department, today=MON_14_SEP)
    request = received(applicant, clerk, department, on=MON_14_SEP)
    if state == "correction_requested":
        request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 9, 30), today=date(2026, 9, 15))
    elif state == "consulting":
        consultation = request.consult(by=clerk, kind="third_party", party="张三", today=date(2026, 9, 15))
        request.record_answer(
            by=clerk,
            consultation=consultation,
            answered_on=date(2026, 9, 15),
            objects_to_disclosure=False,
            today=date(2026, 9, 15),
        )
    elif state == "replied":
        request.reply(by=clerk, reply_type="disclosed", today=date(2026, 9, 16))
    elif state == "withdrawn":
        request.withdraw(by=applicant)
    elif state == "abandoned":
        request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 9, 30), today=date(2026, 9, 15))
        request.abandon(today=date(2026, 10, 8))
    return fresh(request)


MOVES = {
    "confirm": lambda r, c, h: r.confirm(by=c, today=date(2026, 9, 16)),
    "request_correction": lambda r, c, h: r.request_correction(
        by=c, items=["文号"], deadline=date(2026, 9, 30), today=date(2026, 9, 16)
    ),
    "correct": lambda r, c, h: r.correct(by=c, today=date(2026, 9, 16)),
    "abandon": lambda r, c, h: r.abandon(today=date(2026, 10, 8)),
    "consult": lambda r, c, h: r.consult(by=c, kind="organ", party="区财政局", today=date(2026, 9, 16)),
    "end_consultation": lambda r, c, h: r.end_consultation(by=c, today=date(2026, 9, 16)),
    "extend": lambda r, c, h: r.extend(by=h, reason="需调取档案", days=5, today=date(2026, 9, 16)),
    "reply": lambda r, c, h: r.reply(by=c, reply_type="disclosed", today=date(2026, 9, 16)),
    "withdraw": lambda r, c, h: r.withdraw(by=c),
}

ALLOWED_MOVES = {
    "submitted": {"confirm", "withdraw"},
    "received": {"request_correction", "consult", "extend", "reply", "withdraw"},
    "correction_requested": {"correct", "abandon", "withdraw"},
    "consulting": {"consult", "end_consultation", "extend", "withdraw"},
    "replied": set(),
    "abandoned": set(),
    "withdrawn": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ALLOWED_MOVES)
@pytest.mark.parametrize("move", MOVES)
def test_every_move_from_every_state(applicant, department, clerk, head, state, move):
    request = _in_state(state, applicant, clerk, department)
    assert request.status == state
    events = request.case.events.count()
    if move in ALLOWED_MOVES[state]:
        MOVES[move](request, clerk, head)
        assert fresh(request).case.events.count() == events + 1  # every move leaves its trace
        assert move in ("consult", "extend") or fresh(request).status != state
    else:
        with pytest.raises(InvalidTransition):
            MOVES[move](request, clerk, head)
        after = fresh(request)
        assert after.status == after.case.status == state
        assert after.case.events.count() == events


def names(moves):
    return {move.name for move in moves}


@pytest.mark.django_db
def test_available_moves_follow_the_state(applicant, clerk, head, department):
    request = online(applicant, department, today=MON_14_SEP)
    assert names(request.available_moves()) == {"confirm", "withdraw"}
    assert names(request.available_moves(applicant)) == {"withdraw"}
    request.confirm(by=clerk, today=MON_14_SEP)
    assert names(request.available_moves()) == {
        "request_correction",
        "consult",
        "send_fee_notice",
        "reply",
        "add_reply_file",
        "extend",
        "withdraw",
    }
    assert "extend" not in names(request.available_moves(clerk))  # the office head's (Art. 33)
    assert "extend" in names(request.available_moves(head))
    consultation = request.consult(by=clerk, kind="organ", party="区财政局", today=MON_14_SEP)
    assert "record_answer" in names(request.available_moves()) and "reply" not in names(request.available_moves())
    request.record_answer(
        by=clerk, consultation=consultation, answered_on=MON_14_SEP, objects_to_disclosure=False, today=MON_14_SEP
    )
    assert "record_answer" not in names(request.available_moves())


@pytest.mark.django_db
def test_concurrent_replies_are_serialised_by_the_row_lock(clerk, department):
    """Two clerks replying at once: the second sees the first's reply and is refused."""
    request = registered(clerk, department, received_on=FRI_18_SEP)
    stale = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    request.reply(by=clerk, reply_type="disclosed", today=date(2026, 10, 9))
    with pytest.raises(InvalidTransition):
        stale.reply(by=clerk, reply_type="withheld_internal", reasons="内部事务", today=date(2026, 10, 9))
    assert fresh(request).reply_type == "disclosed"


@pytest.mark.django_db
def test_consultation_due_date_never_precedes_its_sending(clerk, department):
    request = registered(clerk, department, received_on=FRI_18_SEP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(
            request=request, kind="organ", party="x", sent_on=date(2026, 9, 21), answer_due=date(2026, 9, 20)
        )
