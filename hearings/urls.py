from django.urls import path

from hearings import views

app_name = "hearings"
urlpatterns = [
    path("", views.index, name="index"),
]
