from django import template
from django.utils.html import format_html

from civiccenter.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """The one-time token of a form that opens something (civiccenter/submissions.py); beside {% csrf_token %}."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
