"""The organization's verification table (`Organization.WORKFLOW`), walked with the real methods."""

import pytest
from django.utils import timezone

from demo.ngo.organizations import uscc_for
from ngo.models.organizations import Membership, Organization
from tests.conftest import make_user
from tests.ngo.board_helpers import make_moderator
from tests.ngo.workflow_walk import assert_walk, cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def representative(db):
    return make_user("rep@example.cn", full_name="刘芳", account_type="organization")


@pytest.fixture
def organization(representative):
    organization = Organization.objects.create(
        name="城南助老服务社",
        type=Organization.Type.SOCIAL_GROUP,
        uscc=uscc_for("social_group", 7),
        certificate="ngo/certificates/x.pdf",
        field=Organization.Field.ELDERLY,
        area="城南街道",
        contact_person="刘芳",
        contact_phone="13812345678",
        description="为社区老人提供助餐、陪伴服务。",
        created_by=representative,
    )
    Membership.objects.create(organization=organization, user=representative, role=Membership.Role.ADMINISTRATOR)
    return organization


@pytest.mark.parametrize(("name", "state"), cases(Organization.WORKFLOW))
def test_each_move_of_the_table_from_each_status(organization, representative, name, state):
    Organization.objects.filter(pk=organization.pk).update(
        status=state, verified_at=timezone.now(), return_reason="证书复印件不清晰"
    )
    organization.refresh_from_db()
    moderator = make_moderator()
    calls = {
        "verify": lambda: organization.verify(by=moderator),
        "return_for_correction": lambda: organization.return_for_correction(by=moderator, reason="证书不清晰"),
        "resubmit": lambda: organization.resubmit(by=representative),
        "send_for_reverification": lambda: organization.send_for_reverification(by=representative),
    }
    assert set(calls) == set(Organization.WORKFLOW.moves)
    assert_walk(organization, name, state, calls[name])


def test_changing_what_was_verified_sends_it_back_through_the_table(organization, representative):
    Organization.objects.filter(pk=organization.pk).update(status="verified", verified_at=timezone.now())
    organization.refresh_from_db()
    organization.name = "城南助老服务中心"
    assert organization.update_details(by=representative, changed=["name"]) is True
    organization.refresh_from_db()
    assert organization.status == "pending"
    assert [e.move for e in organization.history] == ["send_for_reverification"]
    # A change of what was not verified, or while pending, moves nothing.
    organization.area = "城南、城东街道"
    assert organization.update_details(by=representative, changed=["area", "name"]) is False
    assert organization.history.count() == 1
