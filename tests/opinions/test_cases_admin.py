"""The staff side: the change list, registering calls, the handle page, and the reported unit kept out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter import roles
from opinions.models import Kind, Opinion
from tests.conftest import assert_page_queries_fixed, make_staff, with_history
from tests.opinions.test_cases import make_category, submit

# The handle page's old action names, by the table's move each one is.
MOVES = {
    "reply": "reply_to",
    "request_info": "request_information",
    "record_answer": "answer_information",
    "merge": "merge_into",
    "dispute": "dispute_transfer",
    "decide": "decide_transfer",
}


def steps_url(opinion):
    """The case's transition page, generated from Opinion.WORKFLOW."""
    return reverse("admin:opinions_opinion_move", args=[opinion.pk])


def post_move(client, url, data, **kwargs):
    """Post one move's form as the page sends it: {"move": name, "<name>-<field>": value}."""
    data = dict(data)
    action = data.pop("action")
    move = MOVES.get(action, action)
    return client.post(url, {"move": move, **{f"{move}-{key}": value for key, value in data.items()}}, **kwargs)


def move_form(response, name):
    return next(form for move, form, _page in response.context["moves"] if move.name == name)


@pytest.fixture
def category(department):
    return make_category(department)


@pytest.fixture
def reported_head(other_department):
    return make_staff("mz-head@example.cn", roles.DEPARTMENT_HEAD, other_department, full_name="刘强")


