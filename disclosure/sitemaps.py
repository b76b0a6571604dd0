"""The sitemap: published documents, plus the portal's main public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from disclosure.models import Document

STATIC_PAGES = [
    "home",
    "about",
    "contact",
    "privacy",
    "deadline-calculator",
    "track",
    "satisfaction",
    "disclosure:index",
    "disclosure:documents",
    "disclosure:catalogue",
    "disclosure:guide",
    "consultation:index",
    "hearings:index",
    "opinions:index",
    "ngo:index",
    "licensing:index",
    "licensing:register",
]


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item):
        return reverse(item)


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 10_000

    def items(self):
        return Document.objects.published().order_by("-published_on", "-pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "documents": DocumentSitemap}
