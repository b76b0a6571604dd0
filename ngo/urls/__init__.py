from django.urls import include, path

from ngo.views import landing

app_name = "ngo"
urlpatterns = [
    path("", landing.index, name="index"),
    path("organizations/", include("ngo.urls.organizations")),
    path("venues/", include("ngo.urls.venues")),
    path("", include("ngo.urls.development")),
    path("board/", include("ngo.urls.board")),
    path("showcase/", include("ngo.urls.showcase")),
]
