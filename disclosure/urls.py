from django.urls import include, path

app_name = "disclosure"
urlpatterns = [
    path("", include("disclosure.urls_documents")),
    path("requests/", include("disclosure.urls_requests")),
    path("reports/", include("disclosure.urls_reports")),
]
