"""Uploaded files: checked by their content, size-limited, renamed, images re-encoded.

`CheckedFileField` is the one model field every app uses for uploads. The name
a visitor gave a file is never used on disk: the stored name is random and its
extension comes from what the content turned out to be. Images are re-encoded
by Pillow, which leaves their metadata (GPS position, camera, author) behind;
the camera's orientation is applied first, so photos stay upright. An image of
more than `MAX_IMAGE_PIXELS` pixels (a "decompression bomb": a small file that
unpacks to gigabytes) is refused, saying so, before anything is decoded, which
also bounds the time a re-encoding takes. `ResizedImageField` also scales
images down, and `thumbnail()` makes smaller copies for galleries.

A PDF must begin with `%PDF-` (no web page in front: a polyglot), end at its
last `%%EOF`, open in pypdf within `PDF_CHECK_SECONDS` and `MAX_PDF_PAGES`
pages, and carry nothing that runs or hides: JavaScript, actions that run on
opening, launch actions, embedded files, rich media, XFA forms (`check_pdf`).
"""

import io
import os
import time
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
# Larger images are refused from their header, before they are decoded. The limit bounds the time a
# web worker spends re-encoding one. Measured on the two-core machine (CPU seconds, best of 3, decode +
# upright + encode, the slowest contents that fit in 10 MB: flat colour, gradients, tiled textures):
# at 16 megapixels a PNG takes 0.45-0.55 s and a JPEG 0.25-0.35 s (at 12 MP, 0.3-0.5 s); the measured
# 6320 x 6320 PNG of 131 KB that the old 40-megapixel limit let through took 1.5 s, and once ran past
# gunicorn's timeout. 16 megapixels still takes every usual phone photo (12 MP, 4032 x 3024; 16 MP,
# 4608 x 3456) and a scan of an A4 page at 300 dpi (8.7 MP).
MAX_IMAGE_PIXELS = 16_000_000
# Only the decoders of the kinds we accept ever see an upload.
PILLOW_FORMATS = tuple(IMAGE_FORMATS)
# Images are shown at most this wide; larger uploads to a ResizedImageField are scaled down.
MAX_IMAGE_WIDTH = 1600
# zlib's fast level: a third quicker than optimize=True (level 9) on large images, files a little larger.
PNG_COMPRESS_LEVEL = 1
# PDFs: what a check may cost. A PDF over these is refused, saying which.
MAX_PDF_PAGES = 1000
PDF_CHECK_SECONDS = 2.0
# Bytes of whitespace tolerated after the last %%EOF (line ends that tools add); more is a second payload.
PDF_TRAILING_BYTES = 32


