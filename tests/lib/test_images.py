"""The shared image handling (civiccenter.lib.uploads) on the three properties the showcase relies on:
a non-image named .jpg is refused, EXIF (GPS) metadata is gone from stored images and their thumbnails,
and a decompression bomb is refused before it is decoded."""

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civiccenter.lib.uploads import (
    JPEG,
    MAX_IMAGE_PIXELS,
    PNG,
    UploadValidator,
    reencode_image,
    sniff,
    thumbnail,
    too_many_pixels,
)

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
    """A tiny PNG that decodes to 64 megapixels (over the 16-megapixel limit)."""
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


def png_header_only(width, height):
    """A PNG of a few hundred bytes that claims `width` × `height` pixels: what a bomb sends first."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def tiled_texture(width, height, tile=200):
    """The slowest content we found to re-encode that still fits in a small file."""
    square = Image.merge("RGB", [Image.effect_noise((tile, tile), 80).convert("L")] * 3)
    image = Image.new("RGB", (width, height))
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            image.paste(square, (left, top))
    return image


def pixel_refusal(data):
    with pytest.raises(ValidationError) as refused:
        UploadValidator(kinds=(PNG, JPEG))(SimpleUploadedFile("big.png", data, content_type="image/png"))
    return refused.value


def test_the_measured_6320_pixel_square_png_is_refused_for_its_pixels():
    from django.utils import translation

    data = bomb_png(6320)
    assert len(data) < 150_000
    refused = pixel_refusal(data)
    assert refused.code == "too_many_pixels"
    with translation.override("en"):
        assert pixel_refusal(data).messages == ["The image is too large: at most 16 megapixels."]
    with translation.override("zh-hans"):
        assert "16" in pixel_refusal(data).messages[0]


def test_a_bomb_over_pillows_own_guard_says_too_many_pixels_not_invalid():
    """30,000 × 30,000: Pillow itself raises DecompressionBombError on opening; that was 'not a valid file'."""
    bomb = png_header_only(30_000, 30_000)
    assert len(bomb) < 200
    assert too_many_pixels(SimpleUploadedFile("bomb.png", bomb))
    assert pixel_refusal(bomb).code == "too_many_pixels"
    with pytest.raises(ValueError):
        reencode_image(SimpleUploadedFile("bomb.png", bomb), PNG)


def test_a_usual_phone_photo_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (4032, 3024), (90, 120, 160)).save(out, "JPEG", quality=90)
    UploadValidator(kinds=(PNG, JPEG))(SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg"))


def test_the_largest_accepted_image_re_encodes_in_bounded_time():
    """At the limit, the slowest content re-encodes in about half a second here; 2 s leaves room for a busy machine."""
    side = int(MAX_IMAGE_PIXELS**0.5)
    out = io.BytesIO()
    tiled_texture(side, side).save(out, "PNG")
    upload = SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")
    UploadValidator(kinds=(PNG, JPEG))(upload)
    started = time.process_time()
    reencode_image(upload, PNG)
    assert time.process_time() - started < 2.0
