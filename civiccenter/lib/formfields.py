"""Form fields shared by every app's forms."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.lib.validators import normalize_phone


class IdentifierField(forms.CharField):
    """People type identifiers with spaces and hyphens, and a lower-case x: normalise before validating."""

    def to_python(self, value):
        return re.sub(r"[\s-]+", "", super().to_python(value)).upper()


class PhoneField(forms.CharField):
    """A phone number as typed, without its spaces."""

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


# Dates ----------------------------------------------------------------------------------------------------------
# Every date a form takes lies between 1 January 1900 (no record of the center is older) and the end of the year
# a century from now (a licence or a plan may run decades; nothing runs longer). Forms narrow it where the matter
# says more (a venue is booked up to three years ahead); this range only keeps 0001-01-01 and 9999-12-31, which a
# date input accepts, from the date arithmetic of the clocks, calendars and reminders, where they would overflow.
EARLIEST_DATE = datetime.date(1900, 1, 1)
FUTURE_YEARS = 100


def latest_date(today=None):
    return datetime.date((today or clock.today()).year + FUTURE_YEARS, 12, 31)


def validate_sensible_date(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    last = latest_date()
    if not EARLIEST_DATE <= day <= last:
        raise ValidationError(
            _("Enter a date from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.isoformat(), "last": last.isoformat()},
        )


class DateField(forms.DateField):
    """A date in the sensible range (see EARLIEST_DATE); use it for every date a form takes."""

    default_validators = [validate_sensible_date]


class DateTimeField(forms.DateTimeField):
    """A date and time whose date is in the sensible range."""

    default_validators = [validate_sensible_date]


class SplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date and time inputs, the date in the sensible range."""

    default_validators = [validate_sensible_date]
