"""Unified social credit codes (GB 32100-2015, prc-rules §8): one rule for licensing, NGOs and disclosure requests.

The shape is refused; a code whose check character fails (early pilot codes) is accepted once confirmed, and flagged.
"""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from stdnum.cn import uscc as stdnum_uscc

from civiccenter.lib import uscc

VALID = ["91110000600037341L", "91440300708461136T", "121200004013590816", "91310115MA1K3BTP2B"]
PILOT = "91110000600037341N"  # right shape, check character fails


@pytest.mark.parametrize("code", VALID)
def test_examples_of_prc_rules_section_8_pass_the_check(code):
    uscc.validate(code)
    assert uscc.check_ok(code) and not uscc.check_fails(code)


@pytest.mark.parametrize("code", VALID)
def test_check_character_agrees_with_python_stdnum_section_8(code):
    assert uscc.check_character(code[:17]) == stdnum_uscc.calc_check_digit(code[:17]) == code[17]


def test_failing_check_character_is_not_refused_but_flagged_section_8():
    uscc.validate(PILOT)  # the field validator accepts it
    assert not uscc.check_ok(PILOT) and uscc.check_fails(PILOT)


@pytest.mark.parametrize(
    "code",
    [
        "9111000060003734",
        "91110000600037341LL",
        "<script>",
        "",
        "911100006000373O1L",
        "91AB0000600037341L",
        "9I110000600037341L",
    ],
)
def test_wrong_shape_is_refused_section_8(code):
    with pytest.raises(ValidationError):
        uscc.validate(code)
    assert not uscc.check_ok(code) and not uscc.check_fails(code)


def test_codes_are_normalised_spaces_hyphens_and_case_section_8():
    assert uscc.normalize(" 9144-0300 7084 6113 6t ") == "91440300708461136T"
    uscc.validate("9144 0300 7084 6113 6t")


class CodeForm(uscc.CheckCharacterConfirmation, forms.Form):
    code = forms.CharField(validators=[uscc.validate])
    note = forms.CharField(required=False)
    uscc_field = "code"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_uscc_confirmation()

    def clean(self):
        cleaned = super().clean()
        self.check_uscc_confirmation(cleaned)
        return cleaned


def test_form_with_a_valid_code_asks_nothing_section_8():
    form = CodeForm({"code": VALID[0]})
    assert form.is_valid() and not form.uscc_warning


def test_form_asks_to_confirm_a_failing_check_character_then_accepts_it_section_8():
    form = CodeForm({"code": PILOT})
    assert not form.is_valid() and form.uscc_warning
    assert form.has_error("code", "uscc_check")
    assert list(form.fields) == ["code", "code_confirmed", "note"]  # the box right below the code
    assert CodeForm({"code": PILOT, "code_confirmed": "on"}).is_valid()


def test_form_refuses_a_wrong_shape_whatever_the_box_section_8():
    form = CodeForm({"code": "911100006000373O1L", "code_confirmed": "on"})
    assert not form.is_valid() and not form.uscc_warning and "code" in form.errors
