"""Demo data for proactive disclosure: a few hundred documents of the demo departments, 2024-2026.

Called by `manage.py seed_demo` after the departments exist. Idempotent: every
document is keyed on its document number, so a second run creates nothing.
Generated from templates with a fixed random seed, so every run gives the same
titles, dates and numbers; dates are moved back when they would fall after today.
"""

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

import demo
from civiccenter.lib import clock, workdays
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import CalendarDay, Department
from disclosure.models import Attachment, Category, Document, Topic

_DATA = demo.load("disclosure", "documents")

# department code: (document number prefix, topic, [(category, kind, title template)])
# {year} is the year; {subject} one of the department's subjects.
DEPARTMENTS = {
    code: (
        row["prefix"],
        row.get("topic"),
        row["subjects"],
        [(template["category"], template["kind"], template["title"]) for template in row["templates"]],
    )
    for code, row in _DATA["departments"].items()
}

BUDGET = ("20-7", "other", "finance", "示范区{department}{year}年部门预算公开")
FEES = ("20-8", "other", "finance", "示范区{department}行政事业性收费项目及标准（{year}年）")

PARAGRAPHS = _DATA["paragraphs"]
EXTRA = _DATA["extra"]


def _working_days_after(calendar, start, days):
    return workdays.compute(calendar, start, days).due


