"""Masked display of personal data: names, identity numbers, phone numbers (prc-rules §10, the usual practice).

One copy of each rule, used wherever a name or number is shown to someone who should not read it whole.
"""

import re


def mask_name(name: str) -> str:
    """张明 -> 张*, 欧阳娜娜 -> 欧***: the family name's first character only."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def mask_id_number(value: str) -> str:
    """Head and tail kept: a resident identity number (18 or 15 characters) as 110105********002X, the area code and
    the last four kept; any other identifier longer than 8 characters with its first and last four; shorter ones as
    they are. Empty stays empty.
    """
    value = value or ""
    if len(value) in (15, 18) and value[:6].isdigit():
        return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
    if len(value) > 8:
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
    return value


def mask_phone(value: str) -> str:
    """A mobile number as 138****5678 (whatever the spaces, hyphens or +86 around it); other numbers keep their last
    four digits only."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) >= 11 and digits[-11] == "1":
        mobile = digits[-11:]
        return f"{mobile[:3]}****{mobile[-4:]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]
