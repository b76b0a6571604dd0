import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department
from licensing.models import LifeEvent, Matter


class MatterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"),
        method="search",
        max_length=50,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.filter(matters__current_version__isnull=False).distinct()
    )
    audience = django_filters.ChoiceFilter(
        label=_("For"),
        choices=[("individual", _("Individuals")), ("enterprise", _("Enterprises and organizations"))],
        method="for_audience",
        empty_label=_("Everyone"),
    )
    life_event = django_filters.ModelChoiceFilter(
        label=_("Life event"), field_name="life_events", queryset=LifeEvent.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = Matter
        fields = ["q", "department", "audience", "life_event"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def for_audience(self, queryset, name, value):
        return queryset.filter(audience__in=[value, Matter.Audience.BOTH])
