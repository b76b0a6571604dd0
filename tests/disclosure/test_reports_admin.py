"""The annual reports in the admin: generation per department, staff figures, regeneration, publication."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter import roles
from disclosure import annual
from disclosure.forms.reports import TABLE4_FIELDS
from disclosure.models import AnnualReport
from tests.conftest import make_department, make_staff
from tests.disclosure.test_reports_generator import make_request_set

CHANGELIST = reverse("admin:disclosure_annualreport_changelist")
GENERATE = reverse("admin:disclosure_annualreport_generate")


def change_url(report):
    return reverse("admin:disclosure_annualreport_change", args=[report.pk])


def publish_url(report):
    return reverse("admin:disclosure_annualreport_publish", args=[report.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def administrator(department):
    return make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def form_data(report, **changes):
    data = {
        "overview": "2025年，本局认真贯彻落实《条例》，政府信息公开工作取得新进展。",
        "proactive_text": "",
        "requests_text": "",
        "remedies_text": "",
        "problems": "",
        "other": "",
        "penalty": "37",
        "coercion": "4",
        "fees": "1.2500",
        **{name: "0" for name in TABLE4_FIELDS},
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_head_sees_the_reports_of_their_department_only(client, head, department, other_department):
    mine = AnnualReport.generate(2025, department)
    theirs = AnnualReport.generate(2025, other_department)
    district = AnnualReport.generate(2025)
    client.force_login(head)
    rows = list(client.get(CHANGELIST).context["cl"].result_list)
    assert rows == [mine]
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 302  # "does not exist"
    assert client.get(change_url(district)).status_code == 302
    assert client.post(publish_url(theirs)).status_code == 404
    assert client.post(publish_url(district)).status_code == 404


@pytest.mark.django_db
def test_center_wide_roles_see_every_report(client, administrator, department, other_department):
    reports = {AnnualReport.generate(2025, department), AnnualReport.generate(2025, other_department)}
    reports.add(AnnualReport.generate(2025))
    client.force_login(administrator)
    assert set(client.get(CHANGELIST).context["cl"].result_list) == reports


@pytest.mark.django_db
def test_a_head_generates_the_report_of_their_department(english, head, department, other_department):
    english.force_login(head)
    page = english.get(GENERATE)
    assert page.status_code == 200
    assert [code for code, _label in page.context["form"].fields["scope"].choices] == ["scjg"]
    response = english.post(GENERATE, {"year": "2025", "scope": "scjg"})
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(report)
    assert (report.year, report.department, report.is_generated) == (2025, department, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"year": "2025", "scope": "district"},
        {"year": "2025", "scope": "mz"},
        {"year": "2007", "scope": "scjg"},
        {"year": "2999", "scope": "scjg"},
        {"year": "二〇二五", "scope": "scjg"},
        {"scope": "scjg"},
    ],
)
def test_a_head_cannot_generate_other_reports_or_bad_years(client, head, other_department, data):
    client.force_login(head)
    response = client.post(GENERATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AnnualReport.objects.exists()


@pytest.mark.django_db
def test_a_system_administrator_generates_the_district_report(client, administrator, department, other_department):
    make_request_set(department, other_department)
    client.force_login(administrator)
    choices = [code for code, _label in client.get(GENERATE).context["form"].fields["scope"].choices]
    assert choices == ["district", "scjg", "mz"]
    client.post(GENERATE, {"year": "2025", "scope": "district"})
    report = AnnualReport.objects.get()
    assert report.department is None and report.table3["rows"]["1"]["total"] == 13


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.CENTER_SUPERVISOR, roles.DEPARTMENT_REVIEWER, roles.CONTENT_EDITOR])
def test_others_cannot_generate_or_publish(client, department, role):
    report = AnnualReport.generate(2025, department)
    report.overview = "概述"
    report.save()
    client.force_login(make_staff("someone@example.cn", role, department))
    assert client.get(GENERATE).status_code == 403
    assert client.post(publish_url(report)).status_code in (403, 404)
    report.refresh_from_db()
    assert not report.is_published


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login(client, department):
    report = AnnualReport.generate(2025, department)
    for url in (CHANGELIST, GENERATE, change_url(report)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.post(publish_url(report))
    report.refresh_from_db()
    assert not report.is_published


@pytest.mark.django_db
def test_staff_enter_figures_and_narrative(english, head, department):
    report = AnnualReport.generate(2025, department)
    english.force_login(head)
    page = english.get(change_url(report))
    assert page.status_code == 200
    data = form_data(
        report, t4_reconsideration_upheld="2", t4_reconsideration_pending="1", t4_litigation_after_corrected="1"
    )
    response = english.post(change_url(report), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.overview.startswith("2025年")
    assert (report.table2["penalty"], report.table2["coercion"], report.table2["fees"]) == (37, 4, "1.25")
    assert report.table4["reconsideration"] == {"upheld": 2, "corrected": 0, "other": 0, "pending": 1, "total": 3}
    assert report.table4["litigation_after"]["total"] == 1
    assert report.table2["normative"] == {"issued": 0, "repealed": 0, "in_force": 0}  # generated figures kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [{"penalty": "-1"}, {"fees": "-0.01"}, {"t4_reconsideration_upheld": "-3"}, {"coercion": "很多"}, {"fees": ""}],
)
def test_negative_or_missing_figures_are_refused_and_nothing_is_saved(english, head, department, bad):
    report = AnnualReport.generate(2025, department)
    english.force_login(head)
    response = english.post(change_url(report), form_data(report, **bad))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.overview == "" and report.table2["penalty"] == 0


@pytest.mark.django_db
def test_publish_refuses_an_unbalanced_report_and_shows_the_failures(english, head, department, other_department):
    make_request_set(department, other_department)
    report = AnnualReport.generate(2025, department)
    report.overview = "概述"
    report.table3["rows"]["2"]["business"] += 2
    report.save()
    english.force_login(head)
    response = english.post(publish_url(report))
    assert response.status_code == 302
    shown = messages_of(response)
    assert any("not published" in message for message in shown)
    assert any("Businesses" in message and "carried over 3" in message for message in shown)
    report.refresh_from_db()
    assert not report.is_published


@pytest.mark.django_db
def test_publish_and_regenerate_from_the_change_page(english, head, department, other_department):
    report = AnnualReport.generate(2025, department)
    report.overview = "概述"
    report.save()
    make_request_set(department, other_department)
    english.force_login(head)
    page = english.get(change_url(report))
    assert reverse("admin:disclosure_annualreport_regenerate", args=[report.pk]).encode() in page.content
    assert english.get(publish_url(report)).status_code == 405
    english.post(reverse("admin:disclosure_annualreport_regenerate", args=[report.pk]))
    report.refresh_from_db()
    assert report.table3["rows"]["3.7"]["total"] == 11
    response = english.post(publish_url(report))
    assert any("is published" in message for message in messages_of(response))
    report.refresh_from_db()
    assert report.is_published and report.published_by == head


@pytest.mark.django_db
def test_the_publish_action_publishes_balanced_reports_and_refuses_the_others(
    english, administrator, department, other_department
):
    good = AnnualReport.generate(2025, department)
    good.overview = "概述"
    good.save()
    no_overview = AnnualReport.generate(2025, other_department)
    english.force_login(administrator)
    response = english.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [good.pk, no_overview.pk]}, follow=True
    )
    good.refresh_from_db()
    no_overview.refresh_from_db()
    assert good.is_published and not no_overview.is_published
    assert any("overview" in message for message in (str(m) for m in response.context["messages"]))


@pytest.mark.django_db
def test_a_published_report_is_read_only_in_the_admin(english, head, department):
    report = AnnualReport.generate(2025, department)
    report.overview = "概述"
    report.save()
    report.publish(by=head)
    english.force_login(head)
    page = english.get(change_url(report))
    assert page.status_code == 200
    assert b'name="penalty"' not in page.content and b'name="overview"' not in page.content
    english.post(change_url(report), form_data(report, overview="改写"))
    report.refresh_from_db()
    assert report.overview == "概述"
    english.post(reverse("admin:disclosure_annualreport_regenerate", args=[report.pk]))
    english.post(CHANGELIST, {"action": "regenerate_selected", "_selected_action": [report.pk]})
    assert AnnualReport.objects.get().overview == "概述"


@pytest.mark.django_db
def test_the_changelist_costs_a_fixed_number_of_queries(client, administrator, department, django_assert_num_queries):
    AnnualReport.generate(2025, department)
    client.force_login(administrator)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for n in range(8):
        AnnualReport.generate(2024 - n, department)
        AnnualReport.generate(2025, make_department(f"D{n}", f"区部门{n}"))
    AnnualReport.generate(2025)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 18


def test_the_form_has_every_column_of_table4():
    assert len(TABLE4_FIELDS) == 3 * 4
    assert len(annual.TABLE4_GROUPS) * len(annual.TABLE4_COLUMNS) == 15
