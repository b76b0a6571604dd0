"""The mutual assistance board in the browser: post a need, respond, accept, and the contact details appear."""

import pytest
from playwright.sync_api import expect

from ngo.models.board import Post
from tests.conftest import make_user
from tests.e2e.test_consultation import sign_in
from tests.ngo.board_helpers import make_moderator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_post_respond_accept_and_contact_shown(live_server, browser, check_page):
    poster = make_user()
    helper = make_user("helper@example.cn", full_name="王芳", phone="13700137000")
    moderator = make_moderator()

    poster_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = poster_context.new_page()
    sign_in(page, live_server.url, poster, "/ngo/board/new/")
    page.locator("input[name=kind][value=need]").check()
    page.locator("select[name=category]").select_option("errands")
    page.locator("input[name=title]").fill("腿受伤了，需要人帮忙买菜")
    page.locator("textarea[name=description]").fill("最近一个月不方便出门，希望有人每周六帮忙买一次菜。")
    page.locator("input[name=area]").fill("城南街道")
    page.locator("input[name=contact_phone]").fill("13800138000")
    check_page(page, "post-form")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    post = Post.objects.get(author=poster)
    post.approve(by=moderator)

    helper_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    other = helper_context.new_page()
    other.goto(f"{live_server.url}/ngo/board/")
    expect(other.locator("main")).to_contain_text("腿受伤了，需要人帮忙买菜")
    check_page(other, "board")
    sign_in(other, live_server.url, helper, f"/ngo/board/{post.pk}/")
    expect(other.locator("main")).not_to_contain_text("13800138000")
    other.locator("textarea[name=message]").fill("我就住隔壁楼，周六上午可以帮您买菜。")
    other.locator("main form:has(textarea[name=message]) [type=submit]").click()
    expect(other.locator(".alert-success").first).to_be_visible()

    page.goto(f"{live_server.url}/ngo/board/{post.pk}/")
    expect(page.locator("main")).to_contain_text("我就住隔壁楼")
    expect(page.locator("main")).not_to_contain_text("13700137000")
    check_page(page, "poster-sees-response")
    page.locator('form[action$="/accept/"] button').first.click()
    expect(page.locator(".contact-details")).to_contain_text("13700137000")

    other.goto(f"{live_server.url}/ngo/board/{post.pk}/")
    expect(other.locator(".contact-details")).to_contain_text("13800138000")
    check_page(other, "helper-sees-contact")
    poster_context.close()
    helper_context.close()
