"""Staff side of suggestions, requests for help, complaints and reports.

The department's cases, coloured by deadline; co-handling departments read
them; the center supervisor reads all and decides disputed transfers. Every
list and page starts from `Opinion.objects.visible_to(user)`, so staff of a
unit reported never reach a report about it. Every move calls a model method.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin, DepartmentScopedAdmin
from civiccenter.cases import InvalidTransition
from civiccenter.models import Department
from opinions.forms.cases import DecideForm, MergeForm, RegisterForm, StaffTextForm, TransferForm
from opinions.models import Category, Opinion


@admin.register(Category)
class CategoryAdmin(DepartmentScopedAdmin):
    list_display = ("name", "lead_department", "time_limit_days", "time_limit_unit", "active", "order")
    list_filter = ("lead_department", "time_limit_unit", "active")
    list_select_related = ("lead_department",)
    search_fields = ("name", "name_en", "slug")
    filter_horizontal = ("co_departments",)
    prepopulated_fields = {"slug": ("name_en",)}


class OpenFilter(admin.SimpleListFilter):
    """Open cases by default, like djangoproject's StatusFilter."""

    title = _("handling")
    parameter_name = "handling"

    def lookups(self, request, model_admin):
        return [(None, _("Open")), ("closed", _("Replied or merged")), ("all", _("All"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}, []),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "closed":
            return queryset.exclude(status__in=Opinion.OPEN)
        if self.value() == "all":
            return queryset
        return queryset.filter(status__in=Opinion.OPEN)


def can_handle(user, opinion):
    """Staff of the handling department with the permission (co-handling departments only read)."""
    return user.has_perm("opinions.handle_opinion") and (
        user.sees_all_departments or user.department_id == opinion.case.department_id
    )


@admin.register(Opinion)
class OpinionAdmin(CaseRecordAdmin):
    list_display = ("number", "title", "kind", "category", "department", "status", "channel", "due")
    list_filter = (OpenFilter, "kind", "status", ("case__channel", admin.ChoicesFieldListFilter), "category")
    list_select_related = ("case", "case__department", "category")
    search_fields = ("case__number", "title")
    readonly_fields = (
        "number",
        "kind",
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
        url = reverse("admin:opinions_opinion_handle", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Accept, transfer, ask, reply or merge"))

    def get_urls(self):
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="opinions_opinion_register"),
            path("<int:pk>/handle/", self.admin_site.admin_view(self.handle_view), name="opinions_opinion_handle"),
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

    def handle_view(self, request, pk):
        opinion = get_object_or_404(self.get_queryset(request), pk=pk)
        handler = can_handle(request.user, opinion)
        decider = request.user.has_perm("opinions.decide_transfer")
        if not (handler or decider):
            raise PermissionDenied
        action = request.POST.get("action") if request.method == "POST" else None
        data = request.POST if action else None
        forms = {
            "transfer": TransferForm(data if action == "transfer" else None),
            "dispute": StaffTextForm(data if action == "dispute" else None, label=_("Why it is not your department's")),
            "decide": DecideForm(data if action == "decide" else None, initial={"department": opinion.case.department}),
            "request_info": StaffTextForm(data if action == "request_info" else None, label=_("What should be added")),
            "record_answer": StaffTextForm(
                data if action == "record_answer" else None, label=_("What the person answered (by phone or letter)")
            ),
            "reply": StaffTextForm(data if action == "reply" else None, label=_("Reply to the submitter")),
            "merge": MergeForm(data if action == "merge" else None),
        }
        departments = Department.objects.exclude(pk=opinion.case.department_id)
        if opinion.reported_department_id:
            departments = departments.exclude(pk=opinion.reported_department_id)
            forms["decide"].fields["department"].queryset = Department.objects.exclude(
                pk=opinion.reported_department_id
            )
        forms["transfer"].fields["department"].queryset = departments
        by = request.user

        def merge(form):
            main = self.get_queryset(request).filter(case__number=form.cleaned_data["number"].strip().upper()).first()
            if main is None:
                raise InvalidTransition(_("No case of yours has this tracking number."))
            opinion.merge_into(main, by=by)

        moves = {
            "accept": (handler, lambda form: opinion.accept(by=by)),
            "transfer": (handler, lambda form: opinion.transfer(by=by, **form.cleaned_data)),
            "dispute": (handler, lambda form: opinion.dispute_transfer(by=by, reason=form.cleaned_data["text"])),
            "decide": (decider, lambda form: opinion.decide_transfer(by=by, **form.cleaned_data)),
            "request_info": (
                handler,
                lambda form: opinion.request_information(by=by, question=form.cleaned_data["text"]),
            ),
            "record_answer": (
                handler,
                lambda form: opinion.answer_information(by=by, text=form.cleaned_data["text"]),
            ),
            "reply": (handler, lambda form: opinion.reply_to(by=by, text=form.cleaned_data["text"])),
            "merge": (handler, merge),
        }
        if action in moves:
            allowed, move = moves[action]
            if not allowed:
                raise PermissionDenied
            form = forms.get(action)
            if form is None or form.is_valid():
                try:
                    move(form)
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    opinion.refresh_from_db()
                    self.message_user(
                        request,
                        _("%(number)s: %(status)s.")
                        % {"number": opinion.case.number, "status": opinion.get_status_display()},
                    )
                    if self.get_queryset(request).filter(pk=opinion.pk).exists():
                        return redirect("admin:opinions_opinion_handle", opinion.pk)
                    return redirect("admin:opinions_opinion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Handle %(number)s") % {"number": opinion.case.number},
            "opinion": opinion,
            "case": opinion.case,
            "forms": forms,
            "moves": opinion.available_moves(request.user),
            "events": opinion.case.events.select_related("case", "actor"),
            "opts": self.model._meta,
        }
        return render(request, "admin/opinions/opinion/handle.html", context)
