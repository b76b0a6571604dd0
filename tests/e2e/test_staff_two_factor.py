"""A staff member's first sign-in with the second factor: password, QR code and key, a code, recovery codes."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from civiccenter import roles
from tests.conftest import PASSWORD, make_department, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_from_key(spaced_key):
    key = base64.b32decode(spaced_key.replace(" ", ""))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_staff_member_links_an_authenticator_app_and_gets_in(live_server, page, settings, check_page):
    settings.STAFF_TWO_FACTOR = True
    make_staff("clerk@example.cn", roles.DEPARTMENT_REVIEWER, make_department())

    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("clerk@example.cn")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("设置第二重身份验证")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    check_page(page, "enrol")

    page.goto(live_server.url + "/admin/")  # the password alone does not open the admin
    expect(page.locator("h1")).to_contain_text("设置第二重身份验证")

    page.get_by_label("验证码").fill(code_from_key(page.locator(".two-factor-secret").inner_text()))
    page.get_by_role("button", name="确认").click()
    expect(page.locator("h1")).to_contain_text("请保存您的恢复码")
    expect(page.locator(".two-factor-codes li")).to_have_count(10)
    check_page(page, "recovery-codes")

    page.get_by_role("link", name="已妥善保存，继续").click()
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("工作人员工作台")
