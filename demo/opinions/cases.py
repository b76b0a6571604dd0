"""Demo opinion cases: a few thousand over the last twelve months, in every status and channel, built in bulk.

Most are replied within the category's time limit, some late; some wait for
acceptance, for more information or for the supervisor's decision on a
disputed transfer; some were merged into an open or replied case, some
reopened once (and some of those replied again). Many closed ones are rated.
A few dozen, whose submitters consented, are on the public board (scrubbed and
masked, as a moderator would publish them). Reports of wrongdoing never
consent and are handled by a unit other than the one reported.

Everything is written with `bulk_create` (cases, opinions, timeline events,
ratings); tracking numbers come from a block reserved in one statement per
year, so the counter stays right for cases submitted afterwards. Poor ratings
(1-2) go through `Rating.give`, so their follow-up cases open as in real life.
"""

import random
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

import demo
from civiccenter.cases import Case, CaseEvent, Rating, new_query_code
from civiccenter.lib import clock, scrub, workdays
from civiccenter.models import CalendarDay, User

CASES = 3000
SEED = 20261122

_DATA = demo.load("opinions", "cases")
_CASE = ("title", "description", "reply")

FAMILY = _DATA["family"]
GIVEN = _DATA["given"]
PLACES = _DATA["places"]

# category slug -> (title, description, reply); "{place}" is filled in.
TEXTS = {slug: [tuple(row[key] for key in _CASE) for row in rows] for slug, rows in _DATA["texts"].items()}
REPORT_TEXTS = [tuple(row[key] for key in _CASE) for row in _DATA["report_texts"]]
INFO_REQUEST = "请补充具体地址和发生时间，以便我们现场核查。"
REOPEN_REASON = "答复说已整改，但问题仍然存在，请再次核查。"


def _reserve_numbers(prefix, year, count):
    """A block of `count` tracking numbers in one statement; the counter then continues after it."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO civiccenter_trackingcounter (prefix, year, last) VALUES (%s, %s, %s)
            ON CONFLICT (prefix, year) DO UPDATE SET last = civiccenter_trackingcounter.last + EXCLUDED.last
            RETURNING last
            """,
            [prefix, year, count],
        )
        (last,) = cursor.fetchone()
    return [f"{prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def _moment(day, rng, start_hour=9, end_hour=17):
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59)), tzinfo=tz)


