"""Spreadsheets made to exhaust an importer, written part by part so that
making them costs little memory: the tests refuse them and
bench/import_bombs.py measures the worker reading them."""

import io
import random
import string
import zipfile
from collections.abc import Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = RELATIONSHIPS + "/worksheet"
STRINGS_TYPE = RELATIONSHIPS + "/sharedStrings"
OFFICE_DOCUMENT = RELATIONSHIPS + "/officeDocument"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE}">
<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE}">
<Relationship Id="rId1" Type="{SHEET_TYPE}" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>
</Relationships>"""
HEADER = ("Name in English", "Type")
CHUNK = 1024 * 1024


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return "<row>" + "".join(_inline(title) for title in HEADER) + "</row>"


def _write_repeated(part, piece: bytes, total: int) -> None:
    chunk = piece * max(1, CHUNK // len(piece))
    written = 0
    while written < total:
        part.write(chunk)
        written += len(chunk)


def _xlsx(write_sheet, write_strings=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{MAIN}">'.encode())
            if write_strings:
                write_strings(part)
            part.write(b"</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            part.write(_header_row().encode())
            write_sheet(part)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def compressible_sheet(unpacked_mb: int = 100) -> bytes:
    """One row of millions of one-letter cells: a few hundred KB that
    openpyxl would turn into an object per cell, all at once."""

    def write_sheet(part):
        part.write(b"<row>")
        _write_repeated(part, _inline("x").encode(), unpacked_mb * CHUNK)
        part.write(b"</row>")

    return _xlsx(write_sheet)


def huge_shared_strings(unpacked_mb: int = 60) -> bytes:
    """A shared-strings part of one string of tens of MB, which openpyxl
    reads whole as it opens the workbook, before any row."""

    def write_strings(part):
        part.write(b"<si><t>")
        _write_repeated(part, b"a" * 1024, unpacked_mb * CHUNK)
        part.write(b"</t></si>")

    def write_sheet(part):
        part.write(b'<row><c t="s"><v>0</v></c>' + _inline("cbo").encode() + b"</row>")

    return _xlsx(write_sheet, write_strings)


def many_rows(rows: int = 400_000) -> bytes:
    """Hundreds of thousands of tiny rows in about a hundred KB."""

    def write_sheet(part):
        row = b"<row>" + _inline("x").encode() + b"</row>"
        _write_repeated(part, row, rows * len(row))

    return _xlsx(write_sheet)


def normal_rows(rows: int = 200) -> bytes:
    """A plain list of organisations, the baseline."""

    def write_sheet(part):
        for number in range(rows):
            cells = _inline(f"Organisation number {number}") + _inline("cbo")
            part.write(f"<row>{cells}</row>".encode())

    return _xlsx(write_sheet)


def _words(rng: random.Random, total: int) -> Iterator[bytes]:
    """Text that packs about as well as real text: random words."""
    vocabulary = [
        "".join(rng.choices(string.ascii_lowercase, k=7)) + " " for _ in range(8)
    ]
    written = 0
    while written < total:
        chunk = "".join(rng.choices(vocabulary, k=8192)).encode()
        written += len(chunk)
        yield chunk


def one_huge_cell(unpacked_mb: int = 45, seed: int = 11) -> bytes:
    """A cell of tens of MB of word-like text, within the archive limits and
    the 5 MB upload: the streaming check meets it before openpyxl does."""

    def write_sheet(part):
        part.write(b'<row><c t="inlineStr"><is><t>')
        for chunk in _words(random.Random(seed), unpacked_mb * CHUNK):
            part.write(chunk)
        part.write(b"</t></is></c></row>")

    return _xlsx(write_sheet)


def rows_past_the_limit(rows: int = 21_500, seed: int = 7) -> bytes:
    """More rows than an import takes, each different, so the archive looks
    ordinary and only the row limit stops the check."""
    rng = random.Random(seed)

    def write_sheet(part):
        for _number in range(rows):
            name = "".join(rng.choices(string.ascii_letters, k=12))
            part.write(f"<row>{_inline(name)}{_inline('cbo')}</row>".encode())

    return _xlsx(write_sheet)


def many_shared_strings(unpacked_mb: int = 9, seed: int = 5) -> bytes:
    """A shared-strings part just under its limit, of a million short
    strings: the most text openpyxl is allowed to hold as it opens a file."""
    rng = random.Random(seed)

    def write_strings(part):
        written = 0
        while written < unpacked_mb * CHUNK:
            words = rng.choices(string.ascii_lowercase, k=8 * 1024)
            chunk = "".join(
                f"<si><t>{''.join(words[at : at + 8])}</t></si>"
                for at in range(0, len(words), 8)
            ).encode()
            part.write(chunk)
            written += len(chunk)

    def write_sheet(part):
        part.write(b'<row><c t="s"><v>0</v></c>' + _inline("cbo").encode() + b"</row>")

    return _xlsx(write_sheet, write_strings)
