"""Issued documents (civiccenter/documents.py): numbers per organ and year, the electronic seal, and the public
check that a genuine copy passes and a changed one fails (Electronic Signature Law Art. 13-14, Order 716
Art. 8-11, Administrative Licensing Law Art. 32)."""

import base64
import threading
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from civiccenter import documents, roles
from civiccenter.cases import Case
from civiccenter.models import IssuedDocument
from tests.conftest import make_department, make_staff, make_user

ON = date(2026, 12, 7)


def make_case(department, applicant):
    return Case.open_case(
        kind="licensing",
        prefix="XK",
        department=department,
        status="submitted",
        by=applicant,
        applicant=applicant,
        contact_name=applicant.full_name,
        received_on=ON,
    )


def issue(department, case=None, on=ON, lines=("张明：", "你的申请已受理。")):
    return documents.issue(
        department=department, kind="licensing.acceptance", title="受理通知书", lines=lines, case=case, on=on
    )


@pytest.fixture
def document(department, applicant):
    return issue(department, make_case(department, applicant))


def upload(client, data, name="copy.pdf"):
    return client.post(reverse("document-verify"), {"copy": SimpleUploadedFile(name, data, "application/pdf")})


@pytest.mark.django_db
def test_numbers_run_per_organ_and_per_year_art_32(department, other_department):
    department.document_prefix = "示范市监许"
    department.save()
    assert [issue(department).number for _ in range(3)] == [f"示范市监许〔2026〕{n}号" for n in (1, 2, 3)]
    assert issue(other_department).number == "MZ〔2026〕1号"  # another organ, its own sequence
    assert issue(department, on=date(2027, 1, 4)).number == "示范市监许〔2027〕1号"  # a new year starts again


@pytest.mark.django_db
def test_the_database_never_gives_a_number_twice(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            department=document.department,
            kind=document.kind,
            title=document.title,
            year=document.year,
            serial=document.serial,
            number="another spelling of the same number",
            issued_on=ON,
        )


@pytest.mark.django_db(transaction=True)
def test_documents_issued_at_the_same_moment_get_different_numbers():
    department = make_department()
    numbers, errors = [], []

    def worker():
        try:
            numbers.append(issue(department).serial)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(numbers) == list(range(1, 9))


@pytest.mark.django_db
def test_the_seal_signs_exactly_what_the_document_says_order_716_art_8(document):
    assert document.seal_valid()
    IssuedDocument.objects.filter(pk=document.pk).update(lines=["张明：", "你的申请不予受理。"])
    document.refresh_from_db()
    assert not document.seal_valid()


@pytest.mark.django_db
def test_anyone_can_check_the_seal_with_the_published_key_electronic_signature_law_art_13(client, document):
    pem = client.get(reverse("document-seal-key")).content
    public = serialization.load_pem_public_key(pem)
    public.verify(base64.b64decode(document.signature), document.signed_content())  # raises if not genuine
    assert document.key_id in client.get(document.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_document_signed_with_another_key_does_not_verify(document, settings):
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings.DOCUMENT_SEAL_KEY = other.decode()
    assert not document.seal_valid()


@pytest.mark.django_db
def test_the_electronic_copy_is_the_same_bytes_every_time(document):
    assert document.pdf() == document.pdf()
    assert document.pdf().startswith(b"%PDF-1.4")
    assert documents.hashlib.sha256(document.pdf()).hexdigest() == document.pdf_sha256


@pytest.mark.django_db
def test_long_documents_wrap_and_run_onto_more_pages(department):
    document = issue(department, lines=["很长的理由" * 40] + [f"第{n}项" for n in range(60)])
    assert document.pdf().count(b"/Type /Page ") == 3
    assert document.seal_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "genuine", "changed"),
    [
        ("zh-hans", "核验通过：该文件是部门出具", "该文件不是本平台出具的文书，或出具后已被改动"),
        ("en", "Genuine: this file is the electronic copy", "not a document issued by the portal, or it was changed"),
    ],
)
def test_a_genuine_copy_passes_and_a_changed_copy_fails(client, document, language, genuine, changed):
    client.cookies["django_language"] = language
    response = upload(client, document.pdf())
    assert response.status_code == 200 and genuine in response.content.decode()
    tampered = document.pdf().replace("受理".encode("utf-16-be").hex().upper().encode(), b"FFFF" * 2, 1)
    assert tampered != document.pdf()
    html = upload(client, tampered).content.decode()
    assert changed in html and document.number not in html


