"""Staff side of hearings: notices with categories, the steps on the table's transition page, registrations."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import DepartmentScopedAdmin, StatusHistoryInline
from civiccenter.admin_workflow import WorkflowAdmin
from civiccenter.cases import Case, InvalidTransition
from civiccenter.models import User
from hearings.forms.hearings import (
    ConcludeForm,
    LateReasonForm,
    NotifyRightForm,
    OpenSessionForm,
    PostponeForm,
    RequestForm,
    ScheduleForm,
)
from hearings.models.hearings import Hearer, Hearing, HearingCategory, HearingRegistration, OpinionAdoption
from licensing.models import Application


class EditableWhileInline(admin.TabularInline):
    """Rows that can be added, changed or deleted only while the hearing is at a stage `_editable(obj)` allows."""

    def _editable(self, obj):
        raise NotImplementedError

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class CategoryInline(EditableWhileInline):
    model = HearingCategory
    extra = 0
    fields = ("name", "name_en", "quota", "is_consumer", "adults_only", "residents_only", "order")

    def _editable(self, obj):
        return obj is None or obj.status == Hearing.Status.DRAFT


class HearerFormSet(forms.BaseInlineFormSet):
    """At most HEARING_PRICE_HEARERS_MAX hearers and one presiding: a form error, before the database says no."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if sum(1 for f in kept if f.cleaned_data.get("presiding")) > 1:
            raise ValidationError(_("A hearing has one presiding hearer."))
        if len(kept) > settings.HEARING_PRICE_HEARERS_MAX:
            raise ValidationError(
                _("A price hearing has at most %(max)d hearers.") % {"max": settings.HEARING_PRICE_HEARERS_MAX}
            )


class HearerInline(EditableWhileInline):
    """The hearers (听证人) of a price hearing, published with the participant list (NDRC Order 21)."""

    model = Hearer
    formset = HearerFormSet
    extra = 0
    fields = ("name", "role", "presiding", "order", "signed_report")
    readonly_fields = ("signed_report",)

    def _editable(self, obj):
        # Fixed once the lists are published.
        return obj is None or obj.status in (
            Hearing.Status.DRAFT,
            Hearing.Status.ANNOUNCED,
            Hearing.Status.REGISTRATION_CLOSED,
            Hearing.Status.DRAWN,
        )


class OpinionAdoptionInline(EditableWhileInline):
    """The table of the main opinions published with the decision: adopted or not, and why."""

    model = OpinionAdoption
    extra = 0
    fields = ("order", "opinion", "adopted", "reason")

    def _editable(self, obj):
        return obj is not None and obj.status != Hearing.Status.CONCLUDED


