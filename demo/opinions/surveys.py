"""Demo surveys: one open (the service hall's satisfaction survey, a few dozen responses), one closed with several
hundred responses and published results (community elderly-care canteens), one opening soon and one still being
prepared. Idempotent: surveys are found by title. Responses and answers are bulk-inserted, with a fixed random
seed so every run draws the same answers.
"""

import random
from datetime import timedelta

from django.db import transaction

import demo
from civiccenter.lib import clock
from civiccenter.models import Department, User
from opinions.models.surveys import Answer, Choice, Question, Response, Survey

_DATA = demo.load("opinions", "surveys")


def _question(row):
    """(text, kind, required, choices or (scale_max, low, high) or None, weights or None)"""
    if "scale" in row:
        choices = (row["scale"]["max"], row["scale"]["low"], row["scale"]["high"])
    else:
        choices = row.get("choices")
    return (row["text"], row["kind"], row["required"], choices, row.get("weights"))


# title, department code, introduction, audience, (start, end) days from now, published, responses,
# questions: (text, kind, required, choices or (scale_max, low, high), weights)
SURVEYS = [
    (
        row["title"],
        row["department"],
        row["introduction"],
        row["audience"],
        (row["opens"], row["closes"]),
        row["published"],
        row["responses"],
        [_question(question) for question in row["questions"]],
    )
    for row in _DATA["surveys"]
]

WRITTEN = _DATA["written"]


def _draw(rng, weights):
    return rng.choices(range(len(weights)), weights=weights)[0]


@transaction.atomic
def seed(stdout=None) -> int:
    editor = User.objects.filter(email="editor@demo.civiccenter.example").first()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for title, code, intro, audience, (start, end), published, n_responses, questions in SURVEYS:
        department = Department.objects.filter(code=code).first()
        if department is None or Survey.objects.filter(title=title).exists():
            continue
        opens = now + timedelta(days=start)
        survey = Survey.objects.create(
            title=title,
            introduction=intro,
            department=department,
            audience=audience,
            opens_at=opens,
            closes_at=now + timedelta(days=end),
            anonymous_limit=3,
            created_at=opens - timedelta(days=3),
        )
        created += 1
        plan = []
        for order, (text, kind, required, options, weights) in enumerate(questions, 1):
            question = Question(survey=survey, order=order, text=text, kind=kind, required=required)
            if kind == "scale":
                question.scale_max, question.scale_min_label, question.scale_max_label = options
            question.save()
            choices = []
            if kind in ("single", "multiple"):
                choices = Choice.objects.bulk_create(
                    Choice(question=question, order=i, text=choice) for i, choice in enumerate(options, 1)
                )
            plan.append((question, choices, weights))
        if published:
            survey.publish(by=editor, now=opens - timedelta(days=1))
        if n_responses:
            created += _responses(survey, plan, n_responses, citizen if end < 0 else None, opens, now)
    if stdout and created:
        stdout.write(f"  surveys: {created} surveys and responses\n")
    return created


def _responses(survey, plan, n, citizen, opens, now):
    """`n` responses spread over the period so far; the demo citizen answers the closed survey only (so that the
    open one can still be tried with that account)."""
    rng = random.Random(survey.title)  # noqa: S311 - demo data, not security
    last = min(now, survey.closes_at)
    span = (last - opens).total_seconds()
    responses = []
    for i in range(n):
        created_at = opens + timedelta(seconds=span * (i + rng.random()) / n)
        if i == 0 and citizen is not None:
            responses.append(Response(survey=survey, respondent=citizen, created_at=created_at))
        else:
            key = f"demo-{survey.pk}-{i}"
            responses.append(Response(survey=survey, client_key=key, client_slot=1, created_at=created_at))
    responses = Response.objects.bulk_create(responses)
    written = WRITTEN[:5] if "大厅" in survey.title else WRITTEN[5:]
    answers = []
    for response in responses:
        for question, choices, weights in plan:
            if question.kind == "single":
                answers.append(Answer(response=response, question=question, choice=choices[_draw(rng, weights)]))
            elif question.kind == "multiple":
                picked = [c for c, w in zip(choices, weights, strict=True) if rng.random() < w / 100]
                if not picked and question.required:
                    picked = [choices[_draw(rng, weights)]]
                answers.extend(Answer(response=response, question=question, choice=c) for c in picked)
            elif question.kind == "scale":
                answers.append(Answer(response=response, question=question, value=_draw(rng, weights) + 1))
            elif rng.random() < 0.15:
                answers.append(Answer(response=response, question=question, text=rng.choice(written)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)
