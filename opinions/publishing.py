"""Publishing handled opinions on the public board (PIPL Art. 25 and 15; prc-rules.md §10).

Only a replied case whose submitter gave the separate consent is published,
and never a report of wrongdoing (Letters and Visits Regulations Art. 30).
What is published is a copy: the moderator reviews the scrubbed title,
description and reply, may edit them, and the copy is scrubbed once more when
published so that nothing personal re-typed during review survives. The name
is masked. Withdrawing consent unpublishes at once.

Each function locks the opinion row, so a withdrawal and a publication racing
each other end with the withdrawal winning or refusing the publication.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import CaseEvent, InvalidTransition
from civiccenter.lib import clock, scrub
from civiccenter.lib.i18n import in_language_of_record
from opinions.models import Kind, Opinion


def _names(opinion):
    names = [opinion.case.contact_name]
    if opinion.submitter_id:
        names.append(opinion.submitter.full_name)
    return names


def publication_draft(opinion):
    """The scrubbed copy a moderator reviews (the published one if any), and what was masked."""
    fields = {
        "title": opinion.public_title or opinion.title,
        "description": opinion.public_description or opinion.description,
        "reply": opinion.public_reply or opinion.reply,
    }
    names = _names(opinion)
    results = {key: scrub.scrub(value, names=names) for key, value in fields.items()}
    return {key: result.text for key, result in results.items()}, [
        finding for result in results.values() for finding in result.findings
    ]


def _locked(opinion):
    return Opinion.objects.select_for_update(of=("self",)).select_related("case", "submitter").get(pk=opinion.pk)


def _event(locked, *, by, note, public=False):
    """The board's moves keep the case's status: a timeline event of their own kind."""
    locked.case.log(CaseEvent.Kind.PUBLICATION, by=by, note=str(note), public=public)


@in_language_of_record
def publish_opinion(opinion, *, by, title, description, reply):
    """Publish the reviewed copy on the board (scrubbed again, the name masked)."""
    names = _names(opinion)
    title, description, reply = (scrub.scrub_text((v or "").strip(), names=names) for v in (title, description, reply))
    if not (title and description and reply):
        raise InvalidTransition(_("The published copy needs a title, the description and the reply."))
    with transaction.atomic():
        locked = _locked(opinion)
        if locked.kind == Kind.REPORT:
            raise InvalidTransition(_("A report of wrongdoing is never published."))
        if not locked.consent_to_publish:
            raise InvalidTransition(_("The submitter did not agree to publication: this case stays private."))
        if locked.status != Opinion.Status.REPLIED:
            raise InvalidTransition(_("Only a replied case can be published."))
        republished = locked.published_at is not None
        locked.public_title, locked.public_description, locked.public_reply = title[:120], description, reply
        locked.public_name = scrub.mask_name(
            locked.case.contact_name or (locked.submitter and locked.submitter.full_name)
        )
        # A copy reviewed before the current reply (the case was reopened and replied again) is dated anew.
        if locked.published_at is None or locked.published_at < locked.replied_at:
            locked.published_at = clock.now()
        locked.save(update_fields=["public_title", "public_description", "public_reply", "public_name", "published_at"])
        _event(
            locked,
            by=by,
            note=_("The published copy on the board was revised.")
            if republished
            else _("Published on the public board."),
        )
    opinion.refresh_from_db()
    return opinion


@in_language_of_record
def unpublish_opinion(opinion, *, by, note=""):
    with transaction.atomic():
        locked = _locked(opinion)
        if locked.published_at is None:
            raise InvalidTransition(_("This case is not published."))
        Opinion.objects.filter(pk=locked.pk).update(published_at=None)
        _event(locked, by=by, note=note or _("Removed from the public board."))
    opinion.refresh_from_db()
    return opinion


@in_language_of_record
def withdraw_consent(opinion, *, by):
    """PIPL Art. 15: consent is withdrawn as easily as it was given, at any time; the case leaves the board."""
    if by is None or by.pk not in (opinion.submitter_id, opinion.case.applicant_id):
        raise InvalidTransition(_("Only the person who submitted the case can withdraw consent."))
    with transaction.atomic():
        locked = _locked(opinion)
        if not locked.consent_to_publish:
            raise InvalidTransition(_("You have not agreed to publication."))
        was_published = locked.published_at is not None
        # The published copy goes too: nothing of it stays in the database to be shown by mistake.
        Opinion.objects.filter(pk=locked.pk).update(
            consent_to_publish=False,
            published_at=None,
            public_title="",
            public_description="",
            public_reply="",
            public_name="",
        )
        _event(
            locked,
            by=by,
            note=_("The submitter withdrew consent to publication; the case was removed from the public board.")
            if was_published
            else _("The submitter withdrew consent to publication."),
            public=True,
        )
    opinion.refresh_from_db()
    return opinion


# --- Statistics -------------------------------------------------------------------------------------------------

# One statement for every table of the statistics page. Received counts by the day a case was received; closed
# counts, handling time, the on-time rate and satisfaction by the day it was closed (merged duplicates are
# closed by the merge, not handled, so they are left out of those). Satisfaction counts the ratings of the
# cases closed in the period (a case rated on two channels gives two ratings, but is one closed case).
#
# Shaped for a million cases (EXPLAIN (ANALYZE, BUFFERS) with `manage.py benchmark_opinion_stats`):
# - the period's cases are read once into a narrow row each (`period_cases`, only the columns needed, the
#   local closing day converted once); names of categories and departments are joined to the ~50 result
#   rows at the end, not carried through the aggregation;
# - ratings are not looked up case by case (a lateral index probe per row, ~0.9 s of 2.3 s without JIT): the
#   ratings of the closed cases are hash-joined once and added as rows of their own (`counted`), which carry
#   the rating measures and zero case counts, so a case with two ratings is still counted once;
# - every grouping is done in one hashed pass (GROUPING SETS without an ordered-set aggregate, which would
#   force a sort of all rows per grouping set): the medians come from a histogram of the handling days per
#   group (`histogram`, handling days are whole days), read with a running count (`placed`): the same
#   value as percentile_cont(0.5), the mean of the two middle values for an even count;
# - JIT is off: the plan's cost estimate switched on JIT compilation, which took 2 of the 4.3 s; the hash
#   tables (some 30 MB each) get the memory not to spill to disk; and passing rows from parallel workers is
#   costed lower, so that the scan and join of `period_cases` run in parallel (it was planned serial because
#   of the ~340,000 rows the workers hand over: 0.9 s serial, 0.45 s parallel). All with SET LOCAL in the same
#   statement, so they end with its (implicit) transaction and the page stays one query.
STATS_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL parallel_tuple_cost = 0.01;"
STATS_SQL = """
WITH period_cases AS MATERIALIZED (
    SELECT
        p.id, p.channel, p.department_id, p.category_id, p.received, p.closed,
        CASE WHEN p.received THEN date_trunc('month', p.received_on::timestamp)::date END AS received_month,
        CASE WHEN p.closed THEN date_trunc('month', p.closed_local)::date END AS closed_month,
        CASE WHEN p.closed THEN p.closed_local::date - p.received_on END AS days,
        p.closed AND p.due_at_close IS NOT NULL AS with_deadline,
        p.closed AND p.closed_local::date <= p.due_at_close AS on_time
    FROM (
        SELECT
            c.id, c.channel, c.department_id, o.category_id, c.received_on, c.due_at_close,
            c.received_on >= %(start)s AND c.received_on < %(end)s AS received,
            coalesce(c.closed_at >= %(start_at)s AND c.closed_at < %(end_at)s AND o.status <> 'merged', false)
                AS closed,
            c.closed_at AT TIME ZONE %(tz)s AS closed_local
        FROM civiccenter_case c
        JOIN opinions_opinion o ON o.case_id = c.id
        WHERE c.kind = 'opinion'
          AND ((c.received_on >= %(start)s AND c.received_on < %(end)s)
               OR (c.closed_at >= %(start_at)s AND c.closed_at < %(end_at)s))
    ) p
),
counted AS (
    SELECT
        received_month, closed_month, category_id, department_id, channel, days,
        received::int AS received, closed::int AS closed, with_deadline::int AS with_deadline,
        on_time::int AS on_time, 0 AS rated, 0 AS satisfied, 0 AS level_sum
    FROM period_cases
    UNION ALL
    SELECT
        p.received_month, p.closed_month, p.category_id, p.department_id, p.channel, p.days,
        0, 0, 0, 0, 1, (rating.level >= 4)::int, rating.level
    FROM period_cases p
    JOIN civiccenter_rating rating ON rating.case_id = p.id
    WHERE p.closed
),
histogram AS (
    SELECT
        GROUPING(received_month, closed_month, category_id, department_id, channel) AS grouping_set,
        received_month, closed_month, category_id, department_id, channel, days,
        sum(received) AS received, sum(closed) AS closed, sum(with_deadline) AS with_deadline,
        sum(on_time) AS on_time, sum(rated) AS rated, sum(satisfied) AS satisfied, sum(level_sum) AS level_sum
    FROM counted
    GROUP BY GROUPING SETS (
        (received_month), (closed_month, days), (category_id, days), (department_id, days), (channel, days), (days)
    )
),
placed AS (
    SELECT
        histogram.*,
        sum(closed) OVER (grouped ORDER BY days ROWS UNBOUNDED PRECEDING) - closed AS before,
        sum(closed) OVER grouped AS n
    FROM histogram
    WINDOW grouped AS (PARTITION BY grouping_set, received_month, closed_month, category_id, department_id, channel)
),
summary AS (
    SELECT
        grouping_set, received_month, closed_month, category_id, department_id, channel,
        sum(received)::bigint AS received,
        sum(closed)::bigint AS closed,
        -- The values at 0-based positions floor((n - 1) / 2) and ceil((n - 1) / 2) of the sorted days.
        ((min(days) FILTER (WHERE before <= (n - 1) / 2 AND (n - 1) / 2 < before + closed))
         + (min(days) FILTER (WHERE before <= n / 2 AND n / 2 < before + closed)))::float8 / 2 AS median_days,
        sum(with_deadline)::bigint AS with_deadline,
        sum(on_time)::bigint AS on_time,
        sum(rated)::int AS rated,
        sum(satisfied)::int AS satisfied,
        sum(level_sum)::int AS level_sum
    FROM placed
    GROUP BY grouping_set, received_month, closed_month, category_id, department_id, channel
)
SELECT
    s.grouping_set, s.received_month, s.closed_month,
    s.category_id, cat.name AS category_name, cat.name_en AS category_name_en,
    s.department_id, d.name AS department_name, d.name_en AS department_name_en,
    s.channel,
    s.received, s.closed, s.median_days, s.with_deadline, s.on_time, s.rated, s.satisfied, s.level_sum