@transaction.atomic
def seed(stdout=None) -> int:
    from opinions.models import Category, Kind, Opinion

    try:
        from demo.opinions.categories import seed_categories
    except ImportError:  # the categories part not there yet
        created = 0
    else:
        created = seed_categories()
    if Case.objects.filter(kind="opinion").exists():
        return created
    categories = list(Category.objects.filter(active=True).select_related("lead_department"))
    if not categories:
        return created
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    today = clock.today()
    now = clock.now()
    calendar = CalendarDay.objects.work_calendar()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    staff = {u.department_id: u for u in User.objects.filter(is_staff=True, department__isnull=False).order_by("pk")}
    conduct = next((c for c in categories if c.slug == "staff-conduct"), None)
    departments = sorted({c.lead_department for c in categories}, key=lambda d: d.pk)
    ordinary = [c for c in categories if c.slug in TEXTS]

    plans = []
    for index in range(CASES):
        # More recent months a little busier; a handful received today.
        age = min(int(rng.triangular(0, 365, 0)), 364)
        received = today - timedelta(days=age)
        report = conduct is not None and rng.random() < 0.05
        category = conduct if report else rng.choice(ordinary)
        if report:
            kind = Kind.REPORT
            title, description, reply = rng.choice(REPORT_TEXTS)
        else:
            kind = rng.choices([Kind.SUGGESTION, Kind.HELP, Kind.COMPLAINT], weights=[3, 2, 5])[0]
            title, description, reply = rng.choice(TEXTS[category.slug])
        place = rng.choice(PLACES)
        due = workdays.compute(calendar, received, category.time_limit_days, category.time_limit_unit).due
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        plans.append(
            {
                "received": received,
                "category": category,
                "kind": kind,
                "report": report,
                "title": title.format(place=place)[:120],
                "description": description.format(place=place),
                "reply": reply.format(place=place),
                "due": due,
                "name": name,
                "channel": rng.choices(["web", "phone", "window", "post"], weights=[55, 30, 10, 5])[0],
                "submitter": citizen if citizen and index % 150 == 0 else None,
                "consent": not report and rng.random() < 0.45,
                "reported": None,
            }
        )
        if report:
            plans[-1]["reported"] = rng.choice([d for d in departments if d.pk != category.lead_department_id])
    plans.sort(key=lambda p: p["received"])

    # The state of each case follows from its age: recent ones are open, older ones mostly replied.
    for plan in plans:
        age = (today - plan["received"]).days
        roll = rng.random()
        limit = (plan["due"] - plan["received"]).days
        plan["events"] = []
        if age <= 1 and roll < 0.7:
            plan["status"] = "submitted"
        elif age <= limit and roll < 0.55:
            plan["status"] = rng.choices(["accepted", "info_requested", "transfer_disputed"], weights=[8, 2, 1])[0]
        elif roll < 0.02 and age > 3:
            plan["status"] = "merged"
        else:
            plan["status"] = "replied"
            late = rng.random() < 0.12
            days = limit + rng.randint(1, 12) if late else rng.randint(1, max(limit, 1))
            plan["replied_on"] = min(plan["received"] + timedelta(days=days), today)
            if plan["replied_on"] == today and age > 0:
                plan["replied_on"] = plan["received"] + timedelta(days=max(1, min(days, age) - 1))
            if age > 40 and rng.random() < 0.04:
                plan["reopened_on"] = plan["replied_on"] + timedelta(days=rng.randint(1, 5))
                plan["status"] = "reopened" if rng.random() < 0.4 else "replied"

    numbers = {}
    for year in sorted({p["received"].year for p in plans}):
        in_year = [p for p in plans if p["received"].year == year]
        for plan, number in zip(in_year, _reserve_numbers("YJ", year, len(in_year)), strict=True):
            numbers[id(plan)] = number

    cases = []
    for plan in plans:
        category, received, status = plan["category"], plan["received"], plan["status"]
        closed_at = due_at_close = due_date = None
        clock_start, clock_unit = received, category.time_limit_unit
        if status == "replied":
            plan["replied_at"] = min(_moment(plan["replied_on"], rng), now)
            if plan.get("reopened_on"):
                # Reopened once, then replied again on the new clock.
                plan["reopened_at"] = _moment(plan["reopened_on"], rng)
                new_due = workdays.compute(calendar, plan["reopened_on"], category.time_limit_days, clock_unit).due
                second = plan["reopened_on"] + timedelta(
                    days=rng.randint(1, max(1, (new_due - plan["reopened_on"]).days))
                )
                plan["replied_at"] = min(_moment(min(second, today), rng), now)
                plan["first_replied_at"] = _moment(plan["replied_on"], rng)
                clock_start, plan["due"] = plan["reopened_on"], new_due
            closed_at, due_at_close = plan["replied_at"], plan["due"]
        elif status == "reopened":
            plan["replied_at"] = _moment(plan["replied_on"], rng)
            plan["reopened_at"] = min(_moment(plan["reopened_on"], rng), now)
            clock_start = plan["reopened_on"]
            due_date = workdays.compute(calendar, clock_start, category.time_limit_days, clock_unit).due
        elif status == "merged":
            closed_at = min(_moment(received + timedelta(days=rng.randint(1, 3)), rng), now)
            due_at_close = plan["due"]
        else:
            due_date = plan["due"]
        department = category.lead_department
        # Whatever the time of day the demo is loaded, a case is never closed before it was received.
        created_at = min(_moment(received, rng, 8, 12), now)
        if closed_at is not None:
            closed_at = max(closed_at, created_at)
            if status == "replied":
                plan["replied_at"] = closed_at
        cases.append(
            Case(
                kind="opinion",
                number=numbers[id(plan)],
                query_code=new_query_code(),
                applicant=plan["submitter"],
                contact_name=plan["submitter"].full_name if plan["submitter"] else plan["name"],
                contact_email=plan["submitter"].email if plan["submitter"] else "",
                channel=plan["channel"],
                department=department,
                status=status,
                received_on=received,
                clock_rule=Opinion.clock_rule(category),
                clock_unit=clock_unit,
                clock_days=category.time_limit_days,
                clock_start=clock_start,
                due_date=due_date,
                closed_at=closed_at,
                due_at_close=due_at_close,
                created_at=created_at,
            )
        )
    Case.objects.bulk_create(cases, batch_size=1000)

    # Main cases for the merged ones: an earlier open or replied case of the same department and kind class.
    by_department = {}
    for plan, case in zip(plans, cases, strict=True):
        plan["case"] = case
        if plan["status"] in ("replied", "accepted", "reopened", "info_requested"):
            by_department.setdefault((case.department_id, plan["report"]), []).append(plan)

    opinions = []
    merged_plans = []
    for plan in plans:
        status = plan["status"]
        if status == "merged":
            candidates = [
                p for p in by_department.get((plan["case"].department_id, plan["report"]), []) if p is not plan
            ]
            if not candidates:
                # Nothing to merge into: it was replied on the day it closed instead.
                plan["status"] = status = "replied"
                plan["replied_at"] = plan["case"].closed_at
                Case.objects.filter(pk=plan["case"].pk).update(status=status)
            else:
                merged_plans.append(plan)
                continue
        opinions.append(_opinion(plan, Opinion))
    Opinion.objects.bulk_create(opinions, batch_size=1000)
    for plan, opinion in zip([p for p in plans if p["status"] != "merged"], opinions, strict=True):
        plan["opinion"] = opinion
    merged = []
    for plan in merged_plans:
        candidates = by_department[(plan["case"].department_id, plan["report"])]
        main = rng.choice([p for p in candidates if "opinion" in p])
        merged.append(_opinion(plan, Opinion, merged_into=main["opinion"]))
        plan["main"] = main
    Opinion.objects.bulk_create(merged, batch_size=1000)

    events = []
    for plan in plans:
        events.extend(_events(plan, staff.get(plan["case"].department_id), rng))
    CaseEvent.objects.bulk_create(events, batch_size=2000)

    ratings, poor = [], []
    for plan in plans:
        if plan["status"] != "replied" or plan["case"].channel == "post" or rng.random() > 0.6:
            continue
        if plan.get("reopened_at"):
            level = rng.choice([2, 3, 4])
        else:
            level = rng.choices([5, 4, 3, 2, 1], weights=[50, 30, 12, 5, 3])[0]
        if level <= 2 and len(poor) < 20:
            poor.append((plan["case"], level))
        elif level >= 3:
            created_at = plan["case"].closed_at + timedelta(hours=rng.randint(1, 72))
            ratings.append(Rating(case=plan["case"], channel="web", level=level, created_at=min(created_at, now)))
    Rating.objects.bulk_create(ratings, batch_size=2000)
    for case, level in poor:
        Rating.give(case=case, level=level, comment="答复不够具体，问题没有彻底解决。", by=case.applicant)

    published = _publish(plans, rng, now)
    created += len(cases) + len(opinions) + len(merged) + len(events) + len(ratings) + len(poor) * 2
    if stdout:
        stdout.write(
            f"Opinion cases: {len(cases)} cases, {len(merged)} merged, {len(ratings) + len(poor)} ratings, "
            f"{published} on the public board."
        )
    return created


