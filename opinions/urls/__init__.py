from django.urls import include, path

# Not `cases`: importing opinions.urls.cases binds that name in this package.
from opinions.views import cases as case_views

app_name = "opinions"
urlpatterns = [
    path("", case_views.index, name="index"),
    path("", include("opinions.urls.cases")),
    path("petitions/", include("opinions.urls.petitions")),
    path("surveys/", include("opinions.urls.surveys")),
    path("", include("opinions.urls.public")),
]
