from django.shortcuts import render

from civiccenter import sections
from disclosure.models import Category, Document

LATEST = 8


def index(request):
    """The section's entry: search, the categories, the latest documents, requests and annual reports."""
    latest = Document.objects.published().for_list().order_by("-published_on", "-pk")[:LATEST]
    return render(
        request,
        "disclosure/index.html",
        {
            "section": sections.get("disclosure"),
            "categories": Category.objects.all(),
            "latest": latest,
        },
    )
