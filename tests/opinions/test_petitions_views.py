"""The petitioner's pages and the staff's admin pages for petitions."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.lib.simplepdf import text_pdf
from opinions.models.petitions import Petition
from tests.conftest import assert_page_queries_fixed, make_staff, make_user, with_history
from tests.opinions.test_petitions import accepted, file, opinion

pytestmark = pytest.mark.django_db

FORM = {
    "name": "张明",
    "address": "示范区文三路 100 号",
    "phone": "13800138000",
    "request": "请求整改餐馆油烟直排",
    "facts": "楼下餐馆油烟直排已三个月。",
    "reasons": "影响居民健康。",
    "represented_count": "1",
    "represented_names": "",
    "representatives": "",
}


def pdf():
    return SimpleUploadedFile("证据.pdf", text_pdf("证据", ["工资条"]), "application/pdf")


def test_landing_page_is_public(client):
    response = client.get(reverse("opinions:petitions"))
    assert response.status_code == 200
    assert reverse("opinions:petition-new").encode() in response.content


def test_filing_needs_sign_in(client):
    response = client.get(reverse("opinions:petition-new"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("opinions:my-petitions")).status_code == 302


def test_file_a_petition_with_an_attachment_and_get_the_receipt(client, applicant, department):
    client.force_login(applicant)
    response = client.post(reverse("opinions:petition-new"), {**FORM, "department": department.pk, "attachment": pdf()})
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    page = client.get(petition.get_absolute_url())
    assert petition.case.number in page.content.decode() and petition.case.query_code in page.content.decode()
    stored = petition.files.get()
    download = client.get(reverse("opinions:petition-file", args=[petition.pk, stored.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("missing", ["name", "address", "request", "facts", "reasons"])
def test_missing_required_field_is_a_form_error_art_19(client, applicant, department, missing):
    client.force_login(applicant)
    response = client.post(reverse("opinions:petition-new"), {**FORM, "department": department.pk, missing: ""})
    assert response.status_code == 200
    assert missing in response.context["form"].errors
    assert not Petition.objects.exists()


def test_six_representatives_is_a_form_error_art_20(client, applicant, department):
    client.force_login(applicant)
    data = {**FORM, "department": department.pk, "represented_count": "30", "representatives": "甲\n乙\n丙\n丁\n戊\n己"}
    response = client.post(reverse("opinions:petition-new"), data)
    assert "representatives" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_duplicate_is_a_form_error_naming_the_pending_petition_art_19(client, applicant, department):
    first = file(applicant, department, name=FORM["name"], address=FORM["address"], request=FORM["request"])
    client.force_login(applicant)
    response = client.post(reverse("opinions:petition-new"), {**FORM, "department": department.pk})
    assert response.status_code == 200
    assert first.case.number in " ".join(response.context["form"].non_field_errors())
    assert Petition.objects.count() == 1


def test_bad_attachment_is_a_form_error(client, applicant, department):
    client.force_login(applicant)
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")
    response = client.post(reverse("opinions:petition-new"), {**FORM, "department": department.pk, "attachment": bad})
    assert "attachment" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_another_users_petition_is_404(client, applicant, other_applicant, department):
    petition = file(applicant, department)
    client.force_login(other_applicant)
    assert client.get(petition.get_absolute_url()).status_code == 404
    assert client.post(reverse("opinions:petition-review", args=[petition.pk]), {"reason": "x"}).status_code == 404


def test_my_petitions_fixed_queries(client, applicant, department, django_assert_num_queries):
    client.force_login(applicant)
    counts = []
    for total in (2, 20):
        while Petition.objects.filter(petitioner=applicant).count() < total:
            file(applicant, department, request=f"请求 {Petition.objects.count()}")
        with django_assert_num_queries(4) as captured:
            response = client.get(reverse("opinions:my-petitions"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_request_review_from_the_petition_page(client, applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user, today=timezone.localdate() - timedelta(days=5))
    opinion(petition, staff_user, timezone.localdate() - timedelta(days=1))
    client.force_login(applicant)
    page = client.get(petition.get_absolute_url())
    assert reverse("opinions:petition-review", args=[petition.pk]).encode() in page.content
    assert reverse("opinions:petition-opinion", args=[petition.pk, "handling"]).encode() in page.content
    assert reverse("accounts:rate", args=[petition.case.number]).encode() in page.content
    assert client.get(reverse("opinions:petition-review", args=[petition.pk])).status_code == 405
    client.post(reverse("opinions:petition-review", args=[petition.pk]), {"reason": ""})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPINION_ISSUED
    client.post(reverse("opinions:petition-review", args=[petition.pk]), {"reason": "整改没有落实"})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REVIEW_REQUESTED


def test_late_review_request_shows_the_day_the_period_ended(client, applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user, today=date(2026, 8, 1))
    opinion(petition, staff_user, date(2026, 9, 10))
    client.force_login(applicant)
    page = client.get(petition.get_absolute_url())
    assert b"2026-10-10" in page.content
    response = client.post(reverse("opinions:petition-review", args=[petition.pk]), {"reason": "不服"}, follow=True)
    assert "2026-10-10" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPINION_ISSUED


def test_printable_opinion_to_owner_and_staff_only(client, applicant, other_applicant, department, staff_user):
    petition = accepted(applicant, department, staff_user, today=date(2026, 8, 1))
    opinion(petition, staff_user, date(2026, 9, 10))
    url = reverse("opinions:petition-opinion", args=[petition.pk, "handling"])
    assert client.get(url).status_code == 404
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    response = client.get(url)
    assert "大气污染防治法" in response.content.decode()
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("opinions:petition-opinion", args=[petition.pk, "review"])).status_code == 404


# --- Admin -----------------------------------------------------------------------------


def test_admin_queue_fixed_queries_and_scoped(
    client, applicant, department, other_department, staff_user, django_assert_max_num_queries
):
    other = make_user("wang@example.cn", full_name="王五")
    file(other, other_department)
    client.force_login(staff_user)
    url = reverse("admin:opinions_petition_changelist")
    counts = []
    for total in (2, 20):
        while Petition.objects.filter(case__department=department).count() < total:
            file(applicant, department, request=f"请求 {Petition.objects.count()}")
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert "王五" not in response.content.decode()


def test_admin_handle_page_accepts_extends_and_issues(client, applicant, department, staff_user):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    petition = file(applicant, department)
    url = reverse("admin:opinions_petition_move", args=[petition.pk])
    client.force_login(staff_user)
    assert client.get(reverse("admin:opinions_petition_change", args=[petition.pk])).status_code == 302
    client.post(url, {"move": "accept", "accept-note": ""})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ACCEPTED
    assert client.post(url, {"move": "extend", "extend-days": "10", "extend-reason": "勘验"}).status_code == 403
    client.force_login(head)
    response = client.post(url, {"move": "extend", "extend-days": "31", "extend-reason": "勘验"})
    extend_form = next(form for move, form, _page in response.context["moves"] if move.name == "extend")
    assert response.status_code == 200 and "days" in extend_form.errors
    client.post(url, {"move": "extend", "extend-days": "10", "extend-reason": "勘验"})
    petition.refresh_from_db()
    assert petition.extension_days == 10
    opinion = {"outcome": "supported", "facts": "事实", "legal_basis": "", "text": "意见"}
    client.post(
        url, {"move": "issue_handling_opinion", **{f"issue_handling_opinion-{k}": v for k, v in opinion.items()}}
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ACCEPTED
    opinion["legal_basis"] = "依据"
    client.post(
        url, {"move": "issue_handling_opinion", **{f"issue_handling_opinion-{k}": v for k, v in opinion.items()}}
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPINION_ISSUED


def test_admin_other_departments_petition_is_404(client, applicant, other_department, staff_user):
    petition = file(applicant, other_department)
    client.force_login(staff_user)
    assert client.get(reverse("admin:opinions_petition_move", args=[petition.pk])).status_code == 404


def test_admin_registers_a_visit(client, department, staff_user):
    client.force_login(staff_user)
    data = {**FORM, "department": department.pk, "channel": "window", "email": ""}
    response = client.post(reverse("admin:opinions_petition_register"), data)
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert petition.case.channel == "window" and petition.petitioner is None
    response = client.post(reverse("admin:opinions_petition_register"), {**data, "facts": ""})
    assert response.status_code == 200 and Petition.objects.count() == 1


def test_admin_transition_page_keeps_a_fixed_number_of_queries(client, applicant, department, staff_user):
    short, longer = file(applicant, department), file(applicant, department, request="另一事项")
    with_history(longer.case, staff_user)
    client.force_login(staff_user)
    url = "admin:opinions_petition_move"
    assert_page_queries_fixed(client, reverse(url, args=[short.pk]), reverse(url, args=[longer.pk]))
