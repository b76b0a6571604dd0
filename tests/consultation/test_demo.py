import pytest

from civiccenter import roles
from civiccenter.lib.scrub import contains_personal_details
from civiccenter.management.commands.seed_demo import DEPARTMENTS
from consultation.models import Interpretation, Interview, KnowledgeEntry, Lecture, Question, Registration, Topic
from demo.consultation import questions as demo
from tests.conftest import make_department, make_staff, make_user


@pytest.mark.django_db
def test_demo_seed_is_complete_and_idempotent():
    departments = [make_department(code=code, name=name, name_en=name_en) for code, name, name_en, *_ in DEPARTMENTS]
    make_staff("admin@demo.civiccenter.example", roles.SYSTEM_ADMINISTRATOR, departments[0])
    make_user("citizen@demo.civiccenter.example")
    assert demo.seed() > 0
    assert set(Topic.objects.values_list("department__code", flat=True)) == {code for code, *_ in DEPARTMENTS}
    assert Question.objects.filter(status="answered").count() >= 200
    # The cases stand on the days they were handled, so supervision shows real handling times:
    # answered within days, most on time, a few late.
    from django.db.models import F

    from civiccenter.cases import Case

    closed = Case.objects.filter(kind="consultation", closed_at__isnull=False)
    assert not closed.filter(closed_at__date__gt=F("received_on") + 20).exists()
    late = closed.filter(closed_at__date__gt=F("due_at_close")).count()
    assert 0 < late < closed.count() / 5
    published = Question.objects.published()
    assert published.count() > 150 and Question.objects.filter(published_at__isnull=True).exists()
    assert not any(contains_personal_details(q.public_body + q.public_answer) for q in published)
    assert Question.objects.count() <= 300
    titles = list(published.values_list("public_title", flat=True))
    assert len(set(titles)) == len(titles)  # no two published questions share a title
    assert Question.objects.values("title").distinct().count() == Question.objects.count()
    assert KnowledgeEntry.objects.stale().exists() and Interpretation.objects.count() == 3
    assert Lecture.objects.count() == 2 and Registration.objects.filter(status="waitlisted").exists()
    assert set(Interview.objects.values_list("status", flat=True)) == {"finished", "announced"}
    counts = [model.objects.count() for model in (Topic, Question, KnowledgeEntry, Lecture, Interview)]
    assert demo.seed() == 0
    assert [model.objects.count() for model in (Topic, Question, KnowledgeEntry, Lecture, Interview)] == counts
