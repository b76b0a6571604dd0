"""Unified social credit codes (GB 32100-2015): the one rule, used by every app.

- A code is normalised as typed (spaces and hyphens dropped, upper case).
- Its shape is required: 18 characters of the code's alphabet (no I, O, S, V, Z), six digits in positions 3–8.
  A code of another shape is refused (``validate``, the field validator).
- Its check character (position 18) is checked, but a code whose check character does not match is still legal:
  some early pilot codes fail it. Such a code is accepted once the person confirms it is exactly as printed
  (``CheckCharacterConfirmation``), and staff see it flagged (``check_fails``).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SHAPE = re.compile(rf"^[{CHARS}]{{2}}\d{{6}}[{CHARS}]{{10}}$")
# Weights of positions 1–17: 3^(i-1) mod 31.
_WEIGHTS = [pow(3, i, 31) for i in range(17)]

FLAG_LABEL = _("check character does not match")


def normalize(value: str) -> str:
    """A code as typed (spaces, hyphens, lower case) in its canonical form."""
    return re.sub(r"[\s-]", "", value or "").upper()


def shape_ok(value: str) -> bool:
    return bool(_SHAPE.match(normalize(value)))


def validate(value: str) -> None:
    """Field validator: refuses a code of the wrong shape; says nothing of the check character."""
    if not shape_ok(value):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters other than I, O, S, V "
                "and Z, with six digits in positions 3–8."
            ),
            code="invalid_uscc_shape",
        )


def check_character(first17: str) -> str:
    """The check character of the first 17 characters."""
    total = sum(CHARS.index(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CHARS[(31 - total % 31) % 31]


def check_ok(value: str) -> bool:
    """Whether the code has the right shape and its 18th character is the check character of the first 17."""
    code = normalize(value)
    return shape_ok(code) and check_character(code[:17]) == code[17]


def check_fails(value: str) -> bool:
    """Whether the code has the right shape but a check character that does not match (an early pilot code?)."""
    return shape_ok(value) and not check_ok(value)


class CheckCharacterConfirmation:
    """Form mixin: a code whose check character fails is accepted once the person ticks that it is right.

    ``uscc_field`` names the form's code field; the confirmation box (``<uscc_field>_confirmed``) appears only
    when the code typed fails the check. ``uscc_applies(data)`` says whether the field holds a credit code at all
    (a form with several kinds of identifier overrides it).
    """

    uscc_field = "uscc"

    @property
    def uscc_confirm_field(self):
        return f"{self.uscc_field}_confirmed"

    def uscc_applies(self, data) -> bool:
        return True

    def add_uscc_confirmation(self):
        """Call at the end of ``__init__``."""
        typed = self.data.get(self.uscc_field) if self.is_bound else None
        if typed and self.uscc_applies(self.data) and check_fails(typed):
            box = forms.BooleanField(
                label=_("The code is right: it is exactly as printed on the registration certificate."),
                required=False,
                help_text=_("Some codes issued in the early pilot do not pass the check. Staff will see the warning."),
            )
            # Right below the code.
            fields = list(self.fields.items())
            at = next((i + 1 for i, (name, _field) in enumerate(fields) if name == self.uscc_field), len(fields))
            fields.insert(at, (self.uscc_confirm_field, box))
            self.fields = dict(fields)

    def check_uscc_confirmation(self, cleaned):
        """Call from ``clean``: the error that asks for the confirmation, until it is given."""
        code = cleaned.get(self.uscc_field)
        if (
            code
            and self.uscc_applies(cleaned)
            and check_fails(code)
            and not cleaned.get(self.uscc_confirm_field)
            and self.uscc_field not in self.errors
        ):
            self.add_error(
                self.uscc_field,
                ValidationError(
                    _(
                        "The last character of this code does not match the others (the check character). Check "
                        "the code against the certificate; if it is exactly as printed, tick “The code is right” "
                        "and submit again."
                    ),
                    code="uscc_check",
                ),
            )

    @property
    def uscc_warning(self):
        return self.uscc_confirm_field in self.fields