def _opinion(plan, Opinion, merged_into=None):
    status = plan["status"]
    replied = status in ("replied", "reopened")
    reply = plan["reply"] if replied else ""
    return Opinion(
        case=plan["case"],
        kind=plan["kind"],
        category=plan["category"],
        submitter=plan["submitter"],
        status=status,
        title=plan["title"],
        description=plan["description"],
        reported_department=plan["reported"],
        consent_to_publish=plan["consent"],
        merged_into=merged_into,
        info_request=INFO_REQUEST if status == "info_requested" else "",
        reply=reply,
        replied_at=plan.get("replied_at") if replied else None,
        reopen_reason=REOPEN_REASON if plan.get("reopened_at") else "",
        reopened_at=plan.get("reopened_at"),
        created_at=plan["case"].created_at,
    )


def _events(plan, actor, rng):
    """The timeline each case would have had, step by step, on the days it happened."""
    case, status = plan["case"], plan["status"]
    start = case.created_at
    steps = [("", "submitted", "已收到，请等待受理。", None, start)]
    accepted_at = start + timedelta(hours=rng.randint(2, 30))
    if status == "transfer_disputed":
        steps.append(
            ("submitted", "transfer_disputed", "接收部门对转办有异议，等待中心督查员决定。", actor, accepted_at)
        )
        return [_event(case, *step) for step in steps]
    if status == "submitted":
        return [_event(case, *step) for step in steps]
    steps.append(("submitted", "accepted", "已受理。", actor, accepted_at))
    if status == "info_requested":
        steps.append(("accepted", "info_requested", INFO_REQUEST, actor, accepted_at + timedelta(hours=4)))
    elif status == "merged":
        main = plan["main"]["case"]
        steps.append(
            (
                "accepted",
                "merged",
                f"与案件 {main.number} 反映同一事项，已合并办理，您将收到该案件的答复。",
                actor,
                case.closed_at,
            )
        )
    elif status in ("replied", "reopened"):
        first_reply_at = plan.get("first_replied_at") or (plan["replied_at"] if status == "reopened" else None)
        if first_reply_at:
            steps.append(("accepted", "replied", plan["reply"], actor, max(first_reply_at, accepted_at)))
            steps.append(("replied", "reopened", f"提交人申请重新办理：{REOPEN_REASON}", None, plan["reopened_at"]))
            if status == "replied":
                steps.append(("reopened", "replied", plan["reply"], actor, plan["replied_at"]))
        else:
            steps.append(("accepted", "replied", plan["reply"], actor, max(plan["replied_at"], accepted_at)))
    # The timeline never runs backwards nor past the closing (or the moment the demo is loaded).
    ceiling = case.closed_at or clock.now()
    events, last = [], start
    for old, new, note, by, at in steps:
        last = max(last, min(at, ceiling))
        events.append(_event(case, old, new, note, by, last))
    return events


