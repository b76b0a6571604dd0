"""The demo seed of the 2025 reports: generated from the data present, mostly published, idempotent."""

import pytest

from demo.disclosure import reports as demo_reports
from disclosure.models import AnnualReport
from tests.conftest import make_department
from tests.disclosure.test_reports_generator import make_request_set


@pytest.mark.django_db
def test_the_demo_reports_are_generated_published_and_seeded_once(department, other_department):
    make_request_set(department, other_department)
    third = make_department(code="WGL", name="区文化和广电旅游体育局", order=200)
    assert demo_reports.seed() == 4
    district = AnnualReport.objects.get(department=None)
    assert district.is_published and district.check_balance() == []
    assert district.table3["rows"]["1"]["total"] == 13
    assert "区人民政府" in district.overview
    assert AnnualReport.objects.get(department=department).is_published
    assert not AnnualReport.objects.get(department=third).is_published  # the last one is left to finish
    assert all(report.table4["reconsideration"]["total"] >= 0 for report in AnnualReport.objects.all())
    before = list(AnnualReport.objects.order_by("pk").values())
    assert demo_reports.seed() == 0
    assert list(AnnualReport.objects.order_by("pk").values()) == before
