"""The public board and the statistics page on a phone: read, filtered and paged, with axe-core passing."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from civiccenter import roles
from tests.conftest import make_department, make_staff, make_user
from tests.opinions.test_board import make_category, make_opinion, publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_board_and_statistics_on_a_phone(live_server, phone_page, check_page):
    cache.clear()
    department = make_department()
    category = make_category(department)
    office = make_department(code="ZXBGS", name="区市民服务中心办公室", name_en="Office of the Center")
    moderator = make_staff("moderator@example.cn", roles.MODERATOR, office, full_name="孙文博")
    for index in range(3):
        submitter = make_user(f"person{index}@example.cn", full_name="王五")
        publish(make_opinion(category, submitter=submitter, title=f"油烟扰民问题{index}"), moderator)
    make_opinion(category, submitter=make_user("private@example.cn"), consent=False, title="不公开的投诉")
    page = phone_page

    page.goto(f"{live_server.url}/opinions/board/")
    main = page.locator("main")
    expect(main).to_contain_text("油烟扰民问题2")
    expect(main).to_contain_text("138****5678")
    expect(main).not_to_contain_text("13812345678")
    expect(main).not_to_contain_text("不公开的投诉")
    check_page(page, "opinions-board-phone")

    page.locator("select[name=kind]").select_option("suggestion")
    page.locator("main form button[type=submit]").click()
    expect(main).not_to_contain_text("油烟扰民问题")
    page.goto(f"{live_server.url}/opinions/board/")
    page.locator("main h3 a").first.click()
    expect(page.locator("h1")).to_contain_text("油烟扰民问题")
    check_page(page, "opinions-board-entry-phone")

    this_month = date.today().strftime("%Y-%m")
    page.goto(f"{live_server.url}/opinions/stats/")
    expect(page.locator("main table").first).to_be_visible()
    page.locator("input[name=start]").fill(this_month)
    page.locator("input[name=end]").fill(this_month)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(this_month)
    check_page(page, "opinions-stats-phone")

    page.goto(f"{live_server.url}/opinions/stats/?start=2026-05&end=2026-01")
    expect(page.locator("main .invalid-feedback, main .is-invalid").first).to_be_visible()
    check_page(page, "opinions-stats-error-phone")
