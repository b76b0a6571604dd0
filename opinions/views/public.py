"""Opinions, public side: the board of handled cases, the statistics, and withdrawing consent to publication.

The board is read newest first with a keyset ("older" carries the edge row's
publication time and id): no COUNT, no OFFSET, so every page costs the same few
queries whatever the number of cases. The statistics come from one aggregate
query, cached for a few minutes per period and language (opinions.publishing).
"""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from civiccenter import sections
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, formfields
from civiccenter.lib.csvexport import csv_response
from civiccenter.lib.keyset import decode_cursor, keyset
from civiccenter.models import Department
from opinions import publishing
from opinions.models import BoardEntry, Category, Kind, Opinion

BOARD_PER_PAGE = 20
MAX_STATS_MONTHS = 60


def section_trail():
    return [(reverse("opinions:index"), sections.get("opinions").title)]


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds"))] + [(k.value, k.label) for k in Kind if k != Kind.REPORT],
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("All categories")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), empty_label=_("All departments")
    )


def board(request):
    """Handled cases published with their submitters' consent, newest first, filterable."""
    form = BoardFilterForm(request.GET or None)
    entries = BoardEntry.objects.published().for_board()
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["category"]:
            entries = entries.filter(category=data["category"])
        if data["department"]:
            entries = entries.filter(case__department=data["department"])
    cursor = decode_cursor(request.GET.get("older"))
    rows, older = keyset(entries, cursor, per_page=BOARD_PER_PAGE)
    kept = [(k, v) for k, v in request.GET.items() if k != "older" and v]
    return render(
        request,
        "opinions/board/board.html",
        {
            "form": form,
            "entries": rows,
            "older_query": urlencode([*kept, ("older", older)]) if older else "",
            "first_query": urlencode(kept) if cursor else None,
            "trail": section_trail(),
        },
    )


def board_entry(request, pk):
    entry = get_object_or_404(BoardEntry.objects.published().for_board(), pk=pk)
    trail = [*section_trail(), (reverse("opinions:board"), gettext("Public board of handled cases"))]
    return render(request, "opinions/board/entry.html", {"entry": entry, "trail": trail})


@require_POST
@login_required
def withdraw_consent(request, number):
    """PIPL Art. 15: the submitter takes back consent to publication; the case leaves the board at once."""
    opinion = get_object_or_404(
        Opinion.objects.select_related("case").filter(Q(submitter=request.user) | Q(case__applicant=request.user)),
        case__number=number,
    )
    try:
        publishing.withdraw_consent(opinion, by=request.user)
    except InvalidTransition as error:
        messages.info(request, str(error))
    else:
        messages.success(request, gettext("You withdrew your consent: the case is not published."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = opinion.get_absolute_url()
    return HttpResponseRedirect(target)  # not redirect(), which would try a `next` that is no URL as a view name


# --- Statistics -------------------------------------------------------------------------------------------------


def _month_start(value: date) -> date:
    return value.replace(day=1)


def _add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class PeriodForm(forms.Form):
    """From and to months, both included; empty means the last twelve months."""

    start = formfields.DateField(
        label=_("From (month)"),
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        help_text=_("As YYYY-MM, e.g. 2026-01."),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-01.")},
    )
    end = formfields.DateField(
        label=_("To (month)"),
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        help_text=_("As YYYY-MM, included."),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-01.")},
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        this_month = _month_start(clock.today())
        end = data.get("end") or this_month
        start = data.get("start") or _add_months(end, -11)
        if end > this_month:
            self.add_error("end", _("The period cannot end after the current month."))
        elif start > end:
            self.add_error("start", _("The first month must not be after the last one."))
        elif start.year < 2000:
            self.add_error("start", _("Statistics start in the year 2000."))
        elif _add_months(start, MAX_STATS_MONTHS) <= end:
            self.add_error(
                "start",
                _("Choose a period of at most %(months)d months.") % {"months": MAX_STATS_MONTHS},
            )
        data["start"], data["end"] = start, end
        return data

    @property
    def period(self):
        """(first day of the first month, first day of the month after the last one)."""
        return self.cleaned_data["start"], _add_months(self.cleaned_data["end"], 1)


def _period_form(request):
    return PeriodForm(request.GET if (request.GET.get("start") or request.GET.get("end")) else {})


def stats(request):
    """Received and closed by month, category, department and channel; handling time, on-time rate, satisfaction."""
    form = _period_form(request)
    result = publishing.statistics(*form.period) if form.is_valid() else None
    csv_query = (
        urlencode(
            {"start": form.cleaned_data["start"].strftime("%Y-%m"), "end": form.cleaned_data["end"].strftime("%Y-%m")}
        )
        if result
        else ""
    )
    return render(
        request,
        "opinions/stats/stats.html",
        {
            "form": form,
            "stats": result,
            "csv_query": csv_query,
            "cache_minutes": publishing.STATS_CACHE_SECONDS // 60,
            "trail": section_trail(),
        },
    )


def stats_csv(request):
    """The same tables as one CSV (UTF-8 with a byte order mark, so spreadsheet programs read the Chinese)."""
    form = _period_form(request)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, end = form.period
    result = publishing.statistics(start, end)
    header = [
        gettext("Table"),
        gettext("Group"),
        gettext("Received"),
        gettext("Share of received (%)"),
        gettext("Replied"),
        gettext("Median handling time (days)"),
        gettext("On time (%)"),
        gettext("Ratings"),
        gettext("Satisfied (%)"),
        gettext("Average rating"),
    ]
    tables = [
        (gettext("Total"), [{"label": gettext("All cases"), **result["totals"]}]),
        (gettext("Month"), result["months"]),
        (gettext("Category"), result["categories"]),
        (gettext("Department"), result["departments"]),
        (gettext("Channel"), result["channels"]),
    ]
    rows = (
        [
            table,
            row["label"],
            row["received"],
            row.get("share"),
            row["closed"],
            row["median_days"],
            row["on_time_rate"],
            row["rated"],
            row["satisfaction_rate"],
            row["average_rating"],
        ]
        for table, table_rows in tables
        for row in table_rows
    )
    return csv_response(
        f"opinion-statistics-{start:%Y-%m}-{_add_months(end, -1):%Y-%m}.csv",
        header,
        rows,
    )
