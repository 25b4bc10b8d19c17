"""Staff pages across chapters: the overview of every chapter, with the
quiet ones (no activity for some days) singled out; a chapter's timeline and
the comparison of chapters with its exports (docs/history.md); and the
design page, every component of the portal in both directions
(docs/design.md)."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_countries.fields import Country

from .. import (
    badges,
    comparison,
    dashboard,
    design,
    languages,
    services,
    spreadsheets,
    timeline,
    times,
)
from ..forms.staff import ChapterOpenForm, DesignSampleForm, QuietDaysForm
from ..models import Chapter
from ..permissions import StaffRequiredMixin
from ..templatetags.icons import is_directional, sprite_names


class StaffOverviewView(StaffRequiredMixin, TemplateView):
    template_name = "chapters/staff_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QuietDaysForm(self.request.GET or None)
        days = dashboard.QUIET_DAYS
        if form.is_bound and form.is_valid() and form.cleaned_data["days"]:
            days = form.cleaned_data["days"]
        chapters = dashboard.staff_overview(quiet_days=days)
        only_quiet = self.request.GET.get("quiet") == "1"
        context.update(
            form=form,
            days=days,
            only_quiet=only_quiet,
            quiet_count=sum(1 for chapter in chapters if chapter.is_quiet),
            chapters=[c for c in chapters if c.is_quiet] if only_quiet else chapters,
            total=len(chapters),
        )
        return context


class StaffTimelineView(StaffRequiredMixin, TemplateView):
    """One chapter's history: status changes, meetings held, members joining
    and leaving, engagements with government; newest first, by month."""

    template_name = "chapters/staff_timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chapter = get_object_or_404(Chapter, country=str(kwargs["iso2"]).upper())
        context.update(chapter=chapter, months=timeline.chapter_timeline(chapter))
        return context


class StaffComparisonView(StaffRequiredMixin, TemplateView):
    """Every chapter side by side, sortable by any column (`?sort=`)."""

    template_name = "chapters/staff_comparison.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = comparison.sort_key(self.request.GET.get("sort"))
        context.update(
            rows=comparison.comparison_rows(sort=sort),
            sort=sort,
            columns=[
                {
                    "key": key,
                    "label": label,
                    "active": sort.removeprefix("-") == key,
                    "descending": sort == f"-{key}",
                    # A second click on the column sorts the other way.
                    "next": f"-{key}" if sort == key else key,
                }
                for key, (label, _key) in comparison.COLUMNS.items()
            ],
            recent_days=comparison.RECENT_DAYS,
        )
        return context


class StaffComparisonExportView(StaffRequiredMixin, View):
    """The comparison as a CSV or Excel file, in the page's sort."""

    def get(self, request, *args, **kwargs):
        file_format = kwargs["file_format"]
        if file_format not in ("csv", "xlsx"):
            raise Http404
        sort = comparison.sort_key(request.GET.get("sort"))
        header, body = comparison.table(comparison.comparison_rows(sort=sort))
        rows = [header, *body]
        if file_format == "csv":
            response = HttpResponse(
                spreadsheets.csv_bytes(rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                spreadsheets.xlsx_bytes(
                    rows, right_to_left=translation.get_language_bidi()
                ),
                content_type=spreadsheets.XLSX_TYPE,
            )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="chapters-comparison-{stamp}.{file_format}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class StaffChapterOpenView(StaffRequiredMixin, FormView):
    """Open a chapter: country, names, languages, zone, first organisers.
    "Show this country's time zones" sends the form back unsaved, with the
    zones of the country chosen."""

    template_name = "chapters/staff_chapter_open.html"
    form_class = ChapterOpenForm

    def get_initial(self):
        return {"languages": [get_language()], "default_language": get_language()}

    def post(self, request, *args, **kwargs):
        if request.POST.get("refresh"):
            form = ChapterOpenForm(initial=request.POST.dict())
            form.initial["languages"] = request.POST.getlist("languages")
            # The country's own zone, unless one of its zones was chosen.
            own = times.country_zones(request.POST.get("country", ""))
            if own and form.initial.get("time_zone") not in own:
                form.initial["time_zone"] = own[0]
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            chapter = services.chapter_open(
                actor=self.request.user,
                values=form.service_values(),
                organiser_emails=form.cleaned_data["organisers"],
                language=get_language(),
            )
        except services.ChapterError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The chapter is open; its organisers have been invited by e-mail."),
        )
        return redirect("chapters:manage", iso2=chapter.iso2)


# The design page's specimen table: made-up rows, named by country so that
# every language shows them in its own words.
SAMPLE_ROWS = (
    ("JO", Chapter.Status.LAUNCHED, 18, datetime.date(2026, 3, 2)),
    ("MA", Chapter.Status.FORMING, 9, datetime.date(2026, 2, 14)),
    ("SN", Chapter.Status.EXPLORING, 0, datetime.date(2026, 1, 20)),
    ("LB", Chapter.Status.DORMANT, 4, datetime.date(2025, 6, 8)),
)


class StaffDesignView(StaffRequiredMixin, TemplateView):
    """The design system as pages use it: palette, type, buttons, every
    status badge of every kind, a table, an empty state, a form in sections
    and the icons, in the page's language and direction, then again in a
    language written the other way."""

    template_name = "chapters/staff_design.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        here = get_language()
        other = next(
            (
                code
                for code in languages.codes()
                if languages.direction(code) != languages.direction(here)
            ),
            here,
        )
        # Bound, with the name missing, to show a field in error beside valid
        # ones; one prefix per block keeps the ids of the page unique.
        sample = {
            "name": "",
            "email": "chapter@example.org",
            "status": Chapter.Status.FORMING,
        }
        blocks = [
            {"prefix": prefix, "language": code, "direction": languages.direction(code)}
            for prefix, code in (("here", here), ("other", other))
        ]
        for block in blocks:
            block["form"] = DesignSampleForm(
                {f"{block['prefix']}-{key}": value for key, value in sample.items()},
                prefix=block["prefix"],
            )
        context.update(
            blocks=blocks,
            palette=design.palette(),
            text_pairs=design.text_pairs(),
            status_kinds=badges.catalogue(),
            tones=list(badges.Tone),
            icons=[
                {"name": name, "directional": is_directional(name)}
                for name in sprite_names()
            ],
            sample_rows=[
                {
                    "country": Country(code),
                    "status": status,
                    "label": status.label,
                    "members": members,
                    "updated": updated,
                }
                for code, status, members, updated in SAMPLE_ROWS
            ],
        )
        return context