def _pixel_limit_error():
    return ValidationError(
        _("The image is too large: at most %(max)d megapixels.") % {"max": MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def too_many_pixels(file) -> bool:
    """Whether an image is over MAX_IMAGE_PIXELS, read from its header alone (nothing is decoded)."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with Image.open(file, formats=PILLOW_FORMATS) as image:
            return image.width * image.height > MAX_IMAGE_PIXELS
    except Image.DecompressionBombError:
        return True  # Pillow's own guard, at twice its limit: a bomb says so, not "not a valid file"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False  # not an image: sniff() says so
    finally:
        file.seek(0)


def _open_image(file):
    """Pillow's Image.open with our pixel limit; raises ValueError for an image over it, before any decoding."""
    from PIL import Image

    try:
        image = Image.open(file, formats=PILLOW_FORMATS)
    except Image.DecompressionBombError as error:
        raise ValueError("image too large") from error
    if image.width * image.height > MAX_IMAGE_PIXELS:
        # Not image.close(): that would close the caller's file too.
        raise ValueError("image too large")
    return image


def sniff(file) -> str | None:
    """What the content is (PDF, PNG or JPEG), whatever the name says; None if none of them.

    A PDF must start with `%PDF-` at its first byte: readers that look further in would take
    a web page with a PDF after it (a polyglot) for a PDF, and a browser would run the page.
    """
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.startswith(b"%PDF-"):
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
            image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return ContentFile(out.getvalue())


def thumbnail(stored, max_side: int) -> ContentFile:
    """A smaller copy of a stored, already checked image (a FieldFile), for a gallery or a logo.

    Save it in an ordinary FileField; its name should end as the source's does (`.jpg` or `.png`).
    """
    kind = JPEG if stored.name.lower().endswith(".jpg") else PNG
    with stored.open("rb") as file:
        return reencode_image(file, kind, box=(max_side, max_side), quality=82)


# PDFs ------------------------------------------------------------------------------------------------

# What a PDF may not carry, each with the words a person reads. Scripts and launch actions run code in
# the reader's viewer; automatic actions run without a click; embedded files and rich media hide another
# file inside (an executable, a Flash movie); an XFA form is a second, scripted document inside the PDF.
PDF_ACTIVE_CONTENT = {
    "javascript": _("JavaScript"),
    "automatic_action": _("an action that runs by itself when the file is opened"),
    "launch": _("a command that starts another program"),
    "embedded_files": _("embedded files"),
    "rich_media": _("rich media (Flash or video)"),
    "xfa": _("an XFA form"),
}
# Actions that are harmless even when they run by themselves: going to a page of the same file.
PDF_HARMLESS_AUTOMATIC_ACTIONS = {"/GoTo"}


def _pdf_refusal(message, code):
    return ValidationError(message, code=code)


def _pdf_unreadable():
    return _pdf_refusal(
        _("This PDF cannot be read: it may be damaged. Save it again and upload the new copy."), "bad_pdf"
    )


def _active_in(value, depth=0) -> str | None:
    """What active content one PDF object holds, looking into its direct parts (not into references:
    every indirect object is looked at in its own turn)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 50:
        return "too_deep"
    if isinstance(value, DictionaryObject):
        kind = value.get("/S")
        if "/JS" in value or kind == "/JavaScript":
            return "javascript"
        if kind == "/Launch" or value.get("/Type") == "/Launch":
            return "launch"
        if kind in ("/GoToE", "/ImportData") or "/EF" in value or value.get("/Type") == "/EmbeddedFile":
            return "embedded_files"
        if value.get("/Subtype") == "/FileAttachment" or "/EmbeddedFiles" in value:
            return "embedded_files"
        if value.get("/Subtype") == "/RichMedia" or "/RichMediaContent" in value or "/RichMediaSettings" in value:
            return "rich_media"
        if "/XFA" in value:
            return "xfa"
        if "/JavaScript" in value:  # the document's names tree of scripts
            return "javascript"
        for trigger in ("/OpenAction", "/AA"):
            found = _automatic_action(value[trigger], trigger) if trigger in value else None
            if found:
                return found
        children = value.values()
    elif isinstance(value, ArrayObject):
        children = value
    else:
        return None
    for child in children:
        if isinstance(child, IndirectObject):
            continue
        found = _active_in(child, depth + 1)
        if found:
            return found
    return None


def _action_kind(action) -> str:
    kind = action.get("/S")
    if kind == "/JavaScript" or "/JS" in action:
        return "javascript"
    return "launch" if kind == "/Launch" else "automatic_action"


def _automatic_action(value, trigger) -> str | None:
    """What an /OpenAction (an action, or a destination: harmless) or an /AA dictionary runs, if anything but a GoTo."""
    from pypdf.generic import DictionaryObject

    value = value.get_object()
    if not isinstance(value, DictionaryObject):
        return None  # an /OpenAction destination such as [page /Fit]
    actions = [value] if trigger == "/OpenAction" else [action.get_object() for action in value.values()]
    for action in actions:
        for _step in range(100):  # a chain of actions (/Next): each one counts; a looped chain is refused
            if not isinstance(action, DictionaryObject):
                break
            if action.get("/S") not in PDF_HARMLESS_AUTOMATIC_ACTIONS:
                return _action_kind(action)
            following = action.get("/Next")
            action = following.get_object() if following is not None else None
        else:
            return "automatic_action"
    return None


def check_pdf(file) -> None:
    """Refuse, with a sentence for people, a PDF that is not only a PDF or that carries active content.

    Every indirect object of the file is looked at (the parser reads objects streams and the
    cross-reference table, so names written as /J#61vaScript or packed in a compressed stream are
    found too); the time this takes is bounded by PDF_CHECK_SECONDS and the pages by MAX_PDF_PAGES.
    """
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    file.seek(0)
    data = file.read()
    file.seek(0)
    if not data.startswith(b"%PDF-"):
        raise _pdf_unreadable()
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise _pdf_unreadable()
    tail = data[end + len(b"%%EOF") :]
    if len(tail) > PDF_TRAILING_BYTES or tail.strip(b"\x00\t\n\x0c\r "):
        raise _pdf_refusal(
            _("This PDF has other data after its end. Save it again as a plain PDF and upload that copy."),
            "pdf_trailing_data",
        )
    deadline = time.monotonic() + PDF_CHECK_SECONDS
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _pdf_refusal(
                _("This PDF is protected by a password. Upload a copy without the password."), "pdf_encrypted"
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _pdf_refusal(
                _("This PDF has more than %(max)d pages.") % {"max": MAX_PDF_PAGES}, "pdf_too_many_pages"
            )
        numbers = [(number, generation) for generation, table in reader.xref.items() for number in table]
        numbers += [(number, 0) for number in reader.xref_objStm]
        found = _active_in(reader.trailer)
        for number, generation in numbers:
            if found:
                break
            if time.monotonic() > deadline:
                raise _pdf_refusal(
                    _("This PDF is too complex to be checked. Save it again as a plain PDF and upload that copy."),
                    "pdf_too_complex",
                )
            found = _active_in(reader.get_object(IndirectObject(number, generation, reader)))
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises anything on a broken file: all mean "cannot be read"
        raise _pdf_unreadable() from error
    if found == "too_deep":
        raise _pdf_unreadable()
    if found:
        raise _pdf_refusal(
            _(
                "This PDF is not accepted because it contains %(what)s. Save it again as a plain PDF "
                "(for example by printing it to PDF) and upload that copy."
            )
            % {"what": PDF_ACTIVE_CONTENT[found]},
            "pdf_active_content",
        )


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
            raise _pixel_limit_error()
        kind = sniff(file)
        if kind not in self.kinds:
            raise ValidationError(
                _("This file is not a valid %(kinds)s file.") % {"kinds": " / ".join(LABELS[k] for k in self.kinds)},
                code="bad_type",
            )
        if kind == PDF:
            check_pdf(file)

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
