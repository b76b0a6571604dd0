"""The urgency on the pages (prc-rules §7, 国办发〔2020〕53号; tests of the rule end in `_hotline_53`): the public
form offers it for complaints and requests for help with "normal" chosen, the receipt and case page show it,
staff see and filter it in the list, change it on the transition page and choose it when registering a call."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from opinions.models import Kind, Opinion
from opinions.models.categories import Urgency
from tests.conftest import make_staff
from tests.opinions.test_cases import make_category, submit
from tests.opinions.test_cases_admin import post_move, steps_url
from tests.opinions.test_cases_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(department):
    return make_category(department)


def test_complaint_form_offers_the_urgency_with_normal_chosen(client, applicant, category):
    client.force_login(applicant)
    page = client.get(reverse("opinions:index") + "?kind=complaint").content.decode()
    assert 'name="urgency"' in page and 'type="radio"' in page
    radios = {
        re.search(r'value="(\w+)"', tag).group(1): "checked" in tag
        for tag in re.findall(r"<input[^>]*name=\"urgency\"[^>]*>", page)
    }
    assert radios == {"normal": True, "urgent": False, "emergency": False}
    assert "119" in page  # the short explanation points real emergencies to the emergency lines


def test_suggestion_form_does_not_offer_the_urgency(client, applicant, category):
    client.force_login(applicant)
    page = client.get(reverse("opinions:index") + "?kind=suggestion").content.decode()
    assert 'type="radio"' not in page


def test_urgent_complaint_submitted_online_shows_on_receipt_and_case_page_hotline_53(client, applicant, category):
    client.force_login(applicant)
    response = client.post(reverse("opinions:index"), form_data(category, urgency="urgent"))
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and opinion.urgency == Urgency.URGENT
    assert opinion.case.clock_days == 5
    with translation.override("en"):
        receipt = client.get(reverse("opinions:receipt", args=[opinion.case.number]), HTTP_ACCEPT_LANGUAGE="en")
        page = client.get(opinion.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Urgent" in receipt.content.decode() or "紧急" in receipt.content.decode()
    assert "Urgent" in page.content.decode() or "紧急" in page.content.decode()


def test_anonymous_post_goes_to_sign_in_and_saves_nothing(client, category):
    response = client.post(reverse("opinions:index"), form_data(category, urgency="emergency"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Opinion.objects.exists()


def test_an_unknown_urgency_is_a_form_error(client, applicant, category):
    client.force_login(applicant)
    response = client.post(reverse("opinions:index"), form_data(category, urgency="panic"))
    assert response.status_code == 200 and "urgency" in response.context["form"].errors
    assert not Opinion.objects.exists()


def test_an_urgent_suggestion_sent_anyway_is_refused_hotline_53(client, applicant, category):
    client.force_login(applicant)
    response = client.post(reverse("opinions:index"), form_data(category, kind="suggestion", urgency="emergency"))
    assert response.status_code == 200
    assert "Only a complaint or a request for help" in str(response.context["form"].non_field_errors()) or (
        "只有投诉和求助" in str(response.context["form"].non_field_errors())
    )
    assert not Opinion.objects.exists()


def test_another_users_urgent_case_is_404(client, applicant, other_applicant, category):
    opinion = submit(applicant, category, urgency=Urgency.URGENT)
    client.force_login(other_applicant)
    assert client.get(opinion.get_absolute_url()).status_code == 404
    assert client.get(reverse("opinions:receipt", args=[opinion.case.number])).status_code == 404


# --- Staff --------------------------------------------------------------------------------------------------


def test_staff_list_shows_and_filters_the_urgency(client, staff_user, applicant, category):
    submit(applicant, category, title="普通投诉")
    emergency = submit(applicant, category, kind=Kind.HELP, urgency=Urgency.EMERGENCY, title="独居老人断水")
    client.force_login(staff_user)
    url = reverse("admin:opinions_opinion_changelist")
    response = client.get(url + "?urgency__exact=emergency")
    assert list(response.context["cl"].result_list) == [emergency]
    assert 'class="urgency-emergency"' in response.content.decode()
    assert client.get(url + "?urgency__exact=normal").context["cl"].result_count == 1


def test_staff_list_keeps_a_fixed_number_of_queries_with_urgent_cases(
    client, staff_user, applicant, category, django_assert_num_queries
):
    submit(applicant, category, urgency=Urgency.URGENT)
    client.force_login(staff_user)
    url = reverse("admin:opinions_opinion_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(6):
        submit(applicant, category, title=f"投诉{number}", urgency=[Urgency.NORMAL, Urgency.EMERGENCY][number % 2])
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).context["cl"].result_count == 7


def test_transition_page_changes_the_urgency_hotline_53(client, staff_user, applicant, category):
    opinion = submit(applicant, category, today=date(2026, 11, 2))
    client.force_login(staff_user)
    page = client.get(steps_url(opinion))
    assert page.status_code == 200 and 'name="set_urgency-urgency"' in page.content.decode()
    response = post_move(
        client, steps_url(opinion), {"action": "set_urgency", "urgency": "emergency", "reason": "燃气泄漏"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.urgency == Urgency.EMERGENCY and opinion.case.due_date == date(2026, 11, 3)
    page = client.get(steps_url(opinion)).content.decode()
    assert "urgency-emergency" in page and "燃气泄漏" in page


def test_transition_page_without_a_reason_is_a_form_error(client, staff_user, applicant, category):
    opinion = submit(applicant, category)
    client.force_login(staff_user)
    response = post_move(client, steps_url(opinion), {"action": "set_urgency", "urgency": "urgent", "reason": ""})
    assert response.status_code == 200
    opinion.refresh_from_db()
    assert opinion.urgency == Urgency.NORMAL and opinion.case.clock_days == 10


def test_transition_page_of_another_department_is_404(client, applicant, category, other_department):
    opinion = submit(applicant, category, urgency=Urgency.URGENT)
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    assert client.get(steps_url(opinion)).status_code == 404


def register_data(category, **overrides):
    data = {
        "channel": "phone",
        "kind": "help",
        "urgency": "emergency",
        "category": category.pk,
        "title": "独居老人家中断水",
        "description": "独居老人家中断水两天，请尽快处理。",
        "contact_name": "赵刚",
        "contact_phone": "13700137000",
    }
    return {**data, **overrides}


def test_registering_a_call_records_its_urgency_hotline_53(client, category):
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, category.lead_department)
    client.force_login(clerk)
    response = client.post(reverse("admin:opinions_opinion_register"), register_data(category))
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and opinion.urgency == Urgency.EMERGENCY


def test_registering_an_urgent_suggestion_is_a_form_error_hotline_53(client, category):
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, category.lead_department)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:opinions_opinion_register"), register_data(category, kind="suggestion", urgency="urgent")
    )
    assert response.status_code == 200 and "urgency" in response.context["form"].errors
    assert not Opinion.objects.exists()
