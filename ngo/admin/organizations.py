"""The verification queue: pending organizations first, the USCC warning in sight, the certificate behind a
permission-checking view; "verify" and "return with what to fix" call the model methods.

Who: department reviewers and heads hold `verify_organization`, and only those of the civil affairs
department (`VERIFYING_DEPARTMENT`) reach the queue; center-wide roles see it too (the supervisor reads only).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import StatusHistoryInline
from civiccenter.admin_workflow import default_filter
from civiccenter.cases import InvalidTransition
from ngo.models.organizations import Membership, Organization, is_verifier_department, queue_rank

# Waiting for verification by default, like djangoproject's StatusFilter.
QueueFilter = default_filter(
    _("verification"),
    "queue",
    [
        (None, _("Awaiting verification"), Q(status=Organization.Status.PENDING)),
        ("returned", _("Returned"), Q(status=Organization.Status.RETURNED)),
        ("verified", _("Verified"), Q(status=Organization.Status.VERIFIED)),
    ],
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = readonly_fields = ("user", "role", "joined_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What the organization must fix"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
        help_text=_("Sent to the organization's administrators as written."),
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "uscc", "uscc_warning", "status", "created_at", "certificate_link")
    list_filter = (QueueFilter, "type", "field", "uscc_check_failed")
    search_fields = ("name", "uscc")
    list_select_related = ()
    date_hierarchy = "created_at"
    actions = ["verify_selected", "return_selected"]
    inlines = [MembershipInline, StatusHistoryInline]
    readonly_fields = (
        "name",
        "type",
        "uscc",
        "uscc_warning",
        "status",
        "return_reason",
        "certificate_link",
        "field",
        "area",
        "description",
        "logo",
        "contact_person",
        "contact_phone",
        "show_phone",
        "contact_email",
        "created_by",
        "created_at",
        "verified_at",
        "verified_by",
    )
    fields = (*readonly_fields[:7], "featured", *readonly_fields[7:])

    def get_queryset(self, request):
        return super().get_queryset(request).for_verifier(request.user).queue_order()

    def get_ordering(self, request):
        return (queue_rank().asc(), "created_at")  # pending first, oldest first

    def _reaches_queue(self, request):
        return request.user.sees_all_departments or is_verifier_department(request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and self._reaches_queue(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._reaches_queue(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._reaches_queue(request)

    def has_add_permission(self, request):
        return False  # representatives register organizations on the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def has_verify_permission(self, request, obj=None):
        return request.user.has_perm("ngo.verify_organization") and self._reaches_queue(request)

    @admin.display(description=_("check character"))
    def uscc_warning(self, obj):
        if obj.uscc_check_failed:
            return format_html(
                '<strong class="cc-late">{}</strong>', _("does not match (confirmed by the representative)")
            )
        return _("correct")

    @admin.display(description=_("registration certificate"))
    def certificate_link(self, obj):
        if not obj.certificate:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("ngo:organization-certificate", args=[obj.pk]), _("Download"))

    def _report(self, request, done, failures):
        if done:
            self.message_user(request, _("%(count)d organization(s) done.") % {"count": done}, messages.SUCCESS)
        for organization, error in failures:
            text = " ".join(str(m) for m in getattr(error, "messages", [error]))
            self.message_user(request, f"{organization}: {text}", messages.WARNING)

    @admin.action(description=_("Verify the selected organizations"), permissions=["verify"])
    def verify_selected(self, request, queryset):
        done, failures = 0, []
        for organization in queryset:
            try:
                organization.verify(by=request.user)
            except (InvalidTransition, ValidationError) as error:
                failures.append((organization, error))
            else:
                done += 1
        self._report(request, done, failures)

    @admin.action(description=_("Return the selected organizations with what to fix"), permissions=["verify"])
    def return_selected(self, request, queryset):
        form = ReturnForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done, failures = 0, []
            for organization in queryset:
                try:
                    organization.return_for_correction(by=request.user, reason=form.cleaned_data["reason"])
                except (InvalidTransition, ValidationError) as error:
                    failures.append((organization, error))
                else:
                    done += 1
            self._report(request, done, failures)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return with what to fix"),
            "organizations": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "ngo/organizations/admin_return.html", context)
