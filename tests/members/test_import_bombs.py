"""Spreadsheets made to exhaust the importer are refused before they are
parsed, or as soon as a limit is reached while they stream, each with a
translated reason; the web request only stores a file, and the check runs
on the imports queue, never on the one that sends e-mail."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from members import import_files
from members.models import ImportJob
from members.services import imports
from members.tasks import import_check_task, import_commit_task
from tests.members import import_bombs

pytestmark = pytest.mark.django_db

IMPORT = "/{lang}/manage/jo/outreach/import/"


def upload(client, content, name="organisations.xlsx", lang="en"):
    return client.post(
        IMPORT.format(lang=lang), {"file": SimpleUploadedFile(name, content)}
    )


def reason(code, lang="en", **params) -> str:
    with translation.override(lang):
        return import_files.message_text({"code": code, "params": params})


def refusal(response) -> str:
    """The reason on the upload form, or on the failed job's page."""
    if response.status_code == 200:
        return " ".join(response.context["form"].errors["file"])
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.FAILED
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return import_files.message_text(job.problem)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_highly_compressible_sheet_is_refused_before_it_is_stored(
    organiser_client, lang
):
    content = import_bombs.compressible_sheet()
    assert len(content) < 400 * 1024  # well under the 5 MB upload limit
    response = upload(organiser_client, content, lang=lang)
    assert response.status_code == 200
    expected = reason("unpacked_too_large", lang, limit=50)
    assert expected in refusal(response)
    assert not ImportJob.objects.exists()


def test_a_huge_shared_strings_part_is_refused_before_it_is_stored(
    organiser_client,
):
    content = import_bombs.huge_shared_strings()
    assert len(content) < 100 * 1024
    response = upload(organiser_client, content)
    assert reason("unpacked_too_large", limit=10) in refusal(response)
    assert not ImportJob.objects.exists()


def test_four_hundred_thousand_tiny_rows_are_refused_before_parsing(
    organiser_client,
):
    content = import_bombs.many_rows(400_000)
    assert len(content) < 150 * 1024
    started = time.perf_counter()
    response = upload(organiser_client, content)
    assert reason("packed_too_tightly") in refusal(response)
    assert time.perf_counter() - started < 5
    assert not ImportJob.objects.exists()


def test_the_worker_refuses_a_bomb_stored_before_the_limits(organiser, chapter):
    """A job stored some other way is checked again before it is opened."""
    job = ImportJob.objects.create(
        chapter=chapter,
        created_by=organiser,
        filename="old.xlsx",
        file_format=ImportJob.Format.XLSX,
        content=import_bombs.huge_shared_strings(),
    )
    imports.import_job_check(actor=job.created_by, job=job)
    assert job.status == ImportJob.Status.FAILED
    assert job.problem == {"code": "unpacked_too_large", "params": {"limit": 10}}


def test_too_many_rows_stop_the_check_at_the_limit_while_streaming(
    organiser_client, settings
):
    content = import_bombs.rows_past_the_limit(import_files.MAX_LINES + 500)
    started = time.perf_counter()
    response = upload(organiser_client, content)
    assert response.status_code == 302  # the archive is ordinary
    assert reason("too_many_rows", limit=import_files.MAX_ROWS) in refusal(response)
    assert time.perf_counter() - started < 10


def test_a_csv_of_four_hundred_thousand_rows_is_refused_quickly(organiser_client):
    content = ("Name in English,Type\r\n" + "x,cbo\r\n" * 400_000).encode()
    started = time.perf_counter()
    response = upload(organiser_client, content, name="organisations.csv")
    assert reason("too_many_rows", limit=import_files.MAX_ROWS) in refusal(response)
    assert time.perf_counter() - started < 5


def test_a_row_of_too_many_cells_is_refused_before_openpyxl_builds_it(
    organiser_client,
):
    workbook = Workbook()
    workbook.active.append(["Name in English", "Type"])
    workbook.active.append(["x"] * (import_files.MAX_CELLS_PER_ROW + 1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(organiser_client, buffer.getvalue(), lang="ar")
    expected = reason("row_too_wide", "ar", row=2, limit=import_files.MAX_CELLS_PER_ROW)
    assert expected in refusal(response)


@pytest.mark.parametrize("name", ["organisations.xlsx", "organisations.csv"])
def test_a_cell_too_long_is_refused_with_its_row(organiser_client, name):
    long_text = "y" * (import_files.MAX_CELL_CHARS + 1)
    if name.endswith(".csv"):
        content = f"Name in English,Type\r\nok,cbo\r\n{long_text},cbo\r\n".encode()
    else:
        workbook = Workbook()
        for row in (["Name in English", "Type"], ["ok", "cbo"], [long_text, "cbo"]):
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    response = upload(organiser_client, content, name=name)
    expected = reason("cell_too_long", row=3, limit=import_files.MAX_CELL_CHARS)
    assert expected in refusal(response)


def test_a_spreadsheet_of_too_many_parts_is_refused(organiser_client):
    buffer = io.BytesIO()
    with import_bombs.zipfile.ZipFile(buffer, "w") as archive:
        for number in range(import_files.MAX_PARTS + 1):
            archive.writestr(f"xl/media/image{number}.png", b"")
    response = upload(organiser_client, buffer.getvalue())
    assert reason("too_many_parts", limit=import_files.MAX_PARTS) in refusal(response)


def test_a_sheet_claiming_every_column_is_read_at_its_real_width(organiser, chapter):
    content = import_bombs.normal_rows(3).replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'
    )
    job = imports.import_job_create(
        actor=organiser, chapter=chapter, filename="wide.xlsx", content=content
    )
    imports.import_job_check(actor=job.created_by, job=job)
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.total_rows == 3


def test_the_upload_only_stores_the_file_and_queues_its_check(
    organiser_client, settings
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    from django.tasks import default_task_backend

    response = upload(organiser_client, import_bombs.normal_rows(5))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.UPLOADED and job.rows == []
    (queued,) = default_task_backend.results
    assert queued.task.name == import_check_task.name
    assert queued.task.queue_name == "imports"


def test_imports_run_on_their_own_queue_apart_from_e_mail():
    assert import_check_task.queue_name == "imports"
    assert import_commit_task.queue_name == "imports"
