"""The applicant's pages: file a request (Art. 29), follow it, correct it, withdraw it, read the reply, download."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter.cases import Case
from civiccenter.lib.simplepdf import text_pdf
from disclosure.models.requests import DisclosureRequest, ReplyFile
from tests.conftest import make_department
from tests.disclosure.test_requests_common import clerk_of, online

NEW = reverse("disclosure:request-new")
LIST = reverse("disclosure:request-list")


def form_data(dept, **overrides):
    data = {
        "department": dept.pk,
        "applicant_kind": "individual",
        "applicant_name": "张明",
        "id_type": "resident_id",
        "id_number": "110105 19491231 002x",
        "contact_phone": "138 0013 8000",
        "contact_email": "zhang@example.cn",
        "postal_address": "",
        "postcode": "",
        "info_title": "示范区2025年老旧小区改造项目清单",
        "info_document_number": "",
        "description": "请提供2025年度本区老旧小区改造项目的名单和投资金额。",
        "form_wanted": "email",
        "delivery": "email",
    }
    data.update(overrides)
    return data


@pytest.fixture
def clerk(department):
    return clerk_of(department)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, department, applicant):
    request = online(applicant, department)
    for url in (NEW, LIST, request.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for name in ("request-reply", "request-correction-notice"):
        assert client.get(reverse(f"disclosure:{name}", args=[request.pk])).status_code == 404
    assert client.post(reverse("disclosure:request-withdraw", args=[request.pk])).status_code == 302
    assert DisclosureRequest.objects.get().status == "submitted"


@pytest.mark.django_db
def test_the_form_preselects_nothing(english, applicant, department):
    english.force_login(applicant)
    html = english.get(NEW).content.decode()
    assert "Send the request" in html
    for name in ("applicant_kind", "form_wanted", "delivery"):
        assert f'name="{name}"' in html
    assert " checked" not in html and "---------" not in html
    assert 'value="张明"' in html  # the account's name is offered as text, not chosen for the person


@pytest.mark.django_db
def test_a_citizen_files_a_request_online_art_29(english, applicant, department):
    english.force_login(applicant)
    response = english.post(NEW, form_data(department))
    request = DisclosureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.applicant == applicant and request.status == "submitted"
    assert request.id_number == "11010519491231002X" and request.contact_phone == "13800138000"
    assert request.case.department == department and request.case.number.startswith("GK-")
    page = english.get(request.get_absolute_url())
    assert request.case.number in page.content.decode() and "110105********002X" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"id_number": "36042619910102009X"}, "id_number"),  # bad check character
        ({"applicant_kind": "business"}, "id_type"),  # an organization with a resident ID
        ({"applicant_kind": "business", "id_type": "credit_code", "id_number": "91110000600037341N"}, "id_number"),
        ({"id_type": "credit_code", "id_number": "91310115MA1K3BTP2B"}, "id_type"),  # a person with a credit code
        ({"id_type": "passport", "id_number": "ABC"}, "id_number"),
        ({"id_type": "hk_macao", "id_number": "X12345678"}, "id_number"),
        ({"applicant_kind": ""}, "applicant_kind"),
        ({"department": ""}, "department"),
        ({"description": "  "}, "description"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_email": ""}, "contact_email"),  # e-mail wanted, no address
        ({"form_wanted": "paper", "delivery": "email"}, "delivery"),
        ({"form_wanted": "paper", "delivery": "post"}, "postal_address"),
        ({"form_wanted": "paper", "delivery": "post", "postal_address": "人民大道1号", "postcode": "12"}, "postcode"),
        ({"applicant_name": "<script>"}, "applicant_name"),
        ({"form_wanted": "", "delivery": ""}, "form_wanted"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(english, applicant, department, overrides, field):
    english.force_login(applicant)
    response = english.post(NEW, form_data(department, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Nothing was sent" in response.content.decode()
    assert not DisclosureRequest.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"applicant_kind": "business", "id_type": "credit_code", "id_number": "91310115ma1k3btp2b"},
        {"applicant_kind": "public_interest", "id_type": "credit_code", "id_number": "91440300708461136T"},
        # GB 32100 (prc-rules §8): a failing check character is accepted once confirmed.
        {
            "applicant_kind": "business",
            "id_type": "credit_code",
            "id_number": "91110000600037341N",
            "id_number_confirmed": "on",
        },
        {"id_type": "passport", "id_number": "E12345678"},
        {"id_type": "hk_macao", "id_number": "H12345678"},
        {"id_type": "taiwan", "id_number": "12345678"},
        {"form_wanted": "paper", "delivery": "post", "postal_address": "示范区人民大道1号", "postcode": "310000"},
        {"form_wanted": "paper", "delivery": "collect", "contact_email": ""},
        {"form_wanted": "download", "delivery": "online"},
    ],
)
def test_valid_identities_and_deliveries_are_accepted(client, applicant, department, overrides):
    client.force_login(applicant)
    assert client.post(NEW, form_data(department, **overrides)).status_code == 302
    assert DisclosureRequest.objects.count() == 1


@pytest.mark.django_db
def test_another_users_request_is_a_404(client, applicant, other_applicant, department, clerk):
    request = online(applicant, department)
    request.confirm(by=clerk, today=date(2026, 10, 8))
    request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 10, 23), today=date(2026, 10, 9))
    client.force_login(other_applicant)
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.get(reverse("disclosure:request-correction-notice", args=[request.pk])).status_code == 404
    assert client.post(reverse("disclosure:request-withdraw", args=[request.pk])).status_code == 404
    correct = reverse("disclosure:request-correct", args=[request.pk])
    assert client.post(correct, form_data(department)).status_code == 404
    assert DisclosureRequest.objects.get().status == "correction_requested"
    assert list(client.get(LIST).context["requests"]) == []


@pytest.mark.django_db
def test_the_applicant_corrects_from_the_request_page_art_30(english, applicant, department, clerk):
    request = online(applicant, department)
    request.confirm(by=clerk, today=date(2026, 10, 8))
    request.request_correction(by=clerk, items=["请说明年份"], deadline=date(2099, 1, 1), today=date(2026, 10, 9))
    english.force_login(applicant)
    page = english.get(request.get_absolute_url()).content.decode()
    assert "请说明年份" in page and "Send the correction" in page
    correct = reverse("disclosure:request-correct", args=[request.pk])
    bad = english.post(correct, {"description": "请提供2025年度清单", "form_wanted": "paper", "delivery": "email"})
    assert bad.status_code == 200 and "delivery" in bad.context["correction_form"].errors
    assert DisclosureRequest.objects.get().status == "correction_requested"
    good = english.post(
        correct,
        {
            "description": "请提供2025年度清单",
            "form_wanted": "email",
            "delivery": "email",
            "contact_email": "z@example.cn",
        },
    )
    assert good.status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.status == "received" and request.description == "请提供2025年度清单"
    assert request.contact_email == "z@example.cn" and request.case.contact_email == "z@example.cn"
    printable = english.get(reverse("disclosure:request-correction-notice", args=[request.pk]))
    assert printable.status_code == 200 and "请说明年份" in printable.content.decode()


@pytest.mark.django_db
def test_the_applicant_withdraws(client, applicant, department):
    request = online(applicant, department)
    client.force_login(applicant)
    url = reverse("disclosure:request-withdraw", args=[request.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert DisclosureRequest.objects.get().status == "withdrawn"
    client.post(url)  # again: a message, not an error
    assert DisclosureRequest.objects.get().status == "withdrawn"


@pytest.fixture
def replied(applicant, department, clerk, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    request = online(applicant, department)
    request.confirm(by=clerk, today=date(2026, 10, 8))
    ReplyFile.objects.create(
        request=request,
        title="2025年老旧小区改造项目清单",
        file=SimpleUploadedFile("list.pdf", text_pdf("项目清单", ["示范小区"])),
        pages=3,
    )
    request.reply(
        by=clerk,
        reply_type="partial",
        reasons="施工合同中的个人信息已作删除处理（第三十七条）。",
        fee_schedule="pages",
        fee_units=31,
        today=date(2026, 10, 20),
    )
    return DisclosureRequest.objects.get(pk=request.pk)


@pytest.mark.django_db
def test_the_reply_letter_states_type_reasons_fee_and_remedies_art_36_37(english, applicant, replied):
    english.force_login(applicant)
    detail = english.get(replied.get_absolute_url()).content.decode()
    assert "施工合同中的个人信息已作删除处理" in detail and "Rate this service" in detail
    html = english.get(reverse("disclosure:request-reply", args=[replied.pk])).content.decode()
    assert "Partly disclosed" in html and "施工合同中的个人信息已作删除处理" in html
    assert "¥10" in html and "2025年老旧小区改造项目清单" in html
    assert "60 days" in html and "6 months" in html


@pytest.mark.django_db
def test_reply_files_are_private_to_the_applicant_and_the_department(
    client, applicant, other_applicant, replied, department
):
    stored = replied.files.get()
    url = reverse("disclosure:request-file", args=[replied.pk, stored.pk])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    other_clerk = clerk_of(make_department(code="MZ", name="区民政局", phone="0571-86010202"), "mz@example.cn")
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    assert client.get(reverse("disclosure:request-reply", args=[replied.pk])).status_code == 404
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("disclosure:request-file", args=[replied.pk, stored.pk + 1000])).status_code == 404


@pytest.mark.django_db
def test_files_stay_hidden_from_the_applicant_until_the_reply(client, applicant, department, clerk, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    request = online(applicant, department)
    request.confirm(by=clerk, today=date(2026, 10, 8))
    stored = ReplyFile.objects.create(
        request=request, title="草稿", file=SimpleUploadedFile("a.pdf", text_pdf("x", []))
    )
    url = reverse("disclosure:request-file", args=[request.pk, stored.pk])
    client.force_login(applicant)
    assert client.get(url).status_code == 404
    assert client.get(reverse("disclosure:request-reply", args=[request.pk])).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_tracking_and_my_cases_show_the_request(client, applicant, department, clerk):
    request = online(applicant, department)
    request.confirm(by=clerk, today=date(2026, 10, 8))
    case = request.case
    html = client.get(reverse("track"), {"number": case.number, "code": case.query_code}).content.decode()
    assert case.number in html and "2026-11-04" in html
    client.force_login(applicant)
    assert case.number in client.get(reverse("accounts:cases")).content.decode()


@pytest.mark.django_db
def test_my_requests_keep_a_fixed_number_of_queries(client, applicant, department, django_assert_num_queries):
    online(applicant, department)
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    other = make_department(code="MZ", name="区民政局", phone="0571-86010202")
    for n in range(15):
        online(applicant, other if n % 2 else department, info_title=f"信息{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["requests"]) == 16
