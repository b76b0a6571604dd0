"""The disclosure office's side of requests: the department's list coloured by deadline, the read-only record,
the decide page (every move the status allows, each calling a model transition) and registration for callers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin, due_badge
from civiccenter.cases import InvalidTransition
from civiccenter.lib import uscc
from disclosure.forms.requests import (
    AnswerForm,
    ConsultForm,
    CorrectionForm,
    CorrectionRequestForm,
    ExtendForm,
    RegisterForm,
    ReplyFileForm,
    ReplyForm,
)
from disclosure.models.requests import Consultation, DisclosureRequest, ReplyFile


class OpenFilter(admin.SimpleListFilter):
    """Open requests by default: what the office still has to act on."""

    title = _("open or closed")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("closed", _("Closed")), ("all", _("All"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Open"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset.filter(case__closed_at__isnull=True)
        if self.value() == "closed":
            return queryset.filter(case__closed_at__isnull=False)
        return queryset


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
STEPS = {
    "confirm": "confirm",
    "correct": "request_correction",
    "corrected": "correct",
    "consult": "consult",
    "answer": "record_answer",
    "end_consultation": "end_consultation",
    "extend": "extend",
    "reply": "reply",
    "withdraw": "withdraw",
    "upload": "add_reply_file",
}


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(CaseRecordAdmin):
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
                )
            },
        ),
        (_("Timeline"), {"fields": ("timeline",)}),
    )
    inlines = [ConsultationInline, ReplyFileInline]
    actions = ["confirm_selected"]

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
        paused = _("paused") if obj.status == DisclosureRequest.Status.CONSULTING else "—"
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
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="disclosure_disclosurerequest_decide",
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
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("admin:disclosure_disclosurerequest_decide", args=[object_id]),
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

    def decide_view(self, request, pk):
        """One page for every move the request's status allows, each calling a model transition."""
        req = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_handle_permission(request, req):
            raise PermissionDenied
        user = request.user
        decision = request.POST.get("decision") if request.method == "POST" else None
        # What can happen next, by the workflow table, for this user (the page's step -> the model's move).
        available = {move.name for move in req.available_moves(user)}

        def bound(name):
            return request.POST if decision == name else None

        forms = {
            "correct": CorrectionRequestForm(bound("correct")),
            "corrected": CorrectionForm(
                bound("corrected"),
                instance=DisclosureRequest.objects.get(pk=req.pk),
                has_account=req.applicant_id is not None,
            ),
            "consult": ConsultForm(bound("consult")),
            "answer": AnswerForm(bound("answer"), request=req),
            "extend": ExtendForm(bound("extend")),
            "reply": ReplyForm(bound("reply")),
            "upload": ReplyFileForm(bound("upload"), request.FILES if decision == "upload" else None),
        }
        moves = {
            "confirm": lambda: req.confirm(by=user),
            "correct": lambda f: req.request_correction(by=user, **f.cleaned_data),
            "corrected": lambda f: req.correct(by=user, **f.changed()),
            "consult": lambda f: req.consult(by=user, **f.cleaned_data),
            "answer": lambda f: req.record_answer(by=user, **f.cleaned_data),
            "end_consultation": lambda: req.end_consultation(by=user),
            "extend": lambda f: req.extend(by=user, **f.cleaned_data),
            "reply": lambda f: req.reply(by=user, **f.cleaned_data),
            "withdraw": lambda: req.withdraw(by=user),
            "upload": lambda f: req.add_reply_file(by=user, **f.cleaned_data),
        }
        fee_preview = None
        if decision in STEPS and not DisclosureRequest.WORKFLOW.permitted(STEPS[decision], user):
            raise PermissionDenied  # the office head extends (Art. 33); files need their own permission
        if decision in moves:
            form = forms.get(decision)
            if STEPS[decision] not in available:
                self.message_user(
                    request, _("This step is not possible in the request’s current status."), messages.WARNING
                )
            elif form is None or form.is_valid():
                try:
                    if decision == "reply" and "preview" in request.POST:
                        # The fee calculator: shown to staff before anything is saved (Art. 42).
                        data = form.cleaned_data
                        fee_preview = req.compute_fee(data["fee_schedule"], data["fee_units"]) or "free"
                    else:
                        moves[decision](form) if form is not None else moves[decision]()
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    if fee_preview is None:
                        req.refresh_from_db()
                        self.message_user(
                            request,
                            _("%(number)s: %(status)s.")
                            % {"number": req.case.number, "status": req.get_status_display()},
                        )
                        if decision == "upload":
                            return redirect("admin:disclosure_disclosurerequest_decide", req.pk)
                        return redirect("admin:disclosure_disclosurerequest_change", req.pk)
        elif decision is not None:
            self.message_user(request, _("Choose one of the steps offered."), messages.WARNING)
        context = self._context(
            request,
            title=_("Decide: %(number)s") % {"number": req.case.number},
            req=req,
            forms=forms,
            available=available,
            fee_preview=fee_preview,
            files=req.files.all(),
            consultations=req.consultations.all(),
        )
        return render(request, "admin/disclosure/requests/decide.html", context)

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

    @admin.action(description=_("Confirm receipt of the selected requests (Article 31)"), permissions=["handle"])
    def confirm_selected(self, request, queryset):
        for req in queryset:
            try:
                req.confirm(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{req.case.number}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(number)s: receipt confirmed.") % {"number": req.case.number})
