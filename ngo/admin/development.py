"""Staff side of NGO development: the moderation queues of activities and achievements, featuring, news.

Activities and achievements belong to organizations, not to a department, so
these lists are center-wide and guarded by permissions (moderators approve
or return; content editors write news and feature achievements). Statuses
move only through the model methods the actions call.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import StatusHistoryInline
from civiccenter.admin_workflow import default_filter
from civiccenter.cases import InvalidTransition
from ngo.models.development import Achievement, AchievementPhoto, Activity, ActivityPhoto, ModerationStatus, NewsItem

# Waiting for moderation by default: the moderators' queue.
ModerationFilter = default_filter(
    _("moderation"),
    "moderation",
    [
        (None, _("Waiting"), Q(status=ModerationStatus.PENDING)),
        *[(value, label, Q(status=value)) for value, label in ModerationStatus.choices[1:]],
    ],
)


class ReturnForm(forms.Form):
    _selected_action = forms.CharField(widget=forms.MultipleHiddenInput)
    reason = forms.CharField(
        label=_("What the organization should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class PhotoInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ("preview", "caption")
    readonly_fields = ("preview", "caption")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return format_html('<img src="{}" alt="{}" class="cc-thumb">', obj.thumbnail_url, obj.caption)


class ActivityPhotoInline(PhotoInline):
    model = ActivityPhoto


class AchievementPhotoInline(PhotoInline):
    model = AchievementPhoto


class ModeratedAdmin(admin.ModelAdmin):
    """What both queues share: read-only records, approve and return-with-a-reason actions."""

    list_filter = (ModerationFilter, "organization__field")
    list_select_related = ("organization",)
    search_fields = ("title", "organization__name")
    date_hierarchy = "submitted_at"
    actions = ["approve_selected", "return_selected"]
    kind = "activity"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: actions move it

    def has_moderate_permission(self, request):
        return request.user.has_perm(f"ngo.moderate_{self.kind}")

    @admin.action(description=_("Approve and publish the selected items"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = 0
        for item in queryset.select_related("organization", "submitted_by"):
            try:
                item.approve(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{item.title}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d item(s) published.") % {"count": done})

    @admin.action(description=_("Return the selected items with a reason"), permissions=["moderate"])
    def return_selected(self, request, queryset):
        """An intermediate page asks for the reason (mandatory) before returning."""
        form = None
        if "apply" in request.POST:
            form = ReturnForm(request.POST)
            if form.is_valid():
                done = 0
                for item in queryset.select_related("organization", "submitted_by"):
                    try:
                        item.return_for_changes(by=request.user, reason=form.cleaned_data["reason"])
                    except InvalidTransition as error:
                        self.message_user(request, f"{item.title}: {error}", messages.WARNING)
                    else:
                        done += 1
                self.message_user(request, _("%(count)d item(s) returned.") % {"count": done})
                return None
        if form is None:
            form = ReturnForm(initial={"_selected_action": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return for changes"),
            "items": queryset.select_related("organization"),
            "form": form,
            "opts": self.model._meta,
            "action": "return_selected",
        }
        return TemplateResponse(request, "ngo/development/admin_return.html", context)


@admin.register(Activity)
class ActivityAdmin(ModeratedAdmin):
    kind = "activity"
    list_display = ("title", "organization", "starts_at", "place", "status", "registrations", "submitted_at")
    fields = (
        "organization",
        "title",
        "status",
        "return_reason",
        "starts_at",
        "ends_at",
        "place",
        "booking",
        "description",
        "registration_open",
        "capacity",
        "registered",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "published_at",
    )
    readonly_fields = fields
    inlines = [ActivityPhotoInline, StatusHistoryInline]

    @admin.display(description=_("registered"), ordering="registered")
    def registrations(self, obj):
        if obj.capacity is None:
            return obj.registered if obj.registration_open else "—"
        return f"{obj.registered} / {obj.capacity}"


@admin.register(Achievement)
class AchievementAdmin(ModeratedAdmin):
    kind = "achievement"
    list_display = ("title", "organization", "activity", "status", "featured", "photo_count", "submitted_at")
    list_select_related = ("organization", "activity")
    list_filter = (ModerationFilter, "featured", "organization__field")
    fields = (
        "organization",
        "activity",
        "title",
        "status",
        "featured",
        "return_reason",
        "story",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "published_at",
    )
    readonly_fields = fields
    inlines = [AchievementPhotoInline, StatusHistoryInline]
    actions = ["approve_selected", "return_selected", "feature_selected", "unfeature_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_photos=Count("photos"))

    @admin.display(description=_("photos"), ordering="_photos")
    def photo_count(self, obj):
        return obj._photos

    def has_feature_permission(self, request):
        return request.user.has_perm("ngo.feature_achievement")

    def _feature(self, request, queryset, featured):
        done = 0
        for achievement in queryset:
            try:
                achievement.set_featured(featured, by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{achievement.title}: {error}", messages.WARNING)
            else:
                done += 1
        return done

    @admin.action(description=_("Feature the selected achievements on the NGO page"), permissions=["feature"])
    def feature_selected(self, request, queryset):
        done = self._feature(request, queryset, True)
        self.message_user(request, _("%(count)d achievement(s) featured.") % {"count": done})

    @admin.action(description=_("Stop featuring the selected achievements"), permissions=["feature"])
    def unfeature_selected(self, request, queryset):
        done = self._feature(request, queryset, False)
        self.message_user(request, _("%(count)d achievement(s) no longer featured.") % {"count": done})


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ("title", "date", "published", "created_by")
    list_filter = ("published",)
    list_select_related = ("created_by",)
    search_fields = ("title", "body")
    date_hierarchy = "date"
    fields = ("title", "date", "body", "photo", "photo_caption", "published")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
