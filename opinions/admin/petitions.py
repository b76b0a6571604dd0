"""Staff side of petitions: the office's queue coloured by deadline, registration of visits, letters and
calls, and the table's transition page whose every form takes a Petition move. At acceptance the page lists the
earlier petitions likely to be the same matter, each linked in one click (`same_matter_view`, Art. 19, 36)."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from civiccenter.admin import CaseRecordAdmin
from civiccenter.admin_workflow import WorkflowAdmin, default_filter, object_or_404
from civiccenter.cases import InvalidTransition
from opinions.forms.petitions import (
    AcceptForm,
    ExtendForm,
    HearingForm,
    OpinionForm,
    ReasonForm,
    RedirectForm,
    RefuseForm,
    SameMatterForm,
    StaffPetitionForm,
    TransferForm,
)
from opinions.models.petitions import Petition

OPEN = [
    Petition.Status.REGISTERED,
    Petition.Status.ACCEPTED,
    Petition.Status.REVIEW_REQUESTED,
    Petition.Status.REREVIEW_REQUESTED,
]


# Petitions waiting for the office by default, as on every case record's list.
OpenFilter = default_filter(
    _("handling"),
    "handling",
    [
        (None, _("Waiting for the office"), Q(status__in=OPEN)),
        ("closed", _("Answered or closed"), ~Q(status__in=OPEN)),
    ],
)


@admin.register(Petition)
class PetitionAdmin(WorkflowAdmin, CaseRecordAdmin):
    list_display = (
        "number",
        "name",
        "short_request",
        "department",
        "channel",
        "status",
        "received_on",
        "due",
        "extended",
    )
    list_filter = (OpenFilter, "status", "case__channel")
    list_select_related = ("case", "case__department")
    search_fields = ("case__number", "name", "request")
    ordering = ("case__due_date", "-pk")

    def get_queryset(self, request):
        # Never a petition about the staff member's own unit (Art. 30): the model's one rule.
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Petition.objects.visible_to(request.user).values("pk"))
            .select_related("case", "case__department", "unit_concerned", "same_matter_as__case")
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record; the handle page moves it

    def has_handle_permission(self, request):
        return request.user.has_perm("opinions.handle_petition")

    def has_extend_permission(self, request):
        return request.user.has_perm("opinions.approve_petition_extension")

    @admin.display(description=_("request"))
    def short_request(self, obj):
        return obj.request[:30]

    @admin.display(description=_("department"))
    def department(self, obj):
        return obj.case.department

    @admin.display(description=_("channel"), ordering="case__channel")
    def channel(self, obj):
        return obj.case.get_channel_display()

    @admin.display(description=_("extended"), boolean=True)
    def extended(self, obj):
        return obj.extension_days > 0

    def get_urls(self):
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="opinions_petition_register"),
            path(
                "<int:pk>/same-matter/",
                self.admin_site.admin_view(require_POST(self.same_matter_view)),
                name="opinions_petition_same_matter",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:opinions_petition_register")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:opinions_petition_move", object_or_404(self, request, object_id).pk)

    def register_view(self, request):
        """A visit, letter or call registered by staff: the same rules as online (Art. 19, 20)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffPetitionForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                petition = Petition.file(
                    by=request.user,
                    department=data["department"],
                    unit_concerned=data.get("unit_concerned"),
                    name=data["name"],
                    address=data["address"],
                    request=data["request"],
                    facts=data["facts"],
                    reasons=data["reasons"],
                    represented_count=data["represented_count"],
                    represented_names=data["represented_names"],
                    representatives=data["representatives"],
                    attachment=data.get("attachment"),
                    id_number=data.get("id_number", ""),
                    phone=data["phone"],
                    email=data["email"],
                    channel=data["channel"],
                )
            except InvalidTransition as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("Petition %(number)s registered; query code %(code)s.")
                    % {"number": petition.case.number, "code": petition.case.query_code},
                )
                return redirect("admin:opinions_petition_move", petition.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Register a petition"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/opinions/petition/register.html", context)

    # The handle page is the table's transition page (`<pk>/move/`): a form per move; the petition's
    # `available_moves` says what is open now (the one extension, the review windows, a hearing in progress).
    move_forms = {
        "link_same_matter": SameMatterForm,
        "accept": AcceptForm,
        "transfer": TransferForm,
        "redirect": RedirectForm,
        "refuse": RefuseForm,
        "extend": ExtendForm,
        "issue_handling_opinion": OpinionForm,
        "request_review": ReasonForm,
        "issue_review_opinion": OpinionForm,
        "request_rereview": ReasonForm,
        "start_hearing": HearingForm,
        "end_hearing": HearingForm,
        "issue_rereview_opinion": OpinionForm,
    }
    transition_template = "admin/opinions/petition/transition.html"

    def can_move(self, request, obj):
        return self.has_handle_permission(request) or self.has_extend_permission(request)

    def get_move_form(self, request, obj, move, data=None, files=None):
        if move.name == "link_same_matter":
            return SameMatterForm(data, files, prefix=move.name, petitions=Petition.objects.visible_to(request.user))
        form = super().get_move_form(request, obj, move, data, files)
        if move.name == "refuse" and data is None and obj.same_matter_as_id:
            # Art. 19 / 36 through the link: the reason the petitioner is told, in the language of record.
            refusal = obj.linked_repeat_refusal()
            if refusal is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    form.initial["reason"] = str(refusal)
        return form

    def same_matter_view(self, request, pk):
        """One click on a likely duplicate: the model's move links it; a refusal is a message, never an error."""
        petition = get_object_or_404(self.get_queryset(request), pk=pk)
        earlier_pk = request.POST.get("earlier", "")
        earlier = get_object_or_404(self.get_queryset(request), pk=int(earlier_pk) if earlier_pk.isdigit() else 0)
        if not self.has_handle_permission(request):
            raise PermissionDenied
        try:
            petition.link_same_matter(by=request.user, earlier=earlier)
        except InvalidTransition as error:
            self.message_user(request, str(error), messages.WARNING)
        else:
            self.message_user(
                request,
                _("%(petition)s is linked to petition %(number)s as the same matter.")
                % {"petition": petition.case.number, "number": earlier.case.number},
                messages.SUCCESS,
            )
        return redirect("admin:opinions_petition_move", petition.pk)

    def transition_context(self, request, obj):
        case = obj.case
        return {
            "petition": obj,
            "case": case,
            "due": self.due(obj),
            "opinions": list(obj.opinions.all()),
            "representatives": list(obj.representatives.all()),
            "files": list(obj.files.all()),
            "hearing": next((pause for pause in case.pauses.all() if pause.ends_on is None), None),
            "same_matter": obj.same_matter_as,
            "repeated_by": list(obj.repeated_by.select_related("case")),
            # At acceptance (Art. 19, 36): the earlier petitions likely to be this matter, one query.
            "candidates": (
                obj.likely_same_matter(request.user)
                if obj.status == Petition.Status.REGISTERED
                and obj.same_matter_as_id is None
                and self.has_handle_permission(request)
                else None
            ),
        }
