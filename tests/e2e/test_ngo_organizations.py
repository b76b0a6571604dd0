"""Organizations in the browser: a representative registers one (logo and certificate), a civil affairs
reviewer verifies it in the admin, the representative sees it verified, and it is in the public directory."""

import pytest
from django.utils.translation import override
from PIL import Image
from playwright.sync_api import expect

from civiccenter import roles
from demo.ngo.organizations import CERTIFICATE_PDF, uscc_for
from ngo.models.organizations import Organization
from tests.conftest import PASSWORD, make_department, make_staff, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SERVE_MEDIA = True


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_register_verify_and_find_in_the_directory(live_server, browser, page, check_page, tmp_path):
    representative = make_user("rep@example.cn", full_name="刘芳", account_type="organization")
    reviewer = make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, make_department(code="MZ", name="区民政局"))
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 400), "#1e6b30").save(logo)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(CERTIFICATE_PDF)

    sign_in(page, live_server.url, representative, "/ngo/organizations/register/")
    page.locator("input[name=name]").fill("示范区青少年成长促进会")
    page.locator("select[name=type]").select_option("social_group")
    page.locator("input[name=uscc]").fill(uscc_for("social_group", 42))
    page.locator("input[name=certificate]").set_input_files(str(certificate))
    page.locator("select[name=field]").select_option("children")
    page.locator("input[name=area]").fill("全区")
    page.locator("textarea[name=description]").fill("开展青少年课后托管、心理辅导和暑期实践活动。")
    page.locator("input[name=logo]").set_input_files(str(logo))
    page.locator("input[name=contact_person]").fill("刘芳")
    page.locator("input[name=contact_phone]").fill("0571-86200001")
    page.locator("input[name=contact_email]").fill("info@youth.example.cn")
    check_page(page, "register-form")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    organization = Organization.objects.get()
    assert organization.status == "pending" and organization.logo_thumbnail
    check_page(page, "manage-pending")

    # The reviewer of the civil affairs department verifies it in the admin.
    staff = browser.new_context(locale="en-US")
    staff_page = staff.new_page()
    sign_in(staff_page, live_server.url, reviewer, "/admin/ngo/organization/")
    expect(staff_page.locator("#result_list")).to_contain_text("示范区青少年成长促进会")
    staff_page.locator(f"input[name=_selected_action][value='{organization.pk}']").check()
    staff_page.locator("select[name=action]").select_option("verify_selected")
    staff_page.locator("button[name=index]").click()
    expect(staff_page.locator(".messagelist")).to_be_visible()
    staff.close()
    organization.refresh_from_db()
    assert organization.is_verified

    # The representative sees it verified, and the public finds it in the directory.
    page.goto(live_server.url + "/ngo/organizations/mine/")
    with override("zh-hans"):
        expect(page.locator("main table")).to_contain_text(str(Organization.Status.VERIFIED.label))
    check_page(page, "mine-verified")
    page.goto(live_server.url + "/ngo/organizations/?type=social_group")
    expect(page.locator("main")).to_contain_text("示范区青少年成长促进会")
    check_page(page, "directory")
    page.locator("main a", has_text="示范区青少年成长促进会").click()
    expect(page.locator("h1")).to_have_text("示范区青少年成长促进会")
    expect(page.locator("main img").first).to_be_visible()
    check_page(page, "organization-page")
