"""The import parser, fed any bytes, any headers and any cells: it answers
with its own translated problems and nothing else, and a valid list comes
back out of the database as it went in."""

import io
import re

import pytest
from django.utils import translation
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from chapters import languages
from members import import_files
from members.models import ImportJob, Organisation, Prospect, Representative
from members.services import imports
from tests.factories import UserFactory

from .strategies import (
    ARABIC_RE,
    SCRIPT_PAYLOADS,
    clean_example,
    examples,
    hostile_text,
)

FILE_STARTS = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"Name in English,Type\r\n",
]
FILENAMES = [
    "list.csv",
    "LIST.CSV",
    "list.txt",
    "list.xlsx",
    "list.xls",
    "list",
    "x.pdf",
]


def assert_translated(problem: dict) -> None:
    assert problem["code"] in import_files.MESSAGES, problem
    for language in languages.codes():
        with translation.override(language):
            text = import_files.message_text(problem)
        own = text
        for value in (problem.get("params") or {}).values():
            own = own.replace(str(value), "")
        if languages.direction(language) == "rtl":
            assert ARABIC_RE.search(own), text
        else:
            assert not ARABIC_RE.search(own), text


@settings(max_examples=examples(300))
@given(
    filename=st.sampled_from(FILENAMES),
    start=st.sampled_from(FILE_STARTS),
    rest=st.binary(max_size=400),
)
def test_any_bytes_are_read_or_refused_with_a_translated_problem(filename, start, rest):
    content = start + rest
    try:
        file_format = import_files.detect_format(filename, content)
        rows = list(import_files.read_rows(file_format, content))
    except import_files.ImportProblem as problem:
        assert_translated(problem.as_dict())
        return
    assert all(isinstance(cell, str) for row in rows for cell in row)


def labels(key: str) -> list[str]:
    """The column's key and its header in every site language, as typed."""
    column = import_files.COLUMNS_BY_KEY[key]
    headers = [column.label(code) for code in languages.codes()]
    return [column.key, *headers, *(f"  {header.upper()} " for header in headers)]


known_label = st.sampled_from(
    [label for c in import_files.COLUMNS for label in labels(c.key)]
)
header_cell = st.one_of(known_label, known_label, hostile_text)
plain_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=40,
)
cell = st.one_of(
    hostile_text,
    plain_text,
    st.sampled_from(
        [
            "=1+2",
            "+962 79 123 4567",
            "-2",
            "@SUM(A1)",
            "'=cmd|' /C calc'!A0",
            "ngo",
            "شبكة",
            "example.org",
            "a@example.org",
            "ar",
            "English",
            *SCRIPT_PAYLOADS,
        ]
    ),
)


@st.composite
def table(draw):
    """A header that usually names the required columns, in any language
    and order, among unknown ones; rows of any length."""
    header = draw(st.lists(header_cell, max_size=6))
    if draw(st.integers(0, 4)):
        header += [
            draw(
                st.sampled_from(labels(draw(st.sampled_from(["name_ar", "name_en"]))))
            ),
            draw(st.sampled_from(labels("kind"))),
        ]
    header = draw(st.permutations(header)) or [""]
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=6))
    if draw(st.integers(0, 3)):
        # A NUL byte makes the whole file "not a CSV"; most tables have none,
        # so that the rows themselves get checked.
        header = [c.replace("\x00", "") for c in header]
        rows = [[c.replace("\x00", "") for c in row] for row in rows]
    return header, rows


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1256"]


def csv_file(header, rows, *, encoding, separator, quote_all) -> bytes:
    lines = []
    for row in [header, *rows]:
        cells = [
            '"' + c.replace('"', '""') + '"' if quote_all or separator in c else c
            for c in row
        ]
        lines.append(separator.join(cells))
    return "\r\n".join(lines).encode(encoding, errors="replace")


@pytest.mark.django_db
@settings(max_examples=examples(60))
@given(
    data=table(),
    encoding=st.sampled_from(ENCODINGS),
    separator=st.sampled_from([",", ";", "\t"]),
    quote_all=st.booleans(),
)
def test_any_table_is_previewed_or_refused_and_never_breaks_the_import(
    chapter, data, encoding, separator, quote_all
):
    header, rows = data
    content = csv_file(
        header, rows, encoding=encoding, separator=separator, quote_all=quote_all
    )
    with clean_example():
        try:
            job = imports.import_job_create(
                actor=None, chapter=chapter, filename="list.csv", content=content
            )
        except import_files.ImportProblem as problem:
            event(f"refused {problem.code}")
            assert_translated(problem.as_dict())
            return
        job = imports.import_job_check(actor=job.created_by, job=job)
        job.refresh_from_db()
        event(f"job {job.status} {job.problem.get('code', '')}")
        assert job.status in (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)
        if job.status == ImportJob.Status.FAILED:
            assert_translated(job.problem)
            return
        for row in job.rows:
            for problem in row["errors"]:
                assert_translated(problem)
        new = sum(1 for row in job.rows if row["status"] == "new")
        before = Organisation.objects.count()
        imports.import_job_commit(actor=None, job=job)
        assert Organisation.objects.count() == before + new


