from django.urls import path

from disclosure import views
from disclosure.views import documents

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/", documents.document_list, name="documents"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("catalogue/", documents.catalogue, name="catalogue"),
    path("catalogue.csv", documents.catalogue_csv, name="catalogue-csv"),
    path("guide/", documents.guide, name="guide"),
    path("feed/", documents.LatestDocumentsFeed(), name="feed"),
    path("categories/<slug:code>/feed/", documents.CategoryFeed(), name="category-feed"),
]
