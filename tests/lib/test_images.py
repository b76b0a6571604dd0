"""The shared image handling (civiccenter.lib.uploads) on the three properties the showcase relies on:
a non-image named .jpg is refused, EXIF (GPS) metadata is gone from stored images and their thumbnails,
and a decompression bomb is refused before it is decoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civiccenter.lib.uploads import JPEG, PNG, UploadValidator, reencode_image, sniff, thumbnail, too_many_pixels

GPS_IFD = 0x8825


def jpeg_with_gps(size=(1200, 900)):
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    exif[GPS_IFD] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif


def bomb_png(side=8000):
    """A tiny PNG that decodes to 64 megapixels (over the 40-megapixel limit)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_the_fixture_really_carries_gps():
    assert has_gps(jpeg_with_gps())


def test_a_non_image_renamed_jpg_is_refused():
    validator = UploadValidator(kinds=(PNG, JPEG))
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validator(fake)
    assert error.value.code == "bad_type"
    script = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        validator(script)


def test_reencoded_image_and_its_thumbnail_lose_the_gps_position(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    clean = reencode_image(SimpleUploadedFile("p.jpg", jpeg_with_gps()), JPEG).read()
    assert not has_gps(clean)

    from django.core.files.storage import default_storage

    name = default_storage.save("t/clean.jpg", io.BytesIO(clean))
    stored = default_storage.open(name)
    stored.name = name
    small = thumbnail(stored, 320).read()
    assert not has_gps(small)
    with Image.open(io.BytesIO(small)) as image:
        assert max(image.size) == 320


def test_a_decompression_bomb_is_refused_before_decoding():
    data = bomb_png()
    assert len(data) < 100_000  # small on disk, 64 megapixels inside
    with pytest.raises(ValueError):
        reencode_image(SimpleUploadedFile("bomb.png", data), PNG)


def test_the_pixel_count_is_read_from_the_header():
    assert too_many_pixels(SimpleUploadedFile("bomb.png", bomb_png()))
    assert not too_many_pixels(SimpleUploadedFile("ok.jpg", jpeg_with_gps()))
    assert not too_many_pixels(SimpleUploadedFile("fake.jpg", b"not an image at all"))


def test_the_shared_validator_refuses_a_decompression_bomb_saying_why():
    data = bomb_png()
    assert sniff(SimpleUploadedFile("bomb.png", data)) is None
    with pytest.raises(ValidationError) as refused:
        UploadValidator(kinds=(PNG, JPEG))(SimpleUploadedFile("bomb.png", data, content_type="image/png"))
    assert refused.value.code == "too_many_pixels"