# Valid lists -------------------------------------------------------------

words_ar = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=2, max_size=12)
words_en = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    min_size=2,
    max_size=12,
)
free_text = st.one_of(
    st.text(
        alphabet=st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
        max_size=60,
    ),
    st.sampled_from(["'=x", "'+1", "'", "''=x"]),
).map(str.strip)


@st.composite
def organisation_rows(draw):
    """Rows as the export writes them, each a different organisation."""
    count = draw(st.integers(min_value=1, max_value=5))
    rows = []
    for index in range(count):
        has_contact = draw(st.booleans())
        rows.append(
            {
                "name_ar": f"{draw(words_ar)} {index}",
                "name_en": draw(st.sampled_from(["", f"{draw(words_en)} {index}"])),
                "acronym": draw(words_en)[:10],
                "kind": draw(st.sampled_from(Organisation.Kind.values)),
                "city_ar": draw(words_ar),
                "city_en": draw(words_en),
                "website": draw(
                    st.sampled_from(["", f"https://site{index}.example.org"])
                ),
                "public_email": draw(st.sampled_from(["", f"info{index}@example.org"])),
                "contact_name": draw(free_text.filter(bool)) if has_contact else "",
                "contact_email": f"rep{index}@example.org" if has_contact else "",
                "contact_phone": "",
                "contact_role": "",
                "contact_language": draw(st.sampled_from(languages.codes()))
                if has_contact
                else "",
                "notes": draw(
                    st.one_of(free_text, st.sampled_from(["=1+2", "@home", "-5", "+1"]))
                ),
            }
        )
    return rows


def xlsx_file(table_rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in table_rows:
        sheet.append([import_files.neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@settings(max_examples=examples(30))
@given(
    rows=organisation_rows(),
    language=st.sampled_from(languages.codes()),
    file_format=st.sampled_from(["csv", "xlsx"]),
)
def test_valid_rows_come_back_from_the_database_as_they_were_written(
    chapter, rows, language, file_format
):
    keys = [column.key for column in import_files.COLUMNS]
    table_rows = [import_files.header_row(language)] + [
        [row.get(k, "") for k in keys] for row in rows
    ]
    content = (
        import_files.csv_bytes(table_rows)
        if file_format == "csv"
        else xlsx_file(table_rows)
    )
    with clean_example():
        job = imports.import_job_create(
            actor=UserFactory(),
            chapter=chapter,
            filename=f"list.{file_format}",
            content=content,
        )
        job = imports.import_job_check(actor=job.created_by, job=job)
        assert job.status == ImportJob.Status.PREVIEWED, job.problem
        assert [row["errors"] for row in job.rows] == [[]] * len(rows)
        imports.import_job_commit(actor=None, job=job)
        for row in rows:
            organisation = Organisation.objects.get(name_ar=row["name_ar"])
            for key in (
                "name_en",
                "acronym",
                "kind",
                "city_ar",
                "city_en",
                "website",
                "public_email",
            ):
                assert (getattr(organisation, key) or "") == row[key], key
            prospect = Prospect.objects.get(chapter=chapter, organisation=organisation)
            assert prospect.notes == row["notes"]
            if row["contact_name"]:
                contact = Representative.objects.get(organisation=organisation)
                assert (contact.name, contact.email, contact.language) == (
                    row["contact_name"],
                    row["contact_email"],
                    row["contact_language"],
                )


def test_a_formula_cell_is_stored_as_plain_text_not_evaluated():
    values, errors = import_files.check_row(
        {
            "name_en": '=HYPERLINK("http://evil.example")',
            "kind": "ngo",
            "notes": "'=1+2",
        },
        region="JO",
        default_language="ar",
        kinds=import_files.kind_aliases(),
        languages=import_files.language_aliases(),
    )
    assert errors == []
    assert values["name_en"] == '=HYPERLINK("http://evil.example")'
    assert values["notes"] == "=1+2"
    assert re.match("^'", import_files.neutralise(values["name_en"]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        "Name in English,Type\r\nA\x00B,ngo\r\n".encode("utf-16"),
        ("Name in English,Type\r\n" + "x" * 5000 + ",ngo\r\nA\x00B,ngo\r\n").encode(),
    ],
    ids=["utf-16", "utf-8-after-4kb"],
)
def test_a_nul_character_in_a_cell_never_reaches_the_database(chapter, content):
    job = imports.import_job_create(
        actor=None, chapter=chapter, filename="list.csv", content=content
    )
    job = imports.import_job_check(actor=job.created_by, job=job)
    assert job.status in (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)
    assert not any(
        "\x00" in str(value) for row in job.rows for value in row["values"].values()
    )


@pytest.mark.django_db
def test_a_leading_apostrophe_survives_export_and_import(chapter):
    rows = [import_files.header_row("en"), ["", "'=x", "", "ngo"] + [""] * 10]
    job = imports.import_job_create(
        actor=None,
        chapter=chapter,
        filename="list.csv",
        content=import_files.csv_bytes(rows),
    )
    job = imports.import_job_check(actor=job.created_by, job=job)
    assert job.rows[0]["values"]["name_en"] == "'=x"
