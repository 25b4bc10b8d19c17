"""Large imports: the .xlsx reader reads every kind of cell as openpyxl
does, in one pass, and a large import is checked and written in a number of
queries that does not grow with its rows."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from members import import_files
from members.models import ImportJob, Organisation
from members.services import imports
from tests.factories import ChapterFactory
from tests.members import import_bombs

pytestmark = pytest.mark.django_db

HEADER = ["Name in English", "Type", "Representative phone", "Notes"]


def _workbook_bytes(rows, *, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_openpyxl_reads(content: bytes) -> list[list[str]]:
    """The lines as openpyxl's own row reader gives them, trailing empty
    cells left out."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    lines = [
        [import_files._cell_text(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return [_trimmed(line) for line in lines]


def _trimmed(line: list[str]) -> list[str]:
    while line and not line[-1]:
        line = line[:-1]
    return line


ROWS = [
    HEADER,
    ["Hope Society", "ngo", 962791234567, '=HYPERLINK("http://x.example")'],
    ["جمعية النور", "cbo", "", datetime.datetime(2026, 3, 3)],
    [],
    ["Light", None, 12.5, True],
    [None, None, None, "only the last column"],
    ["Réseau", "network", "+962 79 123 4567", datetime.date(2026, 1, 2)],
]


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "ordinary"])
def test_xlsx_reader_reads_every_kind_of_cell_as_openpyxl_does(write_only):
    # openpyxl writes text inline; shared strings (Excel's way) are read in
    # the test with cells without a reference, below.
    content = _workbook_bytes(ROWS, write_only=write_only)
    scanned: list[int] = []
    lines = [
        _trimmed(line)
        for line in import_files.read_rows("xlsx", content, scanned=scanned)
    ]
    assert lines == _as_openpyxl_reads(content)
    assert lines[1] == [
        "Hope Society",
        "ngo",
        "962791234567",
        '=HYPERLINK("http://x.example")',
    ]
    assert lines[2][3] == "2026-03-03"
    assert lines[4] == ["Light", "", "12.5", "TRUE"]
    assert scanned == [len(lines)]


def test_xlsx_reader_joins_the_runs_of_rich_text():
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active["A2"] = CellRichText(
        ["جمعية ", TextBlock(InlineFont(b=True), "الأمل")]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = list(import_files.read_rows("xlsx", buffer.getvalue()))
    assert lines[1][0] == "جمعية الأمل"


def test_xlsx_reader_keeps_missing_rows_as_empty_lines_for_row_numbers():
    workbook = Workbook()
    workbook.active["A1"] = "Name in English"
    workbook.active["B1"] = "Type"
    workbook.active["A5"] = "Hope Society"
    workbook.active["B5"] = "ngo"
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = [
        _trimmed(line) for line in import_files.read_rows("xlsx", buffer.getvalue())
    ]
    assert lines == [["Name in English", "Type"], [], [], [], ["Hope Society", "ngo"]]


def _import_rows(count: int) -> list[list[str]]:
    return [
        [f"Organisation {number}", "ngo", "", f"row {number}"]
        for number in range(count)
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_queries_of_check_and_commit_do_not_grow_with_the_rows(file_format):
    chapter = ChapterFactory(country="JO")

    def run(count):
        rows = [HEADER, *_import_rows(count)]
        if file_format == "csv":
            content = import_files.csv_bytes(rows)
        else:
            content = _workbook_bytes(rows, write_only=True)
        job = imports.import_job_create(
            actor=None, chapter=chapter, filename=f"list.{file_format}", content=content
        )
        with CaptureQueriesContext(connection) as check:
            imports.import_job_check(actor=None, job=job)
        with CaptureQueriesContext(connection) as commit:
            imports.import_job_commit(actor=None, job=job)
        assert job.created_count == count
        Organisation.objects.all().delete()
        return len(check), len(commit)

    small = run(10)
    # Three batches of imports.BATCH_SIZE: a few queries more per batch.
    large = run(3 * imports.BATCH_SIZE)
    assert large[0] <= small[0] + 3 * 3
    assert large[1] <= small[1] + 3 * 8


def test_commit_writes_the_preview_again_only_when_a_row_changed():
    chapter = ChapterFactory(country="JO")
    content = import_files.csv_bytes([HEADER, *_import_rows(3)])
    job = imports.import_job_create(
        actor=None, chapter=chapter, filename="list.csv", content=content
    )
    imports.import_job_check(actor=None, job=job)
    # Added between the preview and the import: found again at commit time.
    Organisation.objects.create(name_en="Organisation 1", kind="ngo")
    with CaptureQueriesContext(connection) as commit:
        imports.import_job_commit(actor=None, job=job)
    job.refresh_from_db()
    assert [row["status"] for row in job.rows] == ["new", "duplicate", "new"]
    assert job.status == ImportJob.Status.IMPORTED and job.created_count == 2
    assert any('"rows"' in query["sql"] for query in commit.captured_queries)

    unchanged = imports.import_job_create(
        actor=None, chapter=chapter, filename="list.csv", content=content
    )
    imports.import_job_check(actor=None, job=unchanged)
    with CaptureQueriesContext(connection) as commit:
        imports.import_job_commit(actor=None, job=unchanged)
    unchanged.refresh_from_db()
    assert [row["status"] for row in unchanged.rows] == ["duplicate"] * 3
    assert unchanged.merged_count == 3 and unchanged.content == b""
    assert not any(
        query["sql"].startswith('UPDATE "members_importjob"')
        and '"rows"' in query["sql"]
        for query in commit.captured_queries
    )


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>',
        b'<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>',
    ],
    ids=["as Excel writes them", "without references"],
)
def test_xlsx_reader_reads_shared_strings(row):
    def strings(part):
        part.write(b"<si><t>Hope Society</t></si><si><t>ngo</t></si>")

    def sheet(part):
        part.write(row)

    content = import_bombs._xlsx(sheet, strings)
    lines = list(import_files.read_rows("xlsx", content))
    assert lines == [list(import_bombs.HEADER), ["Hope Society", "ngo"]]
    assert lines == _as_openpyxl_reads(content)
