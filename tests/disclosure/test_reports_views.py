"""The public pages of the annual reports: list, report page, CSV; unpublished reports are not there."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter import roles
from disclosure import annual
from disclosure.models import AnnualReport
from tests.conftest import make_department, make_staff
from tests.disclosure.test_reports_generator import make_request_set

LIST = reverse("disclosure:report-list")


def published(year, department=None, by=None):
    report = AnnualReport.generate(year, department)
    report.overview = f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
    report.problems = "依申请公开答复文书的规范性有待提高。"
    report.save()
    report.publish(by=by, now=datetime(year + 1, 1, 15, 2, tzinfo=UTC))
    return report


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def report(department, other_department):
    make_request_set(department, other_department)
    return published(2025, department)


@pytest.mark.django_db
def test_the_list_shows_published_reports_by_year(english, report, department):
    published(2025)
    published(2024, department)
    AnnualReport.generate(2023, department)  # a draft: not listed
    response = english.get(LIST)
    assert response.status_code == 200
    assert [r.pk for r in response.context["reports"]] == [
        AnnualReport.objects.get(year=2025, department=None).pk,
        report.pk,
        AnnualReport.objects.get(year=2024).pk,
    ]
    assert b"Reports for 2025" in response.content and b"Reports for 2023" not in response.content
    assert report.get_absolute_url().encode() in response.content


@pytest.mark.django_db
def test_the_report_page_shows_the_tables_and_sections(english, report):
    url = reverse("disclosure:report", args=[2025, "scjg"])
    assert report.get_absolute_url() == url == "/disclosure/reports/2025/scjg/"
    response = english.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "依申请公开答复文书的规范性有待提高" in html
    assert (
        html.count('<th scope="row"') == len([row for row in annual.ROWS if not row[3]]) + 6
    )  # + table 2: 2 + 3 + 1 rows
    # Row 三(七) of the hand-computed table: 5 2 1 1 1 1 11.
    row = html.split("(7) Total</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[1] for cell in row.split("</td>")[:-1]] == ["5", "2", "1", "1", "1", "1", "11"]
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert "Disclosure fees charged this year (Article 42): 100.00 yuan, for 1 request." in html


@pytest.mark.django_db
def test_the_scope_ignores_case_and_the_district_has_its_own(client, report):
    assert client.get("/disclosure/reports/2025/SCJG/").status_code == 200
    assert client.get("/disclosure/reports/2025/district/").status_code == 404
    published(2025)
    assert client.get("/disclosure/reports/2025/district/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/disclosure/reports/2025/scjg/", "/disclosure/reports/2025/scjg.csv"])
def test_unpublished_reports_are_not_found(client, department, url):
    AnnualReport.generate(2025, department)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_unpublished_reports_are_not_found_even_by_staff(client, department):
    AnnualReport.generate(2025, department)
    client.force_login(make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department))
    assert client.get("/disclosure/reports/2025/scjg/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/disclosure/reports/1999/scjg/", "/disclosure/reports/2025/nosuch/", "/disclosure/reports/2025/sc.jg/"]
)
def test_bad_addresses_are_not_found(client, report, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_csv_has_a_bom_and_every_table(english, report):
    response = english.get("/disclosure/reports/2025/scjg.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="disclosure-report-2025-scjg.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert "(7) Total,5,2,1,1,1,1,11" in lines
    assert "I. New requests received this year,6,2,1,1,1,1,12" in lines
    assert "IV. Carried forward to next year,2,1,0,0,0,0,3" in lines
    assert "Administrative normative documents,0,0,0" in lines
    assert any(line.startswith("Table 4") for line in lines)
    assert lines[-1] == "," + ",".join(["0"] * 15)


@pytest.mark.django_db
def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    first = make_department("D0", "区部门0")
    published(2025, first)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(1, 8):
        published(2025, make_department(f"D{n}", f"区部门{n}"))
        published(2024, first if n == 1 else AnnualReport.objects.filter(year=2025).last().department)
    assert AnnualReport.objects.published().count() == 15
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["reports"]) == 15


@pytest.mark.django_db
def test_the_report_page_costs_a_fixed_number_of_queries(
    client, department, other_department, django_assert_num_queries
):
    report = published(2025, department)
    url = report.get_absolute_url()
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    make_request_set(department, other_department)
    AnnualReport.objects.filter(pk=report.pk).update(published_at=None)
    report.refresh_from_db()
    report.regenerate()
    report.publish(by=None)
    with django_assert_num_queries(len(empty.captured_queries)):
        response = client.get(url)
    assert response.context["report"].table3["rows"]["3.7"]["total"] == 11
