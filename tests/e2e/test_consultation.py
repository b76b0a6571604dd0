"""Online consultation in the browser: ask (seeing similar answered questions), read the answer, rate it;
register for a lecture and download its calendar file."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.cases import Rating
from consultation.models import Lecture, Question, Registration
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.consultation.conftest import make_topic, published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_ask_see_similar_read_the_answer_and_rate_it(live_server, page, nojs_page, check_page):
    department = make_department()
    topic = make_topic(department)
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    earlier = published(
        make_user("earlier@example.cn", full_name="李华"),
        topic,
        reviewer,
        head,
        title="食品经营许可证有效期多久",
        body="我的许可证有效期是几年？",
    )
    citizen = make_user()

    # Without JavaScript, the "check" step shows the similar answers.
    sign_in(nojs_page, live_server.url, citizen, "/consultation/ask/")
    nojs_page.locator("select[name=topic]").select_option(str(topic.pk))
    nojs_page.locator("input[name=title]").fill("食品经营许可证到期怎么延续")
    nojs_page.locator("textarea[name=body]").fill("我的食品经营许可证下个月到期，请问怎么延续？")
    nojs_page.locator("button[value=check]").click()
    expect(nojs_page.locator("#similar-results")).to_contain_text(earlier.public_title)
    assert not Question.objects.filter(asker=citizen).exists()

    # With JavaScript, as the citizen types.
    sign_in(page, live_server.url, citizen, "/consultation/ask/")
    page.locator("select[name=topic]").select_option(str(topic.pk))
    page.locator("input[name=title]").fill("食品经营许可证到期怎么延续")
    page.locator("textarea[name=body]").press_sequentially("我的许可证下个月到期，怎么延续？", delay=20)
    expect(page.locator("#similar-results")).to_contain_text(earlier.public_title)
    check_page(page, "ask-with-similar")
    page.locator("button[value=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    question = Question.objects.get(asker=citizen)
    expect(page.locator("main")).to_contain_text(question.case.number)
    check_page(page, "asked")

    # The department answers; the citizen reads it and rates it.
    question.draft_answer(by=reviewer, text="食品经营许可证有效期为5年，请在届满前在线申请延续。")
    question.approve(by=head)
    page.reload()
    expect(page.locator(".answer-text")).to_contain_text("有效期为5年")
    check_page(page, "answered")
    page.locator(f"a[href$='/accounts/cases/{question.case.number}/rate/']").click()
    page.locator("input[name=level][value='5']").check()
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assert Rating.objects.get(case=question.case).level == 5

    # The public Q&A and the published question pass axe too.
    page.goto(live_server.url + "/consultation/")
    expect(page.locator("main")).to_contain_text(earlier.public_title)
    check_page(page, "qa-list")
    page.goto(live_server.url + earlier.get_absolute_url())
    page.locator("button[value=yes]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    check_page(page, "question")


def test_register_for_a_lecture_and_download_the_calendar_file(live_server, page, check_page):
    department = make_department()
    starts = timezone.now() + timedelta(days=5)
    lecture = Lecture.objects.create(
        title="个体工商户登记政策讲座",
        topic="个体工商户登记",
        speaker="李科长",
        department=department,
        place="市民服务中心二楼多功能厅",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
    )
    citizen = make_user()
    page.goto(live_server.url + "/consultation/lectures/")
    check_page(page, "lectures")
    page.locator(f"main a[href='{lecture.get_absolute_url()}']").first.click()
    page.locator("main a[href*='/accounts/login/']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    page.locator(f"form[action$='/lectures/{lecture.pk}/register/'] button").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assert Registration.objects.get().status == "registered"
    check_page(page, "registered")
    with page.expect_download() as info:
        page.locator("a[href$='calendar.ics']").click()
    content = open(info.value.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in content and "个体工商户登记政策讲座" in content
