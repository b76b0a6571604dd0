"""Every date a form takes lies in a sensible range (1900 to a century ahead): in the portal's own forms, in the
ModelForms and in every form of the staff admin. 0001-01-01 and 9999-12-31 never reach the date arithmetic."""

import datetime
import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from civiccenter.lib import clock, formfields

PROJECT_APPS = ("civiccenter", "licensing", "disclosure", "consultation", "hearings", "opinions", "ngo")
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def bounded(field):
    return formfields.validate_sensible_date in field.validators


def project_form_classes():
    classes = set()
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, app + "."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    classes.add(value)
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_date_field_of_the_portals_forms_is_bounded():
    found, unbounded = 0, []
    for form_class in project_form_classes():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if ".admin" in form_class.__module__ and name not in form_class.declared_fields:
                continue  # the admin makes a model's fields itself, with its own defaults (the test below)
            if isinstance(field, DATE_FIELDS):
                found += 1
                if not bounded(field):
                    unbounded.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert found >= 15
    assert unbounded == []


@pytest.mark.django_db
def test_every_date_field_of_every_admin_form_is_bounded(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    request.resolver_match = SimpleNamespace(kwargs={})
    found, unbounded = 0, []
    for model, model_admin in admin.site._registry.items():
        form_classes = [model_admin.get_form(request)]
        form_classes += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, DATE_FIELDS):
                    found += 1
                    if not bounded(field):
                        unbounded.append(f"{model._meta.label} {form_class.__name__}.{name}")
    assert found >= 20
    assert unbounded == []


@pytest.mark.parametrize(
    "value, valid",
    [
        ("1899-12-31", False),
        ("1900-01-01", True),
        ("2026-05-04", True),
        (f"{clock.today().year + formfields.FUTURE_YEARS}-12-31", True),
        (f"{clock.today().year + formfields.FUTURE_YEARS + 1}-01-01", False),
        ("9999-12-31", False),
        ("0001-01-01", False),
    ],
)
def test_the_sensible_range(value, valid):
    field = formfields.DateField()
    if valid:
        assert field.clean(value) == datetime.date.fromisoformat(value)
    else:
        with pytest.raises(forms.ValidationError) as error:
            field.clean(value)
        assert [item.code for item in error.value.error_list] == ["date_out_of_range"]


def test_a_date_time_out_of_range_is_a_field_error():
    from django.utils import translation

    class Form(forms.Form):
        at = formfields.DateTimeField()

    with translation.override("en"):
        form = Form({"at": "9999-12-31T23:59"})
        assert not form.is_valid()
        assert form.errors["at"][0].startswith("Enter a date from 1900-01-01 to ")
