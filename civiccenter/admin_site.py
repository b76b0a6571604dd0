from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Apps in the order staff think of the center's work; anything else after.
APP_ORDER = ["licensing", "disclosure", "consultation", "hearings", "opinions", "ngo", "civiccenter", "auth"]


class CivicAdminSite(admin.AdminSite):
    index_title = _("Staff workbench")
    site_url = "/"

    @property
    def site_header(self):
        details = settings.CENTER.get(get_language()) or settings.CENTER[settings.LANGUAGE_CODE]
        return f"{details['name']} · {_('Staff')}"

    @property
    def site_title(self):
        return self.site_header

    def index(self, request, extra_context=None):
        from civiccenter.models import CalendarYear

        missing = CalendarYear.objects.missing_for(timezone.localdate())
        if missing:
            messages.warning(
                request,
                _(
                    "The work calendar has no holiday schedule for %(years)s: deadlines running into it count "
                    "weekends only and are marked provisional. Enter the schedule under “Work calendar”."
                )
                % {"years": ", ".join(map(str, missing))},
            )
        return super().index(request, extra_context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: index for index, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))
