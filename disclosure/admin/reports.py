"""The annual reports in the admin: generate, fill in, regenerate, publish (Art. 49-50).

Department heads work on their department's report; center-wide roles (system administrators)
also on the district government's. Every change of state goes through the model's methods.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from civiccenter.admin import DepartmentScopedAdmin
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from disclosure.forms.reports import TABLE4_FIELDS, AnnualReportForm, GenerateReportForm
from disclosure.models import AnnualReport
from disclosure.models.reports import UnbalancedReport


class PublishedFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("no", _("Not published")), ("yes", _("Published"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.drafts()
        if self.value() == "yes":
            return queryset.published()
        return queryset


@admin.register(AnnualReport)
class AnnualReportAdmin(DepartmentScopedAdmin):
    form = AnnualReportForm
    list_display = ("__str__", "year", "scope_column", "state", "due", "generated_at", "published_at", "public_link")
    list_display_links = ("__str__",)
    list_filter = ("year", PublishedFilter)
    list_select_related = ("department",)
    ordering = ("-year", F("department__order").asc(nulls_first=True), "pk")  # the district first
    actions = ["regenerate_selected", "publish_selected"]
    view_on_site = False  # a draft has no public page; the change form links published ones itself
    change_form_template = "admin/disclosure/reports/change_form.html"
    change_list_template = "admin/disclosure/reports/change_list.html"
    NARRATIVE = ("overview", "proactive_text", "requests_text", "remedies_text", "problems", "other")
    INFO = ("year", "scope_column", "state", "due", "generated_at", "published_at", "published_by", "balance")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "published_by")

    # --- Permissions ---------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # reports are made by "Generate a report"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and obj is not None and not obj.is_published

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("disclosure.publish_annualreport")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- Change form ---------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        fieldsets = [
            (None, {"fields": self.INFO}),
            (_("Tables as generated"), {"fields": ("tables",)}),
        ]
        if editable:
            fieldsets += [
                (
                    _("Table 2: figures entered by staff"),
                    {
                        "fields": ("penalty", "coercion", "fees"),
                        "description": _("Whole numbers of decisions; the fee income in 10,000 yuan. Not below 0."),
                    },
                ),
                (
                    _("Table 4: administrative reconsideration and litigation"),
                    {
                        "fields": [tuple(TABLE4_FIELDS[i : i + 4]) for i in range(0, len(TABLE4_FIELDS), 4)],
                        "description": _("Enter the four outcomes of each kind; the totals are computed."),
                    },
                ),
            ]
        fieldsets.append((_("Narrative sections"), {"fields": self.NARRATIVE}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return (*self.INFO, "tables", *self.NARRATIVE)
        return (*self.INFO, "tables")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_regenerate": report is not None
            and not report.is_published
            and self.has_publish_permission(request, report),
            "can_publish": report is not None and not report.is_published and self.has_publish_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except InvalidTransition as error:  # published meanwhile
            self.message_user(request, str(error), messages.ERROR)

    # --- Columns ---------------------------------------------------------------------------------

    @admin.display(description=_("report of"), ordering="department__order")
    def scope_column(self, obj):
        return obj.scope_name

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.is_published:
            return _("Published")
        return _("Draft") if obj.is_generated else _("Not generated")

    @admin.display(description=_("deadline"))
    def due(self, obj):
        """31 January (departments) or 31 March (district) of the next year, coloured when late or near."""
        today = clock.today()
        if obj.is_published:
            if obj.is_late():
                return format_html('<strong class="cc-late">{} ({})</strong>', obj.deadline, _("published late"))
            return format_html('<span class="cc-in-time">{}</span>', obj.deadline)
        left = (obj.deadline - today).days
        if left < 0:
            return format_html('<strong class="cc-late">{} ({})</strong>', obj.deadline, _("overdue"))
        if left <= settings.DISCLOSURE_REPORT_REMINDER_DAYS:
            label = _("%(days)d day(s) left") % {"days": left}
            return format_html('<strong class="cc-near">{} ({})</strong>', obj.deadline, label)
        return obj.deadline

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        if not obj.is_published:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))

    @admin.display(description=_("balance check"))
    def balance(self, obj):
        if not obj.is_generated:
            return _("Generate the report first.")
        failures = obj.check_balance()
        if not failures:
            return format_html('<strong class="cc-in-time">{}</strong>', _("Balanced: I + II = III(7) + IV."))
        items = format_html_join("", "<li>{}</li>", ((failure.message,) for failure in failures))
        return format_html('<ul class="cc-late">{}</ul>', items)

    @admin.display(description=_("tables"))
    def tables(self, obj):
        from disclosure.views.reports import tables

        if not obj.is_generated:
            return "—"
        return render_to_string("admin/disclosure/reports/tables.html", {"report": obj, **tables(obj)})

    # --- Generate, regenerate, publish ---------------------------------------------------------------

    def get_urls(self):
        return [
            path("generate/", self.admin_site.admin_view(self.generate_view), name="disclosure_annualreport_generate"),
            path(
                "<int:pk>/regenerate/",
                self.admin_site.admin_view(require_POST(self.regenerate_view)),
                name="disclosure_annualreport_regenerate",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="disclosure_annualreport_publish",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_generate": self.has_publish_permission(request)}
        return super().changelist_view(request, extra_context)

    def generate_view(self, request):
        """Generate (or refresh) the report of a year for a department the user may report for, or the district."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        form = GenerateReportForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                report = AnnualReport.generate(form.cleaned_data["year"], form.department())
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("%(report)s: the tables were generated.") % {"report": report})
                return redirect("admin:disclosure_annualreport_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Generate an annual disclosure report"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/disclosure/reports/generate.html", context)

    def _report(self, request, pk):
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_publish_permission(request, report):
            raise PermissionDenied
        return report

    def regenerate_view(self, request, pk):
        self._regenerate(request, self._report(request, pk))
        return redirect("admin:disclosure_annualreport_change", pk)

    def publish_view(self, request, pk):
        report = self._report(request, pk)
        self._publish(request, report)
        return redirect("admin:disclosure_annualreport_change", pk)

    def _regenerate(self, request, report):
        try:
            report.regenerate()
        except InvalidTransition as error:
            self.message_user(request, f"{report}: {error}", messages.WARNING)
        else:
            self.message_user(request, _("%(report)s: the tables were generated again.") % {"report": report})

    def _publish(self, request, report):
        try:
            report.publish(by=request.user)
        except UnbalancedReport as error:
            self.message_user(
                request,
                _("%(report)s was not published: the balance check fails.") % {"report": report},
                messages.ERROR,
            )
            for failure in error.failures:
                self.message_user(request, failure.message, messages.ERROR)
        except InvalidTransition as error:
            self.message_user(request, f"{report}: {error}", messages.ERROR)
        else:
            self.message_user(request, _("%(report)s is published.") % {"report": report})

    @admin.action(description=_("Generate the selected reports again from the data"), permissions=["publish"])
    def regenerate_selected(self, request, queryset):
        for report in queryset:
            self._regenerate(request, report)

    @admin.action(description=_("Publish the selected reports"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for report in queryset:
            self._publish(request, report)
