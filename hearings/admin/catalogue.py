"""Staff side of the catalogue of major decision items (Order 713 Art. 3): prepared, published, withdrawn."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import DepartmentScopedAdmin, StatusHistoryInline
from civiccenter.admin_workflow import WorkflowAdmin
from civiccenter.stateful import log_status
from hearings.forms.hearings import WithdrawItemForm
from hearings.models.catalogue import CatalogueItem


@admin.register(CatalogueItem)
class CatalogueItemAdmin(WorkflowAdmin, DepartmentScopedAdmin):
    list_display = ("title", "year", "department", "decision_organ", "status", "published_on", "steps_link")
    list_filter = ("year", "status", "department")
    list_select_related = ("department",)
    search_fields = ("title", "title_en")
    inlines = [StatusHistoryInline]
    fields = (
        "year",
        "title",
        "title_en",
        "decision_organ",
        "department",
        "order",
        "status",
        "published_on",
        "withdrawn_reason",
        "steps_link",
    )
    # Publishing is a step without a form (also a bulk step on the list); withdrawing takes the reason.
    move_forms = {"withdraw": WithdrawItemForm}

    def get_readonly_fields(self, request, obj=None):
        always = ("status", "published_on", "withdrawn_reason", "steps_link")
        if obj is not None and obj.is_public:
            # A published item is a public record: it changes only by being withdrawn.
            return (*always, "year", "title", "title_en", "decision_organ", "department", "order")
        return always

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == CatalogueItem.Status.PREPARING) and super().has_delete_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            log_status(obj, by=request.user)

    @admin.display(description=_("steps"))
    def steps_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return super().steps_link(obj)
