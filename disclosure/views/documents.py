"""Proactive disclosure, public side: the list and search, a document, the catalogue (Art. 12), the guide, feeds.

Lists are read page by page with a keyset ("newer" / "older" links carrying the
(published_on, id) of the edge row), so page 1,000 costs what page 1 costs and no
page counts the table. Ranked search results are the one exception: they use an
OFFSET, capped at SEARCH_PAGES pages, past which the reader is asked to refine.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civiccenter import sections
from civiccenter.lib import clock
from civiccenter.lib.csvexport import csv_response
from consultation.models import Interpretation
from disclosure.filters import DocumentFilter
from disclosure.models import Attachment, Category, Document, Guide

PER_PAGE = 20
SEARCH_PAGES = 10
FEED_SIZE = 50
CURSOR_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{1,18})$")


def _section_trail():
    return [(reverse("disclosure:index"), sections.get("disclosure").title)]


# Keyset pagination ------------------------------------------------------------


def parse_cursor(value):
    """`2026-03-01_1234` → (date, id); anything else → None (the first page is shown)."""
    match = CURSOR_RE.match(value or "")
    if not match:
        return None
    try:
        return date.fromisoformat(match[1]), int(match[2])
    except ValueError:
        return None


def cursor_of(document):
    return f"{document.published_on.isoformat()}_{document.pk}"


@dataclass
class KeysetPage:
    documents: list
    newer: str | None = None  # cursor for the "newer" link
    older: str | None = None  # cursor for the "older" link
    first: bool = True


def keyset_page(queryset, params, per_page=PER_PAGE):
    """One page of `queryset` newest first, after `older=<cursor>` or before `newer=<cursor>`.

    Each bound repeats `published_on <= d` (or `>=`) so that PostgreSQL starts its
    index scan at the cursor instead of filtering its way there from the top.
    """
    newer, older = parse_cursor(params.get("newer")), parse_cursor(params.get("older"))
    if newer:
        day, pk = newer
        rows = list(
            queryset.filter(published_on__gte=day)
            .filter(Q(published_on__gt=day) | Q(pk__gt=pk))
            .order_by("published_on", "pk")[: per_page + 1]
        )
        if len(rows) > per_page:
            rows = rows[:per_page][::-1]
            return KeysetPage(rows, newer=cursor_of(rows[0]), older=cursor_of(rows[-1]), first=False)
        older = None  # back at the top: show the first page as it is now
    ordered = queryset.order_by("-published_on", "-pk")
    if older:
        day, pk = older
        ordered = ordered.filter(published_on__lte=day).filter(Q(published_on__lt=day) | Q(pk__lt=pk))
    rows = list(ordered[: per_page + 1])
    has_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        newer=cursor_of(rows[0]) if rows and older else None,
        older=cursor_of(rows[-1]) if rows and has_older else None,
        first=older is None,
    )


def _query_without(params, *names):
    kept = [(key, value) for key, values in params.lists() if key not in names for value in values if value]
    return urlencode(kept)


# Pages --------------------------------------------------------------------------


def document_list(request):
    """Published documents, newest first, filtered; with `q`, ranked by relevance then date."""
    documents = Document.objects.published().for_list()
    filters = DocumentFilter(request.GET or None, queryset=documents)
    queryset = filters.qs if filters.is_bound else documents
    context = {
        "filter": filters,
        "trail": _section_trail(),
        "base_query": _query_without(request.GET, "newer", "older", "page"),
    }
    if filters.searching:
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            number = 1
        number = min(number, SEARCH_PAGES)
        start = (number - 1) * PER_PAGE
        rows = list(queryset.order_by("-rank", "-published_on", "-pk")[start : start + PER_PAGE + 1])
        context.update(
            searching=True,
            documents=rows[:PER_PAGE],
            page_number=number,
            previous_page=number - 1 if number > 1 else None,
            next_page=number + 1 if len(rows) > PER_PAGE and number < SEARCH_PAGES else None,
            refine=len(rows) > PER_PAGE and number >= SEARCH_PAGES,
        )
    else:
        page = keyset_page(queryset, request.GET)
        context.update(searching=False, documents=page.documents, page=page)
    return render(request, "disclosure/documents/document_list.html", context)


def document_detail(request, pk):
    today = clock.today()
    public = Document.objects.published(today)
    document = get_object_or_404(
        public.select_related("department", "category", "topic", "replaced_by").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("order", "pk")),
            Prefetch("replaces", queryset=public.order_by("-published_on", "-pk"), to_attr="public_replaces"),
            Prefetch("related", queryset=public.order_by("-published_on", "-pk"), to_attr="public_related"),
            # The policy interpretations (consultation) that explain this document.
            Prefetch(
                "interpretations",
                queryset=Interpretation.objects.published(today).order_by("-published_on", "-pk"),
                to_attr="public_interpretations",
            ),
        ),
        pk=pk,
    )
    replacement = document.replaced_by if document.replaced_by and document.replaced_by.is_public(today) else None
    return render(
        request,
        "disclosure/documents/document_detail.html",
        {"document": document, "replacement": replacement, "trail": _section_trail()},
    )


def catalogue(request):
    """The catalogue of Art. 12: index number, name, summary and date formed of every published item."""
    page = keyset_page(Document.objects.published().only(*CATALOGUE_FIELDS), request.GET)
    return render(
        request,
        "disclosure/documents/catalogue.html",
        {"page": page, "documents": page.documents, "trail": _section_trail(), "base_query": ""},
    )


CATALOGUE_FIELDS = ("pk", "index_number", "title", "document_number", "summary", "formed_on", "published_on")


def catalogue_csv(request):
    """The whole catalogue as CSV, streamed row by row (server-side cursor): constant memory at any size."""
    site = request.build_absolute_uri("/").rstrip("/")
    documents = (
        Document.objects.published()
        .order_by("-published_on", "-pk")
        .values_list(
            "pk",
            "index_number",
            "title",
            "document_number",
            "department__name",
            "category__name",
            "summary",
            "formed_on",
            "published_on",
            "validity",
        )
    )
    validity = dict(Document.Validity.choices)
    header = [
        _("Index number"),
        _("Title"),
        _("Document number"),
        _("Issuing department"),
        _("Disclosure category"),
        _("Summary"),
        _("Date formed"),
        _("Date published"),
        _("Validity"),
        _("Address"),
    ]

    def rows():
        for pk, index, title, number, department, category, summary, formed, published, valid in documents.iterator(
            chunk_size=2000
        ):
            yield [
                index,
                title,
                number,
                department,
                category,
                summary,
                formed.isoformat(),
                published.isoformat(),
                str(validity.get(valid, valid)),
                site + reverse("disclosure:document", args=[pk]),
            ]

    return csv_response("catalogue.csv", header, rows(), stream=True)


def guide(request):
    """The disclosure guide (公开指南, Art. 12)."""
    current = Guide.current()
    if current is None:
        raise Http404
    return render(
        request,
        "disclosure/documents/guide.html",
        {"guide": current, "trail": _section_trail(), "categories": Category.objects.all()},
    )


# Feeds ----------------------------------------------------------------------------


class LatestDocumentsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Government information: latest documents")
    subtitle = gettext_lazy("Documents published proactively under the Regulations on Open Government Information.")

    def link(self):
        return reverse("disclosure:documents")

    def documents(self):
        return Document.objects.published().for_list()

    def items(self):
        return self.documents().order_by("-published_on", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} {item.document_number}".strip()

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.published_on, time(9)))

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.department.display_name

    def item_categories(self, item):
        return [item.category.display_name] + ([item.topic.display_name] if item.topic_id else [])


class CategoryFeed(LatestDocumentsFeed):
    def get_object(self, request, code):
        return get_object_or_404(Category, code=code)

    def title(self, category):
        return _("Government information: %(category)s") % {"category": category.display_name}

    def link(self, category):
        return reverse("disclosure:documents") + "?" + urlencode({"category": category.code})

    def items(self, category):
        return self.documents().filter(category=category).order_by("-published_on", "-pk")[:FEED_SIZE]
