import pytest
from django.core.exceptions import ValidationError

from civiccenter.lib.validators import validate_person_name, validate_phone, validate_plain_text


@pytest.mark.parametrize("name", ["张明", "欧阳娜娜", "阿依古丽·买买提", "Zhang Ming", "Mary-Jane O'Neil"])
def test_real_names_pass(name):
    validate_person_name(name)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "张明1", "   ", "·", "a\x00b", "Robert'); DROP TABLE"])
def test_markup_digits_and_symbols_are_not_names(name):
    with pytest.raises(ValidationError):
        validate_person_name(name)


@pytest.mark.parametrize("phone", ["13800138000", "19912345678", "010-12345678", "0571 8601 0101", "0755-1234567"])
def test_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1380013800", "23800138000", "abc", "+86 138 0013 8000x"])
def test_bad_phone_numbers_fail(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_plain_text_refuses_markup_and_control_characters():
    validate_plain_text("一楼 1–6 号窗口")
    for bad in ["<b>", "a\x07b"]:
        with pytest.raises(ValidationError):
            validate_plain_text(bad)
