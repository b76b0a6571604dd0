"""Proactive disclosure as a citizen uses it: search by a Chinese word, read, download; the guide; no JavaScript."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from civiccenter.lib.simplepdf import text_pdf
from disclosure.models import Attachment, Category
from tests.conftest import make_department
from tests.disclosure.test_documents_models import make_document

from .helpers import switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_finds_a_document_by_a_chinese_word_and_downloads_its_attachment(
    live_server, phone_page, check_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    department = make_department()
    document = make_document(
        department,
        "关于办理食品经营许可证和营业执照的通知",
        document_number="区市监发〔2026〕12号",
        summary="食品经营许可证和营业执照一窗办理的范围、材料和流程。",
        body="申请人可在市民服务中心一楼窗口办理。\n\n材料齐全的，当场受理。",
        publish_on=date(2026, 3, 10),
    )
    pdf = text_pdf("办理须知", ["区市监发〔2026〕12号", "一窗办理"])
    Attachment.objects.create(document=document, title="办理须知", file=ContentFile(pdf, name="notice.pdf"))
    make_document(department, "关于小餐饮登记的通知", publish_on=date(2026, 3, 11))
    make_document(department, "尚未发布的营业执照办理指南")
    page = phone_page

    page.goto(live_server.url + "/disclosure/")
    expect(page.locator("main h2#latest-heading")).to_be_visible()
    check_page(page, "landing")
    search = page.locator("main form[role=search]")
    search.locator("input[name=q]").fill("营业执照")
    search.locator("button[type=submit]").click()

    results = page.locator("main .card-title a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text(document.title)
    check_page(page, "search-results")

    results.first.click()
    expect(page.locator("main h1")).to_have_text(document.title)
    expect(page.locator("main")).to_contain_text("SCJG/2026-00001")
    expect(page.locator("main")).to_contain_text("区市监发〔2026〕12号")
    check_page(page, "document")

    link = page.locator("main a[download]")
    expect(link).to_have_text("办理须知")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.body() == pdf

    page.goto(live_server.url + "/disclosure/guide/")
    expect(page.locator("main h1")).to_be_visible()
    check_page(page, "guide")


def test_list_and_guide_on_a_desktop_in_english(live_server, page, check_page):
    department = make_department()
    for i in range(3):
        make_document(department, f"示范文件{i}", publish_on=date(2026, 3, 10) + timedelta(days=i))
    page.goto(live_server.url + "/disclosure/documents/")
    switch_language(page, "en")
    expect(page.locator("main h1")).to_have_text("Published documents")
    expect(page.locator("main .card-title a")).to_have_count(3)
    check_page(page, "list-en")
    page.goto(live_server.url + "/disclosure/guide/")
    expect(page.locator("main h1")).to_have_text("Disclosure guide")
    expect(page.locator("main")).to_contain_text("Open Government Office")
    check_page(page, "guide-en")


def test_list_filters_and_pages_without_javascript(live_server, nojs_page):
    department = make_department()
    social = Category.objects.get(code="21-6")
    for i in range(25):
        make_document(
            department,
            f"社会救助文件{i:02d}",
            category=social,
            formed_on=date(2025, 3, 1),
            publish_on=date(2025, 3, 3) + timedelta(days=i),
        )
    make_document(department, "其他类别的文件", publish_on=date(2026, 3, 3))
    page = nojs_page

    page.goto(live_server.url + "/disclosure/documents/")
    expect(page.locator("main .card-title a")).to_have_count(20)
    form = page.locator("main form[role=search]")
    form.locator("select[name=category]").select_option("21-6")
    form.locator("button[type=submit]").click()
    cards = page.locator("main .card-title a")
    expect(cards).to_have_count(20)
    expect(cards.first).to_have_text("社会救助文件24")

    page.locator("main a[rel=next]").click()
    expect(cards).to_have_count(5)
    expect(cards.last).to_have_text("社会救助文件00")
    assert "category=21-6" in page.url and "older=" in page.url
    page.locator("main a[rel=prev]").click()
    expect(cards).to_have_count(20)
    expect(cards.first).to_have_text("社会救助文件24")
