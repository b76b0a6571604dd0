"""A second factor for staff (django-otp): a time-based code from an authenticator app, or a recovery code.

With STAFF_TWO_FACTOR on (the default whenever DEBUG is off), the admin opens only to a staff member whose
session was verified with a code. The first time, after the password, the staff member links an
authenticator app (a QR code, or the key typed in) and confirms it with a code; ten recovery codes are shown
once, each good for one sign-in when the phone is not at hand. A system administrator who deletes a staff
member's devices in the admin (under "TOTP devices") makes them link a new app at their next sign-in.
Wrong codes are slowed down by django-otp itself (each failure doubles the wait before the next try).
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def required(user) -> bool:
    return settings.STAFF_TWO_FACTOR and user.is_authenticated and user.is_staff


def verified(request) -> bool:
    # Right after the password, request.user is the plain user that django-otp's middleware has not wrapped.
    user = request.user
    return not required(user) or getattr(user, "is_verified", lambda: False)()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows now, or one of your recovery codes (each works once)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("admin:index")


def _pending_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name="authenticator").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


WAIT = gettext_lazy("Too many wrong codes in a row: wait %(seconds)s seconds, then enter the code your app shows.")


def _check(device, code, form) -> bool:
    """`device.verify_token`, with django-otp's growing wait after wrong codes said in the form."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = 2 ** max(0, (details or {}).get("failure_count", 1) - 1)
        form.add_error("code", WAIT % {"seconds": seconds})
        return False
    return device.verify_token(code)


def view(admin_site, request):
    """/admin/two-factor/: link an authenticator app (first time), or enter a code to open the admin."""
    user = request.user
    if not required(user):
        return redirect("admin:index" if user.is_authenticated and user.is_staff else "admin:login")
    if verified(request):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    context = {**admin_site.each_context(request), "form": form, "next": _next(request)}
    if confirmed is None:
        return _enrol(admin_site, request, form, context)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = confirmed if _check(confirmed, code, form) else None
        if device is None:
            recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
            device = recovery if recovery is not None and recovery.verify_token(code) else None
            if device is not None:
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)s are left. Each works only once.") % {"left": left},
                )
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        if not form.errors:
            form.add_error("code", _("This code is not right, or it has expired. Enter the code your app shows now."))
    context["title"] = _("Enter your verification code")
    return TemplateResponse(request, "admin/two_factor/verify.html", context)


def _enrol(admin_site, request, form, context):
    device = _pending_device(request.user)
    if request.method == "POST" and form.is_valid() and _check(device, form.cleaned_data["code"], form):
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            codes = _new_recovery_codes(request.user)
        otp_login(request, device)
        context.update(title=_("Keep your recovery codes"), codes=codes)
        return TemplateResponse(request, "admin/two_factor/recovery_codes.html", context)
    if request.method == "POST" and form.is_valid() and not form.errors:
        form.add_error("code", _("This code is not right. Check the time on your phone and enter the code shown now."))
    secret = base64.b32encode(device.bin_key).decode()
    context.update(
        title=_("Set up your second factor"),
        qr_svg=segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("QR code for your authenticator app")
        ),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )
    return TemplateResponse(request, "admin/two_factor/enrol.html", context)
