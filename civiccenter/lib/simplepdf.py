"""PDF files of plain text lines, Chinese included, with no dependency.

Used for the demo data's blank forms and filled-in samples, and for the
electronic copies of the documents the portal issues (civiccenter/documents.py).
Chinese text uses the standard Adobe-GB1 font STSong-Light, which PDF viewers
supply themselves, so nothing is embedded and the files stay a few kilobytes.
The output depends only on the input (no dates, no random ids), so the same
document always gives the same bytes.
"""

import unicodedata

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595, 842, 60
LINE_HEIGHT = 22
# Width of the text block in ems of the 12-point body font.
LINE_EMS = (PAGE_WIDTH - 2 * MARGIN) / 12


def _text(line: str) -> str:
    return "<" + line.encode("utf-16-be").hex().upper() + ">"


def _ems(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.5


def wrap(line: str, width: float = LINE_EMS) -> list[str]:
    """Split a line so that no piece is wider than `width` ems (Chinese characters are one em, others half)."""
    pieces, current, used = [], "", 0.0
    for char in line:
        if used + _ems(char) > width:
            pieces.append(current)
            current, used = "", 0.0
        current += char
        used += _ems(char)
    pieces.append(current)
    return pieces


def _page(title: str | None, lines: list[str]) -> bytes:
    content = ["BT", f"{MARGIN} {PAGE_HEIGHT - 62} Td"]
    if title is not None:
        content += ["/F1 18 Tf", f"{_text(title)} Tj", "0 -36 Td"]
    content.append("/F1 12 Tf")
    for line in lines:
        content += [f"{_text(line)} Tj", f"0 -{LINE_HEIGHT} Td"]
    content.append("ET")
    return "\n".join(content).encode("ascii")


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A PDF of `title` and `lines`; long lines are wrapped and further pages added as needed."""
    wrapped = [piece for line in lines for piece in (wrap(line) if line else [""])]
    first = (PAGE_HEIGHT - 2 * MARGIN - 36) // LINE_HEIGHT
    rest = (PAGE_HEIGHT - 2 * MARGIN) // LINE_HEIGHT
    chunks = [wrapped[:first]] + [wrapped[start : start + rest] for start in range(first, len(wrapped), rest)]
    streams = [_page(title if number == 0 else None, chunk) for number, chunk in enumerate(chunks)]
    font = 3 + 2 * len(streams)  # objects: catalog, pages, then a page and its contents per page, then the font
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(len(streams)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(streams)} >>".encode(),
    ]
    for index, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects += [
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        f"/DescendantFonts [{font + 1} 0 R] >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {font + 2} 0 R >>".encode(),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
