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


def _with_check(body):
    from stdnum.cn import ric

    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the standard's own example
        _with_check("33010619700101001"),  # born 1970, number issued under the 330106 code of 1983
        _with_check("33010619830101001"),
        " 110105 19491231 002x ",  # spaces and a lower-case x are tidied
    ],
)
def test_resident_id_numbers_that_are_valid(number):
    from civiccenter.lib.validators import validate_resident_id

    validate_resident_id(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        _with_check("11010519491331002"),  # no 13th month
        _with_check("99999919700101001"),  # no such area code
        _with_check("11010521000101001"),  # born in the future
        "11010519491231002",  # 17 characters
        "",
    ],
)
def test_resident_id_numbers_that_are_refused(number):
    from django.core.exceptions import ValidationError

    from civiccenter.lib.validators import validate_resident_id

    with pytest.raises(ValidationError):
        validate_resident_id(number)
