"""A poor rating of a report opens a follow-up carrying the reporter's contacts: never for the unit reported."""

import pytest
from django.urls import reverse

from civiccenter import roles
from civiccenter.cases import FollowUp, Rating
from opinions.models import Kind
from tests.conftest import make_staff
from tests.opinions.test_cases import make_category, submit


@pytest.mark.django_db
def test_art_30_follow_ups_of_a_poor_rating_of_a_report_are_hidden_from_the_unit_reported(
    client, applicant, department, other_department, staff_user
):
    """Letters and Visits Regulations Art. 30: the reported unit's staff never get the reporter's details.

    A center-wide role in the reported unit reaches every department's cases; the follow-up
    of a report about its own unit must still stay out of its reach.
    """
    category = make_category(department)
    report = submit(
        applicant, category, kind=Kind.REPORT, reported_department=other_department, contact_phone="13912345678"
    )
    report.accept(by=staff_user)
    report.reply_to(by=staff_user, text="经查，情况属实，已依法处理。")
    Rating.give(case=report.case, level=1, comment="处理太慢", by=applicant)
    followup = FollowUp.objects.get(rating__case=report.case)

    reported_supervisor = make_staff("sup@mz.example.cn", roles.CENTER_SUPERVISOR, other_department)
    client.force_login(reported_supervisor)
    listing = client.get(reverse("admin:civiccenter_followup_changelist"))
    assert listing.status_code == 200
    assert followup.case.number not in listing.content.decode()
    assert client.get(reverse("admin:civiccenter_followup_move", args=[followup.pk])).status_code == 404

    # The handling department still follows it up, with the contact details it needs.
    client.force_login(staff_user)
    page = client.get(reverse("admin:civiccenter_followup_move", args=[followup.pk]))
    assert page.status_code == 200
    assert "13912345678" in page.content.decode()
