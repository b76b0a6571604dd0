"""Surveys in the browser: a citizen answers a survey on a phone; after it closes the results page shows the counts
in a table beside the bars. The portal answers in Chinese: assertions are on data and states."""

import pytest
from playwright.sync_api import expect

from civiccenter import roles
from opinions.models import Response
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.opinions.test_surveys_models import make_survey, questions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_a_citizen_answers_on_a_phone_and_reads_the_results(live_server, phone_page, check_page):
    page = phone_page
    department = make_department(code="ZXBGS", name="区政务服务中心办公室")
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    citizen = make_user()
    survey = make_survey(department, publish_by=head)
    q = questions(survey)
    for i in range(3):  # others answered before
        survey.submit_response(
            by=None, key=f"k{i}", answers=[(q[1], q[1].choices.first(), None, ""), (q[3], None, 4, "")]
        )

    page.goto(live_server.url + "/opinions/surveys/")
    page.locator(f"#survey-{survey.pk} a").first.click()
    sign_in(page, live_server.url, citizen, survey.get_absolute_url())
    form = page.locator("#answer form")
    expect(form.locator("fieldset legend").first).to_contain_text("一次办成")
    check_page(page, "survey-form-phone")
    # Submitting without the required answers keeps the form with errors, and saves nothing.
    form.locator("[type=submit]").click()
    expect(page.locator("#answer form .invalid-feedback").first).to_be_visible()
    assert not Response.objects.filter(respondent=citizen).exists()
    form = page.locator("#answer form")
    form.get_by_label("跑了两次").check()
    form.get_by_label("指引标识").check()
    form.get_by_label("网上预约").check()
    form.get_by_label("5 非常满意").check()
    form.locator("textarea").fill("希望增加周末窗口。")
    form.locator("[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith(f"/opinions/surveys/{survey.pk}/thanks/")
    check_page(page, "survey-thanks-phone")
    response = Response.objects.get(respondent=citizen)
    assert response.answers.count() == 5

    # The survey closes; the results page shows the counts beside the bars.
    survey.close_now(by=head)
    page.goto(live_server.url + survey.get_absolute_url())
    page.locator(f"a[href$='/opinions/surveys/{survey.pk}/results/']").click()
    expect(page.locator("#total-responses")).to_contain_text("4")
    first = page.locator("#question-1 tbody tr")
    expect(first).to_have_count(3)
    expect(first.nth(0).locator(".result-count")).to_have_text("3")
    expect(first.nth(0).locator(".result-percent")).to_have_text("75.0%")
    expect(first.nth(1).locator(".result-count")).to_have_text("1")
    expect(page.locator("#question-4")).not_to_contain_text("希望增加周末窗口")
    check_page(page, "survey-results-phone")