@pytest.mark.django_db
def test_changelist_fixed_query_count(client, staff_user, applicant, category, django_assert_num_queries):
    for i in range(2):
        submit(applicant, category, title=f"意见{i}")
    client.force_login(staff_user)
    url = reverse("admin:opinions_opinion_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert response.status_code == 200
    for i in range(18):
        submit(applicant, category, title=f"更多{i}", channel="phone")
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert response.context["cl"].result_count == 20
    assert 'class="cc-' in response.content.decode()  # due dates coloured


@pytest.mark.django_db
def test_changelist_filters(client, staff_user, applicant, category):
    submit(applicant, category, kind=Kind.SUGGESTION, title="增设停车位")
    submit(None, category, title="来电投诉", channel="phone")
    client.force_login(staff_user)
    url = reverse("admin:opinions_opinion_changelist")
    assert client.get(url + "?case__channel=phone").context["cl"].result_count == 1
    assert client.get(url + "?kind__exact=suggestion").context["cl"].result_count == 1
    assert client.get(url + f"?category__id__exact={category.pk}").context["cl"].result_count == 2
    assert client.get(url + "?status__exact=submitted").context["cl"].result_count == 2


@pytest.mark.django_db
def test_art_30_reported_unit_sees_no_trace_of_the_report(client, applicant, category, other_department, reported_head):
    """Letters and Visits Regulations Art. 30, even when the unit reported co-handles the category."""
    category.co_departments.set([other_department])
    report = submit(applicant, category, kind=Kind.REPORT, reported_department=other_department)
    complaint = submit(applicant, category, title="另一件投诉")
    client.force_login(reported_head)
    listing = client.get(reverse("admin:opinions_opinion_changelist") + "?handling=all")
    assert list(listing.context["cl"].result_list) == [complaint]  # co-handled complaint only
    content = listing.content.decode()
    assert report.case.number not in content and applicant.full_name not in content
    assert client.get(reverse("admin:opinions_opinion_change", args=[report.pk])).status_code in (302, 404)
    assert client.get(steps_url(report)).status_code == 404
    assert client.get(reverse("opinions:file", args=[999999])).status_code == 404
    # Staff of the handling department see the reporter.
    client.force_login(make_staff("sc@example.cn", roles.DEPARTMENT_REVIEWER, category.lead_department))
    page = client.get(reverse("admin:opinions_opinion_change", args=[report.pk])).content.decode()
    assert applicant.full_name in page


@pytest.mark.django_db
def test_co_handling_department_reads_but_cannot_handle(client, applicant, category, other_department, reported_head):
    category.co_departments.set([other_department])
    opinion = submit(applicant, category)
    client.force_login(reported_head)
    assert client.get(reverse("admin:opinions_opinion_change", args=[opinion.pk])).status_code == 200
    page = client.get(steps_url(opinion)).content.decode()
    assert 'name="move"' not in page  # they read the case; no step is offered
    assert post_move(client, steps_url(opinion), {"action": "accept"}).status_code == 403


@pytest.mark.django_db
def test_other_department_gets_404(client, applicant, category, other_department):
    opinion = submit(applicant, category)
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    assert client.get(steps_url(opinion)).status_code == 404


@pytest.mark.django_db
def test_handle_page_accept_ask_and_reply(client, applicant, category, staff_user):
    opinion = submit(applicant, category)
    url = steps_url(opinion)
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    assert post_move(client, url, {"action": "accept"}).status_code == 302
    response = post_move(client, url, {"action": "reply", "text": ""})
    assert response.status_code == 200 and move_form(response, "reply_to").errors
    post_move(client, url, {"action": "request_info", "text": "请提供照片"})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.INFO_REQUESTED
    post_move(client, url, {"action": "record_answer", "text": "来电说明：照片将邮寄"})
    post_move(client, url, {"action": "reply", "text": "经查，该店已整改。"})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REPLIED and opinion.reply == "经查，该店已整改。"
    # A refused move is a warning, not an error page.
    response = post_move(client, url, {"action": "accept"}, follow=True)
    assert response.status_code == 200 and opinion.case.number in response.content.decode()


@pytest.mark.django_db
def test_handle_page_merge_by_number(client, applicant, other_applicant, category, staff_user):
    main = submit(applicant, category)
    duplicate = submit(other_applicant, category)
    client.force_login(staff_user)
    url = steps_url(duplicate)
    response = post_move(client, url, {"action": "merge", "number": "YJ-2000-000001"}, follow=True)
    assert response.status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.status == Opinion.Status.SUBMITTED
    post_move(client, url, {"action": "merge", "number": main.case.number.lower()})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == main


@pytest.mark.django_db
def test_transfer_dispute_and_supervisor_decides_in_the_admin(
    client, applicant, category, staff_user, other_department, department, supervisor
):
    opinion = submit(applicant, category)
    client.force_login(staff_user)
    url = steps_url(opinion)
    response = post_move(
        client, url, {"action": "transfer", "department": other_department.pk, "reason": "属于民政职责"}
    )
    assert response["Location"] == reverse("admin:opinions_opinion_changelist")  # no longer ours
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    post_move(client, url, {"action": "dispute", "text": "属于市场监管职责"})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.TRANSFER_DISPUTED
    assert post_move(client, url, {"action": "decide", "department": department.pk}).status_code == 403
    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert "属于市场监管职责" in page
    post_move(client, url, {"action": "decide", "department": department.pk, "note": ""})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ACCEPTED and opinion.case.department == department


@pytest.mark.django_db
def test_register_a_call_with_its_channel(client, category):
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, category.lead_department)
    client.force_login(clerk)
    assert client.get(reverse("admin:opinions_opinion_add")).status_code == 302
    url = reverse("admin:opinions_opinion_register")
    data = {
        "channel": "phone",
        "kind": "help",
        "category": category.pk,
        "title": "欠薪求助",
        "description": "工地拖欠三个月工资，请帮助。",
        "contact_name": "赵刚",
        "contact_phone": "13700137000",
    }
    response = client.post(url, {**data, "contact_phone": ""})
    assert response.status_code == 200 and response.context["form"].errors and not Opinion.objects.exists()
    response = client.post(url, data)
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and opinion.case.channel == "phone" and opinion.submitter is None
    assert opinion.case.contact_phone == "13700137000"


@pytest.mark.django_db
def test_register_needs_the_permission(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("admin:opinions_opinion_register")).status_code == 403


@pytest.mark.django_db
def test_the_transition_page_keeps_a_fixed_number_of_queries(client, applicant, category, staff_user):
    short, longer = submit(applicant, category), submit(applicant, category, title="另一件投诉")
    with_history(longer.case, staff_user)
    client.force_login(staff_user)
    assert_page_queries_fixed(client, steps_url(short), steps_url(longer))
