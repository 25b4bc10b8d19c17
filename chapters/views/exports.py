"""A chapter's exports: the page listing the data sets, formats and the
exports prepared lately; one data set as a download when it is small (CSV
streamed, the workbook built in memory), or, when it is large, the page
that asks the worker for it; a prepared export's progress and its file."""

from functools import partial
from itertools import chain

from django.conf import settings
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.views.generic import TemplateView, View

from .. import exports, spreadsheets
from ..models import ExportJob
from ..permissions import ChapterOrganiserMixin
from ..tasks import export_job_run_task


class ExportsView(ChapterOrganiserMixin, TemplateView):
    template_name = "chapters/exports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            manage_tab="overview",
            datasets=exports.datasets().values(),
            formats=exports.FORMATS,
            jobs=exports.recent_jobs(chapter=self.chapter),
            keep_days=settings.EXPORTS_KEEP_DAYS,
        )
        return context


def _filename(chapter, dataset: str, file_format: str, day) -> str:
    return f"{dataset}-{chapter.iso2}-{day.isoformat()}.{file_format}"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


class ExportView(ChapterOrganiserMixin, TemplateView):
    """GET: a small export as a download (CSV streamed row by row; the
    workbook built in memory, a zip file cannot be streamed), or, past
    settings.EXPORTS_DIRECT_ROWS rows, the page that offers to prepare it.
    POST: asks the worker for it and opens its page."""

    template_name = "chapters/export_request.html"

    def asked_for(self) -> tuple[str, str]:
        dataset, file_format = self.kwargs["dataset"], self.kwargs["file_format"]
        if dataset not in exports.datasets() or file_format not in exports.FORMATS:
            raise Http404
        return dataset, file_format

    def get(self, request, *args, **kwargs):
        dataset, file_format = self.asked_for()
        direct = exports.direct_rows(chapter=self.chapter, dataset=dataset)
        if direct is None:
            return self.render_to_response(
                self.get_context_data(
                    manage_tab="overview",
                    dataset=dataset,
                    dataset_label=exports.dataset_label(dataset),
                    file_format=file_format,
                    direct_rows=settings.EXPORTS_DIRECT_ROWS,
                )
            )
        header, body = direct
        table = chain([header], body)
        if file_format == "csv":
            response = StreamingHttpResponse(
                spreadsheets.csv_stream(table),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                spreadsheets.xlsx_bytes(
                    table, right_to_left=translation.get_language_bidi()
                ),
                content_type=spreadsheets.XLSX_TYPE,
            )
        filename = _filename(self.chapter, dataset, file_format, timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.export_downloaded(
            actor=request.user,
            chapter=self.chapter,
            dataset=dataset,
            file_format=file_format,
        )
        return _private(response)

    def post(self, request, *args, **kwargs):
        dataset, file_format = self.asked_for()
        job = exports.export_job_request(
            actor=request.user,
            chapter=self.chapter,
            dataset=dataset,
            file_format=file_format,
        )
        transaction.on_commit(partial(export_job_run_task.enqueue, job_id=job.pk))
        return redirect("chapters:export_job", self.chapter.iso2, job.pk)


class ExportJobMixin(ChapterOrganiserMixin):
    def get_job(self) -> ExportJob:
        # Scoped to the organiser's chapter: another chapter's job is a 404.
        return get_object_or_404(
            ExportJob.objects.filter(chapter=self.chapter), pk=self.kwargs["pk"]
        )


class ExportJobView(ExportJobMixin, TemplateView):
    """A prepared export: its progress while the worker writes it, then its
    download (or why it failed)."""

    template_name = "chapters/export_job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        context.update(
            manage_tab="overview",
            job=job,
            dataset_label=exports.dataset_label(job.dataset),
            error_text=exports.ERRORS.get(job.error, exports.ERRORS["failed"])
            if job.is_failed
            else "",
        )
        return context


class ExportJobStatusView(ExportJobMixin, View):
    """Polled by static/js/job-progress.js while a job runs."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        return _private(
            JsonResponse(
                {
                    "state": job.state,
                    "state_label": job.get_state_display(),
                    "rows_done": job.rows_done,
                    "running": job.is_running,
                }
            )
        )


class ExportJobDownloadView(ExportJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if (
            not job.is_done
            or not job.file
            or not job.file.storage.exists(job.file.name)
        ):
            raise Http404
        response = FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=_filename(
                self.chapter,
                job.dataset,
                job.file_format,
                timezone.localdate(job.finished_at, self.chapter.zone),
            ),
            content_type=spreadsheets.XLSX_TYPE
            if job.file_format == "xlsx"
            else "text/csv; charset=utf-8",
        )
        exports.export_downloaded(
            actor=request.user,
            chapter=self.chapter,
            dataset=job.dataset,
            file_format=job.file_format,
            job=job,
        )
        return _private(response)
