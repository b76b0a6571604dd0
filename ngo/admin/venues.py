"""Staff side of venues: venues with hours, closures and photos; bookings by how soon they start.

Every decision (approve, reject, cancel, no-show) is an action calling the
booking's model method; rejection and cancellation ask for the reason on an
intermediate page, which the organization is sent. A booking's page offers
the decisions its workflow allows now (`Booking.available_moves`), each
posting to the same action.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import IN_TIME, LATE, NEAR, PAST, CaseRecordAdmin, DepartmentScopedAdmin
from civiccenter.admin_workflow import WorkflowAdmin, default_filter
from civiccenter.cases import Case, InvalidTransition
from civiccenter.lib import clock
from ngo.forms.venues import ReasonForm
from ngo.models.venues import Booking, Closure, OpeningHours, Venue, VenuePhoto


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes")


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    fields = ("starts_on", "ends_on", "reason")


class PhotoInline(admin.TabularInline):
    model = VenuePhoto
    extra = 0
    fields = ("image", "caption", "order")


@admin.register(Venue)
class VenueAdmin(DepartmentScopedAdmin):
    list_display = ("name", "floor", "room", "capacity", "department", "needs_approval", "active", "order")
    list_filter = ("active", "needs_approval")
    list_select_related = ("department",)
    search_fields = ("name", "name_en", "room")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [OpeningHoursInline, ClosureInline, PhotoInline]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "slug", "department", "active", "order")}),
        (_("Room"), {"fields": ("floor", "room", "capacity", "equipment", "accessibility", "description")}),
        (
            _("Booking rules"),
            {
                "fields": (
                    ("min_minutes", "max_minutes"),
                    ("min_days_ahead", "max_days_ahead"),
                    "monthly_hours",
                    "needs_approval",
                    "cancel_hours",
                )
            },
        ),
    )


# Bookings to come by default: what staff must decide or prepare (the time read at each request).
UpcomingFilter = default_filter(
    _("when"),
    "when",
    [
        (None, _("To come"), lambda qs: qs.filter(ends_at__gte=clock.now())),
        ("past", _("Past"), lambda qs: qs.filter(ends_at__lt=clock.now())),
    ],
)


def starts_badge(booking, now=None):
    """The start coloured by how soon it is: red within a day, amber within three, green later, grey past."""
    now = now or clock.now()
    left = booking.starts_at - now
    if booking.ends_at < now:
        colour, label = PAST, _("past")
    elif left <= timedelta(days=1):
        colour, label = LATE, _("within a day")
    elif left <= timedelta(days=3):
        colour, label = NEAR, _("within 3 days")
    else:
        colour, label = IN_TIME, _("later")
    return format_html('<strong class="{}">{}</strong> ({})', colour, booking.when, label)


@admin.register(Booking)
class BookingAdmin(WorkflowAdmin, CaseRecordAdmin):
    list_display = ("number", "venue", "starts", "organization", "attendance", "status")
    list_filter = (UpcomingFilter, "status", "venue")
    list_select_related = ("case", "venue", "organization")
    search_fields = ("case__number", "organization__name")
    date_hierarchy = "starts_at"
    ordering = ("starts_at",)
    actions = ["approve", "reject", "cancel_by_staff", "record_no_show"]
    readonly_fields = (
        "number",
        "venue",
        "organization",
        "booked_by",
        "starts",
        "status",
        "purpose",
        "attendance",
        "equipment_needed",
        "open_to_public",
        "reason",
        "received_on",
        "timeline",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=Case.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record; the actions move it

    def has_decide_permission(self, request):
        return request.user.has_perm("ngo.decide_booking")

    # One booking is worked on its table's transition page (`<pk>/move/`); the list keeps its named actions for
    # many at once (approval with the overlap warning, one reason for all rejected or cancelled).
    move_forms = {"reject": ReasonForm, "cancel_by_staff": ReasonForm}

    def bare_moves(self):
        return []  # the list's own actions take these moves, for many bookings at once

    def can_move(self, request, obj):
        return self.has_decide_permission(request)

    def take(self, request, obj, move, form):
        if move.name == "approve":
            self._warn_overlaps(request, obj)
        return super().take(request, obj, move, form)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        booking = self.get_object(request, unquote(object_id))
        context = {**(extra_context or {}), "steps_url": self.move_url(booking) if booking is not None else ""}
        return super().change_view(request, object_id, form_url, context)

    @admin.display(description=_("starts"), ordering="starts_at")
    def starts(self, obj):
        return starts_badge(obj)

    def _each(self, request, queryset, move, done):
        for booking in queryset.select_related("case", "venue"):
            try:
                move(booking)
            except InvalidTransition as error:
                self.message_user(request, f"{booking.case.number}: {error}", messages.WARNING)
            else:
                self.message_user(request, f"{booking.case.number}: {done}", messages.SUCCESS)

    def _warn_overlaps(self, request, booking):
        """The venue cannot be double-booked; warn when the same organization holds another room then."""
        elsewhere = (
            Booking.objects.holding()
            .filter(organization=booking.organization, starts_at__lt=booking.ends_at, ends_at__gt=booking.starts_at)
            .exclude(pk=booking.pk)
            .select_related("case", "venue")
        )
        for other in elsewhere:
            self.message_user(
                request,
                _("%(number)s: the organization also holds %(venue)s at that time (%(other)s, %(status)s).")
                % {
                    "number": booking.case.number,
                    "venue": other.venue,
                    "other": other.case.number,
                    "status": other.get_status_display(),
                },
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected bookings"), permissions=["decide"])
    def approve(self, request, queryset):
        for booking in queryset.select_related("case", "venue", "organization"):
            self._warn_overlaps(request, booking)
        self._each(request, queryset, lambda b: b.approve(by=request.user), _("approved."))

    def _with_reason(self, request, queryset, action, title, move, done):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(request, queryset, lambda b: move(b, reason), done)
            return None
        return render(
            request,
            "admin/ngo/booking/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "bookings": queryset.select_related("case", "venue", "organization"),
                "form": form,
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Reject the selected bookings (with a reason)"), permissions=["decide"])
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "reject",
            _("Reject bookings"),
            lambda b, reason: b.reject(by=request.user, reason=reason),
            _("rejected."),
        )

    @admin.action(description=_("Cancel the selected bookings (with a reason)"), permissions=["decide"])
    def cancel_by_staff(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "cancel_by_staff",
            _("Cancel bookings"),
            lambda b, reason: b.cancel_by_staff(by=request.user, reason=reason),
            _("cancelled."),
        )

    @admin.action(description=_("Record a no-show for the selected bookings"), permissions=["decide"])
    def record_no_show(self, request, queryset):
        self._each(request, queryset, lambda b: b.record_no_show(by=request.user), _("no-show recorded."))
