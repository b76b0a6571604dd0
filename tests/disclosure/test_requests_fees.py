"""Information processing fees (Art. 42; 国办函〔2020〕109号) at their boundaries, and as stored by a reply."""

from datetime import date
from decimal import Decimal

import pytest

from civiccenter.cases import InvalidTransition
from disclosure import fees
from disclosure.models.requests import DisclosureRequest
from tests.disclosure.test_requests_common import clerk_of, online, registered


@pytest.mark.parametrize(
    "items,amount",
    [(0, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (41, 4300), (50, 7000), (51, 7400)],
)
def test_per_item_schedule_at_its_boundaries(items, amount):
    """Items 1-10 free; 11-30 ¥100; 31-40 ¥200; 41-50 ¥300; 51-60 ¥400 each (per applicant and month)."""
    assert fees.by_items(items).amount == Decimal(amount)


@pytest.mark.parametrize("n,price", [(10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)])
def test_price_of_the_nth_item(n, price):
    assert fees.item_price(n) == price


@pytest.mark.parametrize(
    "pages,amount",
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)],
)
def test_per_page_schedule_at_its_boundaries(pages, amount):
    """Pages 1-30 free; 31-100 ¥10; 101-200 ¥20; from 201 ¥40 each; each band for its part only."""
    assert fees.by_pages(pages).amount == Decimal(amount)


def test_earlier_items_of_the_month_count():
    assert fees.by_items(1, earlier_items=9).amount == 0  # the 10th item
    assert fees.by_items(1, earlier_items=10).amount == 100  # the 11th
    assert fees.by_items(2, earlier_items=29).amount == 300  # the 30th and the 31st
    assert fees.by_items(2, earlier_items=29).lines == ((30, 30, 100, 100), (31, 31, 200, 200))


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        fees.by_items(-1)
    with pytest.raises(ValueError):
        fees.by_pages(-1)


@pytest.fixture
def clerk(department):
    return clerk_of(department)


def reply_items(request, clerk, items, today):
    request.reply(by=clerk, reply_type="disclosed", fee_schedule="items", fee_units=items, today=today)
    return DisclosureRequest.objects.get(pk=request.pk)


@pytest.mark.django_db
def test_reply_stores_the_fee_counting_the_applicants_earlier_items_of_the_month_art_42(applicant, clerk, department):
    first = online(applicant, department, today=date(2026, 10, 9))
    first.confirm(by=clerk, today=date(2026, 10, 9))
    first = reply_items(first, clerk, 10, date(2026, 10, 20))
    assert (first.fee_schedule, first.fee_units, first.fee_amount) == ("items", 10, 0)

    second = online(applicant, department, today=date(2026, 10, 12))
    second.confirm(by=clerk, today=date(2026, 10, 12))
    assert second.earlier_items() == 10
    assert second.compute_fee("items", 1).amount == 100  # the applicant's 11th item this month
    second = reply_items(second, clerk, 1, date(2026, 10, 21))
    assert second.fee_amount == 100
    assert second.fee.earlier_items == 10 and second.fee.lines == ((11, 11, 100, 100),)


@pytest.mark.django_db
def test_identity_number_links_requests_without_an_account_art_42(applicant, clerk, department):
    """A caller registered at the window is the same applicant as the account with the same identity number."""
    first = online(applicant, department, today=date(2026, 10, 9))
    first.confirm(by=clerk, today=date(2026, 10, 9))
    reply_items(first, clerk, 30, date(2026, 10, 20))
    same_person = registered(clerk, department, received_on=date(2026, 10, 15))
    assert same_person.compute_fee("items", 1).amount == 200  # the 31st item
    someone_else = registered(clerk, department, received_on=date(2026, 10, 15), id_number="440524188001010014")
    assert someone_else.compute_fee("items", 1).amount == 0


@pytest.mark.django_db
def test_a_new_month_starts_the_count_again_art_42(applicant, clerk, department):
    first = online(applicant, department, today=date(2026, 10, 9))
    first.confirm(by=clerk, today=date(2026, 10, 9))
    reply_items(first, clerk, 30, date(2026, 10, 20))
    november = online(applicant, department, today=date(2026, 11, 2))
    november.confirm(by=clerk, today=date(2026, 11, 2))
    assert november.earlier_items() == 0 and november.compute_fee("items", 10).amount == 0


@pytest.mark.django_db
def test_per_page_fee_and_one_schedule_only_art_42(applicant, clerk, department):
    request = registered(clerk, department, received_on=date(2026, 10, 9))
    with pytest.raises(InvalidTransition):
        request.reply(by=clerk, reply_type="disclosed", fee_schedule="both", fee_units=5)
    with pytest.raises(InvalidTransition):
        request.reply(by=clerk, reply_type="disclosed", fee_schedule="pages", fee_units=0)
    request.reply(by=clerk, reply_type="disclosed", fee_schedule="pages", fee_units=101, today=date(2026, 10, 20))
    request = DisclosureRequest.objects.get(pk=request.pk)
    assert (request.fee_schedule, request.fee_units, request.fee_amount) == ("pages", 101, Decimal(720))


@pytest.mark.django_db
def test_free_by_default(clerk, department):
    request = registered(clerk, department, received_on=date(2026, 10, 9))
    request.reply(by=clerk, reply_type="disclosed", today=date(2026, 10, 20))
    request = DisclosureRequest.objects.get(pk=request.pk)
    assert (request.fee_schedule, request.fee_amount, request.fee) == ("", 0, None)
