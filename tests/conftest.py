"""Fixtures shared by every app's tests (healthchecks' alice/bob/charlie style)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from civiccenter import roles
from civiccenter.models import Department, User

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def password():
    return PASSWORD


def make_department(code="SCJG", name="区市场监督管理局", **fields):
    fields.setdefault("name_en", "District Administration for Market Regulation")
    fields.setdefault("phone", "0571-86010101")
    return Department.objects.create(code=code, name=name, **fields)


def make_user(email="zhang@example.cn", full_name="张明", confirmed=True, **fields):
    fields.setdefault("phone", "13800138000")
    user = User.objects.create_user(
        email, PASSWORD, full_name=full_name, email_confirmed_at=timezone.now() if confirmed else None, **fields
    )
    return user


def ensure_roles():
    """The role groups come from a data migration; a transactional test's flush removes them."""
    if Group.objects.filter(name__in=roles.ALL_ROLES).count() < len(roles.ALL_ROLES):
        import_module("civiccenter.migrations.0002_staff_roles").create_roles(apps, None)


def restore_migration_data():
    """Put back what data migrations load (roles, the work calendar) after a flush."""
    ensure_roles()
    import_module("civiccenter.migrations.0004_seed_calendar_2025_2026").seed(apps, None)


def make_staff(email, role, department, **fields):
    ensure_roles()
    user = make_user(email, full_name=fields.pop("full_name", "王晓丽"), is_staff=True, department=department, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def department(db):
    return make_department()


@pytest.fixture
def other_department(db):
    return make_department(code="MZ", name="区民政局", name_en="District Civil Affairs Bureau", phone="0571-86010202")


@pytest.fixture
def applicant(db):
    return make_user()


@pytest.fixture
def other_applicant(db):
    return make_user("li@example.cn", full_name="李华", phone="13900139000")


@pytest.fixture
def staff_user(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def supervisor(department):
    return make_staff("supervisor@example.cn", roles.CENTER_SUPERVISOR, department, full_name="周海燕")
