"""Demo opinion cases: a few thousand over the last twelve months, in every status and channel, replayed through the real moves.

Each case is planned first (its category, its text, how far it got), then every
step of every case is replayed in the order it happened, each inside
`clock.at(moment)`, through the same moves a submitter and a clerk take:
`Opinion.submit`, `accept`, `transfer` and `dispute_transfer`,
`request_information`, `reply_to`, `reopen`, `merge_into`, `Rating.give` and
`publish_opinion`. Tracking numbers, deadlines, pauses, timelines, closing
times, notices and follow-up cases of poor ratings are therefore what the
moves make of them, on the day they happened.

Most are replied within the category's time limit, some late; some wait for
acceptance, for more information or for the supervisor's decision on a
disputed transfer; some were merged into a case still open at the time; a few
of the citizen account's cases were reopened once (and some replied again).
Many closed ones are rated. A few dozen, whose submitters consented, are on
the public board (scrubbed and masked by the publishing move). Reports of
wrongdoing never consent and are handled by a unit other than the one reported.
"""

import heapq
import itertools
import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.cases import Case, Rating
from civiccenter.lib import clock, workdays
from civiccenter.models import CalendarDay, User

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
TRANSFER_REASON = "该事项属于贵单位职责范围，请接收办理。"
DISPUTE_REASON = "经核实，该事项不属于本单位职责，请中心协调。"
POOR_COMMENT = "答复不够具体，问题没有彻底解决。"
PUBLISHED = 40
POOR_RATINGS = 20


def _moment(day, rng, start_hour=9, end_hour=17):
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59)), tzinfo=tz)


