"""Staff side of suggestions, requests for help, complaints and reports.

The department's cases, coloured by deadline; co-handling departments read
them; the center supervisor reads all and decides disputed transfers. Every
list and page starts from `Opinion.objects.visible_to(user)`, so staff of a
unit reported never reach a report about it. Every move calls a model method.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin, DepartmentScopedAdmin
from civiccenter.admin_workflow import WorkflowAdmin, default_filter
from civiccenter.cases import InvalidTransition
from civiccenter.models import Department
from opinions.forms.cases import DecideForm, MergeForm, RegisterForm, StaffTextForm, TransferForm, UrgencyForm
from opinions.models import Category, Opinion
from opinions.models.categories import Urgency


@admin.register(Category)
class CategoryAdmin(DepartmentScopedAdmin):
    list_display = (
        "name",
        "lead_department",
        "time_limit_days",
        "urgent_time_limit_days",
        "emergency_time_limit_days",
        "time_limit_unit",
        "active",
        "order",
    )
    list_filter = ("lead_department", "time_limit_unit", "active")
    list_select_related = ("lead_department",)
    search_fields = ("name", "name_en", "slug")
    filter_horizontal = ("co_departments",)
    prepopulated_fields = {"slug": ("name_en",)}


# Open cases by default (djangoproject's StatusFilter), as on every case record's list.
OpenFilter = default_filter(
    _("handling"),
    "handling",
    [
        (None, _("Open"), Q(status__in=Opinion.OPEN)),
        ("closed", _("Replied or merged"), ~Q(status__in=Opinion.OPEN)),
    ],
)


def can_handle(user, opinion):
    """Staff of the handling department with the permission (co-handling departments only read)."""
    return user.has_perm("opinions.handle_opinion") and (
        user.sees_all_departments or user.department_id == opinion.case.department_id
    )


@admin.register(Opinion)
class OpinionAdmin(WorkflowAdmin, CaseRecordAdmin):
    list_display = ("number", "title", "kind", "urgency_badge", "category", "department", "status", "channel", "due")
    list_filter = (
        OpenFilter,
        "kind",
        "urgency",
        "status",
        ("case__channel", admin.ChoicesFieldListFilter),
        "category",
    )
    list_select_related = ("case", "case__department", "category")
    search_fields = ("case__number", "title")
    readonly_fields = (
        "number",
        "kind",
        "urgency",
        "category",
        "department",
        "status",
        "channel",
        "received_on",
        "due",
        "title",
        "description",
        "place",
        "reported_department",
        "contact",
        "submitter",
        "consent_to_publish",
        "file_links",
        "merged_into",
        "duplicate_list",
        "reply",
        "reopen_reason",
        "handle_link",
        "timeline",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            Opinion.objects.visible_to(request.user)
            .select_related("case", "case__department", "category")
            .order_by("-created_at", "-pk")
        )

    def has_add_permission(self, request):
        return request.user.has_perm("opinions.register_opinion")

    def has_change_permission(self, request, obj=None):
        return False  # a record: the handle page moves it

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("urgency"), ordering="urgency")
    def urgency_badge(self, obj):
        if obj.urgency == Urgency.NORMAL:
            return obj.get_urgency_display()
        return format_html('<strong class="urgency-{}">{}</strong>', obj.urgency, obj.get_urgency_display())

    @admin.display(description=_("department"), ordering="case__department")
    def department(self, obj):
        return obj.case.department

    @admin.display(description=_("channel"), ordering="case__channel")
    def channel(self, obj):
        return obj.case.get_channel_display()

    @admin.display(description=_("contact"))
    def contact(self, obj):
        case = obj.case
        return " · ".join(v for v in (case.contact_name, case.contact_phone, case.contact_email) if v) or "—"

    @admin.display(description=_("files"))
    def file_links(self, obj):
        files = list(obj.files.all())
        if not files:
            return "—"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((reverse("opinions:file", args=[f.pk]), f.added_at.strftime("%Y-%m-%d %H:%M")) for f in files),
        )

    @admin.display(description=_("merged duplicates"))
    def duplicate_list(self, obj):
        numbers = [d.case.number for d in obj.duplicates.select_related("case")]
        return ", ".join(numbers) or "—"

    @admin.display(description=_("handle"))
    def handle_link(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a>', self.move_url(obj), _("Accept, transfer, ask, reply or merge")
        )

    def get_urls(self):
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="opinions_opinion_register"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:opinions_opinion_register")

    def register_view(self, request):
        """A call to the hotline, a visit to the window or a letter, registered with its channel."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegisterForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                opinion = Opinion.submit(by=request.user, submitter=None, **form.submission())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    _("Registered %(number)s; tell the person the query code %(code)s.")
                    % {"number": opinion.case.number, "code": opinion.case.query_code},
                )
                return redirect("admin:opinions_opinion_change", opinion.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Register a suggestion or complaint"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/opinions/opinion/register.html", context)

    # The handle page is the table's transition page (`<pk>/move/`): a form per move that takes more than the
    # handler; the model's `available_moves` (the handling department, who was transferred to) says what is open.
    move_forms = {
        "transfer": TransferForm,
        "dispute_transfer": StaffTextForm,
        "decide_transfer": DecideForm,
        "request_information": StaffTextForm,
        "answer_information": StaffTextForm,
        "reply_to": StaffTextForm,
        "merge_into": MergeForm,
        "set_urgency": UrgencyForm,
    }
    # A move whose form is one text: its label, and the argument of the model's method the text is.
    TEXT_MOVES = {
        "dispute_transfer": (_("Why it is not your department's"), "reason"),
        "request_information": (_("What should be added"), "question"),
        "answer_information": (_("What the person answered (by phone or letter)"), "text"),
        "reply_to": (_("Reply to the submitter"), "text"),
    }
    transition_template = "admin/opinions/opinion/transition.html"

    def can_move(self, request, obj):
        return can_handle(request.user, obj) or request.user.has_perm("opinions.decide_transfer")

    def get_move_form(self, request, obj, move, data=None, files=None):
        if move.name in self.TEXT_MOVES:
            label, argument = self.TEXT_MOVES[move.name]
            return StaffTextForm(data, prefix=move.name, label=label, argument=argument)
        if move.name == "set_urgency":
            return UrgencyForm(data, prefix=move.name, current=obj.urgency)
        form = super().get_move_form(request, obj, move, data, files)
        reported = obj.reported_department_id
        if move.name == "transfer":
            departments = Department.objects.exclude(pk=obj.case.department_id)
            form.fields["department"].queryset = departments.exclude(pk=reported) if reported else departments
        elif move.name == "decide_transfer":
            form.initial = {"department": obj.case.department}
            if reported:
                form.fields["department"].queryset = Department.objects.exclude(pk=reported)
        return form

    def take(self, request, obj, move, form):
        if move.name == "merge_into":
            number = form.cleaned_data["number"].strip().upper()
            main = self.get_queryset(request).filter(case__number=number).first()
            if main is None:
                raise InvalidTransition(_("No case of yours has this tracking number."))
            return obj.merge_into(main, by=request.user)
        return super().take(request, obj, move, form)
