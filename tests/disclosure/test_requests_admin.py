"""The disclosure office in the admin: the department's requests, the decide page, registration for callers."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter.lib.simplepdf import text_pdf
from disclosure.models.requests import DisclosureRequest
from tests.conftest import assert_page_queries_fixed, make_department, with_history
from tests.disclosure.test_requests_common import PERSON, clerk_of, head_of, online, registered

CHANGELIST = reverse("admin:disclosure_disclosurerequest_changelist")
REGISTER = reverse("admin:disclosure_disclosurerequest_register")


def decide(request):
    """The request's transition page, generated from DisclosureRequest.WORKFLOW."""
    return reverse("admin:disclosure_disclosurerequest_move", args=[request.pk])


# The old page's step names, by the table's move each one is.
MOVES = {"correct": "request_correction", "corrected": "correct", "answer": "record_answer", "upload": "add_reply_file"}


def post_decision(client, url, data, **kwargs):
    """Post one move's form as the page sends it: the move, its fields prefixed by its name, `preview` as is."""
    data = dict(data)
    step = data.pop("decision")
    move = MOVES.get(step, step)
    fields = {key if key == "preview" else f"{move}-{key}": value for key, value in data.items()}
    return client.post(url, {"move": move, **fields}, **kwargs)


def reload(request):
    return DisclosureRequest.objects.select_related("case").get(pk=request.pk)


@pytest.fixture
def clerk(department):
    return clerk_of(department)


@pytest.fixture
def submitted(applicant, department):
    return online(applicant, department, today=timezone.localdate())


@pytest.fixture
def other_department(db):
    return make_department(code="MZ", name="区民政局", name_en="District Civil Affairs Bureau", phone="0571-86010202")


@pytest.mark.django_db
def test_clerk_sees_own_department_requests_only(client, clerk, submitted, other_department, applicant):
    theirs = online(applicant, other_department)
    client.force_login(clerk)
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [submitted]
    assert client.get(reverse("admin:disclosure_disclosurerequest_change", args=[theirs.pk])).status_code == 302
    assert client.get(decide(theirs)).status_code == 404
    assert post_decision(client, decide(theirs), {"decision": "confirm"}).status_code == 404
    assert reload(theirs).status == "submitted"


@pytest.mark.django_db
def test_change_page_is_a_read_only_record_with_masked_id_and_timeline(client, clerk, submitted):
    client.force_login(clerk)
    html = client.get(reverse("admin:disclosure_disclosurerequest_change", args=[submitted.pk])).content.decode()
    assert "110105********002X" in html and "11010519491231002X" not in html
    assert decide(submitted) in html and 'name="_save"' not in html


@pytest.mark.django_db
def test_clerk_confirms_from_the_transition_page_art_31(client, clerk, submitted):
    client.force_login(clerk)
    page = client.get(decide(submitted)).content.decode()
    assert 'value="confirm"' in page and 'value="reply"' not in page
    assert post_decision(client, decide(submitted), {"decision": "confirm"}).status_code == 302
    submitted = reload(submitted)
    assert submitted.status == "received" and submitted.case.received_on == timezone.localdate()
    assert submitted.case.events.last().actor == clerk


@pytest.mark.django_db
def test_clerk_confirms_with_the_list_action(client, clerk, submitted):
    client.force_login(clerk)
    client.post(CHANGELIST, {"action": "take_move", "move": "confirm", "_selected_action": [submitted.pk]})
    assert reload(submitted).status == "received"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"decision": "correct", "items": "", "deadline": "2099-01-01"},
        {"decision": "correct", "items": "请说明年份", "deadline": "2000-01-01"},  # refused by the model
        {"decision": "correct", "items": "请说明年份", "deadline": "not a date"},
        {"decision": "reply", "reply_type": "withheld_internal", "reasons": ""},
        {"decision": "reply", "reply_type": "disclosed", "fee_schedule": "pages", "fee_units": ""},
        {"decision": "confirm"},  # not open to a received request
        {"decision": "nonsense"},
    ],
)
def test_bad_decisions_change_nothing(client, clerk, applicant, department, data):
    request = online(applicant, department)
    request.confirm(by=clerk)
    client.force_login(clerk)
    response = post_decision(client, decide(request), data, follow=True)
    assert response.status_code == 200
    request = reload(request)
    assert request.status == "received" and request.case.events.count() == 2


