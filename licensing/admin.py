from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter import roles
from civiccenter.admin import CaseRecordAdmin, DepartmentScopedAdmin
from civiccenter.admin_workflow import WorkflowAdmin
from civiccenter.cases import Case
from civiccenter.lib import clock, uscc
from civiccenter.lib.masking import mask_id_number, mask_phone
from civiccenter.models import User
from licensing import documents as issued
from licensing.forms import (
    ApplicationForm,
    ApproveForm,
    CorrectionForm,
    DenyForm,
    ExtendForm,
    RefuseForm,
    SuspendForm,
)
from licensing.models import (
    Application,
    ApplicationFile,
    Appointment,
    InvalidTransition,
    Licence,
    LifeEvent,
    Material,
    Matter,
    MatterVersion,
    WindowSlot,
)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "order")
    prepopulated_fields = {"slug": ("name_en",)}


class VersionInline(admin.TabularInline):
    model = MatterVersion
    fields = ("number", "status", "promised_limit", "statutory_limit", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Matter)
class MatterAdmin(DepartmentScopedAdmin):
    list_display = ("code", "name", "department", "audience", "current_version")
    list_filter = ("department", "audience", "life_events")
    list_select_related = ("department", "current_version")
    search_fields = ("code", "name", "name_en")
    filter_horizontal = ("life_events",)
    inlines = [VersionInline]
    actions = ["start_new_version"]

    @admin.action(description=_("Start a new version of the selected matters"), permissions=["change"])
    def start_new_version(self, request, queryset):
        for matter in queryset:
            try:
                matter.start_new_version(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{matter.code}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(code)s: a new draft version was created.") % {"code": matter.code})


class MaterialInline(admin.StackedInline):
    model = Material
    extra = 0
    fields = (
        ("name", "name_en"),
        ("required", "form", "copies", "order"),
        ("notes", "notes_en"),
        ("blank_form", "sample"),
    )


@admin.register(MatterVersion)
class MatterVersionAdmin(DepartmentScopedAdmin):
    list_display = ("matter", "number", "status", "promised_limit", "statutory_limit", "fee", "published_at")
    list_filter = ("status", "matter__department")
    list_select_related = ("matter", "matter__department")
    search_fields = ("matter__code", "matter__name")
    readonly_fields = ("status", "published_at", "created_by", "created_at")
    inlines = [MaterialInline]
    actions = ["publish"]
    fieldsets = (
        (None, {"fields": ("matter", "number", "status", "created_at", "created_by", "published_at")}),
        (
            _("Basis and conditions"),
            {"fields": ("legal_basis", "legal_basis_en", "conditions", "conditions_en", "quantity_limit")},
        ),
        (
            _("Procedure and time limits"),
            {
                "fields": (
                    "procedure",
                    "procedure_en",
                    "statutory_limit",
                    "promised_limit",
                    "on_the_spot",
                    "hearing_possible",
                    "joint_handling",
                    "two_officers",
                    "safety_related",
                    "renewal_lead_days",
                )
            },
        ),
        (_("Fee and window"), {"fields": ("fee", "fee_basis", "window", "window_en")}),
    )

    def get_queryset(self, request):
        return MatterVersion.objects.filter(matter__in=Matter.objects.visible_to(request.user)).select_related(
            "matter", "matter__department"
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            # A version in force or replaced is a record: change it by starting a new version.
            return [field.name for field in MatterVersion._meta.fields if field.name != "id"]
        if obj is not None:
            return (*self.readonly_fields, "matter", "number")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # versions are started from the matter ("Start a new version")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and not obj.is_draft:
            for inline in inlines:
                inline.has_add_permission = lambda *args, **kwargs: False
                inline.has_change_permission = lambda *args, **kwargs: False
                inline.has_delete_permission = lambda *args, **kwargs: False
        return inlines

    def has_publish_permission(self, request):
        # Putting new rules in force is the department head's approval.
        user = request.user
        return user.is_superuser or bool(user.role_names & {roles.DEPARTMENT_HEAD, roles.SYSTEM_ADMINISTRATOR})

    @admin.action(description=_("Publish the selected draft versions"), permissions=["publish"])
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version.publish(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{version}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(version)s is now in force.") % {"version": version})


class ApplicationFileInline(admin.TabularInline):
    model = ApplicationFile
    fields = ("material", "private_link", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def private_link(self, obj):
        url = reverse("licensing:application-file", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Application)
class ApplicationAdmin(WorkflowAdmin, CaseRecordAdmin):
    """The department's applications, coloured by deadline; every move goes through the model's transitions."""

    list_display = ("number", "matter", "applicant_name", "status", "received_on", "due")
    list_filter = ("status", "version__matter")
    list_select_related = ("case", "version__matter")
    search_fields = ("case__number", "applicant_name", "version__matter__name")
    readonly_fields = (
        "number",
        "matter",
        "status",
        "applicant_type",
        "applicant_name",
        "masked_identifier",
        "contact_phone",
        "received_on",
        "due",
        "accepted_on",
        "deemed_accepted",
        "promised_due",
        "not_accepted_reason",
        "competent_organ",
        "documents",
        "timeline",
    )
    fields = readonly_fields
    inlines = [ApplicationFileInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(case=None)
            .filter(case__in=Case.objects.visible_to(request.user))
            .select_related("case", "version__matter")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only record; decisions go through the decision page

    def has_decide_permission(self, request, obj=None):
        return request.user.has_perm("licensing.decide_application")

    @admin.display(description=_("matter"))
    def matter(self, obj):
        return obj.version.matter

    @admin.display(description=_("identity number or credit code"))
    def masked_identifier(self, obj):
        value = obj.id_number or obj.credit_code
        masked = mask_id_number(value)
        if not obj.id_number and uscc.check_fails(value):
            return f"{masked} ⚠ {uscc.FLAG_LABEL}"  # GB 32100: accepted, flagged for the staff
        return masked

    @admin.display(description=_("documents to print"))
    def documents(self, obj):
        """The receipt, then every document issued on the application, with its number (Art. 32, 38, 42)."""
        links = [(reverse("licensing:application-receipt", args=[obj.pk]), _("Receipt"))]
        issued_documents = issued.titled(obj.case.issued_documents.all()) if obj.case_id else []
        links += [
            (reverse("licensing:application-document", args=[obj.pk, document.pk]), f"{title} {document.number}")
            for document, title in issued_documents
        ]
        if not issued_documents:  # issued before documents were numbered and sealed
            Status = Application.Status
            if hasattr(obj, "correction_notice"):
                links.append((reverse("licensing:correction-notice", args=[obj.pk]), _("Correction notice")))
            if obj.status in (Status.ACCEPTED, Status.NOT_ACCEPTED):
                links.append((reverse("licensing:acceptance-notice", args=[obj.pk]), _("Notice of acceptance or not")))
            if obj.status in (Status.APPROVED, Status.DENIED):
                links.append((reverse("licensing:decision-document", args=[obj.pk]), _("Decision")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self):
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="licensing_application_register"),
            path(
                "register/<int:matter_pk>/",
                self.admin_site.admin_view(self.register_view),
                name="licensing_application_register_matter",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_register": self.has_decide_permission(request)}
        return super().changelist_view(request, extra_context)

    def register_view(self, request, matter_pk=None):
        """A walk-in, a caller or a letter: the clerk registers the application at the window (Art. 29)."""
        if not self.has_decide_permission(request):
            raise PermissionDenied
        matters = Matter.objects.published().visible_to(request.user).select_related("current_version")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        if matter_pk is None:
            context.update(title=_("Register an application at the window"), matters=matters)
            return render(request, "admin/licensing/application/register_choose.html", context)
        matter = get_object_or_404(matters, pk=matter_pk)
        version = matter.current_version
        application = Application(version=version, declaration=False)
        form = ApplicationForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            instance=application,
            materials=version.materials.all(),
            existing={},
            submitting=request.method == "POST",
            require_files=False,
        )
        form.fields["declaration"].label = _("The applicant signed the declaration that the information is true.")
        channel = request.POST.get("channel", "window")
        if request.method == "POST" and form.is_valid() and channel in Case.Channel.values:
            with transaction.atomic():
                application = form.save()
                for material, upload in form.uploads():
                    ApplicationFile.objects.create(application=application, material=material, file=upload)
                application.submit(by=request.user, channel=channel)
            self.message_user(request, _("%(number)s registered.") % {"number": application.case.number})
            return redirect("licensing:application-receipt", pk=application.pk)
        context.update(
            title=_("Register an application: %(matter)s") % {"matter": matter},
            form=form,
            matter=matter,
            channels=Case.Channel.choices,
            channel=channel,
        )
        return render(request, "admin/licensing/application/register_form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The object, not the address's text (any text): one out of reach gets the admin's "does not exist".
        application = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("admin:licensing_application_move", args=[application.pk]) if application else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # The decision page is the table's transition page (`<pk>/move/`): a form per move that takes more than the
    # clerk; each calls the model's method of the same name, which checks the status again under its lock.
    move_forms = {
        "request_correction": CorrectionForm,
        "refuse": RefuseForm,
        "suspend": SuspendForm,
        "extend": ExtendForm,
        "approve": ApproveForm,
        "deny": DenyForm,
    }
    # Offering a hearing makes the hearing: it is taken on the hearings' page, linked from here.
    move_pages = {"offer_hearing": "admin:hearings_hearing_offer_for"}
    transition_template = "admin/licensing/application/transition.html"

    def can_move(self, request, obj):
        return self.has_decide_permission(request, obj) or request.user.has_perm("hearings.conduct_hearing")

    def transition_context(self, request, obj):
        return {"documents": self.documents(obj)}

    def get_move_form(self, request, obj, move, data=None, files=None):
        if move.name == "request_correction":
            return CorrectionForm(data, files, prefix=move.name, materials=obj.version.materials.all())
        form = super().get_move_form(request, obj, move, data, files)
        if move.name in ("approve", "deny") and obj.version.two_officers:
            # Art. 34: the second officer who verified the substance with the one deciding.
            form.fields["second_officer"] = forms.ModelChoiceField(
                label=_("Second verifying officer (Article 34)"),
                queryset=User.objects.filter(is_staff=True, is_active=True, department_id=obj.case.department_id)
                .exclude(pk=request.user.pk)
                .order_by("full_name"),
                help_text=_("This matter is verified by two officers; both are named on the decision."),
            )
        return form


class LicenceValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("in_force", _("In force")),
            ("expiring", _("Expires within %(days)d days") % {"days": settings.LICENCE_RENEWAL_REMINDER_DAYS}),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        today = clock.today()
        soon = today + timedelta(days=settings.LICENCE_RENEWAL_REMINDER_DAYS)
        if self.value() == "in_force":
            return queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), valid_from__lte=today)
        if self.value() == "expiring":
            return queryset.filter(valid_until__gte=today, valid_until__lte=soon)
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=today)
        return queryset


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    """The department's licences: what is in force, what expires soon, what the register shows; read-only."""

    list_display = ("number", "holder", "matter", "issued_on", "expiry", "in_register", "print_link")
    list_filter = (LicenceValidityFilter, "confidentiality", "application__version__matter")
    list_select_related = ("application__version__matter",)
    search_fields = ("number", "holder", "verification_code", "application__case__number")
    date_hierarchy = "issued_on"
    fields = (
        "number",
        "application_link",
        "holder",
        "matter",
        "scope",
        "issued_on",
        "valid_from",
        "valid_until",
        "verification_code",
        "confidentiality",
        "publish_from",
        "renewal_reminded_on",
        "print_link",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(application__case__in=Case.objects.visible_to(request.user))
            .with_renewal()
            .select_related("application__version__matter", "application__case")
        )

    def has_add_permission(self, request):
        return False  # a licence is issued by approving an application

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("matter"))
    def matter(self, obj):
        return obj.application.version.matter

    @admin.display(description=_("application"))
    def application_link(self, obj):
        url = reverse("admin:licensing_application_change", args=[obj.application_id])
        return format_html('<a href="{}">{}</a>', url, obj.application.case.number)

    @admin.display(description=_("valid until"), ordering="valid_until")
    def expiry(self, obj):
        if obj.valid_until is None:
            return _("no expiry")
        left = (obj.valid_until - clock.today()).days
        if left < 0 and obj.deemed_renewed_on(clock.today()):
            return format_html("{} ({})", obj.valid_until, _("renewed by law, Article 50"))
        if left < 0:
            return format_html('<strong class="cc-late">{} ({})</strong>', obj.valid_until, _("expired"))
        if left <= settings.LICENCE_RENEWAL_REMINDER_DAYS:
            return format_html(
                '<strong class="cc-near">{} ({})</strong>',
                obj.valid_until,
                _("%(days)d day(s) left") % {"days": left},
            )
        return obj.valid_until

    @admin.display(description=_("in the public register"), boolean=True)
    def in_register(self, obj):
        return not obj.confidentiality and obj.publish_from <= clock.today()

    @admin.display(description=_("licence to print"))
    def print_link(self, obj):
        url = reverse("licensing:decision-document", args=[obj.application_id])
        return format_html('<a href="{}">{}</a>', url, _("Print"))


@admin.register(WindowSlot)
class WindowSlotAdmin(admin.ModelAdmin):
    """The department's window times; the clerk adds them, the portal counts the bookings."""

    list_display = ("starts_at", "window", "department", "capacity", "booked")
    list_filter = ("department", "window")
    date_hierarchy = "starts_at"
    readonly_fields = ("booked",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("department")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            from civiccenter.models import Department

            kwargs["queryset"] = Department.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """The day's list per window: pick a day and a window."""

    list_display = ("time", "window", "person", "phone", "matter", "code", "status")
    list_filter = ("status", "slot__window", "slot__department")
    date_hierarchy = "slot__starts_at"
    list_select_related = ("slot", "slot__department", "user", "matter")
    search_fields = ("code", "user__full_name")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(slot__in=WindowSlot.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("time"), ordering="slot__starts_at")
    def time(self, obj):
        return timezone.localtime(obj.slot.starts_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("window"), ordering="slot__window")
    def window(self, obj):
        return obj.slot.window

    @admin.display(description=_("person"))
    def person(self, obj):
        return obj.user.full_name

    @admin.display(description=_("phone"))
    def phone(self, obj):
        return mask_phone(obj.user.phone)  # like every admin list: the whole number is on the person's own record
