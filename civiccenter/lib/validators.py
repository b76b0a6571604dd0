"""Field validators shared by every app's forms and models."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Unified social credit codes: civiccenter.lib.uscc holds the rule; ngo's migrations refer to its validator here.
from civiccenter.lib.uscc import validate as validate_uscc_shape  # noqa: F401

# Letters of any script, plus the separators real names use: spaces, the
# Chinese middle dot of transliterated names (·), the katakana middle dot, the
# hyphen, apostrophe and full stop. No digits, no markup, no control characters.
_NAME = re.compile(r"^(?:[^\W\d_]|[ ·・.'\-])+$")


def validate_person_name(value: str) -> None:
    if not _NAME.match(value) or not value.strip(" ·・.'-"):
        raise ValidationError(
            _("Enter a name made of letters (spaces, “·”, “-” and “'” are allowed)."),
            code="invalid_name",
        )


# A mainland mobile number (11 digits starting 13–19), or a landline with its
# area code (010-12345678, 0755 1234 5678), optionally with an extension.
validate_phone = RegexValidator(
    r"^(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{3,4}[- ]?\d{4}(?:-\d{1,6})?)$",
    _("Enter a mobile number (11 digits) or a landline with its area code, e.g. 010-12345678."),
    code="invalid_phone",
)


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s]+", "", value or "")


_MARKUP = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_plain_text(value: str) -> None:
    """Single-line text shown to others: no markup and no control characters."""
    if _MARKUP.search(value):
        raise ValidationError(_("“<” and “>” are not allowed here."), code="markup")
    if _CONTROL.search(value):
        raise ValidationError(_("Control characters are not allowed."), code="control")


def validate_resident_id(value: str) -> None:
    """GB 11643-1999 resident identity number: 18 characters, check character, real birth date, known area code.

    The area code is where the number was first issued, which can be years after the birth
    (numbers were first issued in 1984), so it must be a code that exists or existed, but not
    necessarily in the birth year: python-stdnum's `ric.validate` also asks that, and so refuses
    real numbers such as those of people born in 1970 with the 330106 code of 1983.
    """
    import datetime

    from stdnum import numdb
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as StdnumError

    invalid = ValidationError(_("This is not a valid resident identity number."), code="invalid_ric")
    number = re.sub(r"[\s-]", "", value or "").upper()
    if len(number) != 18 or not number[:17].isdigit() or number[-1] != ric.calc_check_digit(number):
        raise invalid
    try:
        born = ric.get_birth_date(number)
    except StdnumError as error:
        raise invalid from error
    if born.year < 1900 or born > datetime.date.today():
        raise invalid
    if not any(props for _part, props in numdb.get("cn/loc").info(number[:6])):
        raise invalid
