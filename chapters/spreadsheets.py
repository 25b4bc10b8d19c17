"""Writing tables for spreadsheet programs: the one place of the portal's
rules for CSV and Excel files that people download.

- Formula injection: every cell goes through `neutralise`. A cell starting
  with = + - @, a tab or a carriage return gets a leading apostrophe, so a
  spreadsheet shows it as text and never runs it.
- Excel refuses some control characters in a cell: they are removed
  (`xlsx_text`), so a stray character typed somewhere cannot break a
  download.
- CSV files start with a byte-order mark, so spreadsheet programs read the
  Arabic as UTF-8.

The `*_write` functions write to a file as the rows come, so the worker's
large exports keep memory flat (openpyxl's write-only mode keeps the rows
in a temporary file until the workbook is saved).

Used by the organisers' exports (chapters/exports.py), the public member
list (chapters/views/public.py) and the outreach list's template and export
(members/import_files.py, which also reads FORMULA_STARTS back on import)."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def neutralise(value) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading
    apostrophe, so an exported list cannot carry CSV injection."""
    text = "" if value is None else str(value)
    # Apostrophes before a formula character count too: "'=x" exports as
    # "''=x", and the import, which removes one, restores it exactly.
    if text.lstrip("'")[:1] in FORMULA_STARTS:
        return f"'{text}"
    return text


def safe_cells(row: Iterable) -> list[str]:
    return [neutralise(cell) for cell in row]


def xlsx_text(value: str) -> str:
    """The text without the control characters an Excel cell may not hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV one line at a time, the first after a byte-order mark."""
    writer = csv.writer(_Line())
    prefix = BYTE_ORDER_MARK
    for row in rows:
        yield prefix + writer.writerow(safe_cells(row))
        prefix = ""


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """A whole CSV file: UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(safe_cells(row))
    return buffer.getvalue().encode("utf-8-sig")


def csv_write(rows: Iterable[Iterable], file: IO[str]) -> None:
    """A CSV file written row by row to `file`, a text file opened with
    newline="" and encoding="utf-8-sig" (the byte-order mark)."""
    writer = csv.writer(file)
    for row in rows:
        writer.writerow(safe_cells(row))


def xlsx_write(rows: Iterable[Iterable], file, *, right_to_left: bool) -> None:
    """A workbook written row by row (openpyxl's write-only mode) to `file`,
    a path or binary file; every cell a string, never a formula; the sheet
    right to left in Arabic."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.sheet_view.rightToLeft = right_to_left
    for row in rows:
        sheet.append([xlsx_text(cell) for cell in safe_cells(row)])
    workbook.save(file)


def xlsx_bytes(rows: Iterable[Iterable], *, right_to_left: bool) -> bytes:
    """A whole workbook in memory (xlsx_write)."""
    buffer = io.BytesIO()
    xlsx_write(rows, buffer, right_to_left=right_to_left)
    return buffer.getvalue()
