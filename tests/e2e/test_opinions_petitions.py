"""Petitions in the browser: a citizen files one (the form refuses missing facts first), reads the
receipt, and after staff accept it and issue the handling opinion, requests a review."""

import pytest
from playwright.sync_api import expect

from civiccenter import roles
from opinions.models.petitions import Petition
from tests.conftest import make_department, make_staff, make_user
from tests.e2e.test_consultation import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_file_a_petition_then_request_a_review(live_server, page, check_page):
    department = make_department()
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    citizen = make_user()

    sign_in(page, live_server.url, citizen, "/opinions/petitions/new/")
    check_page(page, "petition-form")
    page.locator("select[name=department]").select_option(str(department.pk))
    page.locator("input[name=address]").fill("示范区文三路 100 号 3 幢 201 室")
    page.locator("textarea[name=request]").fill("请求责令餐馆整改油烟直排")
    page.locator("textarea[name=reasons]").fill("餐饮经营者应当安装并使用油烟净化设施。")
    page.locator("#petition-form button[type=submit]").click()
    expect(page.locator("#petition-form .invalid-feedback, #petition-form .is-invalid").first).to_be_visible()
    assert not Petition.objects.exists()
    check_page(page, "petition-form-errors")

    page.locator("textarea[name=facts]").fill("楼下餐馆自六月起油烟直排。")
    page.locator("#petition-form button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    petition = Petition.objects.get(petitioner=citizen)
    expect(page.locator(".receipt")).to_contain_text(petition.case.query_code)
    check_page(page, "petition-receipt")

    petition.accept(by=reviewer)
    petition.issue_opinion(
        by=reviewer,
        outcome="explained",
        facts="经现场检查，该餐馆已安装油烟净化设施。",
        legal_basis="《中华人民共和国大气污染防治法》第八十一条",
        text="已责令该餐馆正常使用净化设施。",
    )
    page.reload()
    expect(page.locator(".opinion-text")).to_contain_text("已责令")
    check_page(page, "petition-opinion")
    page.locator("#review-heading ~ form textarea[name=reason], form textarea[name=reason]").first.fill(
        "油烟仍然直排。"
    )
    page.locator("form:has(textarea[name=reason]) [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REVIEW_REQUESTED
    check_page(page, "petition-review-requested")
