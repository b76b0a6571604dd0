"""Staff side of petitions: the office's queue coloured by deadline, registration of visits, letters and
calls, and one handle page whose every button calls a Petition method."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin
from civiccenter.cases import Case, InvalidTransition
from opinions.forms.petitions import (
    AcceptForm,
    ExtendForm,
    HearingForm,
    OpinionForm,
    RedirectForm,
    RefuseForm,
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


class OpenFilter(admin.SimpleListFilter):
    """Petitions waiting for the office by default."""

    title = _("handling")
    parameter_name = "handling"

    def lookups(self, request, model_admin):
        return [(None, _("Waiting for the office")), ("closed", _("Answered or closed")), ("all", _("All"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}, []),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "closed":
            return queryset.exclude(status__in=OPEN)
        if self.value() == "all":
            return queryset
        return queryset.filter(status__in=OPEN)


@admin.register(Petition)
class PetitionAdmin(CaseRecordAdmin):
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
        return (
            super()
            .get_queryset(request)
            .filter(case__in=Case.objects.visible_to(request.user))
            .select_related("case", "case__department")
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
            path("<int:pk>/handle/", self.admin_site.admin_view(self.handle_view), name="opinions_petition_handle"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:opinions_petition_register")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        get_object_or_404(self.get_queryset(request), pk=object_id)
        return redirect("admin:opinions_petition_handle", object_id)

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
                    name=data["name"],
                    address=data["address"],
                    request=data["request"],
                    facts=data["facts"],
                    reasons=data["reasons"],
                    represented_count=data["represented_count"],
                    represented_names=data["represented_names"],
                    representatives=data["representatives"],
                    attachment=data.get("attachment"),
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
                return redirect("admin:opinions_petition_handle", petition.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Register a petition"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/opinions/petition/register.html", context)

    def handle_view(self, request, pk):
        """Decide (accept, transfer, redirect, not accept), extend, issue opinions, pause for a hearing."""
        petition = get_object_or_404(self.get_queryset(request).select_related("extension_approved_by"), pk=pk)
        action = request.POST.get("action") if request.method == "POST" else None
        data = request.POST if action else None
        forms = {
            "accept": AcceptForm(data if action == "accept" else None),
            "transfer": TransferForm(data if action == "transfer" else None),
            "redirect": RedirectForm(data if action == "redirect" else None),
            "refuse": RefuseForm(data if action == "refuse" else None),
            "extend": ExtendForm(data if action == "extend" else None),
            "opinion": OpinionForm(data if action == "opinion" else None),
            "start_hearing": HearingForm(data if action == "start_hearing" else None, prefix="start"),
            "end_hearing": HearingForm(data if action == "end_hearing" else None, prefix="end"),
        }
        by = request.user
        moves = {
            "accept": lambda d: petition.accept(by=by, **d),
            "transfer": lambda d: petition.transfer(by=by, **d),
            "redirect": lambda d: petition.redirect(by=by, **d),
            "refuse": lambda d: petition.refuse(by=by, **d),
            "extend": lambda d: petition.extend(by=by, **d),
            "opinion": lambda d: petition.issue_opinion(by=by, **d),
            "start_hearing": lambda d: petition.start_hearing(by=by, **d),
            "end_hearing": lambda d: petition.end_hearing(by=by, **d),
        }
        if action in moves:
            allowed = self.has_extend_permission(request) if action == "extend" else self.has_handle_permission(request)
            if not allowed:
                raise PermissionDenied
            form = forms[action]
            if form.is_valid():
                try:
                    moves[action](form.cleaned_data)
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    petition.refresh_from_db()
                    self.message_user(
                        request,
                        _("%(number)s: %(status)s.")
                        % {"number": petition.case.number, "status": petition.get_status_display()},
                    )
                    return redirect("admin:opinions_petition_handle", petition.pk)
        case = petition.case
        context = {
            **self.admin_site.each_context(request),
            "title": _("Petition %(number)s") % {"number": case.number},
            "petition": petition,
            "case": case,
            "due": self.due(petition),
            "forms": forms,
            "moves": petition.available_moves(request.user),
            "opinions": list(petition.opinions.all()),
            "representatives": list(petition.representatives.all()),
            "files": list(petition.files.all()),
            "hearing": case.pauses.filter(ends_on__isnull=True).first(),
            "events": case.events.select_related("case", "actor"),
            "opts": self.model._meta,
        }
        return render(request, "admin/opinions/petition/handle.html", context)
