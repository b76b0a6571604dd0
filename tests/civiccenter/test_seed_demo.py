import pytest
from django.core.management import call_command

from civiccenter import roles
from civiccenter.management.commands.seed_demo import DEMO_PASSWORD
from civiccenter.models import Department, User


def counts():
    return Department.objects.count(), User.objects.count(), User.groups.through.objects.count()


@pytest.mark.django_db
def test_seed_demo_creates_departments_one_account_per_role_and_is_idempotent(capsys, settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[0] >= 9
    for role in roles.ALL_ROLES:
        accounts = list(User.objects.filter(groups__name=role))
        assert accounts, role  # at least one per role (civil affairs has its own reviewer, for organizations)
        for staff in accounts:
            assert staff.is_staff and staff.department_id and staff.check_password(DEMO_PASSWORD)
    assert User.objects.filter(account_type="citizen", is_staff=False).exists()
    assert User.objects.filter(account_type="organization").exists()
    from licensing.models import Application

    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "submitted",
        "correction_requested",
        "accepted",
        "not_accepted",
        "suspended",
        "approved",
        "denied",
    }
    assert Application.objects.filter(deemed_accepted=True).exists()
    from civiccenter.cases import FollowUp, Rating

    assert Rating.objects.count() >= 3 and FollowUp.objects.exists()
    out = capsys.readouterr().out
    assert "admin@demo.civiccenter.example" in out and DEMO_PASSWORD in out
