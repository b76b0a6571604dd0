"""Demo disclosure requests in every state, across the demo departments.

Some were received and replied in 2025 (with varied reply types, for the annual report), some carried
over from 2025 into 2026, some are open now (one awaiting confirmation, one asked to correct, one in
consultation, one extended, one awaiting its fee, two overdue), one closed as its fee was not paid.
Created through the model's moves, each taken on its day (`clock.at`).
Idempotent: nothing is created when any request exists.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.lib import clock, workdays
from civiccenter.models import CalendarDay, Department, User

CITIZEN = "citizen@demo.civiccenter.example"
ORGANIZATION = "ngo@demo.civiccenter.example"
CLERK = "clerk@demo.civiccenter.example"
HEAD = "head@demo.civiccenter.example"
ADMIN = "admin@demo.civiccenter.example"

_DATA = demo.load("disclosure", "requests")
_ACCOUNTS = {"citizen": CITIZEN, "ngo": ORGANIZATION}

PERSON = _DATA["person"]
EMAIL, PAPER, POSTED, ONLINE = (_DATA["forms"][key] for key in ("email", "paper", "posted", "online"))


def _applicant(name, id_number, phone, **extra):
    return {**PERSON, "applicant_name": name, "id_number": id_number, "contact_phone": phone, **extra}


def _organization(kind, name, code, phone, **extra):
    return {
        "applicant_kind": kind,
        "id_type": "credit_code",
        "applicant_name": name,
        "id_number": code,
        "contact_phone": phone,
        **extra,
    }


def _person(row):
    """An applicant of the data file: an organization when it has a kind, else a person."""
    details = (row["name"], row["id_number"], row["phone"])
    if "kind" in row:
        return _organization(row["kind"], *details, contact_email=row["email"])
    return _applicant(*details, contact_email=row["email"])


_APPLICANTS = {key: _person(row) for key, row in _DATA["applicants"].items()}
ZHANG, WANG, ZHAO, YUELAI, LAWFIRM, UNIVERSITY, NEIGHBOURS = (
    _APPLICANTS[key] for key in ("zhang", "wang", "zhao", "yuelai", "lawfirm", "university", "neighbours")
)


def _what(title, description, number=""):
    return {"info_title": title, "description": description, "info_document_number": number}


def _channel(row):
    """How a request came: "web", or (channel, receipt basis) with True appended when it was oral."""
    if row["channel"] == "web":
        return "web"
    return (row["channel"], row["receipt_basis"], *((True,) if row.get("oral") else ()))


def _step(row):
    """(day, move, arguments): the day is a fixed date or -N, the N-th working day before today."""
    return (row["on"] if "on" in row else -row["working_days_ago"], row["move"], row.get("arguments", {}))


# department, account (or None: registered by a clerk), how it came, details, steps.
# Steps: (day, move, arguments); "confirm" only for online requests.
REQUESTS = [
    (
        row["department"],
        _ACCOUNTS.get(row.get("account")),
        _channel(row),
        {
            **_APPLICANTS[row["applicant"]],
            **_DATA["forms"][row["form"]],
            **_what(row.get("title", ""), row["description"], row.get("number", "")),
        },
        [_step(step) for step in row["steps"]],
    )
    for row in _DATA["requests"]
]


def _day(value, calendar, today):
    """A fixed date, or -N: the N-th working day before today."""
    if isinstance(value, date):
        return value
    day, count = today, 0
    while count < -value:
        day -= timedelta(days=1)
        count += calendar.is_working_day(day)
    return day


def _at(day, now, step=0):
    """The moment of a step: ten in the morning of its day (a minute later for each earlier step that day)."""
    return min(timezone.make_aware(datetime.combine(day, time(10, step))), now)


def seed(stdout=None) -> int:
    from disclosure.models.requests import DisclosureRequest, sweep_abandoned_requests, sweep_unpaid_fees

    if DisclosureRequest.objects.exists():
        return 0
    users = {u.email: u for u in User.objects.filter(email__in=[CITIZEN, ORGANIZATION, CLERK, HEAD, ADMIN])}
    departments = {d.code: d for d in Department.objects.all()}
    if ADMIN not in users or not all(code in departments for code, *_rest in REQUESTS):
        return 0  # seed_demo's departments and accounts come first
    calendar = CalendarDay.objects.work_calendar()
    now, today = clock.now(), clock.today()
    created = 0
    with transaction.atomic():
        for code, account, channel, fields, steps in REQUESTS:
            department = departments[code]
            staff = users.get(CLERK) if code == "SCJG" and CLERK in users else users[ADMIN]
            head = users.get(HEAD) if code == "SCJG" and HEAD in users else users[ADMIN]
            first = _day(steps[0][0], calendar, today)
            # Each step is taken on its day: the moves date the case, its clock and its timeline.
            with clock.at(_at(first, now)):
                if account is not None:
                    request = DisclosureRequest.submit_online(by=users[account], department=department, **fields)
                else:
                    how, basis, *oral = channel
                    request = DisclosureRequest.register(
                        by=staff,
                        department=department,
                        channel=how,
                        receipt_basis=basis,
                        received_on=first,
                        oral=bool(oral),
                        **fields,
                    )
            taken = {}
            for when, move, arguments in steps:
                day = _day(when, calendar, today)
                taken[day] = taken.get(day, 0) + 1
                with clock.at(_at(day, now, taken[day])):
                    _move(request, move, arguments, day, staff, head, calendar)
            created += 1
        # Requests not corrected, or whose fee was not paid, in time are closed by the nightly sweep, on the day
        # after their deadline.
        for request in DisclosureRequest.objects.abandonment_due(today).select_related("case"):
            swept = request.correction_deadline + timedelta(days=1)
            with clock.at(_at(swept, now)):
                sweep_abandoned_requests(swept)
        for request in DisclosureRequest.objects.fee_lapsed(today).select_related("case"):
            swept = request.fee_due + timedelta(days=1)
            with clock.at(_at(swept, now)):
                sweep_unpaid_fees(swept)
    if stdout is not None:
        stdout.write(f"{created} disclosure requests")
    return created


def _move(request, move, arguments, day, staff, head, calendar):
    if move in ("received", "submitted"):
        return
    if move == "confirm":
        request.confirm(by=staff, today=day)
    elif move == "reply":
        request.reply(by=staff, today=day, **arguments)
    elif move == "fee_notice":
        request.send_fee_notice(by=staff, today=day, **arguments)
    elif move == "withdraw":
        request.withdraw(by=request.applicant or staff)
    elif move == "correct":
        deadline = workdays.compute(calendar, day, arguments["days"]).due
        request.request_correction(by=staff, items=arguments["items"], deadline=deadline, today=day)
    elif move == "consult":
        request.consult(by=staff, kind=arguments["kind"], party=arguments["party"], today=day)
    elif move == "answer":
        consultation = request.consultations.filter(answered_on__isnull=True).first()
        request.record_answer(
            by=staff,
            consultation=consultation,
            answered_on=day,
            objects_to_disclosure=arguments["objects"],
            answer=arguments.get("answer", ""),
            today=day,
        )
    elif move == "end_consultation":
        request.end_consultation(by=staff, today=day)
    elif move == "extend":
        request.extend(by=head, reason=arguments["reason"], days=arguments["days"], today=day)
