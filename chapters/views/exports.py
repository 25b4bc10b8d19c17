"""A chapter's exports: the page listing the data sets and formats, and
one data set as a download (CSV streamed, the workbook built in memory)."""

from itertools import chain

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.views.generic import TemplateView, View

from .. import exports, spreadsheets
from ..permissions import ChapterOrganiserMixin


class ExportsView(ChapterOrganiserMixin, TemplateView):
    template_name = "chapters/exports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            manage_tab="overview",
            datasets=exports.datasets().values(),
            formats=exports.FORMATS,
        )
        return context


class ExportView(ChapterOrganiserMixin, View):
    """One export as a download. CSV is streamed row by row; the workbook
    is built in memory (a zip file cannot be streamed)."""

    def get(self, request, *args, **kwargs):
        dataset, file_format = kwargs["dataset"], kwargs["file_format"]
        if dataset not in exports.datasets() or file_format not in exports.FORMATS:
            raise Http404
        header, body = exports.rows(chapter=self.chapter, dataset=dataset)
        stamp = timezone.localdate().isoformat()
        filename = f"{dataset}-{self.chapter.iso2}-{stamp}.{file_format}"
        if file_format == "csv":
            response = StreamingHttpResponse(
                spreadsheets.csv_stream(chain([header], body)),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                spreadsheets.xlsx_bytes(
                    chain([header], body),
                    right_to_left=translation.get_language_bidi(),
                ),
                content_type=spreadsheets.XLSX_TYPE,
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
