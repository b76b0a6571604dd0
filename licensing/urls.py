from django.urls import path

from licensing import views

app_name = "licensing"
urlpatterns = [
    path("", views.index, name="index"),
    path("matters/<str:code>/", views.matter_detail, name="matter-detail"),
    path("matters/<str:code>/print/", views.matter_print, name="matter-print"),
]
