"""Staff side of drafts for comment: preparing and publishing drafts, the moderators' queue, dispositions,
the adoption report and the final decision. Every move calls a model method."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import DepartmentScopedAdmin, StatusHistoryInline
from civiccenter.admin_workflow import default_filter, object_or_404
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.stateful import log_status
from hearings.forms.drafts import DecisionForm, DispositionForm, ModerateForm, ReportTextForm, WithholdForm
from hearings.models.drafts import AdoptionReport, Article, CatalogueItem, Comment, Draft, DraftKind


@admin.register(DraftKind)
class DraftKindAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "min_days", "unit", "legal_basis", "order")
    fields = ("name", "name_en", "min_days", "unit", "legal_basis", "note", "order")


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 3
    fields = ("number", "heading", "text")

    def _published(self, obj):
        return obj is not None and obj.is_published

    def get_readonly_fields(self, request, obj=None):
        # The published text is what people commented on: it no longer changes.
        return self.fields if self._published(obj) else ()

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if self._published(obj) else self.extra

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)


# Drafts still needing work by default (not yet decided); dates read at each request.
PhaseFilter = default_filter(
    _("phase"),
    "phase",
    [
        (None, _("Not decided"), ~Q(status=Draft.Status.DECIDED)),
        ("preparing", _("Being prepared"), Q(status=Draft.Status.PREPARING)),
        ("open", _("Open for comment"), lambda qs: qs.open(clock.today())),
        (
            "closed",
            _("Closed, awaiting decision"),
            lambda qs: qs.filter(status=Draft.Status.CONSULTING, closes_on__lt=clock.today()),
        ),
        ("decided", _("Decided"), Q(status=Draft.Status.DECIDED)),
    ],
)


@admin.register(Draft)
class DraftAdmin(DepartmentScopedAdmin):
    list_display = (
        "title",
        "department",
        "kind",
        "major",
        "opens_on",
        "closes_on",
        "status",
        "comments",
        "to_moderate",
        "undisposed",
        "report_state",
    )
    list_filter = (PhaseFilter, "kind", "major", "department")
    list_select_related = ("department", "kind", "report")
    search_fields = ("title",)
    date_hierarchy = "opens_on"
    inlines = [ArticleInline, StatusHistoryInline]
    actions = ["publish_selected"]
    fields = (
        "title",
        "department",
        "kind",
        "major",
        "catalogue_item",
        "explanation",
        "how_to_comment",
        "opens_on",
        "closes_on",
        "shortened_reason",
        "status",
        "published_at",
        "workflow",
    )
    editable_after_publication = ()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_comments=Count("comments"),
                n_pending=Count("comments", filter=Q(comments__state=Comment.State.PENDING)),
                n_undisposed=Count("comments", filter=Q(comments__disposition="")),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        always = ("status", "published_at", "workflow")
        if obj is not None and obj.is_published:
            return tuple(f for f in self.fields if f not in self.editable_after_publication)
        return always

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalogue_item":
            # Order 713 Art. 3: the items of the published catalogue, of the departments this user works for.
            kwargs["queryset"] = (
                CatalogueItem.objects.visible_to(request.user)
                .filter(status=CatalogueItem.Status.PUBLISHED)
                .order_by("-year", "order", "pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A published consultation is a public record.
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            log_status(obj, by=request.user)

    @admin.display(description=_("comments"), ordering="n_comments")
    def comments(self, obj):
        return obj.n_comments

    @admin.display(description=_("to moderate"), ordering="n_pending")
    def to_moderate(self, obj):
        if not obj.n_pending:
            return 0
        url = reverse("admin:hearings_comment_changelist") + f"?draft__id__exact={obj.pk}"
        return format_html('<a href="{}"><strong>{}</strong></a>', url, obj.n_pending)

    @admin.display(description=_("without disposition"), ordering="n_undisposed")
    def undisposed(self, obj):
        return obj.n_undisposed

    @admin.display(description=_("adoption report"))
    def report_state(self, obj):
        report = obj.report_or_none()
        if report is None:
            return "—"
        return _("published") if report.published_at else _("generated")

    @admin.display(description=_("next steps"))
    def workflow(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the draft and its articles first.")
        links = [
            (reverse("admin:hearings_draft_dispositions", args=[obj.pk]), _("Dispositions of the comments")),
            (reverse("admin:hearings_draft_report", args=[obj.pk]), _("Adoption report")),
            (reverse("admin:hearings_draft_decision", args=[obj.pk]), _("Final decision")),
        ]
        if obj.is_published:
            links.insert(0, (obj.get_absolute_url(), _("Public page")))
        return format_html_join(" · ", '<a class="button" href="{}">{}</a>', links)

    @admin.action(description=_("Publish the selected drafts for comment"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for draft in queryset.select_related("kind"):
            try:
                draft.publish(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{draft.title}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(title)s: published for comment.") % {"title": draft.title})

    def has_publish_permission(self, request):
        return request.user.has_perm("hearings.publish_draft")

    # Workflow pages ------------------------------------------------------------

    def get_urls(self):
        def view(function, suffix):
            return path(f"<int:pk>/{suffix}/", self.admin_site.admin_view(function), name=f"hearings_draft_{suffix}")

        return [
            view(self.dispositions_view, "dispositions"),
            view(self.report_view, "report"),
            view(self.decision_view, "decision"),
            *super().get_urls(),
        ]

    def _draft(self, request, pk):
        return get_object_or_404(Draft.objects.visible_to(request.user).select_related("department", "kind"), pk=pk)

    def _context(self, request, draft, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "draft": draft,
            "opts": self.model._meta,
            **extra,
        }

    def dispositions_view(self, request, pk):
        """Every comment of the draft with its disposition and reason; saving calls `Comment.dispose` for each change."""
        draft = self._draft(request, pk)
        if not request.user.has_perm("hearings.view_comment"):
            raise PermissionDenied
        can_dispose = request.user.has_perm("hearings.dispose_comment")
        comments = list(
            Comment.objects.filter(draft=draft).select_related("article", "author").order_by("created_at", "pk")
        )
        data = request.POST if request.method == "POST" else None
        if data is not None and not can_dispose:
            raise PermissionDenied
        rows = [
            (
                comment,
                DispositionForm(
                    data,
                    prefix=f"c{comment.pk}",
                    initial={"disposition": comment.disposition, "reason": comment.disposition_reason},
                ),
            )
            for comment in comments
        ]
        if data is not None:
            if all(form.is_valid() for _comment, form in rows):
                saved, refused = 0, []
                for comment, form in rows:
                    disposition, reason = form.cleaned_data["disposition"], form.cleaned_data["reason"].strip()
                    if not disposition or (disposition, reason) == (comment.disposition, comment.disposition_reason):
                        continue
                    try:
                        comment.dispose(by=request.user, disposition=disposition, reason=reason)
                    except InvalidTransition as error:
                        refused.append(f"#{comment.pk}: {error}")
                    else:
                        saved += 1
                for message in refused:
                    self.message_user(request, message, messages.WARNING)
                self.message_user(request, _("%(count)d disposition(s) saved.") % {"count": saved})
                return redirect("admin:hearings_draft_dispositions", draft.pk)
            self.message_user(request, _("Please correct the errors below."), messages.ERROR)
        context = self._context(
            request,
            draft,
            _("Dispositions: %(title)s") % {"title": draft.title},
            rows=rows,
            can_dispose=can_dispose and draft.is_closed() and not draft.report_published,
            is_closed=draft.is_closed(),
        )
        return render(request, "admin/hearings/drafts/dispositions.html", context)

    def report_view(self, request, pk):
        """Generate (or rebuild) the report from the dispositions, edit its text, publish it."""
        draft = self._draft(request, pk)
        report = draft.report_or_none()
        can_edit = request.user.has_perm("hearings.change_adoptionreport")
        can_publish = request.user.has_perm("hearings.publish_report")
        action = request.POST.get("action") if request.method == "POST" else None
        text_form = ReportTextForm(
            request.POST if action == "save" else None, initial={"text": report.text if report else ""}
        )
        if action:
            needed = can_publish if action == "publish" else can_edit
            if not needed:
                raise PermissionDenied
            try:
                if action == "generate":
                    draft.generate_report(by=request.user)
                    self.message_user(request, _("The adoption report was generated from the dispositions."))
                    return redirect("admin:hearings_draft_report", draft.pk)
                if action == "save" and report is not None and text_form.is_valid():
                    if report.published_at:
                        raise InvalidTransition(_("The adoption report is already published."))
                    report.text = text_form.cleaned_data["text"].strip()
                    report.save(update_fields=["text"])
                    self.message_user(request, _("Saved."))
                    return redirect("admin:hearings_draft_report", draft.pk)
                if action == "publish" and report is not None:
                    draft.publish_report(by=request.user)
                    self.message_user(request, _("The adoption report is published; the commenters are notified."))
                    return redirect("admin:hearings_draft_report", draft.pk)
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.WARNING)
        context = self._context(
            request,
            draft,
            _("Adoption report: %(title)s") % {"title": draft.title},
            report=report,
            text_form=text_form,
            can_edit=can_edit,
            can_publish=can_publish,
            dispositions=Comment.Disposition.choices,
        )
        return render(request, "admin/hearings/drafts/report.html", context)

    def decision_view(self, request, pk):
        draft = self._draft(request, pk)
        can_publish = request.user.has_perm("hearings.publish_decision")
        form = DecisionForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if not can_publish:
                raise PermissionDenied
            if form.is_valid():
                try:
                    draft.publish_decision(
                        by=request.user, text=form.cleaned_data["text"], file=form.cleaned_data.get("file")
                    )
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    self.message_user(request, _("The final decision is published beside the draft."))
                    return redirect("admin:hearings_draft_change", draft.pk)
        context = self._context(
            request,
            draft,
            _("Final decision: %(title)s") % {"title": draft.title},
            form=form,
            can_publish=can_publish and draft.status == Draft.Status.CONSULTING,
        )
        return render(request, "admin/hearings/drafts/decision.html", context)


# Waiting for moderation by default: the moderators' queue.
ModerationFilter = default_filter(
    _("moderation"),
    "moderation",
    [
        (None, _("Waiting"), Q(state=Comment.State.PENDING)),
        *[(value, label, Q(state=value)) for value, label in Comment.State.choices[1:]],
    ],
)


class WithholdActionForm(WithholdForm):
    _selected_action = forms.CharField(widget=forms.MultipleHiddenInput)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderators' queue (the whole center) and, for departments, their drafts' comments."""

    list_display = ("pk", "draft", "target", "display_name", "public_excerpt", "state", "created_at", "disposition")
    list_display_links = ("pk", "public_excerpt")
    list_filter = (ModerationFilter, "disposition")
    list_select_related = ("draft", "article")
    search_fields = ("public_text", "display_name", "draft__title")
    actions = ["publish_selected", "withhold_selected"]
    date_hierarchy = "created_at"
    inlines = [StatusHistoryInline]  # shown on the moderation page, where the change page leads

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record; the moderation page moves it

    def has_moderate_permission(self, request):
        return request.user.has_perm("hearings.moderate_comment")

    @admin.display(description=_("about"))
    def target(self, obj):
        return obj.target_label

    @admin.display(description=_("comment as published"))
    def public_excerpt(self, obj):
        return obj.public_text[:80]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:hearings_comment_moderate", object_or_404(self, request, object_id).pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderate/", self.admin_site.admin_view(self.moderate_view), name="hearings_comment_moderate"
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk):
        """The original text beside the scrubbed copy, with what was masked; publish (editable wording) or withhold."""
        comment = get_object_or_404(self.get_queryset(request).select_related("draft", "article", "author"), pk=pk)
        action = request.POST.get("action") if request.method == "POST" else None
        publish_form = ModerateForm(
            request.POST if action == "publish" else None, initial={"public_text": comment.public_text}
        )
        withhold_form = WithholdForm(request.POST if action == "withhold" else None)
        if action:
            if not self.has_moderate_permission(request):
                raise PermissionDenied
            form = publish_form if action == "publish" else withhold_form
            if form.is_valid():
                try:
                    if action == "publish":
                        comment.publish(by=request.user, public_text=form.cleaned_data["public_text"])
                    else:
                        comment.withhold(by=request.user, reason=form.cleaned_data["reason"])
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    self.message_user(
                        request,
                        _("Comment #%(pk)s: %(state)s.") % {"pk": comment.pk, "state": comment.get_state_display()},
                    )
                    return redirect("admin:hearings_comment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderate comment #%(pk)s") % {"pk": comment.pk},
            "comment": comment,
            "preview": comment.scrub_preview(),
            "publish_form": publish_form,
            "withhold_form": withhold_form,
            "can_moderate": self.has_moderate_permission(request),
            "history": comment.history.select_related("content_type"),
            "opts": self.model._meta,
        }
        return render(request, "admin/hearings/drafts/moderate.html", context)

    @admin.action(description=_("Publish the selected comments (scrubbed)"), permissions=["moderate"])
    def publish_selected(self, request, queryset):
        done = 0
        for comment in queryset.select_related("author"):
            try:
                comment.publish(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"#{comment.pk}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d comment(s) published.") % {"count": done})

    @admin.action(description=_("Withhold the selected comments, with a reason"), permissions=["moderate"])
    def withhold_selected(self, request, queryset):
        """An intermediate page asks for the reason (mandatory) before withholding."""
        form = None
        if "apply" in request.POST:
            form = WithholdActionForm(request.POST)
            if form.is_valid():
                done = 0
                for comment in queryset:
                    try:
                        comment.withhold(by=request.user, reason=form.cleaned_data["reason"])
                    except InvalidTransition as error:
                        self.message_user(request, f"#{comment.pk}: {error}", messages.WARNING)
                    else:
                        done += 1
                self.message_user(request, _("%(count)d comment(s) withheld.") % {"count": done})
                return None
        if form is None:
            form = WithholdActionForm(initial={"_selected_action": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withhold comments"),
            "comments": queryset.select_related("draft", "article"),
            "form": form,
            "opts": self.model._meta,
            "action": "withhold_selected",
        }
        return TemplateResponse(request, "admin/hearings/drafts/withhold.html", context)


@admin.register(AdoptionReport)
class AdoptionReportAdmin(admin.ModelAdmin):
    """The reports, read-only here: generated, edited and published from each draft's report page."""

    list_display = ("draft", "generated_at", "published_at")
    list_select_related = ("draft",)
    fields = ("draft", "text", "generated_at", "published_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(draft__in=Draft.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:hearings_draft_report", object_or_404(self, request, object_id).draft_id)
