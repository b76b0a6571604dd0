"""Uploads are checked by content, renamed, and images lose their metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civiccenter.lib.simplepdf import text_pdf
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator, reencode_image, sniff


def jpeg_with_exif():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {1: "N"}  # GPS info
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_sniff_goes_by_content_not_by_name():
    assert sniff(SimpleUploadedFile("x.png", text_pdf("表", ["一"]))) == PDF
    assert sniff(SimpleUploadedFile("x.pdf", jpeg_with_exif())) == JPEG
    png = io.BytesIO()
    Image.new("RGB", (5, 5)).save(png, "PNG")
    assert sniff(SimpleUploadedFile("x.txt", png.getvalue())) == PNG
    assert sniff(SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")) is None
    assert sniff(SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 truncated")) is None


def test_validator_refuses_wrong_types_empty_and_oversized_files():
    pdf_only = UploadValidator(kinds=(PDF,), max_bytes=1024)
    assert len(blank_pdf()) < 1024
    pdf_only(SimpleUploadedFile("form.pdf", blank_pdf()))
    for bad in [
        SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>"),
        SimpleUploadedFile("photo.pdf", jpeg_with_exif()),
        SimpleUploadedFile("empty.pdf", b""),
        SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000),
    ]:
        with pytest.raises(ValidationError):
            pdf_only(bad)


def test_reencoded_images_lose_their_metadata():
    original = SimpleUploadedFile("p.jpg", jpeg_with_exif())
    with Image.open(io.BytesIO(original.read())) as image:
        assert image.getexif()
    original.seek(0)
    clean = reencode_image(original, JPEG)
    with Image.open(io.BytesIO(clean.read())) as image:
        assert not image.getexif()
        assert image.size == (40, 30)


@pytest.mark.django_db
def test_stored_name_is_random_with_the_true_extension(department, tmp_path, settings):
    from licensing.models import Material
    from tests.licensing.conftest import make_matter

    settings.MEDIA_ROOT = tmp_path
    matter = make_matter(department)
    material = Material(version=matter.current_version, name="申请书")
    material.blank_form = SimpleUploadedFile("../../etc/passwd 我的表格.PDF", text_pdf("表", ["一"]))
    material.full_clean()
    material.save()
    assert material.blank_form.name.startswith("licensing/forms/")
    name = material.blank_form.name.rsplit("/", 1)[1]
    assert len(name) == 36 and name.endswith(".pdf")
    assert (tmp_path / material.blank_form.name).read_bytes().startswith(b"%PDF-")


@pytest.mark.django_db
def test_model_validation_refuses_a_disguised_file(department):
    from licensing.models import Material
    from tests.licensing.conftest import make_matter

    matter = make_matter(department)
    material = Material(version=matter.current_version, name="申请书")
    material.blank_form = SimpleUploadedFile("form.pdf", b"GIF89a not really")
    with pytest.raises(ValidationError) as error:
        material.full_clean()
    assert "blank_form" in error.value.message_dict


# PDFs are read beyond their first bytes (pypdf) ----------------------------------------------------------


def blank_pdf(change=None) -> bytes:
    """A one-page PDF written by pypdf; `change(writer)` adds what a test needs first."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind, **entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {NameObject("/S"): NameObject(kind), **{NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()}}
    )


def refusal(data):
    with pytest.raises(ValidationError) as refused:
        UploadValidator(kinds=(PDF, PNG, JPEG))(SimpleUploadedFile("doc.pdf", data, content_type="application/pdf"))
    return refused.value


def open_action_javascript(writer):
    from pypdf.generic import NameObject

    writer.root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert('hi')")


def test_a_plain_pdf_is_accepted_even_with_an_open_action_that_goes_to_a_page():
    from pypdf.generic import ArrayObject, NameObject

    def go_to_first_page(writer):
        writer.root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/Fit")]
        )

    validator = UploadValidator(kinds=(PDF,))
    for data in (blank_pdf(), blank_pdf(go_to_first_page), text_pdf("申请书", ["姓名：张明"]), blank_pdf() + b"\r\n"):
        validator(SimpleUploadedFile("form.pdf", data))


def test_a_pdf_web_page_polyglot_is_refused():
    polyglot = b"<html><body><script>fetch('/accounts/')</script><!--\n" + blank_pdf() + b"\n-->"
    assert sniff(SimpleUploadedFile("x.pdf", polyglot)) is None
    assert refusal(polyglot).code == "bad_type"


