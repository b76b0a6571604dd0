"""Personal data encrypted at rest (PIPL; prc-rules.md §10: ID and phone numbers).

`EncryptedCharField` stores a Fernet token (AES-128-CBC with an HMAC) in a text
column and gives Python the plain value back, so forms, validators and
templates work as with a CharField. `max_length` applies to the plain value.
Keys come from FIELD_ENCRYPTION_KEYS (comma-separated; the first encrypts,
all decrypt, so a key can be rotated). Encrypted columns cannot be searched.
"""

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with the version byte 0x80, base64-encoded


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set (see .env.example).")
    return MultiFernet([Fernet(key) for key in keys])


def development_key(secret_key: str) -> str:
    """A stable key derived from SECRET_KEY, for DEBUG only."""
    return base64.urlsafe_b64encode(hashlib.sha256(("field-encryption:" + secret_key).encode()).digest()).decode()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else value


def decrypt(value: str) -> str:
    from cryptography.fernet import InvalidToken

    if not value or not value.startswith(TOKEN_PREFIX):
        return value  # empty, or written before the column was encrypted
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured("A stored value cannot be decrypted: check FIELD_ENCRYPTION_KEYS.") from error


class EncryptedCharField(models.CharField):
    def db_type(self, connection):
        return "text"

    def cast_db_type(self, connection):
        return "text"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
