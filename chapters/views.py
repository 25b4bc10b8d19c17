import csv
import io
from itertools import chain
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView, View
from django_countries.fields import Country

from . import (
    audit_trail,
    dashboard,
    exports,
    extensions,
    notifications,
    ratelimit,
    selectors,
    services,
    spreadsheets,
)
from . import cache as public_cache
from .forms import (
    CONTENT_FIELDS,
    CONTENT_LANGUAGES,
    AuditFilterForm,
    ChapterContentForm,
    InterestForm,
    NotificationPreferenceForm,
    OrganiserGrantForm,
    OrganiserInviteForm,
    QuietDaysForm,
)
from .models import Chapter, Organiser
from .permissions import (
    ChapterOrganiserMixin,
    OrganiserRequiredMixin,
    StaffRequiredMixin,
    chapters_managed_by,
    organisations_represented_by,
)

# At most this many interest forms per address and window; a human needs one.
INTEREST_LIMIT = 5
INTEREST_WINDOW = 60 * 60


def home(request):
    return render(request, "chapters/home.html")


class MyChaptersView(LoginRequiredMixin, TemplateView):
    """Where a signed-in person lands: the chapters they organise and the
    organisations they represent."""

    template_name = "chapters/my_chapters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapters"] = chapters_managed_by(self.request.user)
        context["organisations"] = organisations_represented_by(self.request.user)
        return context


# Public pages


def _alternates(path: str) -> list[dict]:
    """The page in each language, without the query string, for the language
    switcher and hreflang (the context processor's version keeps the query)."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "active": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _country_not_found(request, iso2: str):
    code = (iso2 or "").upper()
    country = Country(code) if len(code) == 2 and Country(code).name else None
    return render(
        request,
        "chapters/country_not_found.html",
        {"country": country},
        status=404,
    )


def _public_chapter(iso2: str):
    """(chapter, redirect): upper-case codes redirect to the canonical
    lower-case address."""
    if iso2 != iso2.lower() and selectors.ISO2.match(iso2.lower()):
        return None, iso2.lower()
    return selectors.chapter_public_get(iso2), None


@gzip_page
@require_GET
def directory(request):
    language = translation.get_language()
    stamp = public_cache.directory_stamp()
    status = request.GET.get("status", "")
    if status not in Chapter.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]

    def render_page():
        rows = public_cache.cached(
            public_cache.public_key("directory", stamp), selectors.directory_rows
        )
        shown = selectors.directory_sort(
            selectors.directory_filter(rows, status=status, query=query), language
        )
        path = reverse("chapters:directory")
        return render(
            request,
            "chapters/directory.html",
            {
                "rows": shown,
                "total": len(rows),
                "status": status,
                "query": query,
                "statuses": Chapter.Status.choices,
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
            },
        )

    if query:
        # Free text is not worth a shared cache entry per spelling.
        return render_page()
    key = public_cache.public_key("directory-page", language, stamp, status)
    return public_cache.shared_page(request, key, render_page)


@gzip_page
@require_GET
def country_detail(request, iso2: str):
    if iso2 != iso2.lower() and selectors.ISO2.match(iso2.lower()):
        return redirect("chapters:country", iso2=iso2.lower(), permanent=True)
    found = public_cache.country_stamp(iso2) if selectors.ISO2.match(iso2) else None
    if found is None:
        return _country_not_found(request, iso2)
    pk, stamp = found
    language = translation.get_language()

    def render_page():
        # Only on a miss, or for a signed-in visitor: the full chapter row.
        chapter = Chapter.objects.get(pk=pk)

        def render_body():
            context = {
                "chapter": chapter,
                "first_meeting_on": selectors.first_meeting_on(chapter),
                **selectors.country_page_members(chapter),
            }
            return render_to_string("chapters/partials/country_body.html", context)

        body = public_cache.cached(
            public_cache.public_key("country-body", language, stamp), render_body
        )
        path = chapter.get_absolute_url()
        return render(
            request,
            "chapters/country_detail.html",
            {
                "chapter": chapter,
                "body": body,
                "country_name": chapter.country.name,
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
            },
        )

    key = public_cache.public_key("country-page", language, stamp)
    return public_cache.shared_page(request, key, render_page)


@require_GET
def members_csv(request, iso2: str):
    chapter, lower = _public_chapter(iso2)
    if lower:
        return redirect("chapters:members_csv", iso2=lower, permanent=True)
    if chapter is None:
        return _country_not_found(request, iso2)
    language = translation.get_language()

    text = public_cache.cached(
        public_cache.public_key(
            "members-csv", language, public_cache.chapter_stamp(chapter)
        ),
        lambda: _members_csv_text(chapter),
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cld-{chapter.iso2}-members-{language}.csv"'
    )
    return response


def _csv_safe(value) -> str:
    """One line per cell, and never a formula (spreadsheets.neutralise,
    the portal's one rule against formula injection)."""
    return spreadsheets.neutralise(" ".join(str(value or "").split()))


def _in_language(texts: dict, language: str) -> str:
    """The text in the language, else in Arabic, else in English."""
    return texts[language] or texts["ar"] or texts["en"]


def _members_csv_text(chapter: Chapter) -> str:
    out = io.StringIO()
    # A byte-order mark so spreadsheet programs read the Arabic as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("Name in Arabic"),
            _("Name in English"),
            _("Type"),
            _("City"),
            _("Website"),
            _("Short description"),
        ]
    )
    language = translation.get_language()
    members = extensions.public_members.get()
    for membership in members.listed_members(chapter):
        data = members.member_open_data(membership.organisation)
        writer.writerow(
            [
                _csv_safe(_in_language(data["name"], language)),
                _csv_safe(data["name"]["ar"]),
                _csv_safe(data["name"]["en"]),
                _csv_safe(data["type_label"][language]),
                _csv_safe(_in_language(data["city"], language)),
                _csv_safe(data["website"]),
                _csv_safe(_in_language(data["description"], language)),
            ]
        )
    return out.getvalue()


