from django.conf import settings
from django.utils.translation import get_language

from civiccenter.sections import NAV

CARE_MODE_COOKIE = "care_mode"


def center(request):
    """What every page shows: the center's name, contacts, navigation and display mode."""
    language = get_language() or settings.LANGUAGE_CODE
    details = settings.CENTER.get(language) or settings.CENTER[settings.LANGUAGE_CODE]
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from civiccenter.models import Notification

        unread = Notification.objects.in_inbox_of(user).unread().count()
    return {
        "unread_notifications": unread,
        "center": {
            **details,
            "hotline": settings.CENTER_HOTLINE,
            "email": settings.CENTER_EMAIL,
            "site_url": settings.SITE_URL,
        },
        "nav_functions": NAV,
        "care_mode": request.COOKIES.get(CARE_MODE_COOKIE) == "1",
        "html_lang": "en" if language.startswith("en") else "zh-CN",
    }
