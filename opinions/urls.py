from django.urls import include, path

from opinions.views import cases

app_name = "opinions"
urlpatterns = [
    path("", cases.index, name="index"),
    path("", include("opinions.urls_cases")),
    path("petitions/", include("opinions.urls_petitions")),
    path("surveys/", include("opinions.urls_surveys")),
    path("", include("opinions.urls_public")),
]
