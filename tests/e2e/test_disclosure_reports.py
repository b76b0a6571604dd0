"""A published annual report read on a desktop and on a phone, in Chinese and in English."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from disclosure.models import AnnualReport
from tests.conftest import make_department
from tests.disclosure.test_reports_generator import make_request_set

from .helpers import switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report():
    scjg = make_department()
    mz = make_department(code="MZ", name="区民政局", name_en="District Civil Affairs Bureau", phone="0571-86010202")
    make_request_set(scjg, mz)
    report = AnnualReport.generate(2025, scjg)
    report.overview = "2025年，区市场监督管理局认真贯彻落实《中华人民共和国政府信息公开条例》。"
    report.problems = "依申请公开答复文书的规范性有待提高。"
    report.save()
    report.publish(by=None, now=datetime(2026, 1, 20, 2, tzinfo=UTC))
    return report


def test_a_citizen_reads_a_published_report(live_server, page, check_page, report):
    page.goto(live_server.url + "/disclosure/reports/")
    page.locator(f"main a[href='{report.get_absolute_url()}']").click()
    expect(page.locator("h1")).to_contain_text("2025")
    expect(page.locator("main")).to_contain_text("依申请公开答复文书的规范性有待提高")
    check_page(page, "zh-report")
    switch_language(page, "en")
    total = page.locator("tr", has=page.locator("th", has_text="(7) Total"))
    expect(total.locator("td")).to_have_text(["5", "2", "1", "1", "1", "1", "11"])
    check_page(page, "en-report")
    with page.expect_download() as download:
        page.locator("main a[href$='.csv']").first.click()
    assert download.value.suggested_filename == "disclosure-report-2025-scjg.csv"


def test_the_report_on_a_phone_scrolls_its_wide_tables(live_server, phone_page, check_page, report):
    page = phone_page
    page.goto(live_server.url + report.get_absolute_url())
    region = page.locator("[role=region][aria-labelledby=t3]")
    expect(region).to_be_visible()
    # The table is wider than the phone; its wrapper scrolls, not the page.
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    region.focus()
    page.keyboard.press("ArrowRight")
    check_page(page, "phone-report")
