from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin_workflow import NoteForm, WorkflowAdmin, object_or_404
from civiccenter.lib import clock
from civiccenter.models import CalendarDay, CalendarYear, Department, FollowUp, IssuedDocument, Notification, User
from civiccenter.stateful import StatusEvent
from civiccenter.workflow import InvalidTransition


class ReasonActionForm(forms.Form):
    """The reason an admin action asks for (shown to the person concerned), and the rows it applies to."""

    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    _selected_action = forms.CharField(widget=forms.MultipleHiddenInput)


def run_with_reason(modeladmin, request, queryset, *, method, title, button, done_message):
    """An admin action that needs a reason: ask for it, then call `method(obj, by=…, reason=…)` on each row."""
    form = None
    if "apply" in request.POST:
        form = ReasonActionForm(request.POST)
        if form.is_valid():
            done = 0
            for obj in queryset:
                try:
                    method(obj, by=request.user, reason=form.cleaned_data["reason"])
                except InvalidTransition as error:
                    modeladmin.message_user(request, f"#{obj.pk}: {error}", messages.WARNING)
                else:
                    done += 1
            modeladmin.message_user(request, done_message % {"count": done})
            return None
    if form is None:
        form = ReasonActionForm(initial={"_selected_action": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)})
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "items": list(queryset[:100]),
        "form": form,
        "button": button,
        "opts": opts,
        "action": request.POST.get("action"),
        "changelist_url": f"admin:{opts.app_label}_{opts.model_name}_changelist",
    }
    return TemplateResponse(request, "admin/action_with_reason.html", context)


# Classes of static/css/admin.css: red, amber, green, grey (7:1 or more on white).
LATE, NEAR, IN_TIME, PAST = "cc-late", "cc-near", "cc-in-time", "cc-past"


def deadline_badge(day, *, today=None, amber_days=2, late_label=None, empty="—", detail=True):
    """The one coloured deadline: red when `day` has passed, amber within `amber_days`, green otherwise.

    The colour is never the only sign: the label ("overdue", "2 day(s) left") says it too.
    """
    if day is None:
        return empty
    left = (day - (today or clock.today())).days
    colour = LATE if left < 0 else NEAR if left <= amber_days else IN_TIME
    label = (late_label or _("overdue")) if left < 0 else _("%(days)d day(s) left") % {"days": left}
    if not detail and left > amber_days:
        return format_html('<span class="{}">{}</span>', colour, day)
    return format_html('<strong class="{}">{}</strong> ({})', colour, day, label)


def due_badge(case, *, amber_days=2, empty="—"):
    """A case's due date as a `deadline_badge`, marked when it is provisional (a year's schedule not entered yet)."""
    from civiccenter.templatetags.deadlines import provisional_note

    badge = deadline_badge(case.due_date, amber_days=amber_days, empty=empty)
    if case.due_date is not None and case.due_provisional:
        return format_html("{} <small>({})</small>", badge, provisional_note())
    return badge


def timeline_html(case):
    """A case's whole timeline for staff, internal events marked."""
    rows = format_html_join(
        "",
        "<li>{} · <strong>{}</strong>{}<br>{}</li>",
        (
            (
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
                event.status_label,
                "" if event.public else " ({})".format(_("internal")),
                event.note,
            )
            for event in case.events.select_related("case")
        ),
    )
    return format_html("<ol>{}</ol>", rows)


class CaseRecordAdmin(admin.ModelAdmin):
    """Base for the admins of an app's records that carry a case (`obj.case`): the columns they share."""

    @admin.display(description=_("tracking number"), ordering="case__number")
    def number(self, obj):
        return obj.case.number

    @admin.display(description=_("received on"), ordering="case__received_on")
    def received_on(self, obj):
        return obj.case.received_on or "—"

    @admin.display(description=_("due"), ordering="case__due_date")
    def due(self, obj):
        return due_badge(obj.case)

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        return timeline_html(obj.case)


