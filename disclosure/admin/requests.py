"""The disclosure office's side of requests: the department's list coloured by deadline, the read-only record,
the table's transition page (every move the status allows, each calling a model transition) and registration for callers."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin, due_badge
from civiccenter.admin_workflow import WorkflowAdmin, open_cases_filter
from civiccenter.cases import InvalidTransition
from civiccenter.lib import uscc
from disclosure.forms.requests import (
    AnswerForm,
    ConsultForm,
    CorrectionForm,
    CorrectionRequestForm,
    ExtendForm,
    FeeNoticeForm,
    PaymentForm,
    RegisterForm,
    ReplyFileForm,
    ReplyForm,
)
from disclosure.models.requests import Consultation, DisclosureRequest, ReplyFile

# Open requests by default (what the office still has to act on), as on every case record's list.
OpenFilter = open_cases_filter()


class ConsultationInline(admin.TabularInline):
    model = Consultation
    fields = (
        "kind",
        "party",
        "sent_on",
        "answer_due",
        "answered_on",
        "objects_to_disclosure",
        "answer",
        "disclosed_over_objection_notified_on",
        "letter",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # consultations are sent from the decide page, which pauses the clock

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("letter to the third party"))
    def letter(self, obj):
        if not obj.disclosed_over_objection_notified_on:
            return "—"
        url = reverse("admin:disclosure_disclosurerequest_third_party_letter", args=[obj.request_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Print"))


class ReplyFileInline(admin.TabularInline):
    model = ReplyFile
    fields = ("title", "pages", "private_link", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploaded from the decide page

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def private_link(self, obj):
        url = reverse("disclosure:request-file", args=[obj.request_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


# The decide page's steps (the names its forms post) and the model's moves (`DisclosureRequest.WORKFLOW`).
@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(WorkflowAdmin, CaseRecordAdmin):
    """The department's requests, coloured by deadline; every move goes through the model's transitions."""

    change_list_template = "admin/disclosure/requests/change_list.html"
    change_form_template = "admin/disclosure/requests/change_form.html"
    list_display = (
        "number",
        "applicant_name",
        "applicant_kind",
        "department",
        "status",
        "reply_type",
        "received_on",
        "due",
    )
    list_filter = (OpenFilter, "status", "reply_type", "applicant_kind", "case__channel")
    list_select_related = ("case", "case__department")
    search_fields = ("case__number", "applicant_name", "info_title", "info_document_number")
    readonly_fields = (
        "number",
        "department",
        "channel",
        "status",
        "applicant_kind",
        "applicant_name",
        "id_type",
        "masked_id",
        "contact_phone",
        "contact_email",
        "postal_address",
        "postcode",
        "info_title",
        "info_document_number",
        "description",
        "form_wanted",
        "delivery",
        "receipt_basis",
        "received_on",
        "due",
        "correction_items",
        "correction_issued_on",
        "correction_deadline",
        "corrected_on",
        "extension_reason",
        "extended_by",
        "reply_type",
        "reply_reasons",
        "published_where",
        "competent_organ",
        "replied_on",
        "fee_schedule",
        "fee_units",
        "fee_amount",
        "fee_noticed_on",
        "fee_due",
        "fee_paid_on",
        "documents",
        "timeline",
    )
    fieldsets = (
        (None, {"fields": ("number", "department", "channel", "status", "received_on", "due", "documents")}),
        (
            _("Applicant (Article 29)"),
            {
                "fields": (
                    "applicant_kind",
                    "applicant_name",
                    "id_type",
                    "masked_id",
                    "contact_phone",
                    "contact_email",
                    "postal_address",
                    "postcode",
                )
            },
        ),
        (
            _("Information asked for"),
            {"fields": ("info_title", "info_document_number", "description", "form_wanted", "delivery")},
        ),
        (
            _("Receipt, correction and extension"),
            {
                "fields": (
                    "receipt_basis",
                    "correction_items",
                    "correction_issued_on",
                    "correction_deadline",
                    "corrected_on",
                    "extension_reason",
                    "extended_by",
                )
            },
        ),
        (
            _("Reply"),
            {
                "fields": (
                    "reply_type",
                    "reply_reasons",
                    "published_where",
                    "competent_organ",
                    "replied_on",
                    "fee_schedule",
                    "fee_units",
                    "fee_amount",
                    "fee_noticed_on",
                    "fee_due",
                    "fee_paid_on",
                )
            },
        ),
        (_("Timeline"), {"fields": ("timeline",)}),
    )
    inlines = [ConsultationInline, ReplyFileInline]

    def get_queryset(self, request):
        return DisclosureRequest.objects.visible_to(request.user).select_related("case", "case__department")

    def has_add_permission(self, request):
        return False  # requests are filed online or registered for a caller

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a read-only record; every move goes through the decide page

    def has_handle_permission(self, request, obj=None):
        return request.user.has_perm("disclosure.handle_request")

    # Columns -------------------------------------------------------------------------

    @admin.display(description=_("department"), ordering="case__department__order")
    def department(self, obj):
        return obj.case.department

    @admin.display(description=_("channel"))
    def channel(self, obj):
        return obj.case.get_channel_display()

    @admin.display(description=_("reply due"), ordering="case__due_date")
    def due(self, obj):
        paused = "—"
        if obj.status == DisclosureRequest.Status.CONSULTING:
            paused = _("paused")
        elif obj.status == DisclosureRequest.Status.AWAITING_FEE:
            paused = _("paused: fee to be paid by %(date)s") % {"date": obj.fee_due.isoformat()}
        return due_badge(obj.case, amber_days=5, empty=paused)

    @admin.display(description=_("identity document number"))
    def masked_id(self, obj):
        if obj.id_type == DisclosureRequest.IdType.CREDIT_CODE and uscc.check_fails(obj.id_number or ""):
            return f"{obj.masked_id_number} ⚠ {uscc.FLAG_LABEL}"  # GB 32100: accepted, flagged for the staff
        return obj.masked_id_number

    @admin.display(description=_("documents to print"))
    def documents(self, obj):
        links = []
        if obj.correction_issued_on:
            links.append((reverse("disclosure:request-correction-notice", args=[obj.pk]), _("Correction notice")))
        if obj.fee_noticed_on:
            links.append((reverse("disclosure:request-fee-notice", args=[obj.pk]), _("Fee notice")))
        if obj.status == DisclosureRequest.Status.REPLIED:
            links.append((reverse("disclosure:request-reply", args=[obj.pk]), _("Reply letter")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links) if links else "—"

    # Pages ---------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "register/",
                self.admin_site.admin_view(self.register_view),
                name="disclosure_disclosurerequest_register",
            ),
            path(
                "<int:pk>/third-party-letter/<int:consultation_pk>/",
                self.admin_site.admin_view(self.third_party_letter_view),
                name="disclosure_disclosurerequest_third_party_letter",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_register": self.has_handle_permission(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The object, not the address's text (any text): one out of reach gets the admin's "does not exist".
        disclosure_request = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("admin:disclosure_disclosurerequest_move", args=[disclosure_request.pk])
            if disclosure_request
            else "",
            "can_handle": self.has_handle_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def register_view(self, request):
        """A request made at the window, by phone (written down by the clerk) or by post (Art. 29, 31)."""
        if not self.has_handle_permission(request):
            raise PermissionDenied
        form = RegisterForm(request.POST if request.method == "POST" else None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                registered = DisclosureRequest.register(
                    by=request.user,
                    department=data["department"],
                    channel=data["channel"],
                    receipt_basis=data["receipt_basis"],
                    received_on=data["received_on"],
                    oral=data["oral"],
                    **form.request_fields,
                )
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, _("%(number)s registered.") % {"number": registered.case.number})
                return redirect("admin:disclosure_disclosurerequest_change", registered.pk)
        context = self._context(request, title=_("Register a request for a caller"), form=form)
        return render(request, "admin/disclosure/requests/register_form.html", context)

    # The handle page is the table's transition page (`<pk>/move/`, DisclosureRequest.WORKFLOW): a form per move
    # that takes more than the clerk; the reply's form computes the fee before anything is saved (Art. 42).
    move_forms = {
        "request_correction": CorrectionRequestForm,
        "correct": CorrectionForm,
        "consult": ConsultForm,
        "record_answer": AnswerForm,
        "extend": ExtendForm,
        "send_fee_notice": FeeNoticeForm,
        "record_payment": PaymentForm,
        "add_reply_file": ReplyFileForm,
        "reply": ReplyForm,
    }
    transition_template = "admin/disclosure/requests/transition.html"

    def can_move(self, request, obj):
        return self.has_handle_permission(request, obj)

    def get_move_form(self, request, obj, move, data=None, files=None):
        if move.name == "correct":
            # The correction as received: the request's own fields, of which only the changed ones are moved.
            instance = DisclosureRequest.objects.get(pk=obj.pk)
            return CorrectionForm(data, prefix=move.name, instance=instance, has_account=obj.applicant_id is not None)
        if move.name == "record_answer":
            return AnswerForm(data, prefix=move.name, request=obj)
        return super().get_move_form(request, obj, move, data, files)

    def take(self, request, obj, move, form):
        if move.name == "correct":
            return obj.correct(by=request.user, **form.changed())
        return super().take(request, obj, move, form)

    def preview(self, request, obj, move, form):
        if move.name not in ("reply", "send_fee_notice"):
            return None
        data = form.cleaned_data
        try:
            fee = obj.compute_fee(data["fee_schedule"], data["fee_units"])
        except InvalidTransition as error:
            form.add_error(None, str(error))
            return {}
        return {"fee_preview": fee or "free", "fee_preview_move": move.name}

    def transition_context(self, request, obj):
        return {"req": obj, "files": obj.files.all(), "consultations": obj.consultations.all()}

    def third_party_letter_view(self, request, pk, consultation_pk):
        """Art. 32: the written notice to a third party whose objection was overridden in the public interest."""
        req = get_object_or_404(self.get_queryset(request), pk=pk)
        consultation = get_object_or_404(
            req.consultations.filter(disclosed_over_objection_notified_on__isnull=False), pk=consultation_pk
        )
        return render(
            request,
            "disclosure/requests/third_party_letter.html",
            {"req": req, "case": req.case, "consultation": consultation},
        )
