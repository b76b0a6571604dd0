"""Throttling: sign-in through django-axes, every other form through django-ratelimit; one place for both.

Counters live where every app server sees them: sign-in failures in the database (django-axes), the form
counters in the "throttle" cache (Redis in production: THROTTLE_CACHE_URL). Visitors are told apart by
their real address (civiccenter.lib.clientip, behind TRUSTED_PROXY_COUNT proxies) and, once signed in, by
their account too, so neither a shared address nor a fresh address gets round a limit.

The rates are settings (THROTTLE_RATES: group -> "count/period", periods s, m, h, d, e.g. "5/15m").
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

log = logging.getLogger(__name__)


def _usage(request, group, key, increment):
    return get_usage(request, group=f"cc:{group}", key=key, rate=settings.THROTTLE_RATES[group], increment=increment)


def check(request, group, *, increment=True):
    """The seconds to wait if `request` went over `group`'s rate (counting it when `increment`), else 0.

    Counted per address and, for a signed-in person, per account.
    """
    keys = ["ip"]
    if request.user.is_authenticated:
        keys.append("user")
    wait = 0
    for key in keys:
        usage = _usage(request, group, key, increment)
        if usage is not None and usage["count"] > usage["limit"] - (0 if increment else 1):
            wait = max(wait, usage["time_left"])
    return wait


def refused(request, wait, *, template="429.html", context=None):
    """The answer to a throttled request: 429, a Retry-After, and how long to wait in the visitor's language."""
    minutes = max(1, -(-wait // 60))
    response = render(request, template, {"minutes": minutes, **(context or {})}, status=429)
    response["Retry-After"] = str(max(1, wait))
    return response


TOO_MANY_FAILURES = _("Too many unsuccessful attempts. Please wait %(minutes)s minutes and try again.")


def failures_exceeded(request, group, form) -> bool:
    """For a lookup by number and code: after `group`'s rate of misses, the form says to wait (see `missed`)."""
    wait = check(request, group, increment=False)
    if wait:
        form.add_error(None, TOO_MANY_FAILURES % {"minutes": max(1, -(-wait // 60))})
    return bool(wait)


def missed(request, group):
    """Count one miss of a lookup, so that numbers and codes cannot be guessed by trying."""
    check(request, group, increment=True)


def throttled(group):
    """Decorator for a view whose POST creates something: over the rate, the POST is refused with a 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                wait = check(request, group)
                if wait:
                    log.warning("throttled: %s from %s", group, request.META.get("REMOTE_ADDR", ""))
                    return refused(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Sign-in (django-axes) -------------------------------------------------------------------------------------


def sign_in_username(request, credentials):
    """The account tried: the e-mail address as the portal stores it, so case and spaces do not split counts."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return value.strip().lower()[:254]


def sign_in_cool_off(request=None):
    """Back-off: each lockout of the same account or address in a row doubles the wait (up to a day)."""
    base = timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
    if request is None:
        return base
    from axes.models import AccessAttempt
    from django.db.models import Max, Q

    from civiccenter.lib.clientip import client_ip

    username = sign_in_username(request, None)
    condition = Q(ip_address=client_ip(request))
    if username:
        condition |= Q(username=username)
    failures = AccessAttempt.objects.filter(condition).aggregate(most=Max("failures_since_start"))["most"] or 0
    lockouts = max(0, failures - settings.AXES_FAILURE_LIMIT) // settings.AXES_FAILURE_LIMIT
    return min(base * 2**lockouts, timedelta(days=1))


SIGN_IN_LOCKED = _(
    "Too many unsuccessful sign-ins for this account or from this connection. For your security, signing in is "
    "paused: please wait %(minutes)s minutes and try again, or reset your password."
)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account or address is locked: the sign-in page again, with the wait."""
    from django.contrib.admin.forms import AdminAuthenticationForm

    from civiccenter import forms

    wait = int(sign_in_cool_off(request).total_seconds())
    minutes = max(1, -(-wait // 60))
    message = SIGN_IN_LOCKED % {"minutes": minutes}
    initial = {"username": request.POST.get("username", "")[:254]}
    if request.path.startswith("/admin/"):
        from django.contrib import admin as django_admin

        form = AdminAuthenticationForm(request, initial=initial)
        context = {**django_admin.site.each_context(request), "form": form, "title": _("Log in")}
        response = render(request, "admin/login.html", {**context, "lockout_message": message}, status=429)
    else:
        form = forms.LoginForm(request, initial=initial)
        context = {"form": form, "page_title": _("Sign in"), "lockout_message": message}
        response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def tell_account_holder(sender, request, username, ip_address, **kwargs):
    """A staff account that is being guessed hears of it, once per lockout, in its inbox and by e-mail."""
    from django.core.cache import caches

    from civiccenter.models import Notification, User

    user = User.objects.filter(email__iexact=username or "", is_staff=True, is_active=True).first()
    if user is None:
        return
    if not caches["throttle"].add(f"cc:locked-told:{user.pk}", 1, settings.SIGN_IN_LOCKOUT_MINUTES * 60):
        return
    from django.db import transaction
    from django.urls import reverse

    from civiccenter.lib import clock

    with transaction.atomic():
        Notification.queue(
            recipient=user,
            template="accounts/email/sign_in_locked",
            context={"address": ip_address, "when": clock.now(), "failures": settings.AXES_FAILURE_LIMIT},
            url=f"{settings.SITE_URL}{reverse('accounts:password-reset')}",
        )
