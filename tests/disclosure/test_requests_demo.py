"""The demo requests: every state, every demo department's kind of request, idempotent."""

import pytest
from django.core.management import call_command

from civiccenter.cases import Case
from demo.disclosure import requests as demo_requests
from disclosure.models.requests import DisclosureRequest


@pytest.mark.django_db
def test_demo_requests_cover_every_state_and_are_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    DisclosureRequest.objects.all().delete()  # in case seed_demo already seeds them
    Case.objects.filter(kind="disclosure").delete()
    created = demo_requests.seed()
    assert created == len(demo_requests.REQUESTS)
    assert set(DisclosureRequest.objects.values_list("status", flat=True)) == set(DisclosureRequest.Status.values)
    replied_2025 = DisclosureRequest.objects.filter(status="replied", replied_on__year=2025)
    assert replied_2025.values("reply_type").distinct().count() >= 6
    carried_over = DisclosureRequest.objects.filter(case__received_on__year=2025, replied_on__year=2026)
    assert carried_over.count() == 2
    assert Case.objects.filter(kind="disclosure").overdue().count() >= 2
    assert DisclosureRequest.objects.filter(case__closed_at__year=2025).count() >= 9  # dated back
    assert demo_requests.seed() == 0
    assert DisclosureRequest.objects.count() == created
