"""The licensing hearing path in a real browser (Administrative Licensing Law Art. 46-48).

The right to a hearing is notified; while the applicant may still request it, staff cannot decide (Art. 47);
the applicant requests it from their application page; the review waits and cannot be resumed by hand until the
hearing is held and its signed record is in (Art. 48); then the decision is taken and cites that record.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.lib.simplepdf import text_pdf
from hearings.models import Hearing
from licensing.models import Application
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.e2e.test_licensing_apply import sign_in
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_sign_in(page, base, email):
    page.goto(base + "/admin/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def test_no_decision_until_the_hearing_record_then_the_decision_cites_it_art_47_48(
    live_server, browser, check_page, settings, tmp_path
):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    settings.SITE_URL = live_server.url
    department = make_department()
    citizen = make_user()
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department, full_name="李审核")
    presiding = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈主持")
    application = make_application(make_matter(department), citizen)
    application.submit(by=citizen)
    application.accept(by=reviewer)
    hearing = Hearing.notify_right_to_hearing(application=application, by=reviewer, reviewing_officer=reviewer)
    move_page = f"{live_server.url}/admin/licensing/application/{application.pk}/move/"

    # Staff try to approve while the applicant may still ask for a hearing: refused, in their language.
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    staff_sign_in(staff, live_server.url, reviewer.email)
    staff.goto(move_page)
    approve = staff.locator("#move-approve")
    approve.locator("textarea[name=approve-scope]").fill("热食类食品制售")
    approve.locator("input[name=approve-valid_until]").fill("2031-11-30")
    approve.locator("button[name=move]").click()
    expect(staff.locator("#content")).to_contain_text("第四十七条")
    assert Application.objects.get(pk=application.pk).status == "accepted"
    check_page(staff, "decision-refused-art-47")

    # The applicant requests the hearing from their application page, on a phone.
    citizen_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(citizen_page, live_server.url, citizen.email)
    citizen_page.goto(f"{live_server.url}/licensing/applications/{application.pk}/")
    citizen_page.get_by_role("button", name="申请听证").click()
    expect(citizen_page.locator(".alert-success")).to_be_visible()
    check_page(citizen_page, "hearing-requested")
    assert Application.objects.get(pk=application.pk).status == "suspended"

    # Staff cannot resume the review by hand to decide without the hearing.
    staff.goto(move_page)
    staff.locator("#move-resume button[name=move]").click()
    expect(staff.locator("ul.messagelist")).to_contain_text("第四十八条")
    assert Application.objects.get(pk=application.pk).status == "suspended"

    # The hearing is scheduled 8 days ahead (at least 7 days' notice) and held on its day.
    starts_at = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=8), time(9)))
    hearing.refresh_from_db()
    hearing.schedule(by=reviewer, starts_at=starts_at, place="第二听证室", presiding_officer=presiding)
    record = tmp_path / "record.pdf"
    record.write_bytes(text_pdf("听证笔录", ["申请人、审查人员陈述意见。", "参加人核对无误并签字。"]))
    with time_machine.travel(starts_at + timedelta(hours=3), tick=True):
        chair = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        staff_sign_in(chair, live_server.url, presiding.email)
        chair.goto(f"{live_server.url}/admin/hearings/hearing/{hearing.pk}/move/")
        conclude = chair.locator("#move-conclude")
        conclude.locator("input[name=conclude-record]").set_input_files(str(record))
        conclude.locator("input[name=conclude-record_signed]").check()
        conclude.locator("textarea[name=conclude-report]").fill("听证报告：申请人陈述了经营场所的整改情况。")
        conclude.locator("textarea[name=conclude-decision]").fill("根据听证笔录作出许可决定。")
        conclude.locator("button[name=move]").click()
        expect(chair.locator("ul.messagelist")).to_be_visible()
        assert Hearing.objects.get(pk=hearing.pk).status == "concluded"
        assert Application.objects.get(pk=application.pk).status == "accepted"  # resumed by the conclusion

        # Now the decision is taken, and it names the record it rests on (a new day: staff sign in again).
        staff_sign_in(staff, live_server.url, reviewer.email)
        staff.goto(move_page)
        approve = staff.locator("#move-approve")
        approve.locator("textarea[name=approve-scope]").fill("热食类食品制售")
        approve.locator("input[name=approve-valid_until]").fill("2031-11-30")
        approve.locator("button[name=move]").click()
        expect(staff.locator("ul.messagelist")).to_contain_text("准予许可")
        application.refresh_from_db()
        assert application.status == "approved"
        assert hearing.get_absolute_url() in application.case.events.last().note
        sign_in(citizen_page, live_server.url, citizen.email)
        citizen_page.goto(f"{live_server.url}/licensing/applications/{application.pk}/decision/")
        expect(citizen_page.locator("main")).to_contain_text("第四十八条")
        check_page(citizen_page, "licence-citing-the-hearing")
    for page in (staff, citizen_page, chair):
        page.context.close()
