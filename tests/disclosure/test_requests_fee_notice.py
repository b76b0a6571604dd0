"""Fees by notice (Regulations on Open Government Information, Art. 42; 国办函〔2020〕109号): the fee notice pauses
the clock, the payment resumes it, no payment by the deadline ends the request (report row 3.6.2).

Dates over the 2026 calendar: Mid-Autumn Fri 25 - Sun 27 Sep, National Day Thu 1 - Wed 7 Oct; Sun 20 Sep and
Sat 10 Oct are working days. The payment deadline is DISCLOSURE_FEE_PAYMENT_DAYS (20) working days, a setting:
prc-rules.md does not fix it.
"""

from datetime import date

import pytest
from django.utils import translation

from civiccenter.cases import Case, InvalidTransition
from civiccenter.models import Notification
from disclosure import annual
from disclosure.models.requests import DisclosureRequest, sweep_unpaid_fees
from tests.disclosure.test_requests_common import MON_14_SEP, clerk_of, received, registered

Status = DisclosureRequest.Status
TUE_15_SEP = date(2026, 9, 15)
FRI_18_SEP = date(2026, 9, 18)
MON_19_OCT = date(2026, 10, 19)  # 20 working days after Tue 15 Sep, over both holidays and both working weekends


@pytest.fixture
def clerk(department):
    return clerk_of(department)


def fresh(request):
    return DisclosureRequest.objects.select_related("case").get(pk=request.pk)


def noticed(clerk, department, **fields):
    """Received Mon 14 Sep (reply due Fri 16 Oct); a fee notice for 40 pages (¥100) on Tue 15 Sep."""
    request = registered(clerk, department, received_on=MON_14_SEP, **fields)
    assert request.case.due_date == date(2026, 10, 16)
    request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=40, today=TUE_15_SEP)
    return fresh(request)


def refusal(error):
    """The refusal in Chinese and in English."""
    with translation.override("zh-hans"):
        chinese = str(error.value)
    with translation.override("en"):
        english = str(error.value)
    return chinese, english


@pytest.mark.django_db
def test_the_fee_notice_pauses_the_clock_until_the_payment_deadline_art_42(clerk, department):
    request = noticed(clerk, department)
    assert request.status == request.case.status == Status.AWAITING_FEE
    assert (request.fee_schedule, request.fee_units, request.fee_amount) == ("pages", 40, 100)
    assert (request.fee_noticed_on, request.fee_due) == (TUE_15_SEP, MON_19_OCT)
    # The day of the notice still counts; the clock stops from the next day and has no due date meanwhile.
    assert request.case.due_date is None
    assert request.case.pauses.get().starts_on == date(2026, 9, 16)
    notice = Notification.objects.filter(email="zhang@example.cn").order_by("pk").last()
    assert "100" in notice.body and "2026-10-19" in notice.body


@pytest.mark.django_db
def test_the_payment_resumes_the_clock_and_the_reply_charges_nothing_more_art_42(clerk, department):
    """Paused Wed 16 - Fri 18 Sep (paid that day): the 20 working days from Mon 14 Sep end Wed 21 Oct, not 16 Oct."""
    request = noticed(clerk, department)
    request.record_payment(by=clerk, today=FRI_18_SEP)
    request = fresh(request)
    assert request.status == Status.RECEIVED and request.fee_paid_on == FRI_18_SEP
    assert request.case.due_date == date(2026, 10, 21)
    assert "record_payment" not in {m.name for m in request.available_moves()}
    assert "send_fee_notice" not in {m.name for m in request.available_moves()}  # once
    with pytest.raises(InvalidTransition) as error:
        request.reply(by=clerk, reply_type="disclosed", fee_schedule="pages", fee_units=40, today=FRI_18_SEP)
    chinese, english = refusal(error)
    assert "Article 42" in english and "第四十二条" in chinese
    request.reply(by=clerk, reply_type="disclosed", today=date(2026, 10, 21))
    request = fresh(request)
    assert (request.status, request.fee_amount, request.fee.amount) == (Status.REPLIED, 100, 100)
    assert "¥100" in request.case.events.last().note
    table, fees = annual.table3(2026, department)
    assert table["3.1"]["total"] == 1 and fees == {"amount": "100.00", "requests": 1}


@pytest.mark.django_db
def test_a_second_fee_notice_is_refused_art_42(clerk, department):
    request = noticed(clerk, department)
    request.record_payment(by=clerk, today=FRI_18_SEP)
    with pytest.raises(InvalidTransition) as error:
        request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=60, today=FRI_18_SEP)
    chinese, english = refusal(error)
    assert "already sent" in english and "已" in chinese
    assert fresh(request).fee_amount == 100


@pytest.mark.django_db
def test_no_fee_notice_for_a_fee_of_nothing_art_42(clerk, department):
    """30 pages are free (国办函〔2020〕109号): there is nothing to notify; the request stays as it was."""
    request = registered(clerk, department, received_on=MON_14_SEP)
    with pytest.raises(InvalidTransition) as error:
        request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=30, today=TUE_15_SEP)
    chinese, english = refusal(error)
    assert "no fee" in english and "第四十二条" in chinese
    with pytest.raises(InvalidTransition):
        request.send_fee_notice(by=clerk, fee_schedule="both", fee_units=40, today=TUE_15_SEP)
    request = fresh(request)
    assert request.status == Status.RECEIVED and request.fee_noticed_on is None
    assert request.case.due_date == date(2026, 10, 16) and not request.case.pauses.exists()


