"""Renewal (Art. 50): reminders in good time, and applying to renew from the licence."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from civiccenter.models import Notification
from licensing.models import Application, sweep_renewal_reminders
from tests.licensing.test_applications import make_application


@pytest.fixture
def licence(matter, applicant, staff_user):
    application = make_application(matter, applicant, id_number="11010519491231002X")
    application.submit(by=applicant, today=date(2021, 9, 17))
    application.accept(by=staff_user, today=date(2021, 9, 17))
    return application.approve(
        by=staff_user, scope="热食类食品制售", valid_until=date(2026, 12, 31), today=date(2021, 9, 30)
    )


@pytest.mark.django_db
def test_holders_are_reminded_60_days_before_expiry_once_art_50(licence, applicant, settings):
    """Art. 50: renewal is requested at least 30 days before expiry; the reminder comes earlier (configurable)."""
    assert settings.LICENCE_RENEWAL_REMINDER_DAYS == 60
    assert sweep_renewal_reminders(date(2026, 10, 31)) == 0  # 61 days before
    assert sweep_renewal_reminders(date(2026, 11, 1)) == 1  # 60 days before
    assert sweep_renewal_reminders(date(2026, 11, 2)) == 0  # once
    notice = Notification.objects.filter(recipient=applicant).order_by("pk").last()
    assert licence.number in notice.subject and "2026-12-01" in notice.body  # 30 days before expiry


@pytest.mark.django_db
def test_the_reminder_window_is_configurable(licence, settings):
    settings.LICENCE_RENEWAL_REMINDER_DAYS = 90
    assert sweep_renewal_reminders(date(2026, 10, 2)) == 1


@pytest.mark.django_db
def test_sweep_deadlines_sends_renewal_reminders(licence):
    call_command("sweep_deadlines", today="2026-11-15", stdout=open("/dev/null", "w"))
    licence.refresh_from_db()
    assert licence.renewal_reminded_on == date(2026, 11, 15)


@pytest.mark.django_db
def test_holder_applies_to_renew_from_the_licence(client, licence, applicant, other_applicant):
    url = reverse("licensing:renew-licence", args=[licence.pk])
    client.force_login(other_applicant)
    assert client.post(url).status_code == 404
    client.force_login(applicant)
    detail = client.get(reverse("licensing:application-detail", args=[licence.application.pk])).content.decode()
    assert url in detail
    response = client.post(url)
    draft = Application.objects.get(renews=licence)
    assert response.url == reverse("licensing:application-edit", args=[draft.pk])
    assert (draft.status, draft.id_number, draft.applicant_name) == ("draft", "11010519491231002X", "张明")
    client.post(url)
    assert Application.objects.filter(renews=licence).count() == 1  # the same draft again
