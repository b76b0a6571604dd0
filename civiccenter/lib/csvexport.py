"""CSV downloads: the one writer of every CSV file the portal serves.

UTF-8 with a byte order mark, so that spreadsheet programs read the Chinese; headers are written in the reader's
language (labels given as gettext strings, lazy or not, are rendered in the language active when the response is
made, also for a streamed file whose rows are written after the view has returned); a text cell starting with
= + - @ is a formula to a spreadsheet, so it is written with a leading apostrophe (numbers are left as they are).
Big sets are streamed row by row (``stream=True``), in constant memory whatever their size.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@")


def cell(value) -> str:
    """One cell's text: None is empty; text that a spreadsheet would run as a formula is kept text."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def lines(header: Iterable | None, rows: Iterable[Iterable], *, bom: bool = True) -> Iterable[str]:
    """The file as lines of text: the BOM, the header (when given), then each row."""
    writer = csv.writer(_Echo())
    if bom:
        yield BOM
    if header is not None:
        yield writer.writerow([str(label) for label in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def as_text(header: Iterable | None, rows: Iterable[Iterable], *, bom: bool = True) -> str:
    return "".join(lines(header, rows, bom=bom))


def _in_language(language, header, rows, bom):
    with translation.override(language):
        yield from lines(header, rows, bom=bom)


def csv_response(filename: str, header: Iterable | None, rows: Iterable[Iterable], *, stream: bool = False):
    """The download of a CSV file named ``filename``; ``stream=True`` for big sets (rows read as they are sent)."""
    header = None if header is None else [str(label) for label in header]
    if stream:
        response = StreamingHttpResponse(
            _in_language(translation.get_language(), header, rows, True), content_type=CONTENT_TYPE
        )
    else:
        response = HttpResponse(as_text(header, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
