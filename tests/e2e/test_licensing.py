"""The licensing catalogue as a citizen uses it: by life event, search, the guide, a form download."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_department
from tests.licensing.conftest import make_matter

from .helpers import switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_find_a_matter_and_read_its_guide(live_server, page, check_page, settings, tmp_path):
    from demo.licensing import matters as demo

    settings.MEDIA_ROOT = tmp_path
    for code, name, name_en in [
        ("SCJG", "区市场监督管理局", "District Administration for Market Regulation"),
        ("WJ", "区卫生健康局", "District Health Commission"),
        ("ZJ", "区住房和城乡建设局", "District Housing and Urban-Rural Development Bureau"),
    ]:
        make_department(code, name, name_en=name_en)
    demo.seed()

    page.goto(live_server.url + "/")
    page.locator("nav.mainnav a[href='/licensing/']").click()
    expect(page.locator("main h1")).to_be_visible()
    check_page(page, "catalogue")

    # By life event: opening a restaurant.
    page.locator("main a[href='?life_event=restaurant']").click()
    cards = page.locator("main .card-title a")
    expect(cards).to_have_count(3)
    expect(page.locator("main")).to_contain_text("食品经营许可")

    # Search by name in the filter form (a plain GET form).
    form = page.locator("main form[method=get]")
    form.locator("input[name=q]").fill("卫生")
    form.locator("select[name=life_event]").select_option("")
    form.locator("button[type=submit]").click()
    expect(cards).to_have_count(1)
    cards.first.click()

    expect(page.locator("main h1")).to_have_text("公共场所卫生许可")
    check_page(page, "guide")
    download = page.locator("main a[download]").first
    href = download.get_attribute("href")
    assert href.startswith("/media/licensing/forms/") and href.endswith(".pdf")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.body().startswith(b"%PDF-")

    switch_language(page, "en")
    expect(page.locator("main h1")).to_have_text("Public place hygiene licence")
    expect(page.locator("main")).to_contain_text("Free of charge")
    check_page(page, "guide-en")

    page.locator("main a[href$='/print/']").click()
    expect(page.locator("h1")).to_contain_text("Public place hygiene licence")
    check_page(page, "print")


def test_catalogue_without_javascript_on_a_phone(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    make_matter(make_department())
    page.goto(live_server.url + "/licensing/?q=食品")
    expect(page.locator("main .card-title a")).to_have_count(1)
    page.locator("main .card-title a").click()
    expect(page.locator("main table")).to_contain_text("申请书")
    context.close()