@transaction.atomic
def seed(stdout=None) -> int:
    from opinions.models import Category, Kind
    from opinions.models.categories import Urgency

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
    now = clock.now()
    today = clock.today()
    calendar = CalendarDay.objects.work_calendar()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    everyone = list(User.objects.filter(is_staff=True, department__isnull=False).order_by("pk"))
    staff = {u.department_id: u for u in everyone}
    center = next((u for u in everyone if u.sees_all_departments), None)  # for departments with no staff of their own
    conduct = next((c for c in categories if c.slug == "staff-conduct"), None)
    departments = sorted({c.lead_department for c in categories}, key=lambda d: d.pk)
    ordinary = [c for c in categories if c.slug in TEXTS]

    plans = []
    cases = settings.DEMO_OPINION_CASES
    for index in range(cases):
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
        # A few complaints and requests for help are urgent, fewer an emergency (chosen without the generator,
        # so the rest of the plan is the same as without urgency).
        urgency = Urgency.NORMAL
        if kind in (Kind.HELP, Kind.COMPLAINT):
            urgency = Urgency.EMERGENCY if index % 97 == 11 else Urgency.URGENT if index % 23 == 5 else urgency
        submitter = citizen if citizen and index % max(1, cases // 20) == 0 else None  # the citizen's 20 cases
        plan = {
            "received": received,
            "category": category,
            "kind": kind,
            "urgency": urgency,
            "report": report,
            "title": title.format(place=place)[:120],
            "description": description.format(place=place),
            "reply": reply.format(place=place),
            "limit": (
                workdays.compute(calendar, received, category.time_limit_for(urgency), category.time_limit_unit).due
                - received
            ).days,
            "name": submitter.full_name if submitter else rng.choice(FAMILY) + rng.choice(GIVEN),
            "channel": rng.choices(["web", "phone", "window", "post"], weights=[55, 30, 10, 5])[0],
            "submitter": submitter,
            "consent": not report and rng.random() < 0.45,
            "reported": None,
        }
        if report:
            plan["reported"] = rng.choice([d for d in departments if d.pk != category.lead_department_id])
        if plan["consent"] and rng.random() < 0.1:
            # As people write: a phone number typed into the text, which publishing masks.
            plan["description"] += f"联系电话138{rng.randint(10000000, 99999999)}。"
        plans.append(plan)
    plans.sort(key=lambda p: p["received"])

    # Each case's steps, (moment, step, arguments), from how far its age says it got.
    queue, order = [], itertools.count()
    reopenable = 4  # the citizen's older cases: two reopened and replied again, two still reopened
    poor = 0  # poor ratings open follow-up cases: a score of them, not hundreds
    for plan in plans:
        reopen = None
        if reopenable > 0 and plan["submitter"] is not None:
            reopen = "replied again" if reopenable % 2 == 0 else "still reopened"
        steps = _steps(plan, rng, today, reopen)
        if any(step == "reopen" for _at, step, _args in steps):
            reopenable -= 1
        if plan.get("rating", 5) <= 2:
            poor += 1
            if poor > POOR_RATINGS:
                plan["rating"] = 3
        for moment, step, arguments in steps:
            if moment > now:
                break  # what has not happened yet, when the demo is loaded
            heapq.heappush(queue, (moment, next(order), id(plan), step, arguments))
    by_id = {id(plan): plan for plan in plans}
    # A few dozen replied cases whose submitters consented, published on the board after the last reply.
    publishable = [p for p in plans if p["consent"] and not p["report"] and p.get("closed")]
    for plan in rng.sample(publishable, min(PUBLISHED, len(publishable))):
        plan["publish"] = True

    # Replay every step of every case in the order it happened.
    replay = _Replay(staff=staff, center=center, departments=departments, rng=rng)
    while queue:
        moment, _n, key, step, arguments = heapq.heappop(queue)
        plan = by_id[key]
        with clock.at(moment):
            replay.take(plan, step, arguments)
        if step == "reply" and moment == plan.get("closed"):
            # Rated, and perhaps published, some time after the last reply, if that time has come.
            for after, later in (("rating", "rate"), ("publish", "publish")):
                when = moment + timedelta(hours=rng.randint(1, 72))
                if plan.get(after) and when <= now:
                    heapq.heappush(queue, (when, next(order), key, later, {"level": plan.get("rating")}))

    counts = replay.counts
    created += counts["cases"]
    if stdout:
        stdout.write(
            f"Opinion cases: {counts['cases']} cases, {counts['merged']} merged, {counts['ratings']} ratings, "
            f"{counts['published']} on the public board."
        )
    return created


def _steps(plan, rng, today, reopen=None):
    """How far this case got, as its steps on the days they happened (later steps may lie in the future)."""
    received, limit = plan["received"], plan["limit"]
    age = (today - received).days
    submitted = _moment(received, rng, 8, 12)
    accepted = submitted + timedelta(hours=rng.randint(2, 30))
    steps = [(submitted, "submit", {})]
    roll = rng.random()
    if age <= 1 and roll < 0.7:
        return steps
    if age <= limit and roll < 0.55:
        status = rng.choices(["accepted", "info_requested", "transfer_disputed"], weights=[8, 2, 2])[0]
        if status == "transfer_disputed":
            transferred = submitted + timedelta(hours=rng.randint(1, 4))
            return steps + [
                (transferred, "transfer", {}),
                (transferred + timedelta(hours=rng.randint(2, 20)), "dispute", {}),
            ]
        steps.append((accepted, "accept", {}))
        if status == "info_requested":
            steps.append((accepted + timedelta(hours=4), "request_information", {}))
        return steps
    steps.append((accepted, "accept", {}))
    if roll < 0.02 and age > 3:
        steps.append((max(_moment(received + timedelta(days=rng.randint(1, 3)), rng), accepted), "merge", {}))
        return steps
    late = rng.random() < 0.12
    days = limit + rng.randint(1, 12) if late else rng.randint(1, max(limit, 1))
    replied = max(_moment(received + timedelta(days=days), rng), accepted + timedelta(hours=1))
    steps.append((replied, "reply", {}))
    if reopen and age > 40:
        reopened = replied + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
        steps.append((reopened, "reopen", {}))
        if reopen == "replied again":
            steps.append((reopened + timedelta(days=rng.randint(2, 8)), "reply", {}))
    if steps[-1][1] == "reply":
        plan["closed"] = steps[-1][0]  # rated and published only after the last reply
    if plan["channel"] != "post" and rng.random() < 0.6:
        level = rng.choice([2, 3, 4]) if any(s == "reopen" for _m, s, _a in steps) else None
        plan["rating"] = level or rng.choices([5, 4, 3, 2, 1], weights=[50, 30, 12, 5, 3])[0]
    return steps


class _Replay:
    """Takes one step of one case, as the submitter or the handling department's staff would."""

    def __init__(self, *, staff, center, departments, rng):
        self.staff, self.center, self.departments, self.rng = staff, center, departments, rng
        self.open = {}  # (department pk, report?) -> pks of cases open now, for merging into one open at the time
        self.counts = {"cases": 0, "merged": 0, "ratings": 0, "published": 0}

    def handler(self, department_id):
        return self.staff.get(department_id) or self.center

    def take(self, plan, step, arguments):
        from opinions.models import Opinion
        from opinions.publishing import publication_draft, publish_opinion

        if step == "submit":
            self.submit(plan)
            return
        # A fresh row each step: every move refreshes what it changed, not the case cached beside it.
        opinion = Opinion.objects.select_related("case", "category").get(pk=plan["pk"])
        department = opinion.case.department_id
        by = self.handler(department)
        key = (department, plan["report"])
        if step == "accept":
            opinion.accept(by=by)
            self.open.setdefault(key, []).append(opinion.pk)
        elif step == "transfer":
            choices = [d for d in self.departments if d.pk not in (department, opinion.reported_department_id)]
            if choices:
                opinion.transfer(by=by, department=self.rng.choice(choices), reason=TRANSFER_REASON)
        elif step == "dispute" and opinion.transferred_from_id:
            opinion.dispute_transfer(by=by, reason=DISPUTE_REASON)
        elif step == "request_information":
            opinion.request_information(by=by, question=INFO_REQUEST)
        elif step == "merge":
            self._forget(key, opinion.pk)
            candidates = self.open.get(key, [])[-50:]
            if candidates:
                main = Opinion.objects.select_related("case").get(pk=self.rng.choice(candidates))
                opinion.merge_into(main, by=by)
                self.counts["merged"] += 1
            else:  # nothing open to merge into: it was replied that day instead
                opinion.reply_to(by=by, text=plan["reply"])
        elif step == "reply":
            opinion.reply_to(by=by, text=plan["reply"])
            self._forget(key, opinion.pk)
        elif step == "reopen":
            opinion.reopen(by=plan["submitter"], reason=REOPEN_REASON)
            self.open.setdefault(key, []).append(opinion.pk)
        elif step == "rate" and opinion.status == Opinion.Status.REPLIED:
            level = arguments["level"]
            comment = POOR_COMMENT if level <= 2 else ""
            Rating.give(case=opinion.case, level=level, comment=comment, by=opinion.submitter)
            self.counts["ratings"] += 1
        elif step == "publish" and opinion.status == Opinion.Status.REPLIED:
            draft, _findings = publication_draft(opinion)
            publish_opinion(opinion, by=by, **draft)
            self.counts["published"] += 1

    def submit(self, plan):
        from opinions.models import Opinion

        submitter, category = plan["submitter"], plan["category"]
        opinion = Opinion.submit(
            by=submitter if plan["channel"] == "web" else self.handler(category.lead_department_id),
            kind=plan["kind"],
            category=category,
            title=plan["title"],
            description=plan["description"],
            reported_department=plan["reported"],
            urgency=plan["urgency"],
            consent_to_publish=plan["consent"],
            submitter=submitter,
            contact_name=plan["name"],
            contact_email=submitter.email if submitter else "",
            channel=plan["channel"],
        )
        plan["pk"] = opinion.pk
        self.counts["cases"] += 1

    def _forget(self, key, pk):
        if pk in self.open.get(key, []):
            self.open[key].remove(pk)
