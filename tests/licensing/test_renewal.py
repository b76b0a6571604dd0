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


# Art. 50: asked at least 30 days before expiry; decided before expiry, or renewed by law ------------------


def _renewal(licence, applicant):
    return make_application(
        licence.application.version.matter, applicant, renews=licence, id_number="11010519491231002X"
    )


def _refused(take, chinese, english):
    from django.utils import translation

    from civiccenter.cases import InvalidTransition

    for language, words in (("zh-hans", chinese), ("en", english)):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                take()
            assert words in str(refused.value)


@pytest.mark.django_db
def test_a_renewal_is_asked_at_least_30_days_before_expiry_art_50(licence, applicant):
    """The licence expires on 31 Dec 2026: the last day to ask is 1 Dec (30 days before)."""
    late = _renewal(licence, applicant)
    _refused(lambda: late.submit(by=applicant, today=date(2026, 12, 2)), "2026-12-01", "Article 50")
    assert Application.objects.get(pk=late.pk).status == "draft" and late.case_id is None
    late.submit(by=applicant, today=date(2026, 12, 1))
    assert late.status == "submitted" and Application.objects.get(pk=late.pk).renewal_in_time


@pytest.mark.django_db
def test_the_matter_sets_another_period_for_asking_art_50(licence, applicant):
    version = licence.application.version
    version.renewal_lead_days = 60
    version.save()
    renewal = _renewal(licence, applicant)
    _refused(lambda: renewal.submit(by=applicant, today=date(2026, 11, 2)), "2026-11-01", "Article 50")


@pytest.mark.django_db
def test_a_renewal_is_decided_before_the_licence_expires_art_50(licence, applicant, staff_user):
    """A matter with 30 working days: accepted on 1 Dec 2026 they would end in January; the renewal is decided
    by the expiry, Thu 31 Dec 2026, the last working day on or before it."""
    from civiccenter.cases import Case

    version = licence.application.version
    version.statutory_limit = 30
    version.save()
    renewal = _renewal(licence, applicant)
    renewal.submit(by=applicant, today=date(2026, 12, 1))
    renewal.accept(by=staff_user, today=date(2026, 12, 1))
    case = Case.objects.get(pk=renewal.case_id)
    assert case.due_date == date(2026, 12, 31) and "第五十条" in case.clock_rule
    assert renewal.promised_due <= date(2026, 12, 31)


@pytest.mark.django_db
def test_not_decided_by_expiry_the_renewal_is_granted_by_law_art_50(client, licence, applicant, staff_user):
    renewal = _renewal(licence, applicant)
    renewal.submit(by=applicant, today=date(2026, 11, 20))
    renewal.accept(by=staff_user, today=date(2026, 11, 20))
    verify = reverse("licensing:licence-verify", args=[licence.verification_code])
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from civiccenter.lib import clock

    with clock.at(datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client.cookies["django_language"] = "en"
        page = client.get(verify).content.decode()
        assert "renewed by law" in page and "not in force" not in page
        register = client.get(reverse("licensing:register")).content.decode()
        assert "renewed by law" in register
        # A denial after the expiry would take back what the law granted.
        _refused(
            lambda: renewal.deny(by=staff_user, reasons="不符合条件", today=date(2027, 1, 5)), "第五十条", "Article 50"
        )
        renewal.approve(by=staff_user, scope="热食类食品制售", valid_until=date(2031, 12, 31), today=date(2027, 1, 5))
    assert renewal.status == "approved"


@pytest.mark.django_db
def test_an_expired_licence_without_a_renewal_in_time_is_not_in_force(client, licence):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from civiccenter.lib import clock

    client.cookies["django_language"] = "en"
    with clock.at(datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("licensing:licence-verify", args=[licence.verification_code])).content.decode()
    assert "not in force" in page and "renewed by law" not in page
