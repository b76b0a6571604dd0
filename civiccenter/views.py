import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from civiccenter import forms, throttle
from civiccenter.context_processors import CARE_MODE_COOKIE
from civiccenter.lib import clock, workdays
from civiccenter.models import CalendarDay, Department, Notification, User
from civiccenter.sections import FUNCTIONS
from civiccenter.tokens import email_confirmation_token

log = logging.getLogger(__name__)


# Public pages ---------------------------------------------------------------


def home(request):
    return render(request, "civiccenter/home.html", {"functions": FUNCTIONS})


def about(request):
    return render(request, "civiccenter/about.html", {"functions": FUNCTIONS})


def contact(request):
    departments = Department.objects.only("name", "name_en", "phone", "window_location", "window_location_en")
    return render(request, "civiccenter/contact.html", {"departments": departments})


def privacy(request):
    return render(request, "civiccenter/privacy.html")


STEP_LABELS = {
    workdays.COUNTED: gettext_lazy("counted"),
    workdays.COUNTED_ADJUSTED: gettext_lazy("counted: adjusted working day"),
    workdays.SKIPPED_WEEKEND: gettext_lazy("skipped: weekend"),
    workdays.SKIPPED_HOLIDAY: gettext_lazy("skipped: public holiday"),
    workdays.SKIPPED_PAUSED: gettext_lazy("skipped: clock paused"),
    workdays.MOVED_TO_WORKING_DAY: gettext_lazy("period ends on a day off: moved to the next day"),
}


@require_GET
def deadline_calculator(request):
    """/deadlines/?start=YYYY-MM-DD&days=N&unit=working|calendar"""
    form = forms.DeadlineForm(request.GET if request.GET else None)
    result = rows = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = workdays.compute(CalendarDay.objects.work_calendar(), data["start"], data["days"], data["unit"])
        rows = [(step, STEP_LABELS[step.kind]) for step in result.steps]
    return render(request, "civiccenter/deadline_calculator.html", {"form": form, "result": result, "rows": rows})


@require_GET
def track(request):
    """/track/?number=XK-2026-000123&code=ABCD2345: the public timeline and deadline of any case.

    A wrong number and a wrong code get the same answer, so the form cannot be
    used to find out which numbers exist; after repeated failures a client
    must wait before trying again.
    """
    from civiccenter.cases import Case

    form = forms.TrackForm(request.GET if request.GET else None)
    case = None
    status = 200
    if form.is_bound and form.is_valid():
        if throttle.failures_exceeded(request, "track", form):
            status = 429
        else:
            case = (
                Case.objects.select_related("department")
                .filter(number=form.cleaned_data["number"], query_code=form.cleaned_data["code"])
                .first()
            )
            if case is None:
                throttle.missed(request, "track")
                form.add_error(
                    None, _("No case matches this tracking number and query code. Check both and try again.")
                )
    events = list(case.public_events) if case else []
    return render(request, "civiccenter/track.html", {"form": form, "case": case, "events": events}, status=status)


@login_required
def my_cases(request):
    from django.core.paginator import Paginator

    from civiccenter.cases import Case

    cases = Case.objects.filter(applicant=request.user).for_list()
    page_obj = Paginator(cases, 20).get_page(request.GET.get("page"))
    return render(request, "accounts/cases.html", {"page_obj": page_obj, "cases": page_obj.object_list})


@login_required
@throttle.throttled("submit")
def rate_case(request, number):
    """Rate one of my closed cases, once; a rating of 1 or 2 is followed up by the department."""
    from civiccenter.cases import Case, InvalidTransition, Rating

    case = get_object_or_404(Case.objects.filter(applicant=request.user, closed_at__isnull=False), number=number)
    already = case.ratings.filter(channel="web").first()
    form = forms.RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and already is None and form.is_valid():
        try:
            Rating.give(case=case, by=request.user, **form.cleaned_data)
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("accounts:cases")
    return render(request, "accounts/rate.html", {"case": case, "form": form, "already": already})


def satisfaction(request):
    """Public satisfaction per department and per licensing matter; who rated is never shown."""
    from django.db.models import Count, Q

    from civiccenter.cases import Rating

    def table(key, label_fields):
        rows = (
            Rating.objects.values(key, *label_fields)
            .annotate(
                total=Count("pk"),
                **{f"l{level}": Count("pk", filter=Q(level=level)) for level in range(1, 6)},
            )
            .order_by(key)
        )
        for row in rows:
            row["satisfied"] = round(100 * (row["l4"] + row["l5"]) / row["total"]) if row["total"] else 0
        return list(rows)

    departments = table("case__department", ["case__department__name", "case__department__name_en"])
    matters = table(
        "case__application__version__matter",
        ["case__application__version__matter__name", "case__application__version__matter__name_en"],
    )
    matters = [row for row in matters if row["case__application__version__matter"]]
    english = translation.get_language().startswith("en")
    for row in departments:
        row["label"] = (english and row["case__department__name_en"]) or row["case__department__name"]
    for row in matters:
        row["label"] = (english and row["case__application__version__matter__name_en"]) or row[
            "case__application__version__matter__name"
        ]
    return render(request, "civiccenter/satisfaction.html", {"departments": departments, "matters": matters})


@require_GET
def public_media(request, path):
    """Public uploads under MEDIA_URL when no reverse proxy serves them (SERVE_MEDIA)."""
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT)


