"""The audit trail: a chapter's, for its organisers, and everyone's, for
staff; the same filters and paging on both."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .. import audit_trail
from ..forms.audit import AuditFilterForm
from ..models import Chapter
from ..permissions import ChapterOrganiserMixin, StaffRequiredMixin


def _audit_page(request, *, entries, time_zone: str, chapters=None) -> dict:
    """The filter form, the page of entries and the query string of the
    filters, for the chapter's trail and for the staff's."""
    actions, types = audit_trail.filter_choices(entries)
    form = AuditFilterForm(
        request.GET or None,
        actions=actions,
        object_types=types,
        chapters=chapters,
    )
    filters = form.filters() if request.GET else {}
    chapter = None
    if chapters is not None and form.is_bound and form.is_valid():
        code = form.cleaned_data.get("chapter")
        chapter = Chapter.objects.filter(country=code).first() if code else None
    shown = audit_trail.entries_filtered(
        entries, chapter=chapter, time_zone=time_zone, **filters
    )
    page = Paginator(shown, audit_trail.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = audit_trail.labelled(page.object_list, time_zone=time_zone)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page_obj": page,
        "entries": page.object_list,
        "query_string": query.urlencode(),
        "filtered": bool(filters and any(filters.values())) or chapter is not None,
    }


class AuditTrailView(ChapterOrganiserMixin, TemplateView):
    template_name = "chapters/audit_trail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            _audit_page(
                self.request,
                entries=audit_trail.entries_in_scope(chapter=self.chapter),
                time_zone=self.chapter.time_zone,
            ),
            manage_tab="overview",
        )
        return context


class StaffAuditView(StaffRequiredMixin, TemplateView):
    template_name = "chapters/staff_audit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chapters = [
            (chapter.country.code, str(chapter.country.name))
            for chapter in Chapter.objects.order_by("country")
        ]
        context.update(
            _audit_page(
                self.request,
                entries=audit_trail.entries_in_scope(chapter=None),
                time_zone="UTC",
                chapters=chapters,
            )
        )
        return context
