"""A petition names the unit it concerns (Letters and Visits Regulations Art. 30): that unit never handles it,
never receives it by a transfer, and its staff never see it, whatever their role, exactly as for a report of
wrongdoing (the one rule in opinions/models/concerned_unit.py)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import FollowUp, InvalidTransition, Rating
from opinions.models.petitions import Petition
from tests.conftest import make_staff
from tests.opinions.test_petitions import file, opinion
from tests.opinions.test_petitions_views import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def concerned_head(other_department):
    return make_staff("mz-head@example.cn", roles.DEPARTMENT_HEAD, other_department, full_name="刘强")


def test_filing_with_the_unit_concerned_as_handler_is_refused_art_30(applicant, department):
    for language, text in (("zh-hans", "第三十条"), ("en", "Art. 30")):
        with pytest.raises(InvalidTransition) as refused:
            file(applicant, department, unit_concerned=department)
        with translation.override(language):
            assert text in str(refused.value)
    assert not Petition.objects.exists()


def test_filing_naming_another_unit_is_allowed_art_30(applicant, department, other_department):
    petition = file(applicant, department, unit_concerned=other_department)
    assert petition.unit_concerned == other_department and petition.case.department == department


def test_staff_of_the_unit_concerned_never_see_the_petition_art_30(
    client, applicant, department, other_department, staff_user, concerned_head
):
    petition = file(applicant, department, unit_concerned=other_department)
    other = file(applicant, department, request="请求修复路灯", today=date(2026, 9, 25))
    supervisor_there = make_staff("sup@mz.example.cn", roles.CENTER_SUPERVISOR, other_department)
    assert not Petition.objects.visible_to(concerned_head).exists()
    # A center-wide role in the unit concerned sees every other petition, never this one.
    assert list(Petition.objects.visible_to(supervisor_there)) == [other]
    client.force_login(supervisor_there)
    listing = client.get(reverse("admin:opinions_petition_changelist") + "?handling=all")
    assert list(listing.context["cl"].result_list) == [other]
    assert petition.case.number not in listing.content.decode()
    assert client.get(reverse("admin:opinions_petition_move", args=[petition.pk])).status_code == 404
    # The handling department sees it, with the unit named.
    client.force_login(staff_user)
    page = client.get(reverse("admin:opinions_petition_move", args=[petition.pk]))
    assert page.status_code == 200 and other_department.name in page.content.decode()


def test_the_unit_concerned_never_reads_the_written_opinion_art_30(
    client, applicant, department, other_department, staff_user
):
    petition = file(applicant, department, unit_concerned=other_department)
    petition.accept(by=staff_user, today=date(2026, 9, 24))
    opinion(petition, staff_user, date(2026, 10, 12))
    url = reverse("opinions:petition-opinion", args=[petition.pk, "handling"])
    client.force_login(make_staff("sup@mz.example.cn", roles.CENTER_SUPERVISOR, other_department))
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_a_poor_rating_follow_up_stays_away_from_the_unit_concerned_art_30(
    client, applicant, department, other_department, staff_user
):
    petition = file(applicant, department, unit_concerned=other_department)
    petition.accept(by=staff_user, today=date(2026, 9, 24))
    opinion(petition, staff_user, date(2026, 10, 12))
    Rating.give(case=petition.case, level=1, comment="不满意", by=applicant)
    followup = FollowUp.objects.get(rating__case=petition.case)
    client.force_login(make_staff("sup@mz.example.cn", roles.CENTER_SUPERVISOR, other_department))
    assert client.get(reverse("admin:civiccenter_followup_move", args=[followup.pk])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("admin:civiccenter_followup_move", args=[followup.pk])).status_code == 200


def test_transfer_to_the_unit_concerned_is_refused_art_30(applicant, department, other_department, staff_user):
    petition = file(applicant, department, unit_concerned=other_department)
    for organ in (other_department.name, f" {other_department.name_en.upper()} "):
        for language, text in (("zh-hans", "第三十条"), ("en", "Art. 30")):
            with pytest.raises(InvalidTransition) as refused:
                petition.transfer(by=staff_user, organ=organ, reason="属地管理")
            with translation.override(language):
                assert text in str(refused.value)
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REGISTERED
    petition.transfer(by=staff_user, organ="文三街道办事处", reason="属地管理")
    assert petition.status == Petition.Status.TRANSFERRED


def test_petition_form_names_the_unit_concerned(client, applicant, department, other_department):
    client.force_login(applicant)
    data = {**FORM, "department": department.pk, "unit_concerned": other_department.pk}
    response = client.post(reverse("opinions:petition-new"), data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and petition.unit_concerned == other_department
    page = client.get(petition.get_absolute_url()).content.decode()
    assert other_department.name in page


def test_petition_form_with_the_handler_as_unit_concerned_is_a_form_error_art_30(client, applicant, department):
    client.force_login(applicant)
    data = {**FORM, "department": department.pk, "unit_concerned": department.pk}
    response = client.post(reverse("opinions:petition-new"), data)
    assert response.status_code == 200 and "unit_concerned" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_petition_form_with_an_unknown_unit_is_a_form_error(client, applicant, department):
    client.force_login(applicant)
    response = client.post(reverse("opinions:petition-new"), {**FORM, "department": department.pk, "unit_concerned": 0})
    assert response.status_code == 200 and "unit_concerned" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_anonymous_filing_goes_to_sign_in(client, department, other_department):
    data = {**FORM, "department": department.pk, "unit_concerned": other_department.pk}
    response = client.post(reverse("opinions:petition-new"), data)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Petition.objects.exists()


def test_another_users_petition_naming_a_unit_is_404(client, applicant, other_applicant, department, other_department):
    petition = file(applicant, department, unit_concerned=other_department)
    client.force_login(other_applicant)
    assert client.get(petition.get_absolute_url()).status_code == 404


def test_staff_register_a_visit_naming_the_unit_concerned(client, department, other_department, staff_user):
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    client.force_login(clerk)
    data = {**FORM, "channel": "window", "email": "", "department": department.pk}
    response = client.post(reverse("admin:opinions_petition_register"), {**data, "unit_concerned": department.pk})
    assert response.status_code == 200 and "unit_concerned" in response.context["form"].errors
    response = client.post(reverse("admin:opinions_petition_register"), {**data, "unit_concerned": other_department.pk})
    assert response.status_code == 302 and Petition.objects.get().unit_concerned == other_department