@admin.register(Hearing)
class HearingAdmin(WorkflowAdmin, DepartmentScopedAdmin):
    list_display = ("matter", "kind", "department", "starts_at", "status", "registrations_link")
    list_filter = ("status", "kind")
    list_select_related = ("department",)
    search_fields = ("matter", "matter_en", "place")
    date_hierarchy = "starts_at"
    inlines = [CategoryInline, StatusHistoryInline]
    change_list_template = "admin/hearings/hearings/hearing_change_list.html"
    actions = ["send_materials_selected"]
    readonly_fields = (
        "status",
        "announced_on",
        "application",
        "reviewing_officer",
        "right_notified_on",
        "requested_on",
        "materials_sent_on",
        "materials_late_reason",
        "lists_published_on",
        "participants_expected",
        "participants_present",
        "opened_on",
        "draw_seed",
        "candidate_hash",
        "drawn_at",
        "concluded_on",
        "conduct_link",
    )
    fieldsets = (
        (None, {"fields": ("kind", "matter", "matter_en", "department", "draft", "status", "conduct_link")}),
        (
            _("Notice"),
            {
                "fields": (
                    "starts_at",
                    "place",
                    "description",
                    "selection_method",
                    ("registration_opens", "registration_closes"),
                    "observer_places",
                    "presiding_officer",
                    "announced_on",
                )
            },
        ),
        (
            _("Hearing materials"),
            {"fields": ("materials", "materials_summary", "materials_sent_on", "materials_late_reason")},
        ),
        (
            _("Licensing hearing"),
            {
                "fields": (
                    "application",
                    "reviewing_officer",
                    "interested_parties",
                    "right_notified_on",
                    "requested_on",
                )
            },
        ),
        (
            _("Draw and outcome"),
            {
                "fields": (
                    "draw_seed",
                    "candidate_hash",
                    "drawn_at",
                    "lists_published_on",
                    ("participants_expected", "participants_present", "opened_on"),
                    "concluded_on",
                )
            },
        ),
    )

    def get_inlines(self, request, obj):
        # Hearers and the adoption table belong to price hearings (NDRC Order 21).
        if obj is not None and obj.is_price:
            return [CategoryInline, HearerInline, OpinionAdoptionInline, StatusHistoryInline]
        return [CategoryInline, StatusHistoryInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(live_registrations=Count("registrations", filter=~Q(registrations__status="withdrawn")))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Hearing.Status.DRAFT and obj.status != Hearing.Status.NOTIFIED:
            # Once announced the notice is a public record: it changes through the conduct page only.
            locked = ["kind", "matter", "department", "starts_at", "place", "selection_method", "presiding_officer"]
            locked += ["registration_opens", "registration_closes", "observer_places", "description"]
            return (*self.readonly_fields, *locked)
        if obj is not None:
            return (*self.readonly_fields, "kind")
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "presiding_officer":
            kwargs["queryset"] = User.objects.filter(is_staff=True).visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            # Licensing hearings start from an application (see "Offer a hearing").
            kwargs["choices"] = [c for c in Hearing.Kind.choices if c[0] != Hearing.Kind.LICENSING]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_conduct_permission(self, request, obj=None):
        return request.user.has_perm("hearings.conduct_hearing")

    @admin.display(description=_("registrations"), ordering="live_registrations")
    def registrations_link(self, obj):
        url = reverse("admin:hearings_hearingregistration_changelist") + f"?hearing__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.live_registrations)

    @admin.display(description=_("next steps"))
    def conduct_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a> <a href="{}">{}</a>',
            self.move_url(obj),
            _("Conduct the hearing"),
            obj.get_absolute_url(),
            _("Public page"),
        )

    def get_urls(self):
        return [
            path("offer/", self.admin_site.admin_view(self.offer_view), name="hearings_hearing_offer"),
            path(
                "offer/<int:application_pk>/",
                self.admin_site.admin_view(self.offer_view),
                name="hearings_hearing_offer_for",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "offer_url": reverse("admin:hearings_hearing_offer")}
        return super().changelist_view(request, extra_context)

    def _staff(self, request):
        return User.objects.filter(is_staff=True, is_active=True).visible_to(request.user).order_by("full_name")

    # The conduct page is the table's transition page (`<pk>/move/`, Hearing.WORKFLOW): a form per move that takes
    # more than the officer; the hearing's `available_moves` leaves out what its kind does not have.
    move_forms = {
        "send_materials": LateReasonForm,
        "open_session": OpenSessionForm,
        "postpone": PostponeForm,
        "conclude": ConcludeForm,
        "request_hearing": RequestForm,
        "schedule": ScheduleForm,
    }
    transition_template = "admin/hearings/hearings/transition.html"

    def can_move(self, request, obj):
        return self.has_conduct_permission(request, obj)

    def get_move_form(self, request, obj, move, data=None, files=None):
        if move.name == "schedule":
            staff = self._staff(request).exclude(pk=obj.reviewing_officer_id)  # Art. 48: not the reviewing officer
            return ScheduleForm(data, prefix=move.name, staff=staff)
        if move.name == "conclude":
            return ConcludeForm(data, files, prefix=move.name, hearing=obj)
        return super().get_move_form(request, obj, move, data, files)

    def transition_context(self, request, obj):
        return {"hearing": obj, "check": obj.verify_draw() if obj.is_drawn else None}

    def offer_view(self, request, application_pk=None):
        """Art. 47: offer a hearing on an application under review (notice of the right to request one)."""
        if not self.has_conduct_permission(request):
            raise PermissionDenied
        applications = (
            Application.objects.filter(
                status=Application.Status.ACCEPTED, case__in=Case.objects.visible_to(request.user)
            )
            .exclude(hearings__status__in=["notified", "requested", "announced"])
            .select_related("case", "version__matter")
        )
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        if application_pk is None:
            context.update(title=_("Offer a hearing on a licence application"), applications=applications)
            return render(request, "admin/hearings/hearings/offer_choose.html", context)
        application = get_object_or_404(applications, pk=application_pk)
        form = NotifyRightForm(request.POST or None, staff=self._staff(request))
        if request.method == "POST" and form.is_valid():
            try:
                hearing = Hearing.notify_right_to_hearing(application=application, by=request.user, **form.cleaned_data)
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, _("The applicant is told of the right to a hearing."))
                return redirect(self.move_url(hearing))
        context.update(
            title=_("Offer a hearing: %(number)s") % {"number": application.case.number},
            application=application,
            form=form,
        )
        return render(request, "admin/hearings/hearings/offer_form.html", context)

    def _run(self, request, queryset, method, **kwargs):
        for hearing in queryset:
            try:
                getattr(hearing, method)(by=request.user, **kwargs)
            except InvalidTransition as error:
                self.message_user(request, f"{hearing}: {error}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("%(hearing)s: %(status)s.") % {"hearing": hearing, "status": hearing.get_status_display()},
                )

    @admin.action(
        description=_("Send the materials (late ones need a reason: use the conduct page)"), permissions=["conduct"]
    )
    def send_materials_selected(self, request, queryset):
        self._run(request, queryset, "send_materials")


@admin.register(HearingRegistration)
class HearingRegistrationAdmin(admin.ModelAdmin):
    """Registrations per hearing (filter by hearing): read-only; the draw and withdrawals move them."""

    list_display = (
        "hearing",
        "name",
        "category",
        "status",
        "participant_number",
        "reserve_rank",
        "masked_id",
        "created_at",
    )
    list_filter = ("status", ("hearing", admin.RelatedOnlyFieldListFilter), "category__is_consumer")
    list_select_related = ("hearing", "category")
    search_fields = ("name",)
    fields = (
        "hearing",
        "category",
        "name",
        "masked_id",
        "contact",
        "statement",
        "publish_consent",
        "status",
        "draw_position",
        "reserve_rank",
        "participant_number",
        "materials_sent_at",
        "created_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(hearing__in=Hearing.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ID number"))
    def masked_id(self, obj):
        return obj.masked_id
