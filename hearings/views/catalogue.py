"""The public catalogue of major administrative decision items, by year (Order 713 Art. 3)."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from hearings.models.catalogue import CatalogueItem, catalogue_years
from hearings.models.drafts import Draft
from hearings.views.hearings import section_trail


def _page(request, year, years):
    drafts = Prefetch("drafts", queryset=Draft.objects.published().order_by("opens_on", "pk"), to_attr="public_drafts")
    items = list(CatalogueItem.objects.public().for_list().filter(year=year).prefetch_related(drafts))
    if not items:
        raise Http404
    return render(
        request,
        "hearings/catalogue/catalogue.html",
        {
            "year": year,
            "years": years,
            "items": items,
            "trail": [*section_trail(), (reverse("hearings:catalogue"), _("Catalogue of major decisions"))],
        },
    )


def catalogue(request):
    """The latest year's catalogue, with links to the other years (two queries whatever the number of items)."""
    years = catalogue_years()
    if not years:
        return render(
            request,
            "hearings/catalogue/catalogue.html",
            {"year": None, "years": [], "items": [], "trail": section_trail()},
        )
    return _page(request, years[0], years)


def catalogue_year(request, year):
    return _page(request, year, catalogue_years())
