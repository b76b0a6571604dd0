from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock

# Apps in the order staff think of the center's work; anything else after.
APP_ORDER = ["licensing", "disclosure", "consultation", "hearings", "opinions", "ngo", "civiccenter", "auth"]


class CivicAdminSite(admin.AdminSite):
    index_title = _("Staff workbench")
    site_url = "/"

    @property
    def site_header(self):
        details = settings.CENTER.get(get_language()) or settings.CENTER[settings.LANGUAGE_CODE]
        staff = _("Staff")  # outside the f-string, where makemessages finds it
        return f"{details['name']} · {staff}"

    @property
    def site_title(self):
        return self.site_header

    def index(self, request, extra_context=None):
        from civiccenter.models import CalendarYear

        missing = CalendarYear.objects.missing_for(clock.today())
        if missing:
            messages.warning(
                request,
                _(
                    "The work calendar has no holiday schedule for %(years)s: deadlines running into it skip "
                    "weekends and the statutory days off only, and are marked provisional. Enter the schedule under “Work calendar”."
                )
                % {"years": ", ".join(map(str, missing))},
            )
        return super().index(request, extra_context)

    def has_permission(self, request):
        """Staff with a password alone do not get in while STAFF_TWO_FACTOR is on (civiccenter/two_factor.py)."""
        from civiccenter import two_factor

        return super().has_permission(request) and two_factor.verified(request)

    def login(self, request, extra_context=None):
        """After the password, a staff member who still needs the second factor goes on to give it."""
        from django.contrib.auth import REDIRECT_FIELD_NAME
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        from civiccenter import two_factor

        response = super().login(request, extra_context)
        user = request.user
        if user.is_active and two_factor.required(user) and not two_factor.verified(request):
            target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
            query = f"?{urlencode({REDIRECT_FIELD_NAME: target})}" if target else ""
            return redirect(reverse("admin:two-factor") + query)
        return response

    def get_urls(self):
        from django.urls import path

        return [
            path("supervision/", self.admin_view(self.supervision_view), name="supervision"),
            path("two-factor/", self._two_factor_view, name="two-factor"),
            *super().get_urls(),
        ]

    def _two_factor_view(self, request):
        from django.views.decorators.cache import never_cache
        from django.views.decorators.csrf import csrf_protect

        from civiccenter import two_factor

        return never_cache(csrf_protect(lambda request: two_factor.view(self, request)))(request)

    def supervision_view(self, request):
        """Center supervisors see every department; department heads their own (visible_to does the scoping)."""
        from datetime import date

        from django.core.exceptions import PermissionDenied
        from django.template.response import TemplateResponse

        from civiccenter import roles, supervision
        from civiccenter.lib.csvexport import csv_response

        user = request.user
        if not (
            user.is_superuser
            or user.role_names & {roles.CENTER_SUPERVISOR, roles.SYSTEM_ADMINISTRATOR, roles.DEPARTMENT_HEAD}
        ):
            raise PermissionDenied
        start, end = supervision.default_period()
        errors = []
        try:
            start = date.fromisoformat(request.GET["start"]) if request.GET.get("start") else start
            end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else end
        except ValueError:
            errors.append(_("Enter dates as YYYY-MM-DD."))
            start, end = supervision.default_period()
        if start > end:
            errors.append(_("The period must start before it ends."))
            start, end = supervision.default_period()
        rows, soon = supervision.figures(user, start=start, end=end)
        if request.GET.get("format") == "csv":
            return csv_response(f"supervision-{start}-{end}.csv", supervision.CSV_HEADER, supervision.csv_rows(rows))
        context = {
            **self.each_context(request),
            "title": _("Supervision of deadlines"),
            "rows": rows,
            "late": supervision.late_cases(user, soon=soon),
            "start": start,
            "end": end,
            "errors": errors,
            "today": clock.today(),
        }
        return TemplateResponse(request, "admin/supervision.html", context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: index for index, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))
