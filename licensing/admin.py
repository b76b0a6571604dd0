from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civiccenter import roles
from civiccenter.admin import DepartmentScopedAdmin
from licensing.models import InvalidTransition, LifeEvent, Material, Matter, MatterVersion


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
