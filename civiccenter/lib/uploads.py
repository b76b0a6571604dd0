"""Uploaded files: checked by their content, size-limited, renamed, images re-encoded.

`CheckedFileField` is the one model field every app uses for uploads. The name
a visitor gave a file is never used on disk: the stored name is random and its
extension comes from what the content turned out to be. Images are re-encoded
by Pillow, which leaves their metadata (GPS position, camera, author) behind.
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


def sniff(file) -> str | None:
    """What the content is (PDF, PNG or JPEG), whatever the name says; None if none of them."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return PDF
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            kind = IMAGE_FORMATS.get(image.format)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        file.seek(0)
    return kind


def reencode_image(file, kind: str) -> ContentFile:
    from PIL import Image

    file.seek(0)
    with Image.open(file) as image:
        image.load()
        out = io.BytesIO()
        if kind == JPEG:
            image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
        else:
            image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue())


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
