"""The written decision to print (Art. 38, 44): the licence with its verification code, or the denial."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from licensing.models import Licence
from tests.civiccenter.test_translations import untranslated_words
from tests.conftest import make_staff
from tests.licensing.test_applications import make_application


def decided(matter, applicant, staff_user, *, approve=True):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=date(2026, 9, 18))
    application.accept(by=staff_user, today=date(2026, 9, 18))
    if approve:
        application.approve(
            by=staff_user, scope="热食类食品制售", valid_until=date(2031, 10, 19), today=date(2026, 10, 20)
        )
    else:
        application.deny(by=staff_user, reasons="经营场所与污染源距离不足25米。", today=date(2026, 10, 20))
    return application


def url(application):
    return reverse("licensing:decision-document", args=[application.pk])


@pytest.mark.django_db
def test_the_licence_prints_number_holder_scope_validity_and_verification_code_art_38_44(
    client, matter, applicant, staff_user, settings
):
    """Art. 38 and 44: the approval is written, and the certificate carries what a verifier checks."""
    settings.SITE_URL = "https://zwfw.example.gov.cn"
    application = decided(matter, applicant, staff_user)
    licence = application.licence
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    html = client.get(url(application)).content.decode()
    for shown in (licence.number, licence.holder, "热食类食品制售", "Oct. 20, 2026", "Oct. 19, 2031"):
        assert shown in html, shown
    assert f'id="verification-code">{licence.verification_code}<' in html
    # The printed address is the public one, whatever host the page was reached through.
    verify = f"https://zwfw.example.gov.cn/licensing/licences/{licence.verification_code}/"
    assert verify in html
    assert re.search(r"<svg [^>]*class=\"segno\"", html), "the QR code is drawn inline, no JavaScript or image file"
    # What the code leads to: the public page confirms the same licence.
    public = client.get(licence.get_absolute_url()).content.decode()
    assert licence.number in public and "genuine and in force" in public


@pytest.mark.django_db
def test_the_denial_prints_its_reasons_and_the_remedies_art_38(client, matter, applicant, staff_user):
    """Art. 38: a denial is written, with its reasons and the rights to reconsideration and litigation."""
    application = decided(matter, applicant, staff_user, approve=False)
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    html = client.get(url(application)).content.decode()
    assert "经营场所与污染源距离不足25米。" in html
    assert "60 days" in html and "6 months" in html
    assert "Decision to deny a licence" in html


@pytest.mark.django_db
def test_the_application_page_links_the_decision_and_the_rating(client, matter, applicant, staff_user):
    application = decided(matter, applicant, staff_user)
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("licensing:application-detail", args=[application.pk])).content.decode()
    # Every document issued on the application stays listed, printable and downloadable (Art. 32, 38).
    for document in application.case.issued_documents.all():
        assert reverse("licensing:application-document", args=[application.pk, document.pk]) in html
        assert document.number in html and reverse("document-copy", args=[document.pk]) in html
    assert "Administrative licence" in html and "Notice of acceptance of a licence application" in html
    assert reverse("accounts:rate", args=[application.case.number]) in html
    client.post(reverse("accounts:rate", args=[application.case.number]), {"level": "5", "comment": ""})
    html = client.get(reverse("licensing:application-detail", args=[application.pk])).content.decode()
    assert reverse("accounts:rate", args=[application.case.number]) not in html
    assert "You have rated this service" in html


@pytest.mark.django_db
def test_no_decision_document_before_a_decision(client, matter, applicant, staff_user):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=date(2026, 9, 18))
    application.accept(by=staff_user, today=date(2026, 9, 18))
    client.force_login(applicant)
    assert client.get(url(application)).status_code == 404


@pytest.mark.django_db
def test_decision_documents_are_private_to_the_applicant_and_the_department(
    client, matter, applicant, other_applicant, staff_user, other_department
):
    application = decided(matter, applicant, staff_user)
    assert client.get(url(application)).status_code == 404  # anonymous
    client.force_login(other_applicant)
    assert client.get(url(application)).status_code == 404
    client.force_login(make_staff("other@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    assert client.get(url(application)).status_code == 404
    client.force_login(staff_user)
    html = client.get(url(application)).content.decode()
    assert application.licence.number in html
    # The clerk's way back is the admin, not the applicant's page.
    assert reverse("admin:licensing_application_change", args=[application.pk]) in html


@pytest.mark.django_db
def test_decision_documents_in_chinese_have_no_english_left(client, matter, applicant, staff_user):
    approved = decided(matter, applicant, staff_user)
    denied = decided(matter, applicant, staff_user, approve=False)
    client.force_login(applicant)
    for application in (approved, denied):
        html = client.get(url(application)).content.decode()
        assert untranslated_words(html) == set(), application.status
    assert "行政许可" in client.get(url(approved)).content.decode()


# The admin's list of licences --------------------------------------------------


def licence_for(application, **fields):
    Licence.objects.filter(application=application).update(**fields)
    return Licence.objects.get(application=application)


@pytest.mark.django_db
def test_licence_admin_shows_the_departments_licences_with_expiry(client, matter, applicant, staff_user, settings):
    settings.LICENCE_RENEWAL_REMINDER_DAYS = 60
    today = timezone.localdate()
    soon = licence_for(decided(matter, applicant, staff_user), valid_until=today + timedelta(days=20))
    gone = licence_for(decided(matter, applicant, staff_user), valid_until=today - timedelta(days=1))
    far = licence_for(decided(matter, applicant, staff_user), valid_until=today + timedelta(days=400))
    client.force_login(staff_user)
    changelist = reverse("admin:licensing_licence_changelist")
    html = client.get(changelist).content.decode()
    assert soon.number in html and gone.number in html and far.number in html
    expiring = client.get(changelist + "?validity=expiring").content.decode()
    assert soon.number in expiring and gone.number not in expiring and far.number not in expiring
    expired = client.get(changelist + "?validity=expired").content.decode()
    assert gone.number in expired and soon.number not in expired
    in_force = client.get(changelist + "?validity=in_force").content.decode()
    assert far.number in in_force and gone.number not in in_force
    page = client.get(reverse("admin:licensing_licence_change", args=[soon.pk])).content.decode()
    assert url(soon.application) in page


@pytest.mark.django_db
def test_licence_admin_hides_other_departments_and_cannot_issue(
    client, matter, applicant, staff_user, other_department
):
    licence = decided(matter, applicant, staff_user).licence
    client.force_login(make_staff("other@example.cn", roles.DEPARTMENT_HEAD, other_department))
    assert licence.number not in client.get(reverse("admin:licensing_licence_changelist")).content.decode()
    assert client.get(reverse("admin:licensing_licence_change", args=[licence.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:licensing_licence_add")).status_code == 403


@pytest.mark.django_db
def test_licence_admin_keeps_a_fixed_number_of_queries(
    client, matter, applicant, staff_user, django_assert_num_queries
):
    decided(matter, applicant, staff_user)
    client.force_login(staff_user)
    changelist = reverse("admin:licensing_licence_changelist")
    client.get(changelist)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(changelist)
    for _ in range(12):
        decided(matter, applicant, staff_user)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(changelist).status_code == 200
