"""The showcase in the admin: the moderators' queue of works (approve, or return with a reason, both model
methods) and the exhibitions staff curate from published works."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import StatusHistoryInline, run_with_reason
from civiccenter.admin_workflow import default_filter
from civiccenter.cases import InvalidTransition
from ngo.models.showcase import Exhibition, ExhibitionEntry, Work, WorkImage

# Waiting for moderation by default.
WorkQueueFilter = default_filter(
    _("moderation"),
    "moderation",
    [
        (None, _("Waiting"), Q(status=Work.Status.PENDING)),
        *[(value, label, Q(status=value)) for value, label in Work.Status.choices[1:]],
    ],
)


def preview(image, size="small"):
    thumb = getattr(image, size)
    if not thumb:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="">',
        thumb.url,
        getattr(image, f"{size}_width"),
        getattr(image, f"{size}_height"),
    )


class WorkImageInline(admin.TabularInline):
    model = WorkImage
    fields = ("thumb", "width", "height", "order")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("image"))
    def thumb(self, obj):
        return preview(obj)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "category", "author", "images", "consent_to_publish", "status", "created_at")
    list_display_links = ("pk", "title")
    list_filter = (WorkQueueFilter, "category")
    list_select_related = ("author",)
    search_fields = ("title", "description")
    date_hierarchy = "created_at"
    actions = ["approve_selected", "return_selected"]
    inlines = [WorkImageInline, StatusHistoryInline]
    fields = (
        "title", "category", "author", "description", "video_url", "consent_to_publish", "status",
        "return_reason", "moderated_by", "moderated_at", "published_at", "created_at",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(image_count=Count("images"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the author's work is not edited by staff; the actions approve or return it

    def has_moderate_permission(self, request):
        return request.user.has_perm("ngo.moderate_work")

    @admin.display(description=_("images"), ordering="image_count")
    def images(self, obj):
        return obj.image_count

    @admin.action(description=_("Approve the selected works (publish them)"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = 0
        for work in queryset:
            try:
                work.approve(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"#{work.pk}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d work(s) approved.") % {"count": done})

    @admin.action(description=_("Return the selected works to their authors, with a reason"), permissions=["moderate"])
    def return_selected(self, request, queryset):
        return run_with_reason(
            self, request, queryset, method=Work.return_to_author, title=_("Return works"),
            button=_("Return"), done_message=_("%(count)d work(s) returned."),
        )  # fmt: skip


class ExhibitionEntryInline(admin.TabularInline):
    model = ExhibitionEntry
    fields = ("work", "order")
    autocomplete_fields = ("work",)
    extra = 1


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_on", "ends_on", "published", "work_count")
    list_filter = ("published",)
    search_fields = ("title",)
    date_hierarchy = "starts_on"
    inlines = [ExhibitionEntryInline]
    fields = ("title", "introduction", "starts_on", "ends_on", "published")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(work_total=Count("entries"))

    @admin.display(description=_("works"), ordering="work_total")
    def work_count(self, obj):
        return obj.work_total