@never_cache
@require_GET
def healthz(request):
    """Liveness, database and outbox check for load balancers and monitors.

    The outbox part tells whether e-mails go out: how many are due now and how long the
    longest-waiting one has been due. Past HEALTHZ_MAX_NOTICE_AGE seconds no worker is sending
    (all dead, or far behind): 503, so that monitoring wakes someone.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        due, oldest = Notification.objects.backlog(clock.now())
    except DatabaseError:
        log.warning("healthz: the database did not answer", exc_info=True)
        # Drop the broken connection now so the next request opens a new one.
        connection.close()
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    outbox = {"status": "ok", "due": due, "oldest_due_seconds": round(oldest)}
    limit = settings.HEALTHZ_MAX_NOTICE_AGE
    if limit and oldest > limit:
        log.warning(
            "healthz: an e-mail has been due for %d s (limit %d s): is the notification worker running?", oldest, limit
        )
        outbox["status"] = "stalled"
        return JsonResponse({"status": "error", "database": "ok", "outbox": outbox}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "outbox": outbox})


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def set_language(request):
    """Django's set_language, plus the signed-in user's preference for e-mails."""
    response = django_set_language(request)
    code = request.POST.get("language")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=code)
    return response


@require_POST
def care_mode(request):
    """Switch the elderly-friendly large-text mode (关怀版) on or off; kept in a cookie."""
    # Not redirect(): it would try a `next` that is no URL as a view name, and fail on it.
    response = HttpResponseRedirect(_safe_next(request))
    if request.POST.get("care_mode") == "1":
        response.set_cookie(
            CARE_MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=settings.HTTPS, httponly=True
        )
    else:
        response.delete_cookie(CARE_MODE_COOKIE, samesite="Lax")
    return response


# Accounts -------------------------------------------------------------------


def _send_confirmation(request, user):
    path = reverse(
        "accounts:confirm-email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_token.make_token(user),
        },
    )
    Notification.queue(
        recipient=user,
        template="accounts/email/confirm_email",
        context={"link": request.build_absolute_uri(path)},
        in_inbox=False,
        sensitive=True,
    )


def notify_password_changed(request, user):
    Notification.queue(
        recipient=user,
        template="accounts/email/password_changed",
        url=request.build_absolute_uri(reverse("accounts:password-reset")),
    )


@throttle.throttled("account-mail")
def signup(request):
    """Create an account, or, for an address that has one, tell its owner by e-mail: the page says the same
    "check your e-mail" either way, so it cannot be used to find out who has an account."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = forms.SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            with transaction.atomic():
                existing = User.objects.filter(email__iexact=email).first()
                if existing is None:
                    user = form.save(commit=False)
                    user.language = translation.get_language()
                    user.save()
                    _send_confirmation(request, user)
                else:
                    _tell_existing_account(request, existing)
        except IntegrityError:  # the same address signed up at the same moment: that account now exists
            with transaction.atomic():
                _tell_existing_account(request, User.objects.get(email__iexact=email))
        request.session["confirmation_sent_to"] = email
        return redirect("accounts:confirmation-sent")
    return render(request, "accounts/signup.html", {"form": form, "page_title": _("Create an account")})


def _tell_existing_account(request, user):
    """Someone signed up with the address of an account: a new link if it was never confirmed, else a note."""
    if not user.is_active:
        return
    if not user.email_confirmed:
        _send_confirmation(request, user)
        return
    Notification.queue(
        recipient=user,
        template="accounts/email/signup_existing",
        context={
            "login_link": request.build_absolute_uri(reverse("accounts:login")),
            "reset_link": request.build_absolute_uri(reverse("accounts:password-reset")),
        },
        in_inbox=False,
    )


def confirmation_sent(request):
    return render(request, "accounts/confirmation_sent.html", {"email": request.session.get("confirmation_sent_to")})


def confirm_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "accounts/confirm_invalid.html", status=400)
    with transaction.atomic():
        user.confirm_email()
        Notification.queue(
            recipient=user,
            template="accounts/email/welcome",
            url=request.build_absolute_uri(reverse("accounts:profile")),
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Thank you: your e-mail address is confirmed and you are signed in."))
    return redirect("accounts:profile")


@throttle.throttled("account-mail")
def resend_confirmation(request):
    form = forms.ResendConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_confirmed_at__isnull=True, is_active=True
        ).first()
        if user is not None:
            _send_confirmation(request, user)
        # The same answer whether or not the address has an account.
        messages.info(request, _("If that address belongs to an unconfirmed account, a new link is on its way."))
        return redirect("accounts:login")
    return render(
        request,
        "accounts/resend_confirmation.html",
        {"form": form, "page_title": _("Send the confirmation link again")},
    )


@login_required
def profile(request):
    form = forms.ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.instance.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": gettext_lazy("Sign in")}


@method_decorator(throttle.throttled("account-mail"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_context = {"page_title": gettext_lazy("Reset your password")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            # The link reached the mailbox, which is what confirming proves.
            form.user.confirm_email()
            notify_password_changed(self.request, form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    extra_context = {"page_title": gettext_lazy("Change password")}

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            notify_password_changed(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def inbox(request):
    from django.core.paginator import Paginator

    notifications = Notification.objects.in_inbox_of(request.user).only(
        "subject", "created_at", "read_at", "recipient_id", "url"
    )
    page_obj = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {"page_obj": page_obj, "notifications": page_obj.object_list})


@login_required
def notification_detail(request, pk):
    notification = get_object_or_404(Notification.objects.in_inbox_of(request.user), pk=pk)
    notification.mark_read()
    return render(request, "accounts/notification_detail.html", {"notification": notification})


@require_POST
@login_required
def inbox_mark_all_read(request):
    count = Notification.objects.in_inbox_of(request.user).unread().update(read_at=clock.now())
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("accounts:inbox")
