"""Content in two languages: a Chinese field and an optional English twin."""

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").startswith("en")


class localized:  # noqa: N801 - used like a field declaration
    """`display_name = localized("name")` reads `name_en` in English when it is filled.

    Chinese is the portal's language of record; an empty English twin falls
    back to it rather than showing nothing.
    """

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if english_active():
            value = getattr(obj, f"{self.field}_en", "")
            if value:
                return value
        return getattr(obj, self.field)


def in_language_of_record(method):
    """Run a transition in Chinese, the language of record, so timeline notes and rules are stored in it.

    Messages of refusals stay lazy and are shown in the reader's language.
    """
    import functools

    from django.conf import settings
    from django.utils import translation

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return method(*args, **kwargs)

    return wrapper


def _format(message, params):
    return str(message) % params


def lazy_format(message, params):
    """`message % params`, formatted when shown, so a refusal raised inside `in_language_of_record`
    still reads in the language of whoever sees it (a plain `%` would fix it in Chinese)."""
    from django.utils.functional import lazy

    return lazy(_format, str)(message, params)
