from django.urls import path

from opinions import views

app_name = "opinions"
urlpatterns = [
    path("", views.index, name="index"),
]
