"""Masked display of names, identity numbers and phone numbers: one copy of each rule (prc-rules §10)."""

import pytest

from civiccenter.lib.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张明", "张*"), ("欧阳娜娜", "欧***"), ("Li", "L*"), ("王", "王*"), (" 张明 ", "张*"), ("", "")],
)
def test_names_keep_the_first_character_section_10(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),  # resident identity number: area code and last four
        ("330106900101123", "330106*****1123"),  # the old 15-digit number
        ("91310115MA1K3BTP2B", "913101********TP2B"),
        ("E12345678", "E123*5678"),  # other identifiers: first and last four
        ("12345678", "12345678"),
        ("", ""),
        (None, ""),
    ],
)
def test_identity_numbers_keep_head_and_tail_section_10(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("+86 138 1234 5678", "138****5678"), ("86010101", "****0101"), ("", "")],
)
def test_phones_keep_the_first_three_and_last_four_digits_of_a_mobile_section_10(phone, masked):
    assert mask_phone(phone) == masked
