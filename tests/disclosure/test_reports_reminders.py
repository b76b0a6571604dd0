"""Reminders of the annual report's deadlines (Art. 49-50): 31 January (departments), 31 March (district)."""

from datetime import date

import pytest
from django.core.management import call_command

from civiccenter import roles
from civiccenter.models import Notification
from disclosure.models import AnnualReport
from disclosure.models.reports import AnnualReportReminder, sweep_report_reminders
from tests.conftest import make_staff


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def administrator(other_department):
    return make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, other_department, full_name="吴振华")


def notices(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.mark.django_db
def test_department_heads_are_reminded_ten_days_before_31_january(settings, head, reviewer):
    """A 2025 report is due on 31 January 2026; with N=10 the reminder goes out from 21 January."""
    settings.DISCLOSURE_REPORT_REMINDER_DAYS = 10
    assert sweep_report_reminders(date(2026, 1, 20)) == 0
    assert notices(head) == []
    assert sweep_report_reminders(date(2026, 1, 21)) == 1
    [notice] = notices(head)
    assert "2025" in notice.subject and "2026-01-31" in notice.subject
    assert notice.url == "/admin/disclosure/annualreport/"
    assert notices(reviewer) == []  # heads only
    # Reruns on the same day and the next days send nothing more until the deadline has passed.
    assert sweep_report_reminders(date(2026, 1, 21)) == 0
    assert sweep_report_reminders(date(2026, 1, 31)) == 0
    assert len(notices(head)) == 1


@pytest.mark.django_db
def test_overdue_notice_once_on_1_february(settings, head):
    settings.DISCLOSURE_REPORT_REMINDER_DAYS = 10
    sweep_report_reminders(date(2026, 1, 21))
    assert sweep_report_reminders(date(2026, 2, 1)) == 1
    assert sweep_report_reminders(date(2026, 2, 2)) == 0
    first, overdue = notices(head)
    assert "2026-01-31" in first.subject and "2026-01-31" not in overdue.subject
    assert set(AnnualReportReminder.objects.values_list("kind", "sent_on")) == {
        ("due_soon", date(2026, 1, 21)),
        ("overdue", date(2026, 2, 1)),
    }


@pytest.mark.django_db
def test_a_sweep_that_first_runs_after_the_deadline_sends_only_the_overdue_notice(head):
    assert sweep_report_reminders(date(2026, 2, 5)) == 1
    assert len(notices(head)) == 1
    assert AnnualReportReminder.objects.get().kind == "overdue"


@pytest.mark.django_db
def test_the_reminder_period_is_a_setting(settings, head):
    settings.DISCLOSURE_REPORT_REMINDER_DAYS = 3
    assert sweep_report_reminders(date(2026, 1, 27)) == 0
    assert sweep_report_reminders(date(2026, 1, 28)) == 1


@pytest.mark.django_db
def test_a_published_report_needs_no_reminder_but_a_draft_does(head, department, other_department):
    report = AnnualReport.generate(2025, department)
    report.overview = "概述"
    report.save()
    assert sweep_report_reminders(date(2026, 1, 21)) == 1  # the draft is not published yet
    report.publish(by=head)
    assert sweep_report_reminders(date(2026, 2, 1)) == 0
    assert len(notices(head)) == 1


@pytest.mark.django_db
def test_the_district_report_reminds_the_system_administrators_by_31_march(settings, head, administrator):
    settings.DISCLOSURE_REPORT_REMINDER_DAYS = 10
    sweep_report_reminders(date(2026, 2, 1))  # the departments' notices
    assert notices(administrator) == []
    assert sweep_report_reminders(date(2026, 3, 20)) == 0
    assert sweep_report_reminders(date(2026, 3, 21)) == 1
    assert sweep_report_reminders(date(2026, 3, 31)) == 0
    assert sweep_report_reminders(date(2026, 4, 1)) == 1
    due, overdue = notices(administrator)
    assert "2026-03-31" in due.subject and "2025" in overdue.subject
    assert len(notices(head)) == 1  # the department's overdue notice only, nothing about the district


@pytest.mark.django_db
def test_sweep_deadlines_runs_the_report_reminders(head, capsys):
    call_command("sweep_deadlines", today="2026-01-21")
    assert "1 annual disclosure report reminders" in capsys.readouterr().out
    assert len(notices(head)) == 1
