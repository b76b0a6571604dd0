"""The /ngo/ landing page: the four functions with links to their pages, and what is new in them."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from civiccenter import sections
from civiccenter.lib import clock
from ngo.models.development import Achievement, Activity, NewsItem
from ngo.models.organizations import Organization

# The pages the landing page links to; a page not (yet) built is left out rather than linked dead.
LINKED = [
    "organizations",
    "organization-register",
    "venues",
    "bookings",
    "activities",
    "achievements",
    "news",
    "development-mine",
    "board",
    "board-new",
    "showcase",
    "showcase-submit",
    "showcase-exhibitions",
]


def links():
    found = {}
    for name in LINKED:
        try:
            found[name.replace("-", "_")] = reverse(f"ngo:{name}")
        except NoReverseMatch:
            pass
    return found


def index(request):
    """A fixed number of queries, whatever the number of organizations, activities and stories."""
    return render(
        request,
        "ngo/index.html",
        {
            "section": sections.get("ngo-services"),
            "links": links(),
            "featured_organizations": Organization.objects.verified().filter(featured=True).order_by("name")[:6],
            "featured_achievements": Achievement.objects.featured().for_list().order_by("-published_at", "-pk")[:3],
            "upcoming_activities": Activity.objects.published()
            .upcoming(clock.now())
            .for_list()
            .order_by("starts_at", "pk")[:3],
            "latest_news": NewsItem.objects.published().order_by("-date", "-pk")[:4],
        },
    )
