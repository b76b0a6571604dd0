from django.urls import include, path

from hearings import views

app_name = "hearings"
urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/", include("hearings.urls.drafts")),
    path("hearings/", include("hearings.urls.hearings")),
    path("catalogue/", include("hearings.urls.catalogue")),
]