FROM summary s
LEFT JOIN opinions_category cat ON cat.id = s.category_id
LEFT JOIN civiccenter_department d ON d.id = s.department_id
"""

# GROUPING(received_month, closed_month, category_id, department_id, channel): a 0 bit is a grouped column.
_SETS = {0b01111: "received_month", 0b10111: "closed_month", 0b11011: "category", 0b11101: "department"}
_SETS.update({0b11110: "channel", 0b11111: "total"})

STATS_CACHE_SECONDS = 300


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _measures(row):
    """The rates that make groups of different sizes comparable."""
    return {
        "received": row["received"],
        "closed": row["closed"],
        "median_days": row["median_days"],
        "on_time_rate": _percent(row["on_time"], row["with_deadline"]),
        "rated": row["rated"],
        "satisfaction_rate": _percent(row["satisfied"], row["rated"]),
        "average_rating": round(row["level_sum"] / row["rated"], 2) if row["rated"] else None,
    }


def _months(start, end):
    month = start
    while month < end:
        yield month
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def compute_statistics(start, end):
    """The statistics of opinion cases for the months [start, end) (first days of months), from one query."""
    from django.conf import settings
    from django.db import connection

    from civiccenter.cases import Case
    from civiccenter.lib.i18n import english_active

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    params = {
        "start": start,
        "end": end,
        "start_at": datetime.combine(start, time.min, tzinfo=tz),
        "end_at": datetime.combine(end, time.min, tzinfo=tz),
        "tz": settings.TIME_ZONE,
    }
    with connection.cursor() as cursor:
        cursor.execute(STATS_SETTINGS + STATS_SQL, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    english = english_active()
    groups = {name: [] for name in _SETS.values()}
    for row in rows:
        groups[_SETS[row["grouping_set"]]].append(row)
    total = groups["total"][0] if groups["total"] else None
    total_received = total["received"] if total else 0

    def table(rows, label):
        result = []
        for row in rows:
            if not (row["received"] or row["closed"]):
                continue
            result.append({"label": label(row), "share": _percent(row["received"], total_received), **_measures(row)})
        result.sort(key=lambda r: (-r["received"], -r["closed"], r["label"]))
        return _with_bars(result)

    received_by_month = {row["received_month"]: row["received"] for row in groups["received_month"]}
    closed_by_month = {row["closed_month"]: row for row in groups["closed_month"]}
    empty = {"received": 0, "closed": 0, "median_days": None, "with_deadline": 0, "on_time": 0}
    empty.update(rated=0, satisfied=0, level_sum=0)
    months = []
    for month in _months(start, end):
        measures = _measures(closed_by_month.get(month, empty))
        measures["received"] = received_by_month.get(month, 0)
        months.append({"label": month.strftime("%Y-%m"), "month": month, **measures})
    channel_labels = dict(Case.Channel.choices)
    return {
        "start": start,
        "end": end,
        "computed_at": clock.now(),
        "totals": {"share": 100.0 if total_received else None, **_measures(total or empty)},
        "months": _with_bars(months),
        "categories": table(groups["category"], lambda r: (english and r["category_name_en"]) or r["category_name"]),
        "departments": table(
            groups["department"], lambda r: (english and r["department_name_en"]) or r["department_name"]
        ),
        "channels": table(groups["channel"], lambda r: str(channel_labels.get(r["channel"], r["channel"]))),
    }


def _with_bars(rows):
    """Bar lengths in percent of the largest value of the table, for the CSS charts."""
    top_received = max((row["received"] for row in rows), default=0)
    top_closed = max((row["closed"] for row in rows), default=0)
    for row in rows:
        row["received_bar"] = round(100 * row["received"] / top_received) if top_received else 0
        row["closed_bar"] = round(100 * row["closed"] / top_closed) if top_closed else 0
    return rows


def statistics(start, end):
    """`compute_statistics` through the cache: a few minutes old at most, per period and language."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"opinions:stats:v1:{start:%Y-%m}:{end:%Y-%m}:{get_language()}"
    result = cache.get(key)
    if result is None:
        result = compute_statistics(start, end)
        cache.set(key, result, STATS_CACHE_SECONDS)
    return result
