from django.urls import path

from ngo import views

app_name = "ngo"
urlpatterns = [
    path("", views.index, name="index"),
]
