"""The public register of approvals (Art. 5, 40): exclusions, masking, and the applicant's objection."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter.cases import InvalidTransition
from licensing.models import Licence, mask_name
from tests.licensing.test_applications import make_application

REGISTER = reverse("licensing:register")


def approved(matter, applicant, staff_user, *, today=date(2026, 10, 20), confidentiality="", **fields):
    application = make_application(matter, applicant, **fields)
    application.submit(by=applicant, today=date(2026, 9, 18))
    application.accept(by=staff_user, today=date(2026, 9, 18))
    return application.approve(
        by=staff_user, scope="热食类食品制售", valid_until=None, confidentiality=confidentiality, today=today
    )


@pytest.mark.parametrize(("name", "masked"), [("张明", "张*"), ("欧阳娜娜", "欧***"), ("Li", "L*"), ("王", "王*")])
def test_individual_names_are_masked(name, masked):
    assert mask_name(name) == masked


@pytest.mark.django_db
def test_register_lists_approvals_with_individuals_masked_and_companies_named_art_40(
    client, matter, applicant, staff_user
):
    person = approved(matter, applicant, staff_user, applicant_name="张明", id_number="11010519491231002X")
    company = approved(
        matter,
        applicant,
        staff_user,
        applicant_type="organization",
        applicant_name="示范区悦来餐饮管理有限公司",
        credit_code="91310115MA1K3BTP2B",
    )
    html = client.get(REGISTER).content.decode()
    assert person.number in html and company.number in html
    assert "张*" in html and "张明" not in html
    assert "示范区悦来餐饮管理有限公司" in html


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["state_secret", "business_secret", "personal_privacy"])
def test_secrets_and_privacy_stay_out_of_the_register_art_5(client, matter, applicant, staff_user, reason):
    hidden = approved(matter, applicant, staff_user, confidentiality=reason)
    assert hidden.number not in client.get(REGISTER).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 200  # the holder can still prove it


@pytest.mark.django_db
def test_a_business_secret_claim_delays_publication_5_working_days_and_allows_an_objection(
    client, matter, applicant, staff_user
):
    """Art. 5: an applicant whose materials hold business secrets may object before publication."""
    licence = approved(matter, applicant, staff_user, claims_business_secret=True, today=date(2026, 10, 20))
    assert licence.publish_from == date(2026, 10, 27)
    assert not Licence.objects.in_register(today=date(2026, 10, 26)).exists()
    assert Licence.objects.in_register(today=date(2026, 10, 27)).exists()

    from django.utils import timezone

    licence = approved(matter, applicant, staff_user, claims_business_secret=True, today=timezone.localdate())
    client.force_login(applicant)
    url = reverse("licensing:object-to-publication", args=[licence.application.pk])
    client.post(url)
    licence.refresh_from_db()
    assert licence.confidentiality == "business_secret"
    assert not Licence.objects.in_register(today=date(2030, 1, 1)).filter(pk=licence.pk).exists()


@pytest.mark.django_db
def test_no_objection_once_published(matter, applicant, staff_user):
    licence = approved(matter, applicant, staff_user, today=date(2026, 10, 20))
    with pytest.raises(InvalidTransition):
        licence.object_to_publication(by=applicant, today=date(2026, 10, 21))


@pytest.mark.django_db
def test_another_applicant_cannot_object(client, matter, applicant, other_applicant, staff_user):
    licence = approved(matter, applicant, staff_user, claims_business_secret=True)
    client.force_login(other_applicant)
    assert client.post(reverse("licensing:object-to-publication", args=[licence.application.pk])).status_code == 404
    licence.refresh_from_db()
    assert licence.confidentiality == ""


@pytest.mark.django_db
def test_register_search_and_bad_input(client, matter, applicant, staff_user):
    licence = approved(matter, applicant, staff_user)
    assert client.get(REGISTER, {"number": licence.number.lower()}).context["licences"][0] == licence
    for bad in ({"number": "<script>" * 10}, {"page": "abc"}):
        assert client.get(REGISTER, bad).status_code == 200
    assert client.get(REGISTER, {"number": "x\x00"}).status_code == 400  # unreadable, refused before the view


@pytest.mark.django_db
def test_register_keeps_a_fixed_number_of_queries(client, matter, applicant, staff_user, django_assert_num_queries):
    approved(matter, applicant, staff_user)
    with CaptureQueriesContext(connection) as one:
        client.get(REGISTER)
    for _ in range(25):
        approved(matter, applicant, staff_user)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(REGISTER)
    assert len(response.context["licences"]) == 20
