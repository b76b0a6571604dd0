"""A case's due date wherever it is shown, printed or sent: with its provisional mark when it is one.

A due date is provisional when its period runs into a year whose holiday schedule (the State Council's
notice) is not entered yet: the statutory days off are known, the moved weekends are not.
"""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def provisional_note():
    return _("provisional: that year's holiday schedule is not published yet")


@register.simple_tag
def due_date(case, date_format="Y-m-d", empty="—"):
    """`<time>` of the case's due date, and "(provisional …)" after it when it is one."""
    if case is None or case.due_date is None:
        return empty
    shown = format_html(
        '<time datetime="{}">{}</time>', format_date(case.due_date, "Y-m-d"), format_date(case.due_date, date_format)
    )
    if case.due_provisional:
        return format_html('{} <small class="provisional">({})</small>', shown, provisional_note())
    return shown


@register.filter
def due_text(case):
    """The due date in plain text (e-mails), with the provisional mark."""
    if case is None or case.due_date is None:
        return ""
    text = format_date(case.due_date, "Y-m-d")
    return f"{text} ({provisional_note()})" if case.due_provisional else text


@register.simple_tag
def provisional_mark():
    return provisional_note()
