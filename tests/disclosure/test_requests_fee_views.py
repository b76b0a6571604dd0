"""The fee notice on the pages (Regulations on Open Government Information, Art. 42): the requester's page and the
printed notice, the staff's transition page (the fee computed before the notice is sent, the payment recorded)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models.requests import DisclosureRequest
from tests.disclosure.test_requests_common import MON_14_SEP, clerk_of, online, received, registered

TUE_15_SEP = date(2026, 9, 15)


@pytest.fixture
def clerk(department):
    return clerk_of(department)


@pytest.fixture
def awaiting(applicant, clerk, department):
    """Received Mon 14 Sep 2026; a fee notice of ¥100 (40 pages) on Tue 15 Sep, to be paid by Mon 19 Oct."""
    request = received(applicant, clerk, department, on=MON_14_SEP)
    request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=40, today=TUE_15_SEP)
    return request


def fee_notice_url(request):
    return reverse("disclosure:request-fee-notice", args=[request.pk])


def move_url(request):
    return reverse("admin:disclosure_disclosurerequest_move", args=[request.pk])


@pytest.mark.django_db
def test_the_requester_sees_the_fee_and_the_deadline_art_42(client, applicant, awaiting):
    client.cookies["django_language"] = "en"
    client.force_login(applicant)
    html = client.get(awaiting.get_absolute_url()).content.decode()
    assert 'id="fee-notice"' in html and "¥100.00" in html and "Oct. 19, 2026" in html
    assert fee_notice_url(awaiting) in html
    listing = client.get(reverse("disclosure:request-list")).content.decode()
    assert "Paused: pay the fee by 2026-10-19" in listing


@pytest.mark.django_db
def test_the_printed_fee_notice_art_42(client, applicant, awaiting):
    client.force_login(applicant)
    response = client.get(fee_notice_url(awaiting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "缴费通知书" in html and "¥100" in html and "2026年10月19日" in html
    assert "<td>31</td><td>40</td><td>10</td><td>100</td>" in html  # pages 31-40 at ¥10


@pytest.mark.django_db
def test_the_fee_notice_is_the_applicants_and_the_departments_only(
    client, applicant, other_applicant, awaiting, clerk, department
):
    url = fee_notice_url(awaiting)
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    without = online(applicant, department, today=MON_14_SEP)
    client.force_login(applicant)
    assert client.get(fee_notice_url(without)).status_code == 404  # no fee notice sent
    assert client.get(reverse("disclosure:request-fee-notice", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_staff_compute_the_fee_then_send_the_notice_art_42(client, clerk, department):
    request = registered(clerk, department, received_on=timezone.localdate())
    client.force_login(clerk)
    page = client.get(move_url(request)).content.decode()
    assert 'value="send_fee_notice"' in page
    data = {"move": "send_fee_notice", "send_fee_notice-fee_schedule": "pages", "send_fee_notice-fee_units": "101"}
    preview = client.post(move_url(request), {**data, "preview": "1"})
    assert preview.status_code == 200 and preview.context["fee_preview"].amount == 720
    assert DisclosureRequest.objects.get(pk=request.pk).status == "received"
    assert client.post(move_url(request), data).status_code == 302
    request = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert (request.status, request.fee_amount) == ("awaiting_fee", 720)
    assert request.case.due_date is None
    page = client.get(move_url(request)).content.decode()
    assert 'value="record_payment"' in page and 'value="send_fee_notice"' not in page
    listing = client.get(reverse("admin:disclosure_disclosurerequest_changelist")).content.decode()
    assert request.fee_due.isoformat() in listing
    # A payment day in the future is refused with the reason, and nothing changes.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.cookies["django_language"] = "en"
    refused = client.post(
        move_url(request), {"move": "record_payment", "record_payment-paid_on": tomorrow}, follow=True
    )
    assert "not in advance" in refused.content.decode()
    assert DisclosureRequest.objects.get(pk=request.pk).status == "awaiting_fee"
    assert client.post(move_url(request), {"move": "record_payment"}).status_code == 302
    request = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert request.status == "received" and request.fee_paid_on == timezone.localdate()
    assert request.case.due_date is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"send_fee_notice-fee_schedule": "pages", "send_fee_notice-fee_units": "0"},
        {"send_fee_notice-fee_schedule": "both", "send_fee_notice-fee_units": "40"},
        {"send_fee_notice-fee_schedule": "pages", "send_fee_notice-fee_units": "many"},
        {"send_fee_notice-fee_schedule": "pages", "send_fee_notice-fee_units": "30"},  # free: refused by the model
        {},
    ],
)
def test_bad_fee_notices_save_nothing_art_42(client, clerk, department, fields):
    request = registered(clerk, department, received_on=timezone.localdate())
    client.force_login(clerk)
    response = client.post(move_url(request), {"move": "send_fee_notice", **fields})
    assert response.status_code == 200
    assert DisclosureRequest.objects.get(pk=request.pk).status == "received"
