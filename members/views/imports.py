"""Organiser pages of the import: upload (with its size limit enforced while
the file is received), the template, the job's preview and progress,
commit (inline for small files, on the imports worker otherwise) and
cancel."""

import logging

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext, ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView

from chapters import languages

from ..forms.imports import ImportUploadForm
from ..import_files import (
    COLUMNS,
    MAX_BYTES,
    ImportProblem,
    csv_bytes,
    header_row,
    message_text,
    xlsx_bytes,
)
from ..models import ImportJob, Organisation
from ..services.imports import (
    INLINE_ROWS,
    ImportNotReady,
    import_job_cancel,
    import_job_commit,
    import_job_create,
    import_job_start,
)
from ..tasks import import_check_task, import_commit_task
from .base import OutreachMixin

logger = logging.getLogger(__name__)
PREVIEW_PAGE_SIZE = 100


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops storing an upload as soon as it passes the import's size limit,
    so a 50 MB file is refused without being kept or parsed."""

    def __init__(self, request=None, limit: int = MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@method_decorator(csrf_exempt, name="dispatch")
class ImportUploadView(OutreachMixin, FormView):
    """The size-limiting handler must be in place before the CSRF check reads
    the body, hence csrf_exempt on dispatch and csrf_protect on post."""

    template_name = "members/import_upload.html"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return super().dispatch(request, *args, **kwargs)

    @method_decorator(csrf_protect)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @method_decorator(csrf_protect)
    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            form.errors.clear()
            form.add_error(
                "file",
                message_text(
                    {
                        "code": "too_large",
                        "params": {"limit": MAX_BYTES // (1024 * 1024)},
                    }
                ),
            )
            return self.form_invalid(form)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template_languages = [
            {
                "code": code,
                "language": languages.name(code),
                "direction": languages.direction(code),
            }
            for code in languages.codes()
        ]
        context["template_languages"] = template_languages
        context["column_headers"] = [
            [
                {**language, "header": column.label(language["code"])}
                for language in template_languages
            ]
            for column in COLUMNS
        ]
        context["kinds"] = Organisation.Kind.choices
        context["recent_jobs"] = ImportJob.objects.filter(chapter=self.chapter).only(
            "pk", "filename", "status", "created_at"
        )[:5]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            job = import_job_create(
                actor=self.request.user,
                chapter=self.chapter,
                filename=upload.name,
                content=content,
            )
        except ImportProblem as problem:
            form.add_error("file", message_text(problem.as_dict()))
            return self.form_invalid(form)
        # Only stored here: reading a spreadsheet is the worker's job, so a
        # hostile file never ties up a web server.
        import_check_task.enqueue(job_id=job.pk)
        return redirect(job_url(job))


def job_url(job: ImportJob) -> str:
    return reverse(
        "members:import_job", kwargs={"iso2": job.chapter.iso2, "pk": job.pk}
    )


class ImportTemplateView(OutreachMixin, View):
    """An empty file with the column headers in one of the site's languages."""

    def get(self, request, *args, **kwargs):
        language, file_format = kwargs["language"], kwargs["file_format"]
        if language not in languages.codes() or file_format not in ("csv", "xlsx"):
            raise Http404
        rows = [header_row(language)]
        if file_format == "csv":
            body, content_type = csv_bytes(rows), "text/csv; charset=utf-8"
        else:
            body = xlsx_bytes(
                rows, right_to_left=languages.direction(language) == "rtl"
            )
            content_type = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="organisations-template-{language}.{file_format}"'
        )
        return response


class ImportJobMixin(OutreachMixin):
    def get_job(self) -> ImportJob:
        return get_object_or_404(
            ImportJob.objects.select_related("chapter").defer("content"),
            chapter=self.chapter,
            pk=self.kwargs["pk"],
        )


class ImportJobView(ImportJobMixin, TemplateView):
    """The preview (or progress, or result) of one import."""

    template_name = "members/import_job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        counts = {"new": 0, "duplicate": 0, "error": 0}
        for row in job.rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        shown = self.request.GET.get("show", "")
        if shown not in {"new", "duplicate", "error"}:
            shown = ""
        rows = [row for row in job.rows if not shown or row["status"] == shown]
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        # The known organisation's name in the page's language, else in the
        # first language it has one in.
        order = [get_language(), *languages.codes()]
        for row in page.object_list:
            row["messages"] = [message_text(error) for error in row["errors"]]
            row["duplicate_label"] = next(
                (
                    row[f"duplicate_name_{code}"]
                    for code in order
                    if row.get(f"duplicate_name_{code}")
                ),
                "",
            )
        context.update(
            job=job,
            counts=counts,
            valid_count=counts["new"] + counts["duplicate"],
            shown=shown,
            query_string=f"show={shown}" if shown else "",
            page_obj=page,
            preview_rows=page.object_list,
            problem_text=message_text(job.problem) if job.problem else "",
        )
        return context


class ImportStatusView(ImportJobMixin, View):
    """Polled by static/js/import-progress.js while a job runs."""

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(
            ImportJob.objects.only(
                "status", "processed_rows", "total_rows", "chapter_id"
            ),
            chapter=self.chapter,
            pk=kwargs["pk"],
        )
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "percent": job.progress_percent,
                "running": job.is_running,
            }
        )


class ImportCommitView(ImportJobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        valid = sum(1 for row in job.rows if row["status"] != "error")
        if job.status != ImportJob.Status.PREVIEWED or not valid:
            messages.info(request, gettext("This import has already been handled."))
            return redirect(job_url(job))
        if valid > INLINE_ROWS:
            if import_job_start(actor=request.user, job=job):
                import_commit_task.enqueue(job_id=job.pk, actor_id=request.user.pk)
            return redirect(job_url(job))
        try:
            job = ImportJob.objects.select_related("chapter").get(pk=job.pk)
            import_job_commit(actor=request.user, job=job)
        except ImportNotReady:
            messages.info(request, gettext("This import has already been handled."))
            return redirect(job_url(job))
        except Exception:
            logger.exception("import %s failed", job.pk)
            messages.error(request, message_text({"code": "import_failed"}))
            return redirect(job_url(job))
        messages.success(
            request,
            ngettext(
                "Imported: %(created)s new organisation, %(merged)s already known.",
                "Imported: %(created)s new organisations, %(merged)s already known.",
                job.created_count,
            )
            % {"created": job.created_count, "merged": job.merged_count},
        )
        return redirect(job_url(job))


class ImportCancelView(ImportJobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        import_job_cancel(actor=request.user, job=job)
        messages.info(
            request, gettext("The import was cancelled; nothing was written.")
        )
        return redirect(reverse("members:import", kwargs={"iso2": self.chapter.iso2}))
