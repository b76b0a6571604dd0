"""Form fields shared by every app's forms."""

import re

from django import forms

from civiccenter.lib.validators import normalize_phone


class IdentifierField(forms.CharField):
    """People type identifiers with spaces and hyphens, and a lower-case x: normalise before validating."""

    def to_python(self, value):
        return re.sub(r"[\s-]+", "", super().to_python(value)).upper()


class PhoneField(forms.CharField):
    """A phone number as typed, without its spaces."""

    def to_python(self, value):
        return normalize_phone(super().to_python(value))
