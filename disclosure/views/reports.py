"""The published annual reports (Art. 50): list by year, each report as a page and as CSV."""

from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from civiccenter.lib.csvexport import csv_response
from disclosure import annual
from disclosure.models import AnnualReport


def _published(year, scope):
    report = AnnualReport.objects.published().for_scope(scope).filter(year=year).select_related("department").first()
    if report is None:
        raise Http404
    return report


def _trail(*more):
    return [(reverse("disclosure:index"), _("Government information disclosure")), *more]


def report_list(request):
    # Each year: the district government's report first, then the departments in their usual order.
    reports = (
        AnnualReport.objects.published()
        .select_related("department")
        .order_by("-year", F("department__order").asc(nulls_first=True), "pk")
    )
    return render(request, "disclosure/reports/report_list.html", {"reports": reports, "breadcrumb_trail": _trail()})


def report_detail(request, year, scope):
    report = _published(year, scope)
    trail = _trail((reverse("disclosure:report-list"), _("Annual reports")))
    return render(
        request,
        "disclosure/reports/report_detail.html",
        {"report": report, "breadcrumb_trail": trail, **tables(report)},
    )


def report_csv(request, year, scope):
    report = _published(year, scope)
    return csv_response(f"disclosure-report-{report.year}-{report.scope}.csv", None, csv_rows(report))


def tables(report):
    """The stored tables laid out as the form prints them, for templates (public page and admin)."""
    t2 = {**annual.empty_table2(), **(report.table2 or {})}
    rows3 = report.table3_rows
    t4 = {**annual.empty_table4(), **(report.table4 or {})}
    return {
        "document_columns": annual.DOCUMENT_COLUMNS,
        "document_rows": [
            (label, [t2.get(kind, {}).get(column, 0) for column, _label in annual.DOCUMENT_COLUMNS])
            for kind, label in annual.DOCUMENT_ROWS
        ],
        "decision_rows": [(label, item, t2.get(key, 0)) for key, label, item in annual.DECISION_ROWS],
        "fee_income": t2.get("fees", "0"),
        "columns": annual.COLUMNS,
        "organization_columns": annual.COLUMNS[1:-1],
        "table3_rows": [
            {
                "key": key,
                "label": label,
                "depth": depth,
                "heading": heading,
                "cells": [] if heading else [rows3.get(key, {}).get(column, 0) for column in annual.COLUMN_KEYS],
            }
            for key, label, depth, heading in annual.ROWS
        ],
        "table4_groups": annual.TABLE4_GROUPS,
        "table4_columns": annual.TABLE4_COLUMNS,
        "table4_cells": [
            t4.get(group, {}).get(column, 0)
            for group, _label in annual.TABLE4_GROUPS
            for column, _l in annual.TABLE4_COLUMNS
        ],
    }


def csv_rows(report):
    t = tables(report)
    yield [str(report)]
    yield []
    yield [_("Table 2: proactive disclosure"), *[str(label) for _key, label in annual.DOCUMENT_COLUMNS]]
    for label, cells in t["document_rows"]:
        yield [str(label), *cells]
    yield [_("Table 2: proactive disclosure"), _("Decisions this year")]
    for label, _item, value in t["decision_rows"]:
        yield [str(label), value]
    yield [_("Table 2: proactive disclosure"), _("Amount charged this year (10,000 yuan)")]
    yield [_("Administrative fees"), t["fee_income"]]
    yield []
    yield [_("Table 3: requests received and handled"), *[str(label) for _key, label in annual.COLUMNS]]
    for row in t["table3_rows"]:
        yield [str(row["label"]), *row["cells"]]
    yield [_("Disclosure fees charged (yuan)"), report.fees_charged]
    yield []
    yield [
        _("Table 4: administrative reconsideration and litigation"),
        *[
            f"{group_label} · {label}"
            for _g, group_label in annual.TABLE4_GROUPS
            for _k, label in annual.TABLE4_COLUMNS
        ],
    ]
    yield ["", *t["table4_cells"]]
