"""The clerk's side: the department's applications and the Art. 32 decision page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter import roles
from licensing.models import Application
from tests.conftest import assert_page_queries_fixed, make_staff, with_history
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

CHANGELIST = reverse("admin:licensing_application_changelist")


def decide_url(application):
    """The application's transition page, generated from its table (Application.WORKFLOW)."""
    return reverse("admin:licensing_application_move", args=[application.pk])


def post_decision(client, url, data, **kwargs):
    """Post one move's form: {"decision": move, field: value} as the page sends it (fields prefixed by the move)."""
    data = dict(data)
    move = data.pop("decision")
    return client.post(url, {"move": move, **{f"{move}-{key}": value for key, value in data.items()}}, **kwargs)


@pytest.fixture
def clerk(department):
    return make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)


@pytest.fixture
def submitted(matter, applicant):
    return make_application(matter, applicant).submit(by=applicant)


@pytest.mark.django_db
def test_clerk_sees_own_department_applications_only(client, clerk, submitted, other_department, applicant):
    theirs = make_application(make_matter(other_department, code="XK-MZ-001", name="社会团体成立登记"), applicant)
    theirs.submit(by=applicant)
    client.force_login(clerk)
    rows = list(client.get(CHANGELIST).context["cl"].result_list)
    assert rows == [submitted]
    assert client.get(reverse("admin:licensing_application_change", args=[theirs.pk])).status_code == 302
    assert client.get(decide_url(theirs)).status_code == 404


@pytest.mark.django_db
def test_clerk_accepts_from_the_decision_page(client, clerk, submitted):
    client.force_login(clerk)
    page = client.get(decide_url(submitted))
    assert page.status_code == 200
    response = post_decision(client, decide_url(submitted), {"decision": "accept"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "accepted"
    assert submitted.case.events.last().actor == clerk


@pytest.mark.django_db
def test_clerk_requests_correction_with_a_note_per_item(client, clerk, submitted, matter):
    material = matter.current_version.materials.first()
    client.force_login(clerk)
    post_decision(
        client,
        decide_url(submitted),
        {"decision": "request_correction", f"note_{material.pk}": "缺少签字", "other": "请补充联系人"},
    )
    submitted.refresh_from_db()
    assert submitted.status == "correction_requested"
    assert [item.note for item in submitted.correction_notice.items.all()] == ["缺少签字", "请补充联系人"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"decision": "request_correction"},
        {"decision": "refuse", "reason": ""},
        {"decision": "refuse", "reason": "x" * 2001},
        {"decision": "unknown"},
    ],
)
def test_bad_decisions_change_nothing(client, clerk, submitted, data):
    client.force_login(clerk)
    response = post_decision(client, decide_url(submitted), data, follow=True)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.case.events.count() == 1


@pytest.mark.django_db
def test_clerk_refuses_with_reason_and_competent_organ(client, clerk, submitted):
    client.force_login(clerk)
    post_decision(
        client,
        decide_url(submitted),
        {"decision": "refuse", "reason": "不属于本部门职权", "competent_organ": "市卫健委"},
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.competent_organ) == ("not_accepted", "市卫健委")


