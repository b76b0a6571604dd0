"""Invariants the database holds, whatever the code path."""

import pytest
from django.db import IntegrityError, connection, transaction

from civiccenter.models import User
from tests.conftest import make_user


@pytest.mark.django_db
def test_email_is_unique_regardless_of_case_even_for_raw_sql(applicant):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO civiccenter_user (password, email, full_name, phone, account_type, language, "
            "is_staff, is_active, is_superuser, date_joined) "
            "VALUES ('', 'ZHANG@EXAMPLE.CN', 'x', '', 'citizen', 'zh-hans', false, true, false, now())"
        )


@pytest.mark.django_db
def test_account_type_and_language_are_checked_by_the_database(applicant):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=applicant.pk).update(account_type="staff")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=applicant.pk).update(language="fr")


@pytest.mark.django_db
def test_create_user_normalizes_the_address():
    user = make_user("Wang.Li@EXAMPLE.cn")
    assert user.email == "wang.li@example.cn"
    assert User.objects.get_by_natural_key("WANG.LI@example.CN") == user


@pytest.mark.django_db
def test_confirm_email_is_idempotent(db):
    user = make_user(confirmed=False)
    user.confirm_email()
    first = user.email_confirmed_at
    user.confirm_email()
    assert user.email_confirmed_at == first


@pytest.mark.django_db
def test_localized_names_fall_back_to_chinese(department):
    from django.utils import translation

    department.name_en = ""
    with translation.override("en"):
        assert department.display_name == "区市场监督管理局"
        department.name_en = "Market Regulation"
        assert department.display_name == "Market Regulation"
    with translation.override("zh-hans"):
        assert department.display_name == "区市场监督管理局"


@pytest.mark.django_db
def test_data_migrations_are_idempotent():
    """Tests (and a re-run deployment) may run them again over existing data: nothing changes."""
    from django.contrib.auth.models import Group, Permission

    from civiccenter.models import CalendarDay
    from tests.conftest import restore_migration_data

    def snapshot():
        return (
            sorted(Group.objects.values_list("name", "permissions__codename")),
            CalendarDay.objects.count(),
            Permission.objects.count(),
        )

    before = snapshot()
    restore_migration_data()
    assert snapshot() == before
