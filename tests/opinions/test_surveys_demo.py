"""The demo surveys: every state shown, results published for the closed one, and idempotent."""

import time

import pytest
from django.utils import timezone

from demo.opinions import surveys as demo_surveys
from opinions.models import Answer, Response, Survey
from tests.conftest import make_department


@pytest.mark.django_db
def test_demo_surveys_show_every_state_and_a_second_run_creates_nothing():
    for code, name in [("ZXBGS", "区政务服务中心办公室"), ("MZ", "区民政局"), ("WGL", "区文化和广电旅游体育局")]:
        make_department(code=code, name=name)
    started = time.monotonic()
    created = demo_surveys.seed()
    assert time.monotonic() - started < 5
    assert created == 4 + 42 + 420
    now = timezone.now()
    open_survey = Survey.objects.open(now).get()
    closed = Survey.objects.with_results(now).get()
    assert Survey.objects.upcoming(now).get().signed_in_only
    assert Survey.objects.filter(published_at__isnull=True).count() == 1
    assert open_survey.responses.count() == 42 and closed.responses.count() == 420
    results = closed.results()
    assert results.total == 420
    assert all(q.answered == 420 for q in results.questions[:4])
    assert Answer.objects.filter(response__survey=closed).exclude(text="").exists()
    assert not Response.objects.filter(created_at__gt=now).exists()
    assert demo_surveys.seed() == 0
    assert Response.objects.count() == 462