def _plan(today):
    """Every demo document as a dict, in a fixed order (the same on every run)."""
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not secrets
    plans = []
    for code, (prefix, topic, subjects, templates) in DEPARTMENTS.items():
        numbers = {}
        for year in (2024, 2025, 2026):
            count = 12 if year < 2026 else 10
            for i in range(count):
                category, kind, template = templates[i % len(templates)]
                subject = subjects[(i + year) % len(subjects)]
                formed = date(year, 1, 6) + timedelta(days=rng.randrange(0, 330))
                numbers[year] = numbers.get(year, 0) + 1
                plans.append(
                    {
                        "code": code,
                        "number": f"{prefix}〔{year}〕{numbers[year]}号",
                        "title": template.format(year=year, subject=subject, n=(formed.month - 1) // 3 + 1),
                        "category": category,
                        "kind": kind,
                        "topic": topic,
                        "subject": subject,
                        "formed": formed,
                        "delay": rng.randrange(1, 19),
                        "attachment": rng.random() < 0.3,
                    }
                )
        for year in (2024, 2025, 2026):
            for category, kind, topic_slug, template in (BUDGET, FEES):
                numbers[year] = numbers.get(year, 0) + 1
                plans.append(
                    {
                        "code": code,
                        "number": f"{prefix}〔{year}〕{numbers[year]}号",
                        "title": template.format(year=year, department="{department}"),
                        "category": category,
                        "kind": kind,
                        "topic": topic_slug,
                        "subject": "部门预算" if template is BUDGET[3] else "行政事业性收费",
                        "formed": date(year, 2, 10) + timedelta(days=rng.randrange(0, 20)),
                        "delay": rng.randrange(1, 19),
                        "attachment": True,
                    }
                )
    return plans


def _body(plan, department):
    values = {
        "subject": plan["subject"],
        "year": plan["formed"].year,
        "kind": "通知" if "通知" in plan["title"] else "文件",
        "department": department.name.removeprefix("区"),
        "phone": department.phone or "12345",
    }
    paragraphs = [p.format(**values) for p in PARAGRAPHS]
    extra = EXTRA[sum(map(ord, plan["number"])) % len(EXTRA)]
    paragraphs.insert(4, extra.format(**values))
    return "\n\n".join(paragraphs)


@transaction.atomic
def seed(stdout=None):
    """Create the demo documents that are missing; return how many rows were created."""
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    if not departments:
        return 0
    today = clock.today()
    calendar = CalendarDay.objects.work_calendar()
    categories = {c.code: c for c in Category.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    plans = [p for p in _plan(today) if p["code"] in departments]
    existing = set(
        Document.objects.filter(document_number__in=[p["number"] for p in plans]).values_list(
            "document_number", flat=True
        )
    )
    created = 0
    documents = {}
    latest_formed = today - timedelta(days=45)
    for plan in plans:
        if plan["number"] in existing:
            continue
        department = departments[plan["code"]]
        formed = min(plan["formed"], latest_formed - timedelta(days=plan["delay"]))
        document = Document.objects.create(
            title=plan["title"].format(department=department.name.removeprefix("区")),
            document_number=plan["number"],
            department=department,
            category=categories[plan["category"]],
            topic=topics.get(plan["topic"]) if plan["topic"] else None,
            kind=plan["kind"],
            formed_on=formed,
            summary=f"{plan['title'].format(department=department.name)}。主要内容包括{plan['subject']}的适用范围、办理条件、办理程序和监督管理等事项。",
            body=_body(plan, department),
        )
        # Most are published on time; one in twelve a few days after the Art. 26 limit.
        delay = plan["delay"] + (25 if len(documents) % 12 == 5 else 0)
        published = min(_working_days_after(calendar, formed, delay), today)
        document.publish(today=published)
        created += 1
        if plan["attachment"]:
            Attachment.objects.create(
                document=document,
                title=f"{document.title}（全文）.pdf",
                file=ContentFile(
                    text_pdf(document.title, [document.document_number, document.department.name, "（正文见附件）"]),
                    name="attachment.pdf",
                ),
            )
            created += 1
        documents[plan["number"]] = document
    created += _revisions(departments, today, calendar)
    created += _drafts(departments, categories, today, calendar)
    if stdout is not None:
        stdout.write(f"Disclosure documents: {created} rows created.")
    return created


# (department, number of a 2024 document, its fate, number of the new text or None)
FATES = [(row["department"], row["number"], row["fate"], row.get("new_number")) for row in _DATA["fates"]]


def _revisions(departments, today, calendar):
    """Some 2024 documents were amended or repealed in 2025, linked to the text that replaced them."""
    count = 0
    for code, number, fate, new_number in FATES:
        old = Document.objects.filter(document_number=number, validity=Document.Validity.IN_FORCE).first()
        if code not in departments or old is None or old.published_on is None:
            continue
        on = min(old.published_on + timedelta(days=420), today)
        replacement = None
        if new_number:
            formed = on - timedelta(days=14)
            replacement = Document.objects.create(
                title=f"{old.title.removesuffix('的通知')}（{formed.year}年修订）",
                document_number=new_number,
                department=old.department,
                category=old.category,
                topic=old.topic,
                kind=old.kind,
                formed_on=formed,
                summary=f"对{old.document_number}进行修订。" + old.summary,
                body=old.body.replace("自印发之日起施行", f"自印发之日起施行，{old.document_number}同时废止"),
            )
            replacement.publish(today=max(formed, min(_working_days_after(calendar, formed, 5), on)))
            replacement.related.add(old)
            count += 1
            on = max(on, replacement.published_on)
        if fate == "amend":
            old.amend(replaced_by=replacement, on=on)
        else:
            old.repeal(on=on, replaced_by=replacement)
        count += 1
    return count


# (department, number template, category, title template, working days since it was formed)
DRAFTS = [
    (row["department"], row["number"], row["category"], row["title"], row["working_days_ago"])
    for row in _DATA["drafts"]
]


def _drafts(departments, categories, today, calendar):
    """Unpublished drafts formed some working days ago: late (red) and due soon (amber) in the admin."""
    count = 0
    for code, number, category, title, working_days_ago in DRAFTS:
        number = number.format(year=today.year)
        if code not in departments or Document.objects.filter(document_number=number).exists():
            continue
        formed = today
        while workdays.working_days_between(calendar, formed, today) < working_days_ago:
            formed -= timedelta(days=1)
        Document.objects.create(
            title=title.format(year=today.year),
            document_number=number,
            department=departments[code],
            category=categories[category],
            formed_on=formed,
            summary=title.format(year=today.year) + "（待发布）。",
            body="本文件正在履行发布程序。",
        )
        count += 1
    return count
