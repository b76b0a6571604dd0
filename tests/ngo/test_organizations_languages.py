"""Every organizations page reads in Chinese (the default) with no English left, over the demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from ngo.models.organizations import Organization
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_organizations_pages_have_no_english_left_in_chinese(client, demo):  # noqa: F811
    verified = Organization.objects.verified().first()
    check(
        client,
        [
            reverse("ngo:organizations"),
            reverse("ngo:organizations") + "?type=social_group",
            reverse("ngo:organization", args=[verified.pk]),
        ],
    )
    representative = User.objects.get(email="ngo@demo.civiccenter.example")
    client.force_login(representative)
    mine = Organization.objects.administered_by(representative).first()
    check(
        client,
        [
            reverse("ngo:organization-register"),
            reverse("ngo:organizations-mine"),
            reverse("ngo:organization-manage", args=[mine.pk]),
            reverse("ngo:organization-edit", args=[mine.pk]),
        ],
    )
    client.force_login(User.objects.get(email="mz@demo.civiccenter.example"))
    check(
        client,
        [
            reverse("admin:ngo_organization_changelist"),
            reverse("admin:ngo_organization_changelist") + "?queue=all",
            reverse("admin:ngo_organization_change", args=[verified.pk]),
        ],
    )