class StatusHistoryInline(GenericTabularInline):
    """The status history (`StatusEvent`) of anything that is not a case: read-only, written by its moves."""

    model = StatusEvent
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = ("created_at", "move", "old_status", "new_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("status history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may open the object's page reads its history; there is none on an add page.
        return obj is not None


class DepartmentScopedAdmin(admin.ModelAdmin):
    """Base for every admin of department-owned rows.

    A staff member sees and changes their own department's rows only, unless a
    center-wide role says otherwise (models.DepartmentScopedQuerySet). Rows of
    another department are absent from lists, and their change pages answer as
    if they did not exist.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Department:
            kwargs["queryset"] = Department.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Department)
class DepartmentAdmin(DepartmentScopedAdmin):
    list_display = ("name", "name_en", "code", "phone", "window_location", "order")
    list_editable = ()
    search_fields = ("name", "name_en", "code")
    fieldsets = (
        (None, {"fields": ("name", "name_en", "code", "document_prefix", "order")}),
        (_("Contact"), {"fields": ("phone", "window_location", "window_location_en")}),
        (_("Duty contact for emergencies"), {"fields": ("duty_email", "duty_phone")}),
        (_("Description"), {"fields": ("description", "description_en")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # A department head keeps the contact details current; the name, code
        # and order belong to the center's system administrators.
        if obj is not None and not request.user.sees_all_departments:
            return ("name", "name_en", "code", "order")
        return ()


class StaffCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class StaffChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DepartmentScopedAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "account_type", "department", "is_staff", "email_confirmed_at")
    list_filter = ("is_staff", "account_type", "department", "groups", "is_active")
    list_select_related = ("department",)
    search_fields = ("email", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "account_type", "language", "email_confirmed_at")}),
        (_("Staff"), {"fields": ("is_staff", "department", "groups", "is_active", "is_superuser", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    filter_horizontal = ("groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            # Only a superuser makes superusers or hands out single permissions.
            readonly += ["is_superuser", "user_permissions"]
        return readonly


class RecomputeOnChange:
    """Changing the calendar moves the deadlines of every open case (alaveteli #7292)."""

    def _recompute(self, request):
        from civiccenter.cases import recompute_calendar_dates

        changed = recompute_calendar_dates()
        if changed:
            self.message_user(
                request,
                _("%(count)d date(s) of open work computed from the calendar were recomputed.") % {"count": changed},
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recompute(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recompute(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._recompute(request)


@admin.register(CalendarYear)
class CalendarYearAdmin(RecomputeOnChange, admin.ModelAdmin):
    list_display = ("year", "notice", "complete", "holiday_count", "workday_count")

    @admin.display(description=_("days off"))
    def holiday_count(self, obj):
        return obj.holidays

    @admin.display(description=_("adjusted working days"))
    def workday_count(self, obj):
        return obj.workdays

    def get_queryset(self, request):
        def count(kind):
            return Subquery(
                CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
                .order_by()
                .values("date__year")
                .annotate(n=Count("pk"))
                .values("n")
            )

        return super().get_queryset(request).annotate(holidays=count("holiday"), workdays=count("workday"))


@admin.register(CalendarDay)
class CalendarDayAdmin(RecomputeOnChange, admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "name_en")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name", "name_en")

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        return date_format(obj.date, "l")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(DepartmentScopedAdmin):
    """The register of documents each organ issued: read only, since a sealed document is never edited."""

    list_display = ("number", "title", "case", "issued_on", "department")
    list_filter = ("year", "kind")
    search_fields = ("number", "case__number")
    list_select_related = ("case", "department")
    date_hierarchy = "issued_on"
    fields = ("number", "title", "department", "case", "issued_on", "text", "verification_code", "key_id", "seal")
    readonly_fields = fields

    @admin.display(description=_("text"))
    def text(self, obj):
        return format_html_join("", "<p>{}</p>", ((line,) for line in obj.lines))

    @admin.display(description=_("electronic seal"))
    def seal(self, obj):
        state = _("matches the text") if obj.seal_valid() else _("does not match the text: the record was changed")
        return format_html('{} · <a href="{}">{}</a>', state, obj.get_absolute_url(), _("public check"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Delivery monitoring for system administrators: read-only, with a retry action."""

    list_display = ("subject", "email", "email_status", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("email_status", "in_inbox")
    search_fields = ("email", "subject")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    # Everything but the text: a message is private to its recipient.
    fields = readonly_fields = [field.name for field in Notification._meta.fields if field.name not in ("id", "body")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected e-mails again now"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = sum(notification.retry_now() for notification in queryset)
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": count}, messages.SUCCESS)


@admin.register(FollowUp)
class FollowUpAdmin(WorkflowAdmin):
    """Poor ratings of the department's cases: contact within 1 working day, then rectify or explain."""

    list_display = ("number", "rated_case", "level", "status", "due")
    list_select_related = ("case", "rating", "rating__case")
    move_forms = {"contact": NoteForm, "close": NoteForm}
    transition_template = "admin/civiccenter/followup/transition.html"

    def get_queryset(self, request):
        from civiccenter.cases import Case

        followups = super().get_queryset(request).filter(case__in=Case.objects.visible_to(request.user))
        if request.user.department_id:
            # A follow-up carries the rater's contact details: never to the unit a report of wrongdoing or a
            # petition is about, whatever the role (Letters and Visits Regulations, Article 30).
            unit = request.user.department_id
            followups = followups.exclude(rating__case__opinion__reported_department_id=unit).exclude(
                rating__case__petition__unit_concerned_id=unit
            )
        return followups.select_related("case", "rating__case")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("number"))
    def number(self, obj):
        return obj.case.number

    @admin.display(description=_("rated case"))
    def rated_case(self, obj):
        return obj.rating.case.number

    @admin.display(description=_("rating"))
    def level(self, obj):
        return obj.rating.get_level_display()

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.case.status_label

    @admin.display(description=_("due"), ordering="case__due_date")
    def due(self, obj):
        return due_badge(obj.case)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.shortcuts import redirect

        return redirect("admin:civiccenter_followup_move", object_or_404(self, request, object_id).pk)
