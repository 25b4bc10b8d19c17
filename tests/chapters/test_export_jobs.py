"""Large exports prepared by the worker: past EXPORTS_DIRECT_ROWS rows the
organiser asks for the file, the task writes it into the private directory
with its progress, the page offers it for download, and only the chapter's
organisers get it; a retried task writes no second file, a failure is told
in words, and old files are pruned."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from chapters.exports import PROGRESS_EVERY, export_jobs_prune
from chapters.models import ExportJob
from chapters.tasks import export_job_run_task
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationFactory,
    OrganiserFactory,
    StaffFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    # Three rows make a large export here.
    settings.EXPORTS_DIRECT_ROWS = 2
    return settings.EXPORTS_ROOT


@pytest.fixture
def chapter():
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


def invite(chapter, count: int, **values):
    meeting = MeetingFactory(chapter=chapter, title_en="First session")
    organisation = OrganisationFactory()
    return InvitationFactory.create_batch(
        count, meeting=meeting, organisation=organisation, **values
    )


@pytest.fixture
def invited(chapter):
    return invite(chapter, 3, note='=HYPERLINK("http://evil")')


def ask(client, dataset="invitations", file_format="csv", language="en"):
    return client.post(
        url("chapters:export", "jo", dataset, file_format, language=language)
    )


def files(root) -> list[str]:
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def csv_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_small_export_is_still_downloaded_at_once(organiser_client, chapter):
    invite(chapter, 2)
    response = organiser_client.get(url("chapters:export", "jo", "invitations", "csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(csv_of(response)) == 3
    assert not ExportJob.objects.exists()


def test_a_large_export_offers_to_prepare_it_in_the_background(
    organiser_client, invited
):
    response = organiser_client.get(url("chapters:export", "jo", "invitations", "csv"))
    assert response.status_code == 200
    assert b'data-testid="export-large"' in response.content
    assert b'method="post"' in response.content
    # Looking is not asking: nothing is queued until the organiser confirms.
    assert not ExportJob.objects.exists()


def test_asking_for_an_export_prepares_the_file_and_its_page_offers_it(
    organiser_client, organiser, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(organiser_client)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("chapters:export_job", "jo", job.pk)
    assert (job.state, job.rows_done, job.rows_total) == ("done", 3, 3)
    assert job.requested_by == organiser
    assert job.language == "en"

    page = organiser_client.get(response["Location"])
    download = url("chapters:export_job_download", "jo", job.pk)
    assert download.encode() in page.content
    assert b'data-testid="job-result"' in page.content

    response = organiser_client.get(download)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="invitations-jo-'
    )
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_of(response)
    assert rows[0][0] == "Meeting"
    assert len(rows) == 4
    # Formula neutralising holds in the worker's files too.
    assert '\'=HYPERLINK("http://evil")' in rows[1]


def test_an_arabic_workbook_is_right_to_left_with_neutralised_cells(
    organiser_client, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(organiser_client, file_format="xlsx", language="ar")
    job = ExportJob.objects.get()
    assert (job.language, job.state) == ("ar", "done")
    response = organiser_client.get(
        url("chapters:export_job_download", "jo", job.pk, language="ar")
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "الاجتماع"
    assert len(rows) == 4
    assert '\'=HYPERLINK("http://evil")' in rows[1]


def test_a_queued_export_shows_its_progress_and_a_refresh_link(
    organiser_client, invited
):
    ask(organiser_client)  # not committed: the worker has not started
    job = ExportJob.objects.get()
    assert job.state == "queued"
    page = organiser_client.get(url("chapters:export_job", "jo", job.pk))
    assert b'data-testid="job-rows"' in page.content
    assert url("chapters:export_job", "jo", job.pk).encode() in page.content
    assert url("chapters:export_job_status", "jo", job.pk).encode() in page.content
    status = organiser_client.get(url("chapters:export_job_status", "jo", job.pk))
    assert status.json() == {
        "state": "queued",
        "state_label": "Waiting to start",
        "rows_done": 0,
        "running": True,
    }
    # Not ready: no download yet.
    download = url("chapters:export_job_download", "jo", job.pk)
    assert organiser_client.get(download).status_code == 404

    export_job_run_task.call(job_id=job.pk)
    status = organiser_client.get(url("chapters:export_job_status", "jo", job.pk))
    assert status.json()["running"] is False
    assert organiser_client.get(download).status_code == 200


def test_the_worker_records_its_progress_as_it_writes(organiser_client, chapter):
    invite(chapter, PROGRESS_EVERY + 1)
    ask(organiser_client)
    job = ExportJob.objects.get()
    with CaptureQueriesContext(connection) as queries:
        export_job_run_task.call(job_id=job.pk)
    progress = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "chapters_exportjob" SET "rows_done"')
    ]
    assert len(progress) == 1
    assert f'"rows_done" = {PROGRESS_EVERY}' in progress[0]
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (PROGRESS_EVERY + 1, PROGRESS_EVERY + 1)


def test_a_retried_task_writes_no_second_file(organiser_client, invited, exports_root):
    ask(organiser_client)
    job = ExportJob.objects.get()
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    finished_at = job.finished_at
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert files(exports_root) == [f"{job.pk}.csv"]


def test_a_job_whose_worker_stopped_is_written_again_into_its_one_file(
    organiser_client, invited, exports_root
):
    ask(organiser_client, file_format="xlsx")
    job = ExportJob.objects.get()
    export_job_run_task.call(job_id=job.pk)
    # As if a worker had died half-way through a second run.
    ExportJob.objects.filter(pk=job.pk).update(state="running", rows_done=1)
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_total) == ("done", 3)
    assert files(exports_root) == [f"{job.pk}.xlsx"]


def test_an_export_no_longer_offered_fails_with_a_message(organiser_client, chapter):
    job = ExportJob.objects.create(
        chapter=chapter, dataset="retired", file_format="csv", language="en"
    )
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "unknown_dataset")
    page = organiser_client.get(url("chapters:export_job", "jo", job.pk))
    assert b"This export is no longer offered." in page.content


def test_a_file_that_cannot_be_written_fails_with_a_message_not_a_500(
    organiser_client, invited, settings, tmp_path
):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.EXPORTS_ROOT = blocked
    ask(organiser_client)
    job = ExportJob.objects.get()
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "failed")
    page = organiser_client.get(url("chapters:export_job", "jo", job.pk))
    assert page.status_code == 200
    assert b"The file could not be written." in page.content
    assert not files(tmp_path / "exports")


def test_the_exports_page_lists_prepared_exports_with_their_download(
    organiser_client, invited
):
    ask(organiser_client)
    job = ExportJob.objects.get()
    export_job_run_task.call(job_id=job.pk)
    page = organiser_client.get(url("chapters:exports", "jo"))
    assert url("chapters:export_job", "jo", job.pk).encode() in page.content
    assert url("chapters:export_job_download", "jo", job.pk).encode() in page.content


@pytest.mark.parametrize(
    "path", ["/en/manage/jo/exports/retired.csv", "/en/manage/jo/exports/members.pdf"]
)
def test_asking_for_an_unknown_export_is_404(organiser_client, chapter, path):
    assert organiser_client.post(path).status_code == 404
    assert not ExportJob.objects.exists()


def pages_of(job) -> list[str]:
    return [
        url("chapters:export_job", "jo", job.pk),
        url("chapters:export_job_status", "jo", job.pk),
        url("chapters:export_job_download", "jo", job.pk),
    ]


@pytest.fixture
def done_job(chapter, invited):
    job = ExportJob.objects.create(
        chapter=chapter, dataset="invitations", file_format="csv", language="en"
    )
    export_job_run_task.call(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_the_organiser_of_another_chapter_gets_404(client, done_job):
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    for page in pages_of(done_job):
        assert client.get(page).status_code == 404
    # Nor can they reach this chapter's job through their own chapter.
    assert (
        client.get(f"/en/manage/eg/exports/prepared/{done_job.pk}/").status_code == 404
    )
    assert ask(client).status_code == 404
    assert ExportJob.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client, done_job):
    for page in pages_of(done_job):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(url("account_login"))
    assert ask(client)["Location"].startswith(url("account_login"))
    assert ExportJob.objects.count() == 1


def test_old_exports_leave_with_their_files(done_job, exports_root, settings):
    recent = ExportJob.objects.create(
        chapter=done_job.chapter, dataset="members", file_format="csv", language="en"
    )
    export_job_run_task.call(job_id=recent.pk)
    ExportJob.objects.filter(pk=done_job.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORTS_KEEP_DAYS + 1)
    )
    assert export_jobs_prune() == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert files(exports_root) == [f"{recent.pk}.csv"]


def test_the_pages_take_as_many_queries_for_many_jobs_as_for_one(
    organiser_client, chapter, django_assert_max_num_queries
):
    def add_jobs(count):
        for _ in range(count):
            ExportJob.objects.create(
                chapter=chapter,
                dataset="invitations",
                file_format="csv",
                language="en",
                requested_by=OrganiserFactory(chapter=chapter).user,
            )

    add_jobs(1)
    with CaptureQueriesContext(connection) as one:
        organiser_client.get(url("chapters:exports", "jo"))
    add_jobs(9)
    with django_assert_max_num_queries(len(one)):
        organiser_client.get(url("chapters:exports", "jo"))


def test_the_worker_takes_as_many_queries_for_many_rows_as_for_a_few(
    organiser_client, chapter
):
    def run(count):
        ExportJob.objects.all().delete()
        invite(chapter, count)
        ask(organiser_client)
        job = ExportJob.objects.get()
        with CaptureQueriesContext(connection) as queries:
            export_job_run_task.call(job_id=job.pk)
        return len(queries)

    assert run(3) == run(60)


def test_staff_see_a_prepared_export_in_the_admin_without_a_link_to_its_file(
    client, done_job
):
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(url("admin:chapters_exportjob_change", done_job.pk))
    assert page.status_code == 200
    assert done_job.file.name
    assert f'href="{done_job.file.name}'.encode() not in page.content
    assert client.get(url("admin:chapters_exportjob_changelist")).status_code == 200


def test_every_copy_of_the_chapters_data_is_in_the_audit_trail(
    organiser_client, organiser, chapter, invited, django_capture_on_commit_callbacks
):
    from chapters.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        ask(organiser_client)
    job = ExportJob.objects.get()
    organiser_client.get(url("chapters:export_job_download", "jo", job.pk))
    organiser_client.get(url("chapters:export", "jo", "outreach", "csv"))
    entries = AuditEntry.objects.filter(chapter=chapter).order_by("pk")
    assert [(e.action, e.actor_id) for e in entries] == [
        ("export.request", organiser.pk),
        ("export.download", organiser.pk),
        ("export.download_direct", organiser.pk),
    ]
    assert entries[0].object_repr == str(ExportJob.objects.get())
    trail = organiser_client.get(url("chapters:audit", "jo")).content.decode()
    assert "asked for the export" in trail and "downloaded an export" in trail


def test_a_refused_download_records_nothing(client, chapter, done_job):
    from chapters.models import AuditEntry

    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    assert (
        client.get(url("chapters:export", "jo", "outreach", "csv")).status_code == 404
    )
    download = url("chapters:export_job_download", "jo", done_job.pk)
    assert client.get(download).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()
