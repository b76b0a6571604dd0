from django.urls import include, path

app_name = "disclosure"
urlpatterns = [
    path("", include("disclosure.urls.documents")),
    path("requests/", include("disclosure.urls.requests")),
    path("reports/", include("disclosure.urls.reports")),
]
