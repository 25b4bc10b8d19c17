"""A chapter's organiser pages: the overview (the dashboard), the
organisations behind one of its figures, and the edit page of the public
content in each language."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import dashboard, extensions, selectors, services
from ..forms.base import CONTENT_LANGUAGES
from ..forms.manage import CONTENT_FIELDS, ChapterContentForm
from ..models import Chapter
from ..permissions import ChapterOrganiserMixin


def _missing_rows(chapter: Chapter) -> list[dict]:
    """Labelled fields of the public page missing in a language."""
    missing = selectors.missing_translations(chapter)
    languages = dict(CONTENT_LANGUAGES)
    return [
        {"label": label, "languages": [languages[code] for code in missing[field]]}
        for field, label, _max, _long in CONTENT_FIELDS
        if field in missing
    ]


class ManageOverviewView(ChapterOrganiserMixin, TemplateView):
    """The chapter's dashboard: what to do next, the funnel, the seed's
    outcomes, the next meeting, membership, and the public page's state. A
    constant number of queries (tests/chapters/test_dashboard_queries.py)."""

    template_name = "chapters/manage_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = dashboard.chapter_dashboard(
            chapter=self.chapter, rtl=translation.get_language_bidi()
        )
        membership = figures["membership"]
        missing = _missing_rows(self.chapter)
        context.update(
            figures,
            manage_tab="overview",
            first_steps=dashboard.first_steps(
                texts_complete=not missing
                and selectors.public_texts_complete(self.chapter),
                listed=figures["listed"],
                first_meeting=figures["first_meeting"],
            ),
            member_count=membership["confirmed"],
            members_as_of=self.chapter.members_updated_at
            or membership["last_confirmed"],
            missing=missing,
            organisers=self.chapter.organisers.filter(
                revoked_at__isnull=True
            ).select_related("user"),
        )
        return context


class FigureView(ChapterOrganiserMixin, TemplateView):
    """The organisations behind one figure of the dashboard."""

    template_name = "chapters/dashboard_figure.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key = self.request.GET.get("figure", "funnel:identified")[:60]
        found = dashboard.figure_organisations(chapter=self.chapter, key=key)
        if found is None:
            raise Http404
        title, organisations = found
        page = Paginator(organisations, self.page_size).get_page(
            self.request.GET.get("page")
        )
        figures = extensions.member_figures.get()
        context.update(
            manage_tab="overview",
            title=title,
            figure=key,
            page_obj=page,
            organisations=page.object_list,
            query_string=urlencode({"figure": key}),
            stages=figures.prospect_stages(),
            states=figures.membership_states(),
        )
        return context


class ManageEditView(ChapterOrganiserMixin, FormView):
    template_name = "chapters/manage_edit.html"
    form_class = ChapterContentForm

    def get_initial(self):
        return {
            **{
                field: getattr(self.chapter, field)
                for field in services.EDITABLE_FIELDS
            },
            "default_language": self.chapter.default_language,
        }

    def get_form_kwargs(self):
        # The zones offered first are those of the chapter's own country.
        return {
            **super().get_form_kwargs(),
            "country": self.chapter.country.code,
            "chapter_languages": self.chapter.language_codes,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "content"
        context["missing"] = _missing_rows(self.chapter)
        return context

    def form_valid(self, form):
        data = {
            field: form.cleaned_data.get(field)
            for field in services.EDITABLE_FIELDS
            if field in form.cleaned_data
        }
        try:
            services.chapter_update(
                actor=self.request.user, chapter=self.chapter, data=data
            )
        except services.ChapterError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The chapter's page is updated."))
        return redirect("chapters:edit", iso2=self.chapter.iso2)
