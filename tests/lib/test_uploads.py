"""Uploads are checked by content, renamed, and images lose their metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
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
    pdf_only(SimpleUploadedFile("form.pdf", text_pdf("表", [])[:1000] + b"%%EOF"))
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