@pytest.fixture
def being_processed(submitted, clerk):
    submitted.confirm(by=clerk)
    return reload(submitted)


@pytest.mark.django_db
def test_clerk_asks_for_a_correction_then_registers_it_art_30(client, clerk, being_processed):
    client.force_login(clerk)
    post_decision(
        client,
        decide(being_processed),
        {"decision": "correct", "items": "请说明年份\n请补充文号", "deadline": "2099-01-01"},
    )
    request = reload(being_processed)
    assert request.status == "correction_requested" and request.correction_lines == ["请说明年份", "请补充文号"]
    html = client.get(decide(request)).content.decode()
    assert 'value="correct"' in html and 'value="request_correction"' not in html
    post_decision(
        client,
        decide(request),
        {
            "decision": "corrected",
            "description": "2025年度",
            "form_wanted": "email",
            "delivery": "email",
            "contact_email": "a@b.cn",
        },
    )
    request = reload(request)
    assert request.status == "received" and request.description == "2025年度"
    assert 'value="request_correction"' not in client.get(decide(request)).content.decode()  # once only


@pytest.mark.django_db
def test_clerk_consults_records_the_answer_and_ends_art_32(client, clerk, being_processed):
    client.force_login(clerk)
    post_decision(
        client,
        decide(being_processed),
        {"decision": "consult", "kind": "third_party", "party": "示范区悦来餐饮管理有限公司"},
    )
    request = reload(being_processed)
    assert request.status == "consulting" and request.case.due_date is None
    consultation = request.consultations.get()
    today = timezone.localdate().isoformat()
    post_decision(
        client,
        decide(request),
        {"decision": "answer", "consultation": consultation.pk, "answered_on": today, "objects_to_disclosure": "yes"},
    )
    consultation.refresh_from_db()
    assert consultation.objects_to_disclosure is True
    post_decision(client, decide(request), {"decision": "end_consultation"})
    assert reload(request).status == "received"


@pytest.mark.django_db
def test_the_fee_calculator_shows_the_fee_before_anything_is_saved_art_42(client, clerk, being_processed):
    client.force_login(clerk)
    data = {"decision": "reply", "reply_type": "disclosed", "fee_schedule": "pages", "fee_units": "101", "preview": "1"}
    response = post_decision(client, decide(being_processed), data)
    assert response.status_code == 200
    assert response.context["fee_preview"].amount == 720
    assert '<span id="fee-total">720</span>' in response.content.decode()
    assert reload(being_processed).status == "received"
    data.pop("preview")
    assert post_decision(client, decide(being_processed), data).status_code == 302
    request = reload(being_processed)
    assert (request.status, request.fee_amount) == ("replied", 720)


