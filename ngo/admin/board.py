"""The moderators' queues for the mutual assistance board: posts waiting to be read, reported posts and
reported responses. Every move calls a model method; a reason is asked for on an intermediate page."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import StatusHistoryInline, run_with_reason
from civiccenter.admin_workflow import default_filter
from civiccenter.cases import InvalidTransition
from ngo.models.board import Post, Report, Response, open_report_counts

# The moderators' queue by default: posts waiting to be read and published posts with open reports.
QueueFilter = default_filter(
    _("queue"),
    "queue",
    [
        (None, _("To moderate"), Q(status=Post.Status.PENDING) | Q(open_reports__gt=0)),
        ("pending", _("Waiting for moderation"), Q(status=Post.Status.PENDING)),
        ("reported", _("Reported"), Q(open_reports__gt=0)),
    ],
)


class ReportInline(admin.TabularInline):
    model = Report
    fk_name = "post"
    fields = ("reason", "created_at", "outcome", "resolved_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ModerationPermissions:
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # citizens' words are not edited by staff; the actions move them

    def has_moderate_permission(self, request):
        return request.user.has_perm("ngo.moderate_post")


@admin.register(Post)
class PostAdmin(ModerationPermissions, admin.ModelAdmin):
    list_display = ("pk", "title", "kind", "category", "area", "poster", "status", "reports", "created_at")
    list_display_links = ("pk", "title")
    list_filter = (QueueFilter, "status", "kind", "category")
    list_select_related = ("organization", "author")
    search_fields = ("title", "description", "area")
    date_hierarchy = "created_at"
    actions = ["approve_selected", "reject_selected", "hide_selected"]
    inlines = [ReportInline, StatusHistoryInline]
    fields = (
        "kind", "category", "title", "description", "area", "when_text", "starts_on", "ends_on", "poster",
        "status", "moderation_reason", "moderated_by", "moderated_at", "published_at", "closed_at",
        "poster_thanks", "responder_thanks",
    )  # fmt: skip
    readonly_fields = fields  # contact details are not shown here: moderators need the words, not the numbers

    def get_queryset(self, request):
        return open_report_counts(super().get_queryset(request))

    @admin.display(description=_("posted by"))
    def poster(self, obj):
        return obj.organization.name if obj.organization_id else obj.author.full_name

    @admin.display(description=_("open reports"), ordering="open_reports")
    def reports(self, obj):
        return obj.open_reports

    @admin.action(description=_("Approve the selected posts (publish them)"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = 0
        for post in queryset:
            try:
                post.approve(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"#{post.pk}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d post(s) approved.") % {"count": done})

    @admin.action(description=_("Reject the selected posts, with a reason"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        return run_with_reason(
            self, request, queryset, method=Post.reject, title=_("Reject posts"), button=_("Reject"),
            done_message=_("%(count)d post(s) rejected."),
        )  # fmt: skip

    @admin.action(description=_("Hide the selected posts, with a reason"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        return run_with_reason(
            self, request, queryset, method=Post.hide, title=_("Hide posts"), button=_("Hide"),
            done_message=_("%(count)d post(s) hidden."),
        )  # fmt: skip


# Reported responses by default (those with open reports).
ReportedFilter = default_filter(
    _("queue"),
    "queue",
    [(None, _("Reported"), Q(open_reports__gt=0)), ("hidden", _("Hidden"), Q(hidden=True))],
)


@admin.register(Response)
class ResponseAdmin(ModerationPermissions, admin.ModelAdmin):
    """Responses are private between two people; moderators see those that were reported."""

    list_display = ("pk", "excerpt", "post", "responder", "accepted", "hidden", "reports", "created_at")
    list_display_links = ("pk", "excerpt")
    list_filter = (ReportedFilter,)
    list_select_related = ("post", "responder")
    search_fields = ("message", "post__title")
    actions = ["hide_selected"]
    fields = ("post", "responder", "message", "accepted", "hidden", "hidden_reason", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return open_report_counts(super().get_queryset(request))

    @admin.display(description=_("message"))
    def excerpt(self, obj):
        return obj.message[:60]

    @admin.display(description=_("open reports"), ordering="open_reports")
    def reports(self, obj):
        return obj.open_reports

    @admin.action(description=_("Hide the selected responses, with a reason"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        return run_with_reason(
            self, request, queryset, method=Response.hide, title=_("Hide responses"), button=_("Hide"),
            done_message=_("%(count)d response(s) hidden."),
        )  # fmt: skip


# Reports not yet resolved by default.
UnresolvedFilter = default_filter(
    _("state"),
    "state",
    [(None, _("Not resolved"), Q(resolved_at__isnull=True)), ("resolved", _("Resolved"), Q(resolved_at__isnull=False))],
)


@admin.register(Report)
class ReportAdmin(ModerationPermissions, admin.ModelAdmin):
    """Every report; a report with nothing wrong behind it is dismissed here, an abusive item hidden from its queue."""

    list_display = ("pk", "about", "reason", "created_at", "outcome", "resolved_at")
    list_filter = (UnresolvedFilter, "outcome")
    list_select_related = ("post", "response__post")
    actions = ["dismiss_selected"]
    fields = ("post", "response", "reason", "created_at", "outcome", "resolved_at", "resolved_by")
    readonly_fields = fields

    @admin.display(description=_("about"))
    def about(self, obj):
        if obj.post_id:
            return obj.post.title
        return _("Response #%(pk)s to “%(title)s”") % {"pk": obj.response_id, "title": obj.response.post.title}

    @admin.action(description=_("Dismiss the selected reports (nothing to hide)"), permissions=["moderate"])
    def dismiss_selected(self, request, queryset):
        done = 0
        for report in queryset:
            try:
                report.dismiss(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"#{report.pk}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d report(s) dismissed.") % {"count": done})
