"""The organisers' exports of a chapter: the outreach list with contacts,
invitations and answers, attendance, and members with their consent
records, as CSV (streamed, row by row) or Excel (.xlsx).

They hold personal data: the views serve them only to the chapter's
organisers and staff (ChapterOrganiserMixin; anyone else gets a 404).
The datasets are the apps' own (members/exports.py, meetings/exports.py),
registered at the extension point `export_datasets`; the files are written
by chapters/spreadsheets.py, where every cell goes through `neutralise`, the
one rule of the portal against formula injection.

Small exports are written in the request; a dataset of more rows than
settings.EXPORTS_DIRECT_ROWS is prepared by the worker instead (docs/exports.md):
the organiser asks for it (`export_job_request`), the task writes the file
row by row into the private ExportStorage (`export_job_run`), the page shows
its progress and then a download, and the file is pruned after
settings.EXPORTS_KEEP_DAYS days (`export_jobs_prune`). A job moves

    queued → running → done
                     ↘ failed (error: a code of ERRORS)

and only a queued or running job is (re)written, always to the same file
name, so a retried task never leaves two files."""

import contextlib
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import chain, islice
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import extensions, spreadsheets, times
from .audit import audit_log
from .extensions import ExportDataset
from .models import Chapter, ExportJob

logger = logging.getLogger(__name__)

CHUNK = 500
FORMATS = ("csv", "xlsx")
# A running job writes its progress once every so many rows.
PROGRESS_EVERY = 1000
# Why a job failed, by the code it keeps (ExportJob.error).
ERRORS = {
    "unknown_dataset": _(
        "This export is no longer offered. Please choose another one from the "
        "exports page."
    ),
    "failed": _(
        "The file could not be written. Please ask for it again; if it fails "
        "again, please tell the portal's staff."
    ),
}


def datasets() -> dict[str, ExportDataset]:
    """key -> dataset, in the order of the exports page."""
    return {dataset.key: dataset for dataset in extensions.export_datasets.all()}


def dated(label: str, zone: ZoneInfo) -> str:
    """A date column's header names the zone its times are in: "Sent on
    (Amman time)"."""
    return gettext("%(column)s (%(city)s time)") % {
        "column": label,
        "city": times.zone_city(zone),
    }


def local_time(value, zone: ZoneInfo) -> str:
    """Dates as the chapter's local time, in a form every spreadsheet sorts
    (the column's header names the zone: dated)."""
    if value is None:
        return ""
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def rows(*, chapter: Chapter, dataset: str) -> tuple[list[str], Iterator[list]]:
    """(header, rows) of a dataset, in the active language. The rows are a
    generator over the database in chunks, so a large chapter is never held
    in memory at once."""
    return datasets()[dataset].build(chapter, chapter.zone)


def dataset_label(key: str):
    dataset = datasets().get(key)
    return dataset.label if dataset else key


def direct_rows(*, chapter: Chapter, dataset: str) -> tuple[list[str], list] | None:
    """(header, rows) when the dataset is small enough to be written in the
    request (at most settings.EXPORTS_DIRECT_ROWS rows), else None: the
    worker prepares it. Reads at most that many rows and one more, so asking
    costs a bounded part of a large export's rows, never the whole."""
    header, body = rows(chapter=chapter, dataset=dataset)
    limit = settings.EXPORTS_DIRECT_ROWS
    first = list(islice(body, limit + 1))
    if len(first) > limit:
        body.close()
        return None
    return header, first


class ExportFailed(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def export_job_request(
    *, actor, chapter: Chapter, dataset: str, file_format: str
) -> ExportJob:
    """A job for the worker, in the active language, recorded in the audit
    trail (an export holds personal data). The caller queues
    chapters.tasks.export_job_run_task once it is committed (the tasks
    module imports this one)."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            chapter=chapter,
            dataset=dataset,
            file_format=file_format,
            language=translation.get_language(),
            requested_by=actor,
        )
        audit_log(actor=actor, action="export.request", obj=job, chapter=chapter)
    return job


def export_downloaded(
    *,
    actor,
    chapter: Chapter,
    dataset: str,
    file_format: str,
    job: ExportJob | None = None,
) -> None:
    """Records who took a copy of the chapter's data: a prepared file
    (`job`, which names its data set), or one written while the page waited
    (the trail names the chapter; which data set is in the server's log)."""
    audit_log(
        actor=actor,
        action="export.download" if job else "export.download_direct",
        obj=job or chapter,
        chapter=chapter,
    )
    logger.info(
        "export downloaded: chapter %s, %s.%s", chapter.iso2, dataset, file_format
    )


class _Progress:
    """Counts the rows going by and records the count every PROGRESS_EVERY."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.count = 0

    def through(self, rows: Iterable) -> Iterator:
        for row in rows:
            yield row
            self.count += 1
            if self.count % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=self.job_id).update(rows_done=self.count)


def export_file_name(job: ExportJob) -> str:
    return f"{job.chapter_id}/{job.pk}.{job.file_format}"


def export_job_run(*, job_id: int) -> None:
    """Writes the job's file, in the language it was asked in. A job done
    or failed is left alone (a retried task writes nothing); a job found
    running, whose worker stopped, starts again. The rows go to a file of
    this run's own, renamed onto the job's one name when complete, so the
    job has one file whatever the retries."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("chapter")
            .filter(pk=job_id)
            .first()
        )
        if job is None or not job.is_running:
            return
        job.state = ExportJob.State.RUNNING
        job.rows_done = 0
        job.save(update_fields=["state", "rows_done"])
    name = export_file_name(job)
    target = Path(job.file.storage.path(name))
    part = target.with_name(f"{target.name}.{uuid.uuid4().hex}.part")
    progress = _Progress(job.pk)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with translation.override(job.language):
            if job.dataset not in datasets() or job.file_format not in FORMATS:
                raise ExportFailed("unknown_dataset")
            header, body = rows(chapter=job.chapter, dataset=job.dataset)
            table = chain([header], progress.through(body))
            if job.file_format == "csv":
                with open(part, "w", newline="", encoding="utf-8-sig") as file:
                    spreadsheets.csv_write(table, file)
            else:
                spreadsheets.xlsx_write(
                    table, part, right_to_left=translation.get_language_bidi()
                )
        os.replace(part, target)
    except Exception as error:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        code = error.code if isinstance(error, ExportFailed) else "failed"
        if code == "failed":
            logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=code, finished_at=timezone.now()
        )
        return
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        file=name,
        rows_done=progress.count,
        rows_total=progress.count,
        error="",
        finished_at=timezone.now(),
    )


def export_jobs_prune() -> int:
    """Jobs older than settings.EXPORTS_KEEP_DAYS days leave, with their
    files, and so do the partial files of runs that never finished."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORTS_KEEP_DAYS)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for job in old.exclude(file="").only("pk", "file").iterator():
        job.file.delete(save=False)
    count, _deleted = old.delete()
    root = Path(settings.EXPORTS_ROOT)
    for part in root.glob("*/*.part"):
        if part.stat().st_mtime < cutoff.timestamp():
            part.unlink(missing_ok=True)
    return count


def recent_jobs(*, chapter: Chapter, limit: int = 10) -> list[ExportJob]:
    """The chapter's latest prepared exports, each with its dataset's label."""
    jobs = list(
        ExportJob.objects.filter(chapter=chapter).select_related("requested_by")[:limit]
    )
    for job in jobs:
        job.label = dataset_label(job.dataset)
    return jobs
