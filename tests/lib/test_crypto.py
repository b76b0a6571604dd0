"""ID and phone numbers are encrypted at rest (PIPL; prc-rules.md §10)."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from civiccenter.lib.crypto import decrypt, encrypt
from tests.conftest import make_user


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_phone_numbers_are_stored_encrypted_and_read_plain(applicant):
    stored = raw("SELECT phone FROM civiccenter_user WHERE id = %s", [applicant.pk])
    assert stored.startswith("gAAAAA") and "13800138000" not in stored
    applicant.refresh_from_db()
    assert applicant.phone == "13800138000"


@pytest.mark.django_db
def test_resident_id_numbers_are_stored_encrypted(department, applicant):
    from tests.licensing.conftest import make_matter

    matter = make_matter(department)
    from tests.licensing.test_applications import make_application

    application = make_application(matter, applicant, id_number="11010519491231002X")
    stored = raw("SELECT id_number FROM licensing_application WHERE id = %s", [application.pk])
    assert "11010519491231002X" not in stored
    application.refresh_from_db()
    assert application.id_number == "11010519491231002X"


def test_keys_rotate_new_first_old_still_read(settings):
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = encrypt("13900139000")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert decrypt(token) == "13900139000"
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        decrypt(token)


def test_empty_and_legacy_plain_values_pass_through():
    assert encrypt("") == "" and decrypt("") == ""
    assert decrypt("13800138000") == "13800138000"


@pytest.mark.django_db
def test_the_same_number_encrypts_differently_each_time():
    first, second = make_user("a@example.cn"), make_user("b@example.cn")
    assert raw("SELECT phone FROM civiccenter_user WHERE id = %s", [first.pk]) != raw(
        "SELECT phone FROM civiccenter_user WHERE id = %s", [second.pk]
    )
