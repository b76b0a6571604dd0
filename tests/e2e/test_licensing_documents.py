"""A licence application's documents in a real browser (Administrative Licensing Law Art. 32, 38; Order 716
Art. 8-11): the printed notice and licence carry their number and seal; the public page confirms them by number and
code and by the electronic copy; a copy changed by one character fails."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.lib import clock
from tests.conftest import make_department, make_staff, make_user
from tests.e2e.test_licensing_apply import sign_in
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_printed_documents_carry_number_and_seal_and_a_changed_copy_fails_art_32(
    live_server, browser, check_page, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    department = make_department(document_prefix="示范市监许")
    citizen = make_user()
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    application = make_application(make_matter(department), citizen)
    application.submit(by=citizen)
    application.accept(by=reviewer)
    application.approve(by=reviewer, scope="热食类食品制售", valid_until=clock.today() + timedelta(days=1800))
    notice, licence = application.case.issued_documents.all()

    context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, citizen.email)
    page.goto(f"{live_server.url}/licensing/applications/{application.pk}/")
    documents = page.locator("section[aria-labelledby=documents-heading]")
    expect(documents).to_contain_text(notice.number)
    expect(documents).to_contain_text(licence.number)

    # The notice of acceptance, printed after the case moved on: its number, its own date, the seal.
    documents.get_by_role("link", name="受理通知书", exact=False).first.click()
    expect(page.locator("main")).to_contain_text("示范市监许〔")
    expect(page.locator("main")).to_contain_text(notice.verification_code)
    expect(page.locator("svg.document-seal")).to_be_visible()
    check_page(page, "acceptance-notice")

    # Its electronic copy, downloaded as the applicant would.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载加盖电子印章的电子件（PDF）").click()
    copy = tmp_path / "copy.pdf"
    download.value.save_as(copy)
    assert copy.read_bytes() == notice.pdf()

    # Anyone checks it by number and code: genuine.
    checker = browser.new_context(locale="zh-CN").new_page()
    checker.goto(f"{live_server.url}/documents/verify/")
    checker.get_by_role("textbox", name="文号").fill(notice.number)
    checker.get_by_role("textbox", name="核验码").fill(notice.verification_code)
    checker.get_by_role("button", name="核验", exact=True).click()
    expect(checker.locator("[role=status]")).to_contain_text("核验通过")
    check_page(checker, "verified-by-number")

    # By the file: the genuine copy passes, a copy with one character changed fails.
    checker.goto(f"{live_server.url}/documents/verify/")
    checker.get_by_label("电子件（PDF）").set_input_files(str(copy))
    checker.get_by_role("button", name="核验文件").click()
    expect(checker.locator("[role=status]")).to_contain_text("未经改动")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(notice.pdf().replace("受理".encode("utf-16-be").hex().upper().encode(), b"4E0D53D7", 1))
    checker.goto(f"{live_server.url}/documents/verify/")
    checker.get_by_label("电子件（PDF）").set_input_files(str(tampered))
    checker.get_by_role("button", name="核验文件").click()
    expect(checker.locator("main")).to_contain_text("出具后已被改动")
    expect(checker.locator("[role=status]")).to_have_count(0)
    check_page(checker, "changed-copy-refused")

    # The licence prints its number, seal, and the licence's own verification code.
    page.goto(f"{live_server.url}/licensing/applications/{application.pk}/decision/")
    expect(page.locator("main")).to_contain_text(licence.number)
    expect(page.locator("main")).to_contain_text(application.licence.verification_code)
    expect(page.locator("svg.document-seal")).to_be_visible()
    check_page(page, "licence")
    context.close()
