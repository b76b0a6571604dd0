"""Keyset paging for public lists read newest first ("older" links, no COUNT, no OFFSET).

A cursor carries the edge row's timestamp and id, so page 1,000 costs what page 1
costs, whatever the size of the table (reference/platform-notes.md, "Serving").
"""

import re
from datetime import UTC, datetime, timedelta

from django.db.models import Q

PER_PAGE = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_RE = re.compile(r"^(\d{1,20})_(\d{1,18})$")


def encode_cursor(moment, pk):
    return f"{(moment - EPOCH) // timedelta(microseconds=1)}_{pk}"


def decode_cursor(value):
    """The (moment, pk) of a cursor from a URL; None for anything malformed."""
    match = CURSOR_RE.match(value or "")
    if not match:
        return None
    try:
        return EPOCH + timedelta(microseconds=int(match[1])), int(match[2])
    except OverflowError:
        return None


def keyset(queryset, cursor, field="published_at", per_page=PER_PAGE):
    """One page newest first after `cursor`, and the cursor of the next (older) page, if any."""
    ordered = queryset.order_by(f"-{field}", "-pk")
    if cursor:
        moment, pk = cursor
        ordered = ordered.filter(**{f"{field}__lte": moment}).filter(Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk))
    rows = list(ordered[: per_page + 1])
    older = encode_cursor(getattr(rows[per_page - 1], field), rows[per_page - 1].pk) if len(rows) > per_page else None
    return rows[:per_page], older
