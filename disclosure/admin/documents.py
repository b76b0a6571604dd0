"""Editors publish, amend and repeal their department's documents; the Art. 26 due dates are coloured."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Value
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import DepartmentScopedAdmin
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, workdays
from civiccenter.models import CalendarDay
from disclosure.forms.documents import ValidityForm
from disclosure.models import Attachment, Category, Document, Guide, Topic

DUE_SOON_WORKING_DAYS = 5
LATE, SOON, ON_TRACK = "cc-late", "cc-near", "cc-in-time"  # classes of static/css/admin.css


def due_soon_until(today=None):
    """The last day that is "due soon": 5 working days from today."""
    return workdays.compute(CalendarDay.objects.work_calendar(), today or clock.today(), DUE_SOON_WORKING_DAYS).due


class PublicationFilter(admin.SimpleListFilter):
    title = _("publication (Article 26)")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("due_soon", _("Due within 5 working days")),
            ("late", _("Late: not published in 20 working days")),
            ("published_late", _("Published late")),
            ("published", _("Published")),
            ("draft", _("Not published")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "due_soon":
            return queryset.due_soon(due_soon_until())
        if value == "late":
            return queryset.late()
        if value == "published_late":
            return queryset.published_late()
        if value == "published":
            return queryset.filter(published_on__isnull=False)
        if value == "draft":
            return queryset.drafts()
        return queryset


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("title", "file", "order")
    extra = 0


@admin.register(Document)
class DocumentAdmin(DepartmentScopedAdmin):
    list_display = ("title", "index_number", "department", "category", "formed_on", "publication", "validity")
    list_filter = (PublicationFilter, "validity", "kind", "category", "topic", "department")
    list_select_related = ("department", "category")
    search_fields = ("title",)  # replaced by the token search below
    search_help_text = _("Words of the title or text, a document number, or an exact index number.")
    # Newest entered first, served by the primary key: ordering by publication date would sort the whole
    # table (drafts have none), and a date hierarchy scans it twice; both cost ~0.2 s at 200,000 documents.
    ordering = ("-id",)
    show_full_result_count = False
    autocomplete_fields = ("related",)
    inlines = [AttachmentInline]
    actions = ["publish_selected", "repeal_selected"]
    change_form_template = "admin/disclosure/documents/document_change_form.html"
    readonly_fields = (
        "index_number",
        "publish_by",
        "published_on",
        "validity",
        "validity_changed_on",
        "replaced_by",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "document_number", "department", "category", "topic", "kind")}),
        (_("Dates (Article 26)"), {"fields": ("formed_on", "publish_by", "index_number", "published_on")}),
        (_("Text"), {"fields": ("summary", "body")}),
        (_("Validity"), {"fields": ("validity", "validity_changed_on", "replaced_by", "related")}),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        # The colour column needs "due soon" once per page, not once per row.
        return super().get_queryset(request).annotate(due_soon_until=Value(due_soon_until(), DateField()))

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if queryset.filter(index_number=term).exists():
            return queryset.filter(index_number=term), False
        return queryset.search(term), False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("department", request.user.department_id)
        return initial

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # published documents are public records; drafts are deleted one by one
        return actions

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_on is None)

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("disclosure.publish_document")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("publication"), ordering="publish_by")
    def publication(self, obj):
        today = clock.today()
        if obj.published_on is not None:
            if obj.publish_by and obj.published_on > obj.publish_by:
                return format_html('{} <strong class="{}">({})</strong>', obj.published_on, LATE, _("published late"))
            return obj.published_on
        if obj.publish_by is None:
            return "—"
        if obj.publish_by < today:
            return format_html('<strong class="{}">{} ({})</strong>', LATE, obj.publish_by, _("late"))
        soon = getattr(obj, "due_soon_until", None)
        colour, label = (SOON, _("due soon")) if soon and obj.publish_by <= soon else (ON_TRACK, _("to publish by"))
        return format_html('<strong class="{}">{} ({})</strong>', colour, obj.publish_by, label)

    @admin.action(description=_("Publish the selected documents today"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for document in queryset:
            try:
                document.publish(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{document}: {error}", messages.WARNING)
            else:
                self.log_change(request, document, [{"published": {"fields": ["published_on", "index_number"]}}])
                self.message_user(
                    request,
                    _("%(title)s: published as %(index)s.") % {"title": document, "index": document.index_number},
                )

    @admin.action(description=_("Repeal the selected documents today"), permissions=["publish"])
    def repeal_selected(self, request, queryset):
        for document in queryset:
            try:
                document.repeal(by=request.user, on=clock.today())
            except InvalidTransition as error:
                self.message_user(request, f"{document}: {error}", messages.WARNING)
            else:
                self.log_change(request, document, [{"changed": {"fields": ["validity"]}}])
                self.message_user(request, _("%(title)s: repealed.") % {"title": document})

    def get_urls(self):
        return [
            path(
                "<int:pk>/validity/",
                self.admin_site.admin_view(self.validity_view),
                name="disclosure_document_validity",
            ),
            *super().get_urls(),
        ]

    def validity_view(self, request, pk):
        """Amend or repeal one published document, naming what replaces it."""
        document = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_publish_permission(request, document):
            raise PermissionDenied
        form = ValidityForm(request.POST or None, document=document)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            move = document.amend if data["change"] == "amend" else document.repeal
            try:
                move(by=request.user, on=data["on"], replaced_by=data["replacement"])
            except InvalidTransition as error:
                form.add_error(None, str(error))
            else:
                self.log_change(request, document, [{"changed": {"fields": ["validity", "replaced_by"]}}])
                self.message_user(
                    request,
                    _("%(title)s: %(validity)s.") % {"title": document, "validity": document.get_validity_display()},
                )
                return redirect("admin:disclosure_document_change", document.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Amend or repeal: %(title)s") % {"title": document},
            "document": document,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/disclosure/documents/validity.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
            "validity_url": reverse("admin:disclosure_document_validity", args=[object_id])
            if str(object_id).isdigit()
            else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "order")
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The categories of Art. 20 and 21 are the law's: read-only."""

    list_display = ("code", "name", "name_en", "article", "item")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    """One guide, kept current by editors: the list opens it directly."""

    fieldsets = (
        (_("How information is organised"), {"fields": ("organisation", "organisation_en")}),
        (_("How to ask for information"), {"fields": ("how_to_request", "how_to_request_en")}),
        (
            _("The office"),
            {
                "fields": (
                    ("office_name", "office_name_en"),
                    ("address", "address_en"),
                    ("hours", "hours_en"),
                    ("phone", "email", "postcode"),
                    "updated_on",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        guide = Guide.current()
        if guide is not None and self.has_view_or_change_permission(request, guide):
            return redirect("admin:disclosure_guide_change", guide.pk)
        return super().changelist_view(request, extra_context)