def _event(case, old, new, note, actor, at):
    kind = CaseEvent.Kind.OPENED if not old else CaseEvent.Kind.STATUS
    return CaseEvent(case=case, kind=kind, old_status=old, new_status=new, note=note, actor=actor, created_at=at)


def _publish(plans, rng, now):
    """A few dozen consented, replied cases on the board, as a moderator would publish them."""
    from opinions.models import Opinion
    from opinions.publishing import publication_draft

    chosen = [p for p in plans if p["status"] == "replied" and p["consent"] and not p["report"] and p.get("opinion")]
    chosen = sorted(chosen, key=lambda p: p["replied_at"])[-400:]
    chosen = rng.sample(chosen, min(40, len(chosen)))
    for index, plan in enumerate(chosen):
        opinion = plan["opinion"]
        if index % 5 == 0:
            # As people write: a phone number typed into the text, which the scrubbing masks.
            opinion.description += f"联系电话138{rng.randint(10000000, 99999999)}。"
            Opinion.objects.filter(pk=opinion.pk).update(description=opinion.description)
        draft, _findings = publication_draft(opinion)
        opinion.public_title, opinion.public_description, opinion.public_reply = (
            draft["title"],
            draft["description"],
            draft["reply"],
        )
        opinion.public_name = scrub.mask_name(plan["case"].contact_name)
        opinion.published_at = min(opinion.replied_at + timedelta(hours=rng.randint(4, 72)), now)
    Opinion.objects.bulk_update(
        [p["opinion"] for p in chosen],
        ["public_title", "public_description", "public_reply", "public_name", "published_at"],
    )
    return len(chosen)
