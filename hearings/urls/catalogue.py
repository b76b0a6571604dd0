from django.urls import path

from hearings.views import catalogue

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("<int:year>/", catalogue.catalogue_year, name="catalogue-year"),
]
