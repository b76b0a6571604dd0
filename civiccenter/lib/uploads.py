"""Uploaded files: checked by their content, size-limited, renamed, images re-encoded.

`CheckedFileField` is the one model field every app uses for uploads. The name
a visitor gave a file is never used on disk: the stored name is random and its
extension comes from what the content turned out to be. Images are re-encoded
by Pillow, which leaves their metadata (GPS position, camera, author) behind;
the camera's orientation is applied first, so photos stay upright. An image of
more than `MAX_IMAGE_PIXELS` pixels (a "decompression bomb": a small file that
unpacks to gigabytes) is refused as not an image. `ResizedImageField` also
scales images down, and `thumbnail()` makes smaller copies for galleries.
"""

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

PDF, PNG, JPEG = "pdf", "png", "jpg"
IMAGE_FORMATS = {"PNG": PNG, "JPEG": JPEG}
DEFAULT_KINDS = (PDF, PNG, JPEG)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
# Larger images are refused before they are decoded (Pillow's own limit is 89 million pixels
# with a warning, and an error only at twice that): 40 megapixels is more than any phone takes.
MAX_IMAGE_PIXELS = 40_000_000
# Images are shown at most this wide; larger uploads to a ResizedImageField are scaled down.
MAX_IMAGE_WIDTH = 1600


def too_many_pixels(file) -> bool:
    """Whether an image is over MAX_IMAGE_PIXELS, read from its header alone (nothing is decoded)."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with Image.open(file) as image:
            return image.width * image.height > MAX_IMAGE_PIXELS
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return False  # not an image: sniff() says so
    finally:
        file.seek(0)


def _open_image(file):
    """Pillow's Image.open with our pixel limit; raises ValueError for an image over it."""
    from PIL import Image

    image = Image.open(file)
    if image.width * image.height > MAX_IMAGE_PIXELS:
        # Not image.close(): that would close the caller's file too.
        raise ValueError("image too large")
    return image


def sniff(file) -> str | None:
    """What the content is (PDF, PNG or JPEG), whatever the name says; None if none of them."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return PDF
    from PIL import Image, UnidentifiedImageError

    try:
        with _open_image(file) as image:
            kind = IMAGE_FORMATS.get(image.format)
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        file.seek(0)
    return kind


def reencode_image(file, kind: str, box: tuple[int, int] | None = None, quality: int = 88) -> ContentFile:
    """The image drawn again by Pillow, upright, without its metadata; scaled down to fit `box` (width, height)."""
    from PIL import ImageOps

    file.seek(0)
    with _open_image(file) as opened:
        opened.load()
        image = ImageOps.exif_transpose(opened)
        if box and (image.width > box[0] or image.height > box[1]):
            image.thumbnail(box)
        out = io.BytesIO()
        if kind == JPEG:
            image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
        else:
            if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                image = image.convert("RGBA")
            image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue())


def thumbnail(stored, max_side: int) -> ContentFile:
    """A smaller copy of a stored, already checked image (a FieldFile), for a gallery or a logo.

    Save it in an ordinary FileField; its name should end as the source's does (`.jpg` or `.png`).
    """
    kind = JPEG if stored.name.lower().endswith(".jpg") else PNG
    with stored.open("rb") as file:
        return reencode_image(file, kind, box=(max_side, max_side), quality=82)


class UploadValidator:
    def __init__(self, kinds=DEFAULT_KINDS, max_bytes=DEFAULT_MAX_BYTES):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file):
        if getattr(file, "_committed", True) and not hasattr(file, "content_type"):
            return  # a file already stored: checked when it was uploaded
        if file.size > self.max_bytes:
            raise ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": self.max_bytes // (1024 * 1024)}, code="too_big"
            )
        if file.size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        if too_many_pixels(file):
            raise ValidationError(
                _("The image is too large: at most %(max)d megapixels.") % {"max": MAX_IMAGE_PIXELS // 1_000_000},
                code="too_many_pixels",
            )
        if sniff(file) not in self.kinds:
            raise ValidationError(
                _("This file is not a valid %(kinds)s file.") % {"kinds": " / ".join(LABELS[k] for k in self.kinds)},
                code="bad_type",
            )

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)

    def deconstruct(self):
        return ("civiccenter.lib.uploads.UploadValidator", (), {"kinds": self.kinds, "max_bytes": self.max_bytes})


class CheckedFileField(models.FileField):
    """A FileField that stores only checked content under a random name in `folder`."""

    def __init__(self, *args, folder="uploads", kinds=DEFAULT_KINDS, max_bytes=DEFAULT_MAX_BYTES, **kwargs):
        self.folder, self.kinds, self.max_bytes = folder, tuple(kinds), max_bytes
        kwargs["upload_to"] = folder
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)
        self.validators.append(UploadValidator(self.kinds, self.max_bytes))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["folder"] = self.folder
        if self.kinds != DEFAULT_KINDS:
            kwargs["kinds"] = self.kinds
        if self.max_bytes != DEFAULT_MAX_BYTES:
            kwargs["max_bytes"] = self.max_bytes
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            kind = sniff(file)
            if kind not in self.kinds:
                raise ValidationError(_("This file type is not accepted."), code="bad_type")
            content = reencode_image(file, kind) if kind in (PNG, JPEG) else file.file
            file.save(f"{uuid.uuid4().hex}.{kind}", content, save=False)
        return file


class ResizedImageField(CheckedFileField):
    """A checked PNG or JPEG, re-encoded upright without metadata and scaled down to `max_width` pixels wide."""

    def __init__(self, *args, max_width=MAX_IMAGE_WIDTH, **kwargs):
        self.max_width = max_width
        kwargs.setdefault("kinds", (PNG, JPEG))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_width != MAX_IMAGE_WIDTH:
            kwargs["max_width"] = self.max_width
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            kind = sniff(file)
            if kind not in self.kinds:
                raise ValidationError(_("This file type is not accepted."), code="bad_type")
            content = reencode_image(file, kind, box=(self.max_width, self.max_width * 10), quality=85)
            file.save(f"{uuid.uuid4().hex}.{kind}", content, save=False)
        return file


class PrivateStorage(FileSystemStorage):
    """Private uploads: outside MEDIA_ROOT and without a URL; only views that check access serve them.

    The location is read from settings on every use, so PRIVATE_MEDIA_ROOT may change (tests, deployments).
    """

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage():
    return PrivateStorage()