@pytest.mark.django_db
def test_a_changed_record_is_shown_as_not_matching_its_seal(client, document):
    IssuedDocument.objects.filter(pk=document.pk).update(lines=["张明：", "你的申请不予受理。"])
    client.cookies["django_language"] = "en"
    html = client.get(document.get_absolute_url()).content.decode()
    assert "The seal does not match this record" in html and "Genuine" not in html
    # Its electronic copy is no longer handed out: it would not verify.
    client.force_login(document.case.applicant)
    assert client.get(reverse("document-copy", args=[document.pk])).status_code == 404


@pytest.mark.django_db
def test_lookup_by_number_and_code(client, document):
    client.cookies["django_language"] = "en"
    url = reverse("document-verify")
    html = client.get(url, {"number": f" {document.number} ", "code": document.verification_code.lower()}).content
    assert "Genuine: the department issued this document" in html.decode() and "你的申请已受理。" in html.decode()
    wrong = client.get(url, {"number": document.number, "code": "AAAAAAAA"}).content.decode()
    assert "No document matches this number and code" in wrong and "你的申请已受理。" not in wrong


@pytest.mark.django_db
def test_guessing_is_slowed_down(client, document):
    url = reverse("document-verify")
    for _ in range(10):
        assert client.get(url, {"number": document.number, "code": "AAAAAAAA"}).status_code == 200
    response = client.get(url, {"number": document.number, "code": document.verification_code})
    assert response.status_code == 429 and "你的申请已受理。" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a pdf", "This is not a PDF file."),
        (b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "larger than any document the portal issues"),
    ],
)
def test_bad_uploads_get_a_clear_message(client, data, message):
    client.cookies["django_language"] = "en"
    response = upload(client, data)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.django_db
def test_a_post_without_a_file_is_a_form_error_not_a_server_error(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("document-verify"), {})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_the_check_page_works_for_anyone_and_unknown_codes_are_404(client, document):
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(reverse("document-check", args=["ZZZZZZZZ"])).status_code == 404
    with translation.override("zh-hans"):
        assert "文书核验" in client.get(reverse("document-verify")).content.decode()


@pytest.mark.django_db
def test_the_electronic_copy_goes_only_to_its_applicant_and_the_case_department(client, document, department):
    url = reverse("document-copy", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(make_user("li@example.cn", full_name="李四"))
    assert client.get(url).status_code == 404
    elsewhere = make_department(code="MZ", name="区民政局", name_en="Civil Affairs")
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, elsewhere))
    assert client.get(url).status_code == 404
    client.force_login(make_staff("sc@example.cn", roles.DEPARTMENT_REVIEWER, department))
    response = client.get(url)
    assert response.status_code == 200 and response.content == document.pdf()


@pytest.mark.django_db
def test_staff_read_their_organs_register_of_documents_in_the_admin(
    client, document, department, django_assert_max_num_queries
):
    elsewhere = make_department(code="MZ", name="区民政局", name_en="Civil Affairs")
    theirs = issue(elsewhere)
    client.force_login(make_staff("sc@example.cn", roles.DEPARTMENT_REVIEWER, department))
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("admin:civiccenter_issueddocument_changelist")).content.decode()
    assert document.number in listing and theirs.number not in listing
    page = client.get(reverse("admin:civiccenter_issueddocument_change", args=[document.pk])).content.decode()
    assert "matches the text" in page and "你的申请已受理。" in page and 'name="_save"' not in page
    assert client.get(reverse("admin:civiccenter_issueddocument_change", args=[theirs.pk])).status_code == 302
    url = reverse("admin:civiccenter_issueddocument_changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        issue(department, make_case(department, document.case.applicant))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
