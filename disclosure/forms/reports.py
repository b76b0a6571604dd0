"""Staff forms of the annual report: generating one, and the figures and text staff enter."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.models import Department
from disclosure import annual
from disclosure.models import AnnualReport

DISTRICT = "district"


class GenerateReportForm(forms.Form):
    """Which report to generate: the scopes offered are the ones the staff member may report for."""

    year = forms.IntegerField(label=_("Year"), min_value=2008)
    scope = forms.ChoiceField(label=_("Report of"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        # A report covers a year that has begun (a preview of the current year is allowed).
        self.fields["year"].widget.attrs["max"] = today.year
        self.fields["year"].validators.append(MaxValueValidator(today.year))
        self.fields["year"].initial = today.year - 1
        if user.sees_all_departments:
            departments = Department.objects.order_by("order", "name")
            choices = [(DISTRICT, _("The whole district government"))]
        else:
            departments = Department.objects.filter(pk=user.department_id)
            choices = []
        self.departments = {department.code.lower(): department for department in departments}
        choices += [(code, department.display_name) for code, department in self.departments.items()]
        self.fields["scope"].choices = choices

    def department(self):
        """The department chosen, or None for the district."""
        scope = self.cleaned_data["scope"]
        return None if scope == DISTRICT else self.departments[scope]


def _count(label):
    return forms.IntegerField(label=label, min_value=0, max_value=10_000_000, initial=0)


class AnnualReportForm(forms.ModelForm):
    """The narrative sections, plus the figures the portal cannot count (table 二's last rows, table 四)."""

    penalty = _count(_("Administrative penalty decisions this year (Art. 20, item 6)"))
    coercion = _count(_("Administrative coercion decisions this year (Art. 20, item 6)"))
    fees = forms.DecimalField(
        label=_("Administrative fees charged this year, in 10,000 yuan (Art. 20, item 8)"),
        min_value=0,
        max_digits=12,
        decimal_places=4,
        initial=0,
    )

    class Meta:
        model = AnnualReport
        fields = ["overview", "proactive_text", "requests_text", "remedies_text", "problems", "other"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        table2 = self.instance.table2 or {}
        table4 = self.instance.table4 or {}
        self.initial.setdefault("penalty", table2.get("penalty", 0))
        self.initial.setdefault("coercion", table2.get("coercion", 0))
        self.initial.setdefault("fees", table2.get("fees", "0"))
        for group, _label in annual.TABLE4_GROUPS:
            for column in annual.TABLE4_ENTERED:
                self.initial.setdefault(f"t4_{group}_{column}", table4.get(group, {}).get(column, 0))

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance.set_staff_figures(
            penalty=data["penalty"],
            coercion=data["coercion"],
            fees=data["fees"],
            table4={
                group: {column: data[f"t4_{group}_{column}"] for column in annual.TABLE4_ENTERED}
                for group, _label in annual.TABLE4_GROUPS
            },
        )
        return super().save(commit)


# Table 四: the four outcomes of each group; the totals are computed.
TABLE4_FIELDS = []
for _group, _group_label in annual.TABLE4_GROUPS:
    for _column, _column_label in annual.TABLE4_COLUMNS:
        if _column != "total":
            name = f"t4_{_group}_{_column}"
            AnnualReportForm.base_fields[name] = _count(format_lazy("{} · {}", _group_label, _column_label))
            AnnualReportForm.declared_fields[name] = AnnualReportForm.base_fields[name]
            TABLE4_FIELDS.append(name)
