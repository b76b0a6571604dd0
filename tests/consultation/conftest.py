from datetime import date

import pytest

from civiccenter import roles
from consultation.models import Question, Topic
from tests.conftest import make_staff

# prc-rules.md §9 and civiccenter migration 0004: Mid-Autumn 25-27 Sep 2026, National Day 1-7 Oct,
# Sun 20 Sep and Sat 10 Oct working days.
THU_24_SEP = date(2026, 9, 24)


def make_topic(department, slug="food-safety", name="食品安全", reply_days=5, **fields):
    fields.setdefault("name_en", "Food safety")
    return Topic.objects.create(slug=slug, name=name, department=department, reply_days=reply_days, **fields)


def ask(asker, topic, *, title="食品经营许可证有效期多久？", body="我的餐馆许可证快到期了，有效期是几年？", **kwargs):
    return Question.ask(asker=asker, topic=topic, title=title, body=body, **kwargs)


@pytest.fixture
def topic(department):
    return make_topic(department)


@pytest.fixture
def reviewer(staff_user):
    return staff_user


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def other_head(other_department):
    return make_staff("head2@example.cn", roles.DEPARTMENT_HEAD, other_department, full_name="刘强")


def answered(asker, topic, reviewer, head, *, consent=True, body="请问许可证有效期？我的电话13812345678", **kwargs):
    question = ask(asker, topic, body=body, consent_to_publish=consent, **kwargs)
    question.draft_answer(by=reviewer, text="有效期为5年。如需咨询请拨打0571-86010101。")
    question.approve(by=head)
    return question


def published(asker, topic, reviewer, head, **kwargs):
    question = answered(asker, topic, reviewer, head, **kwargs)
    draft, _findings = question.publication_draft()
    question.publish(by=head, **draft)
    return question