@pytest.mark.django_db
def test_a_payment_after_the_deadline_is_refused_art_42(clerk, department):
    request = noticed(clerk, department)
    with pytest.raises(InvalidTransition) as error:
        request.record_payment(by=clerk, today=date(2026, 10, 20))
    chinese, english = refusal(error)
    assert "2026-10-19" in english and "2026-10-19" in chinese
    assert "Article 42" in english and "第四十二条" in chinese
    assert fresh(request).status == Status.AWAITING_FEE
    request.record_payment(by=clerk, today=MON_19_OCT)  # the last day still counts
    assert fresh(request).status == Status.RECEIVED


@pytest.mark.django_db
def test_the_sweep_closes_an_unpaid_request_in_row_3_6_2_art_42(clerk, department):
    request = noticed(clerk, department)
    with pytest.raises(InvalidTransition) as error:
        request.close_unpaid(today=MON_19_OCT)
    chinese, english = refusal(error)
    assert "not over yet" in english and chinese != english
    assert sweep_unpaid_fees(MON_19_OCT) == 0
    assert sweep_unpaid_fees(date(2026, 10, 20)) == 1
    assert sweep_unpaid_fees(date(2026, 10, 21)) == 0
    request = fresh(request)
    assert request.status == Status.FEE_NOT_PAID and request.case.closed_at is not None
    assert request.closed_reason == "abandoned_no_fee" and request.report_row == "3.6.2"
    assert request.case.events.last().actor is None and "2026-10-19" in request.case.events.last().note
    table, fees = annual.table3(2026, department)
    assert table["3.6.2"]["individual"] == table["3.6.2"]["total"] == 1
    assert table["3.6.1"]["total"] == 0 and fees == {"amount": "0.00", "requests": 0}  # nothing was paid
    assert table["1"]["total"] == table["3.7"]["total"] == 1


@pytest.mark.django_db
def test_the_applicant_may_withdraw_instead_of_paying_art_42(applicant, clerk, department):
    request = received(applicant, clerk, department, on=MON_14_SEP)
    request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=40, today=TUE_15_SEP)
    request.withdraw(by=applicant)
    request = fresh(request)
    assert request.status == Status.WITHDRAWN and request.report_row == "3.6.3"
    assert sweep_unpaid_fees(date(2026, 10, 20)) == 0


@pytest.mark.django_db
def test_items_charged_by_a_fee_notice_count_for_the_months_next_request_art_42(clerk, department):
    """Per item, cumulative over the applicant's calendar month: 15 items (11-15 at ¥100), then 2 more (16-17)."""
    first = registered(clerk, department, received_on=MON_14_SEP)
    first.send_fee_notice(by=clerk, fee_schedule="items", fee_units=15, today=TUE_15_SEP)
    second = registered(clerk, department, received_on=MON_14_SEP, info_title="另一项")
    second.send_fee_notice(by=clerk, fee_schedule="items", fee_units=2, today=TUE_15_SEP)
    first, second = fresh(first), fresh(second)
    assert (first.fee_amount, first.fee_earlier_items) == (500, 0)
    assert (second.fee_amount, second.fee_earlier_items) == (200, 15)
    assert second.fee.lines == ((16, 17, 100, 200),)


@pytest.mark.django_db
def test_the_table_has_the_fee_moves_art_42():
    workflow = DisclosureRequest.WORKFLOW
    assert workflow["send_fee_notice"].sources == (Status.RECEIVED,)
    assert workflow["send_fee_notice"].target == Status.AWAITING_FEE
    assert workflow["record_payment"].target == Status.RECEIVED
    assert workflow["close_unpaid"].by == "system"
    assert Status.AWAITING_FEE in workflow["withdraw"].sources
    assert Status.FEE_NOT_PAID not in workflow.allowed
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_payment_recorded_late_counts_from_the_day_it_was_received_art_42(clerk, department):
    """Paid Thu 17 Sep, recorded Tue 22 Sep: paused Wed 16 - Thu 17 Sep only, so due Tue 20 Oct, not later."""
    request = noticed(clerk, department)
    request.record_payment(by=clerk, paid_on=date(2026, 9, 17), today=date(2026, 9, 22))
    request = fresh(request)
    assert request.fee_paid_on == date(2026, 9, 17)
    assert request.case.due_date == date(2026, 10, 20)
    assert "2026-09-17" in request.case.events.last().note


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("paid_on", "today", "english", "chinese"),
    [
        (date(2026, 9, 21), FRI_18_SEP, "not in advance", "第四十二条"),
        (date(2026, 9, 14), FRI_18_SEP, "The fee notice was sent on 2026-09-15", "第四十二条"),
        (date(2026, 10, 20), date(2026, 10, 20), "to be paid by 2026-10-19", "第四十二条"),
    ],
)
def test_a_payment_cannot_be_dated_before_the_notice_after_the_deadline_or_in_the_future_art_42(
    clerk, department, paid_on, today, english, chinese
):
    request = noticed(clerk, department)
    with pytest.raises(InvalidTransition) as error:
        request.record_payment(by=clerk, paid_on=paid_on, today=today)
    zh, en = refusal(error)
    assert english in en and chinese in zh
    assert fresh(request).status == Status.AWAITING_FEE