@pytest.mark.django_db
def test_a_refused_move_is_reported_not_crashed(client, clerk, submitted):
    submitted.accept(by=clerk)
    client.force_login(clerk)
    response = post_decision(client, decide_url(submitted), {"decision": "accept"}, follow=True)
    assert any(m.level_tag == "warning" for m in response.context["messages"])


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_decide(client, supervisor, submitted):
    client.force_login(supervisor)
    assert client.get(reverse("admin:licensing_application_change", args=[submitted.pk])).status_code == 200
    page = client.get(decide_url(submitted)).content.decode()
    assert 'name="move"' not in page  # the steps page offers a supervisor nothing to take
    assert post_decision(client, decide_url(submitted), {"decision": "accept"}).status_code == 403
    client.post(CHANGELIST, {"action": "take_move", "move": "accept", "_selected_action": [submitted.pk], "index": 0})
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.django_db
def test_change_page_shows_timeline_masked_id_and_private_links(client, clerk, matter, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civiccenter.lib.simplepdf import text_pdf
    from licensing.models import ApplicationFile

    application = make_application(matter, applicant, id_number="11010519491231002X")
    ApplicationFile.objects.create(
        application=application,
        material=matter.current_version.materials.first(),
        file=SimpleUploadedFile("a.pdf", text_pdf("x", [])),
    )
    application.submit(by=applicant)
    client.force_login(clerk)
    html = client.get(reverse("admin:licensing_application_change", args=[application.pk])).content.decode()
    assert "110105********002X" in html and "11010519491231002X" not in html
    assert reverse("licensing:application-file", args=[application.pk, application.files.get().pk]) in html
    assert decide_url(application) in html


@pytest.mark.django_db
def test_application_changelist_keeps_a_fixed_number_of_queries(
    client, clerk, matter, applicant, django_assert_num_queries
):
    make_application(matter, applicant).submit(by=applicant)
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for _ in range(20):
        make_application(matter, applicant).submit(by=applicant, today=date(2026, 11, 2))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(CHANGELIST)
    assert Application.objects.count() == 21


@pytest.mark.django_db
def test_clerk_registers_corrected_materials_brought_to_the_window(client, clerk, submitted, matter):
    submitted.request_correction(by=clerk, items=[(matter.current_version.materials.first(), "缺少签字")])
    client.force_login(clerk)
    assert "resubmit" in client.get(decide_url(submitted)).content.decode()
    post_decision(client, decide_url(submitted), {"decision": "resubmit"})
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.case.events.last().actor == clerk


@pytest.fixture
def under_review(submitted, clerk):
    submitted.accept(by=clerk)
    return submitted


@pytest.mark.django_db
def test_clerk_approves_and_a_licence_is_issued(client, clerk, under_review):
    client.force_login(clerk)
    page = client.get(decide_url(under_review)).content.decode()
    assert 'value="approve"' in page and 'value="extend"' not in page  # extending is the head's
    response = post_decision(
        client,
        decide_url(under_review),
        {"decision": "approve", "scope": "热食类食品制售", "valid_until": "2031-12-31"},
    )
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == "approved" and under_review.licence.scope == "热食类食品制售"


@pytest.mark.django_db
def test_clerk_suspends_and_resumes(client, clerk, under_review):
    client.force_login(clerk)
    post_decision(client, decide_url(under_review), {"decision": "suspend", "kind": "testing", "expected_days": "5"})
    under_review.refresh_from_db()
    assert under_review.status == "suspended"
    post_decision(client, decide_url(under_review), {"decision": "resume"})
    under_review.refresh_from_db()
    assert under_review.status == "accepted"


@pytest.mark.django_db
def test_only_the_head_extends(client, clerk, under_review, department):
    client.force_login(clerk)
    assert (
        post_decision(client, decide_url(under_review), {"decision": "extend", "reason": "现场核查"}).status_code == 403
    )
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    client.force_login(head)
    assert 'value="extend"' in client.get(decide_url(under_review)).content.decode()
    post_decision(client, decide_url(under_review), {"decision": "extend", "reason": "现场核查"})
    under_review.case.refresh_from_db()
    assert under_review.case.clock_extension == 10
    assert 'value="extend"' not in client.get(decide_url(under_review)).content.decode()  # once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"decision": "deny", "reasons": ""},
        {"decision": "approve", "scope": ""},
        {"decision": "approve", "scope": "x", "valid_until": "2020-01-01"},
        {"decision": "approve", "scope": "x", "valid_until": "not-a-date"},
        {"decision": "suspend", "kind": "picnic", "expected_days": "3"},
        {"decision": "suspend", "kind": "testing", "expected_days": "0"},
    ],
)
def test_bad_review_decisions_change_nothing(client, clerk, under_review, data):
    client.force_login(clerk)
    response = post_decision(client, decide_url(under_review), data, follow=True)
    assert response.status_code == 200
    under_review.refresh_from_db()
    assert under_review.status == "accepted"


@pytest.mark.django_db
def test_the_transition_page_keeps_a_fixed_number_of_queries(client, clerk, submitted, matter, applicant):
    longer = make_application(matter, applicant).submit(by=applicant)
    with_history(longer.case, clerk)
    client.force_login(clerk)
    assert_page_queries_fixed(client, decide_url(submitted), decide_url(longer))


# Art. 34: two officers where the matter requires it; Art. 78: false information --------------------------


@pytest.mark.django_db
def test_a_matter_verified_by_two_officers_asks_for_the_second_on_the_decision_page_art_34(
    client, clerk, under_review, department
):
    version = under_review.version
    version.two_officers = True
    version.save()
    second = make_staff("second@example.cn", roles.DEPARTMENT_REVIEWER, department, full_name="赵核查")
    client.force_login(clerk)
    page = client.get(decide_url(under_review)).content.decode()
    assert 'name="approve-second_officer"' in page and "赵核查" in page
    # Without the second officer: a form error, nothing decided.
    response = post_decision(
        client,
        decide_url(under_review),
        {"decision": "approve", "scope": "热食类食品制售", "valid_until": "2031-12-31"},
    )
    assert response.status_code == 200 and "approve-second_officer" in response.content.decode()
    assert Application.objects.get(pk=under_review.pk).status == "accepted"
    response = post_decision(
        client,
        decide_url(under_review),
        {"decision": "approve", "scope": "热食类食品制售", "valid_until": "2031-12-31", "second_officer": second.pk},
    )
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert (under_review.status, under_review.decided_by, under_review.second_officer) == ("approved", clerk, second)


@pytest.mark.django_db
def test_false_information_is_recorded_from_the_refusal_form_art_78(client, clerk, submitted):
    version = submitted.version
    version.safety_related = True
    version.save()
    client.force_login(clerk)
    response = post_decision(
        client,
        decide_url(submitted),
        {"decision": "refuse", "reason": "营业执照系伪造。", "false_information": "on"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "not_accepted" and submitted.false_information_on is not None
    note = submitted.case.events.last().note
    assert "第七十八条" in note and submitted.bar_ends().isoformat() in note
