"""The public list's filters: category, department, year, topic, validity, and the search words."""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.models import Department
from disclosure.models import Category, Document, Topic

# Ranked search scores at most this many of the newest matches (after the other filters).
SEARCH_CANDIDATES = 1000
FIRST_YEAR = 2008  # the first Regulations on Open Government Information took effect on 1 May 2008


def year_choices():
    return [(year, str(year)) for year in range(clock.today().year, FIRST_YEAR - 1, -1)]


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="search",
        max_length=100,
        help_text=_("Words of the title or text, or a document number such as 〔2026〕12."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Disclosure category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All categories"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("order", "name"),
        to_field_name="code",
        empty_label=_("All departments"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year published"), choices=year_choices, method="in_year", empty_label=_("All years")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.all(), to_field_name="slug", empty_label=_("All topics")
    )
    validity = django_filters.ChoiceFilter(
        label=_("Validity"), choices=Document.Validity.choices, empty_label=_("Any validity")
    )

    class Meta:
        model = Document
        fields = ["q", "category", "department", "year", "topic", "validity"]

    def search(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset: the ranking caps its candidates

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        words = self.form.cleaned_data.get("q")
        return queryset.search_top(words, candidates=SEARCH_CANDIDATES) if words else queryset

    def in_year(self, queryset, name, value):
        value = int(value)
        # A range rather than __year, so the keyset index on published_on serves it.
        return queryset.filter(published_on__gte=date(value, 1, 1), published_on__lt=date(value + 1, 1, 1))

    @property
    def searching(self):
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 - validates the form; invalid fields are left out of cleaned_data
        return bool(self.form.cleaned_data.get("q"))