@pytest.mark.django_db
def test_clerk_uploads_a_file_and_replies_with_a_partial_disclosure(client, clerk, being_processed, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    client.force_login(clerk)
    upload = SimpleUploadedFile("list.pdf", text_pdf("项目清单", ["示范小区"]), content_type="application/pdf")
    response = post_decision(
        client, decide(being_processed), {"decision": "upload", "title": "项目清单", "pages": "2", "file": upload}
    )
    assert response.status_code == 302 and being_processed.files.count() == 1
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = post_decision(
        client, decide(being_processed), {"decision": "upload", "title": "x", "pages": "1", "file": fake}
    )
    assert response.status_code == 200 and being_processed.files.count() == 1
    post_decision(
        client,
        decide(being_processed),
        {"decision": "reply", "reply_type": "partial", "reasons": "个人信息已删除（第三十七条）", "fee_schedule": ""},
    )
    request = reload(being_processed)
    assert request.status == "replied" and request.reply_type == "partial"
    html = client.get(reverse("admin:disclosure_disclosurerequest_change", args=[request.pk])).content.decode()
    assert reverse("disclosure:request-reply", args=[request.pk]) in html
    assert reverse("disclosure:request-file", args=[request.pk, request.files.get().pk]) in html


@pytest.mark.django_db
def test_only_the_office_head_extends_art_33(client, clerk, being_processed, department):
    client.force_login(clerk)
    assert 'value="extend"' not in client.get(decide(being_processed)).content.decode()
    assert (
        post_decision(
            client, decide(being_processed), {"decision": "extend", "days": "10", "reason": "调档"}
        ).status_code
        == 403
    )
    head = head_of(department)
    client.force_login(head)
    assert 'value="extend"' in client.get(decide(being_processed)).content.decode()
    response = post_decision(client, decide(being_processed), {"decision": "extend", "days": "21", "reason": "调档"})
    assert response.status_code == 200 and reload(being_processed).case.clock_extension == 0
    post_decision(client, decide(being_processed), {"decision": "extend", "days": "10", "reason": "需调取档案"})
    assert reload(being_processed).case.clock_extension == 10
    assert 'value="extend"' not in client.get(decide(being_processed)).content.decode()  # once


@pytest.mark.django_db
def test_disclosure_over_objection_produces_the_letter_to_the_third_party_art_32(client, clerk, department):
    request = registered(clerk, department, received_on=date(2026, 9, 18))
    consultation = request.consult(
        by=clerk, kind="third_party", party="示范区悦来餐饮管理有限公司", today=date(2026, 9, 21)
    )
    request.record_answer(
        by=clerk,
        consultation=consultation,
        answered_on=date(2026, 9, 28),
        objects_to_disclosure=True,
        today=date(2026, 9, 28),
    )
    request.end_consultation(by=clerk, today=date(2026, 9, 28))
    request.reply(by=clerk, reply_type="disclosed", reasons="涉及公众食品安全。", today=date(2026, 10, 9))
    client.force_login(clerk)
    url = reverse("admin:disclosure_disclosurerequest_third_party_letter", args=[request.pk, consultation.pk])
    assert url in client.get(reverse("admin:disclosure_disclosurerequest_change", args=[request.pk])).content.decode()
    html = client.get(url).content.decode()
    assert "示范区悦来餐饮管理有限公司" in html and "涉及公众食品安全。" in html


@pytest.mark.django_db
def test_clerk_registers_an_oral_request_for_a_caller_art_29(client, clerk, department):
    client.force_login(clerk)
    assert client.get(REGISTER).status_code == 200
    data = {
        **PERSON,
        "department": department.pk,
        "channel": "phone",
        "oral": "on",
        "receipt_basis": "in_person",
        "received_on": timezone.localdate().isoformat(),
        "form_wanted": "paper",
        "delivery": "collect",
        "contact_email": "",
    }
    response = client.post(REGISTER, data)
    request = DisclosureRequest.objects.get()
    assert response.status_code == 302 and request.status == "received" and request.applicant is None
    assert request.case.channel == "phone" and request.case.received_on == timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"channel": "post", "receipt_basis": "in_person"},
        {"channel": "window", "receipt_basis": "post_signed"},
        {"received_on": "2099-01-01"},
        {"delivery": "online", "form_wanted": "download"},  # a caller without an account
        {"id_number": "123"},
    ],
)
def test_bad_registrations_save_nothing(client, clerk, department, other_department, overrides):
    client.force_login(clerk)
    data = {
        **PERSON,
        "department": department.pk,
        "channel": "window",
        "receipt_basis": "in_person",
        "received_on": timezone.localdate().isoformat(),
        **overrides,
    }
    assert client.post(REGISTER, data).status_code == 200
    assert not DisclosureRequest.objects.exists()
    data = {**data, "department": other_department.pk}  # not the clerk's department
    assert client.post(REGISTER, data).status_code == 200
    assert not DisclosureRequest.objects.exists()


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_handle(client, supervisor, submitted):
    client.force_login(supervisor)
    assert client.get(reverse("admin:disclosure_disclosurerequest_change", args=[submitted.pk])).status_code == 200
    assert 'name="move"' not in client.get(decide(submitted)).content.decode()  # nothing offered to take
    assert post_decision(client, decide(submitted), {"decision": "confirm"}).status_code == 403
    assert client.get(REGISTER).status_code == 403
    client.post(CHANGELIST, {"action": "take_move", "move": "confirm", "_selected_action": [submitted.pk]})
    assert reload(submitted).status == "submitted"


@pytest.mark.django_db
def test_changelist_keeps_a_fixed_number_of_queries(client, clerk, applicant, department, django_assert_num_queries):
    online(applicant, department)
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for n in range(20):
        request = online(applicant, department, info_title=f"信息{n}")
        if n % 2:
            request.confirm(by=clerk)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 21


@pytest.mark.django_db
def test_the_transition_page_keeps_a_fixed_number_of_queries(client, clerk, applicant, department, being_processed):
    longer = online(applicant, department)
    longer.confirm(by=clerk)
    with_history(longer.case, clerk)
    client.force_login(clerk)
    assert_page_queries_fixed(client, decide(being_processed), decide(longer))
