from django.urls import path

from disclosure.views import reports

urlpatterns = [
    path("", reports.report_list, name="report-list"),
    path("<int:year>/<slug:scope>.csv", reports.report_csv, name="report-csv"),
    path("<int:year>/<slug:scope>/", reports.report_detail, name="report"),
]
