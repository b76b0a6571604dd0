"""Hearings, public side: the list, a hearing's page, registration, my registrations, the feed and the calendar."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.ical import CalendarEvent, calendar, calendar_response
from civiccenter.throttle import throttled
from hearings.forms.hearings import RegistrationForm
from hearings.models.hearings import Hearing, HearingCategory, HearingRegistration

FEED_SIZE = 50


def section_trail():
    return [(reverse("hearings:index"), sections.get("hearings").title)]


def hearing_trail():
    return [*section_trail(), (reverse("hearings:hearings"), _("Hearings"))]


def hearing_list(request):
    now = clock.now()
    return render(
        request,
        "hearings/hearings/hearing_list.html",
        {
            "upcoming": Hearing.objects.upcoming(now).for_list().order_by("starts_at", "pk"),
            "past": Hearing.objects.past(now).for_list().order_by("-starts_at", "-pk")[:50],
            "today": clock.today(),
            "trail": section_trail(),
        },
    )


def hearing_detail(request, pk):
    hearing = get_object_or_404(Hearing.objects.public().select_related("department", "draft"), pk=pk)
    categories = HearingCategory.objects.filter(hearing=hearing).annotate(
        applicants=Count("registrations", filter=~Q(registrations__status="withdrawn"))
    )
    published = hearing.status in (
        Hearing.Status.LIST_PUBLISHED,
        Hearing.Status.MATERIALS_SENT,
        Hearing.Status.OPENED,
        Hearing.Status.CONCLUDED,
    )
    concluded = hearing.status == Hearing.Status.CONCLUDED
    mine = None
    if request.user.is_authenticated:
        mine = HearingRegistration.objects.filter(hearing=hearing, user=request.user).select_related("category").first()
    return render(
        request,
        "hearings/hearings/hearing_detail.html",
        {
            "hearing": hearing,
            "categories": categories,
            "participants": hearing.participant_list() if published else None,
            # A price hearing's hearers are published with the list (NDRC Order 21), its table with the decision.
            "hearers": list(hearing.hearers.all()) if published and hearing.is_price else None,
            "opinion_rows": list(hearing.opinion_rows.all()) if concluded else None,
            "check": hearing.verify_draw() if hearing.is_drawn else None,
            "draw_log": _named_log(hearing, categories),
            "registration_open": hearing.registration_open(),
            "mine": mine,
            "can_see_record": hearing.record and _may_see_record(request.user, hearing),
            "trail": hearing_trail(),
        },
    )


def _named_log(hearing, categories):
    names = {category.pk: category.display_name for category in categories}
    return [{**step, "name": names.get(step["category"], step.get("category_name", ""))} for step in hearing.draw_log]


def _may_see_record(user, hearing):
    """Public hearings' records are public; a licensing hearing's record is for the parties and the department."""
    if not hearing.is_licensing:
        return True
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return Hearing.objects.visible_to(user).filter(pk=hearing.pk).exists()
    return hearing.application.applicant_id == user.pk


def hearing_record(request, pk):
    hearing = get_object_or_404(Hearing.objects.public().exclude(record=""), pk=pk)
    if not _may_see_record(request.user, hearing):
        raise Http404
    return FileResponse(hearing.record.open("rb"), as_attachment=True, filename=f"hearing-{hearing.pk}-record.pdf")


@login_required
@throttled("submit")
@submissions.once
def register(request, pk):
    hearing = get_object_or_404(Hearing.objects.public().exclude(kind=Hearing.Kind.LICENSING), pk=pk)
    if not hearing.registration_open():
        messages.error(request, _("Registration for this hearing is not open."))
        return redirect(hearing)
    form = RegistrationForm(request.POST or None, hearing=hearing, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            HearingRegistration.register(hearing=hearing, by=request.user, **form.cleaned_data)
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("You are registered. You will be told whether you are selected."))
            return submissions.receipt(request, "hearings:my-registrations")
    return render(
        request,
        "hearings/hearings/registration_form.html",
        {"hearing": hearing, "form": form, "trail": [*hearing_trail(), (hearing.get_absolute_url(), hearing)]},
    )


@login_required
def my_registrations(request):
    registrations = (
        HearingRegistration.objects.filter(user=request.user)
        .select_related("hearing", "category")
        .order_by("-hearing__starts_at", "-pk")
    )
    return render(
        request,
        "hearings/hearings/my_registrations.html",
        {"registrations": registrations, "trail": hearing_trail()},
    )


@require_POST
@login_required
def withdraw(request, pk):
    registration = get_object_or_404(HearingRegistration.objects.filter(user=request.user), pk=pk)
    try:
        registration.withdraw(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is withdrawn."))
    return redirect("hearings:my-registrations")


class HearingsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Hearings")
    subtitle = gettext_lazy("Hearings announced by the district's departments, with their records and decisions.")

    def link(self):
        return reverse("hearings:hearings")

    def items(self):
        return Hearing.objects.public().select_related("department").order_by("-announced_on", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.display_matter

    def item_description(self, item):
        when = timezone.localtime(item.starts_at).strftime("%Y-%m-%d %H:%M") if item.starts_at else ""
        return f"{item.get_kind_display()} · {when} · {item.place}\n{item.description}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.department.display_name

    def item_categories(self, item):
        return [item.get_kind_display()]


def hearings_ics(request):
    """Every announced hearing of the last 90 days and to come, as one iCalendar (RFC 5545)."""
    since = clock.now() - timedelta(days=90)
    hearings = (
        Hearing.objects.public()
        .exclude(status=Hearing.Status.CANCELLED)
        .filter(starts_at__gte=since)
        .select_related("department")
        .order_by("starts_at")
    )
    events = [
        CalendarEvent(
            uid=f"hearing-{hearing.pk}@civiccenter",
            start=hearing.starts_at,
            end=hearing.starts_at + timedelta(hours=3),
            summary=hearing.display_matter,
            description=f"{hearing.get_kind_display()} · {hearing.department.display_name}",
            location=hearing.place,
            url=f"{settings.SITE_URL}{hearing.get_absolute_url()}",
        )
        for hearing in hearings
    ]
    return calendar_response(calendar(events, product="Hearings", name=_("Hearings")), "hearings.ics")


@require_POST
@login_required
@throttled("submit")
def request_licensing_hearing(request, pk):
    """The applicant requests the hearing offered on their application (Art. 47)."""
    hearing = get_object_or_404(
        Hearing.objects.filter(kind=Hearing.Kind.LICENSING, application__applicant=request.user).select_related(
            "application"
        ),
        pk=pk,
    )
    try:
        hearing.request_hearing(by=request.user, requested_by=request.user.full_name)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request for a hearing is recorded."))
    return redirect("licensing:application-detail", pk=hearing.application_id)
