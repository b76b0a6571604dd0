"""The admin's dates in the sensible range, and two inputs that Django's admin (5.2) answers with a server error,
answered as the admin answers other bad input.

- Every date and date-time field of a model admin's form is one of civiccenter.lib.formfields' bounded fields (the
  admin's own widgets kept), as in every other form of the portal.

- A change list's date drill-down (`?created_at__year=99999999999999999999`) builds a datetime from the numbers and
  catches ValueError only, not the OverflowError of a number too large: it becomes the "invalid filter" the admin
  shows for any other unreadable filter.
- An autocomplete field re-displayed after an error looks up what was submitted without checking it is an id
  (`Field 'id' expected a number but got 'NaN'`): values that are no id of its model are left out, as the form
  itself already refused them with a field error.

Installed once by CivicAdminConfig.ready(); tests/civiccenter/test_hostile_input.py finds them when they are not.
"""

import functools

from django.contrib.admin import options
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.db import models

from civiccenter.lib import formfields


def _date_drill_down_overflow_is_a_bad_filter(get_filters):
    @functools.wraps(get_filters)
    def wrapper(self, request):
        try:
            return get_filters(self, request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    return wrapper


def _autocomplete_shows_only_ids(optgroups):
    @functools.wraps(optgroups)
    def wrapper(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        readable = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return optgroups(self, name, readable, attr)

    return wrapper


def install():
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField]["form_class"] = formfields.DateField
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField]["form_class"] = formfields.SplitDateTimeField
    if not getattr(ChangeList.get_filters, "__wrapped__", None):
        ChangeList.get_filters = _date_drill_down_overflow_is_a_bad_filter(ChangeList.get_filters)
    if not getattr(AutocompleteMixin.optgroups, "__wrapped__", None):
        AutocompleteMixin.optgroups = _autocomplete_shows_only_ids(AutocompleteMixin.optgroups)