def country_interest(request, iso2: str):
    chapter, lower = _public_chapter(iso2)
    if lower:
        return redirect("chapters:interest", iso2=lower, permanent=True)
    if chapter is None:
        return _country_not_found(request, iso2)
    status = 200
    if request.method == "POST":
        form = InterestForm(request.POST)
        if form.is_bot():
            # Looks like success to the bot; nothing is stored or sent.
            return redirect("chapters:interest_thanks", iso2=chapter.iso2)
        if form.is_valid():
            if ratelimit.rate_limited(
                f"interest:{ratelimit.client_address(request)}",
                limit=INTEREST_LIMIT,
                window=INTEREST_WINDOW,
            ):
                form.add_error(
                    None,
                    _(
                        "Too many forms were sent from your network in the last hour. "
                        "Your text is still below: please try again later, or write "
                        "to the chapter's contact address."
                    ),
                )
                status = 429
            else:
                data = form.cleaned_data
                extensions.public_members.get().submit_interest(
                    chapter=chapter,
                    organisation_name=data["organisation_name"],
                    kind=data["kind"],
                    contact_name=data["contact_name"],
                    email=data["email"],
                    message=data["message"],
                    language=translation.get_language(),
                )
                return redirect("chapters:interest_thanks", iso2=chapter.iso2)
        else:
            status = 400
    else:
        form = InterestForm()
    return render(
        request,
        "chapters/country_interest.html",
        {"chapter": chapter, "form": form, "country_name": chapter.country.name},
        status=status,
    )


@require_GET
def country_interest_thanks(request, iso2: str):
    chapter, lower = _public_chapter(iso2)
    if lower:
        return redirect("chapters:interest_thanks", iso2=lower, permanent=True)
    if chapter is None:
        return _country_not_found(request, iso2)
    return render(
        request,
        "chapters/country_interest_thanks.html",
        {"chapter": chapter, "country_name": chapter.country.name},
    )


