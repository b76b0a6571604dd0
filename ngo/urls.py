from django.urls import include, path

from ngo.views import landing

app_name = "ngo"
urlpatterns = [
    path("", landing.index, name="index"),
    path("organizations/", include("ngo.urls_organizations")),
    path("venues/", include("ngo.urls_venues")),
    path("", include("ngo.urls_development")),
    path("board/", include("ngo.urls_board")),
    path("showcase/", include("ngo.urls_showcase")),
]