def test_a_pdf_with_javascript_run_on_opening_is_refused_saying_so():
    from django.utils import translation

    error = refusal(blank_pdf(open_action_javascript))
    assert error.code == "pdf_active_content"
    with translation.override("en"):
        assert "JavaScript" in refusal(blank_pdf(open_action_javascript)).messages[0]


def test_active_content_anywhere_in_a_pdf_is_refused():
    from pypdf.actions import JavaScript
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    def document_script(writer):
        writer.add_open_action(JavaScript("app.alert(1)"))

    def page_opens_a_program(writer):
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/Launch", F="cmd.exe")})

    def link_launches_a_program(writer):
        writer.root_object[NameObject("/Extra")] = writer._add_object(action("/Launch", F="calc.exe"))

    def open_calls_home(writer):
        writer.root_object[NameObject("/OpenAction")] = action("/URI", URI="https://tracker.example/")

    def embedded_file(writer):
        writer.add_attachment("invoice.exe", b"MZ\x90\x00")

    def xfa_form(writer):
        writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/XFA"): ArrayObject()})

    def rich_media(writer):
        annotation = DictionaryObject(
            {NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia")}
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    for change in (
        document_script,
        page_opens_a_program,
        link_launches_a_program,
        open_calls_home,
        embedded_file,
        xfa_form,
        rich_media,
    ):
        assert refusal(blank_pdf(change)).code == "pdf_active_content", change.__name__


def test_a_script_name_written_in_hex_escapes_is_still_found():
    data = blank_pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>", 1
    )
    assert b"/JavaScript" not in data
    assert refusal(data).code == "pdf_active_content"


def test_data_after_the_end_of_a_pdf_is_refused():
    assert refusal(blank_pdf() + b"<script>alert(1)</script>").code == "pdf_trailing_data"
    assert refusal(blank_pdf() + b"\n" * 100).code == "pdf_trailing_data"


def test_password_protected_damaged_and_fake_pdfs_are_refused():
    locked = blank_pdf(lambda writer: writer.encrypt(user_password="secret", owner_password="owner"))
    assert refusal(locked).code == "pdf_encrypted"
    # Restricted (an owner password only) opens without one: it is read and accepted.
    UploadValidator(kinds=(PDF,))(SimpleUploadedFile("r.pdf", blank_pdf(lambda w: w.encrypt("", owner_password="o"))))
    assert refusal(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").code == "bad_pdf"
    assert refusal(blank_pdf()[:-40] + b"%%EOF").code == "bad_pdf"
    assert refusal(b"%PDF-1.7\n" + b"x" * 200).code == "bad_pdf"  # no %%EOF: cut short


def test_pdf_page_limit_and_time_budget(monkeypatch):
    from civiccenter.lib import uploads

    def three_pages(writer):
        writer.add_blank_page(200, 200)
        writer.add_blank_page(200, 200)

    monkeypatch.setattr(uploads, "MAX_PDF_PAGES", 2)
    assert refusal(blank_pdf(three_pages)).code == "pdf_too_many_pages"
    monkeypatch.setattr(uploads, "MAX_PDF_PAGES", 1000)
    monkeypatch.setattr(uploads, "PDF_CHECK_SECONDS", -1)
    assert refusal(blank_pdf()).code == "pdf_too_complex"


@pytest.mark.django_db
def test_a_pdf_with_a_script_is_a_form_error_and_nothing_is_saved(client, applicant, department, settings, tmp_path):
    from opinions.models import Opinion, OpinionFile
    from tests.opinions.test_cases import make_category
    from tests.opinions.test_cases_views import form_data

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(applicant)
    upload = SimpleUploadedFile("证据.pdf", blank_pdf(open_action_javascript), content_type="application/pdf")
    response = client.post(reverse("opinions:index"), {**form_data(make_category(department)), "files": [upload]})
    assert response.status_code == 200
    from django.utils import translation

    with translation.override("zh-hans"):  # the page's language
        expected = refusal(blank_pdf(open_action_javascript)).messages[0]
    assert response.context["form"].errors["files"] == [f"证据.pdf: {expected}"]
    assert not Opinion.objects.exists() and not OpinionFile.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))