# Organiser pages


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
        context.update(
            figures,
            manage_tab="overview",
            member_count=membership["confirmed"],
            members_as_of=self.chapter.members_updated_at
            or membership["last_confirmed"],
            missing=_missing_rows(self.chapter),
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


class NotificationSettingsView(OrganiserRequiredMixin, FormView):
    """An organiser's choice: each answer at once, a daily digest, or
    nothing; and the language of these e-mails."""

    template_name = "chapters/notification_settings.html"
    form_class = NotificationPreferenceForm

    def get_initial(self):
        preference = notifications.preference_for(self.request.user)
        return {"delivery": preference.delivery, "language": preference.language}

    def form_valid(self, form):
        services.organiser_preference_save(
            actor=self.request.user,
            delivery=form.cleaned_data["delivery"],
            language=form.cleaned_data["language"],
        )
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("chapters:notification_settings")


class ManageEditView(ChapterOrganiserMixin, FormView):
    template_name = "chapters/manage_edit.html"
    form_class = ChapterContentForm

    def get_initial(self):
        return {
            field: getattr(self.chapter, field) for field in services.EDITABLE_FIELDS
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


class ManageOrganisersView(ChapterOrganiserMixin, TemplateView):
    template_name = "chapters/manage_organisers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.chapter.organisers.select_related(
            "user", "granted_by", "revoked_by"
        ).order_by("revoked_at", "-granted_at")
        context.update(
            manage_tab="organisers",
            active_roles=[r for r in roles if r.is_active],
            past_roles=[r for r in roles if not r.is_active],
            invitations=self.chapter.organiser_invitations.pending().select_related(
                "invited_by"
            ),
            invite_form=kwargs.get("invite_form")
            or OrganiserInviteForm(initial={"language": translation.get_language()}),
            grant_form=kwargs.get("grant_form") or OrganiserGrantForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = OrganiserInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.organiser_invite(
                    actor=request.user,
                    chapter=self.chapter,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except services.ChapterError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": invitation.email},
                )
                return redirect("chapters:organisers", iso2=self.chapter.iso2)
        return self.render_to_response(
            self.get_context_data(invite_form=form), status=400
        )


class StaffOrganiserGrantView(ChapterOrganiserMixin, View):
    """Staff give the organiser role to an existing account."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        form = OrganiserGrantForm(request.POST)
        if not form.is_valid():
            view = ManageOrganisersView(request=request, kwargs=kwargs)
            view.chapter = self.chapter
            return view.render_to_response(
                view.get_context_data(grant_form=form), status=400
            )
        services.organiser_grant(
            actor=request.user, chapter=self.chapter, user=form.user
        )
        messages.success(
            request,
            _("%(email)s is now an organiser of this chapter.")
            % {"email": form.user.email},
        )
        return redirect("chapters:organisers", iso2=self.chapter.iso2)


class StaffOrganiserRevokeView(ChapterOrganiserMixin, View):
    def post(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        role = get_object_or_404(
            Organiser.objects.select_related("user"),
            pk=kwargs["role"],
            chapter=self.chapter,
        )
        services.organiser_revoke(actor=request.user, role=role)
        messages.success(
            request,
            _("%(email)s is no longer an organiser of this chapter.")
            % {"email": role.user.email},
        )
        return redirect("chapters:organisers", iso2=self.chapter.iso2)


class InvitationView(LoginRequiredMixin, TemplateView):
    """The co-organiser's personal link: shows the invitation, accepts on
    POST when the signed-in account has the invited, verified address."""

    template_name = "chapters/organiser_invitation.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.invitation, status = ratelimit.personal_link_lookup(
            request,
            "organiser-invitation",
            kwargs["token"],
            lambda: services.organiser_invitation_find(kwargs["token"]),
        )
        if status == 429:
            return render(request, "chapters/too_many_attempts.html", status=429)
        if status:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        context["chapter"] = self.invitation.chapter
        context["email_matches"] = services.user_has_verified_email(
            self.request.user, self.invitation.email
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.organiser_invitation_accept(
                invitation=self.invitation, user=request.user
            )
        except services.ChapterError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(
            request, _("Welcome: you are now an organiser of this chapter.")
        )
        return redirect("chapters:manage", iso2=self.invitation.chapter.iso2)
