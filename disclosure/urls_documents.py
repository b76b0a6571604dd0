from django.urls import path

from disclosure import views

urlpatterns = [
    path("", views.index, name="index"),
]
