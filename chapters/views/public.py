"""The public pages, open to anyone and cached for anonymous visitors:
the home page, the directory of chapters, a country's page, its members as
CSV (both also as of a past day: docs/history.md), and the interest form
an organisation fills in to join (with its thanks page). An upper-case
country code redirects to the lower-case address; an unknown one is a 404
that names the country when it can."""

import csv

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_countries.fields import Country

from .. import cache as public_cache
from .. import extensions, languages, ratelimit, selectors, spreadsheets
from ..forms.public import InterestForm
from ..models import Chapter

# At most this many interest forms per address and window; a human needs one.
INTEREST_LIMIT = 5
INTEREST_WINDOW = 60 * 60


def home(request):
    return render(request, "chapters/home.html")


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


@require_GET
def directory(request):
    language = translation.get_language()
    stamp = public_cache.directory_stamp()
    status = request.GET.get("status", "")
    if status not in Chapter.Status.values:
        status = ""
    # As typed (the search box shows it) and folded (what is matched, so
    # that spellings folding alike share the rendered results).
    query, needle = selectors.directory_query(request.GET.get("q", ""))

    def render_results(rows):
        shown = selectors.directory_sort(
            selectors.directory_filter(rows, status=status, query=needle), language
        )
        context = {
            "rows": shown,
            "total": len(rows),
            "status": status,
            "query": needle,
            "statuses": Chapter.Status.choices,
        }
        return render_to_string("chapters/partials/directory_results.html", context)

    def page(results):
        path = reverse("chapters:directory")
        return render(
            request,
            "chapters/directory.html",
            {
                "results": results,
                "query": query,
                "status": status,
                "statuses": Chapter.Status.choices,
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
            },
        )

    def render_page():
        rows = public_cache.cached(
            public_cache.public_key("directory", stamp), selectors.directory_rows
        )
        return page(
            public_cache.cached(
                public_cache.public_key(
                    "directory-results",
                    language,
                    stamp,
                    status,
                    selectors.digest(needle),
                ),
                lambda: render_results(rows),
            )
        )

    if not needle:
        # Blank or only punctuation: the whole directory, with an empty box.
        query = ""
        family = public_cache.public_key("directory-page", language, status)
        return public_cache.shared_page(request, family, render_page, version=stamp)
    index = public_cache.cached(
        public_cache.public_key("directory-index", stamp), selectors.directory_index
    )
    if not selectors.directory_matches(index, status=status, needle=needle):
        # What matches nothing is not kept: free text would fill the cache.
        # Its page is the short empty state.
        return page(render_results([]))
    # Only what matches a chapter's code or names is kept, at most
    # QUERY_MAX_LENGTH long: one shared page per spelling (the box shows it),
    # its rendered results shared by every spelling that folds alike.
    family = public_cache.public_key(
        "directory-search", language, status, selectors.digest(query)
    )
    return public_cache.shared_page(request, family, render_page, version=stamp)


@require_GET
def country_detail(request, iso2: str):
    if iso2 != iso2.lower() and selectors.ISO2.match(iso2.lower()):
        return redirect("chapters:country", iso2=iso2.lower(), permanent=True)
    found = public_cache.country_stamp(iso2) if selectors.ISO2.match(iso2) else None
    if found is None:
        return _country_not_found(request, iso2)
    pk, stamp = found
    language = translation.get_language()
    if "as_of" in request.GET:
        return _country_as_of(request, pk, stamp)

    def render_page():
        # Only on a miss, or for a signed-in visitor: the full chapter row.
        chapter = Chapter.objects.get(pk=pk)
        first_meeting_on = selectors.first_meeting_on(chapter)

        def render_body():
            context = {
                "chapter": chapter,
                "first_meeting_on": first_meeting_on,
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
                "first_meeting_on": first_meeting_on,
                "country_name": chapter.country.name,
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
            },
        )

    family = public_cache.public_key("country-page", language, pk)
    return public_cache.shared_page(request, family, render_page, version=stamp)


# The "show all" pages keep only real page numbers in the cache, so that no
# one can fill it by asking for pages that do not exist.
MAX_CACHED_PAGE = 10_000


@require_GET
def country_members(request, iso2: str):
    """The chapter's listed members, a page at a time: of one type, or all,
    or those matching a search (not cached: one entry per spelling is not
    worth keeping)."""
    if iso2 != iso2.lower() and selectors.ISO2.match(iso2.lower()):
        return redirect("chapters:country_members", iso2=iso2.lower(), permanent=True)
    found = public_cache.country_stamp(iso2) if selectors.ISO2.match(iso2) else None
    if found is None:
        return _country_not_found(request, iso2)
    pk, stamp = found
    members = extensions.public_members.get()
    kinds = members.kind_choices()
    kind = request.GET.get("type", "")
    if kind not in dict(kinds):
        kind = ""
    query = request.GET.get("q", "").strip()[:100]
    page = request.GET.get("page", "1")
    language = translation.get_language()

    def render_page():
        chapter = Chapter.objects.get(pk=pk)
        page_obj = members.members_page(chapter, kind=kind, query=query, page=page)
        path = reverse("chapters:country_members", kwargs={"iso2": chapter.iso2})
        filters = {key: value for key, value in (("type", kind), ("q", query)) if value}
        return render(
            request,
            "chapters/country_members.html",
            {
                "chapter": chapter,
                "country_name": chapter.country.name,
                "page_obj": page_obj,
                "kinds": kinds,
                "kind": kind,
                "query": query,
                "query_string": urlencode(filters),
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
                # Searches and later pages are not worth indexing.
                "noindex": bool(query) or page_obj.number > 1,
            },
        )

    if query or not (page.isdigit() and 1 <= int(page) <= MAX_CACHED_PAGE):
        return render_page()
    page = str(int(page))
    pages = public_cache.cached(
        public_cache.public_key("country-member-pages", pk, kind, stamp),
        lambda: (
            members.members_page(
                Chapter.objects.get(pk=pk), kind=kind
            ).paginator.num_pages
        ),
    )
    if int(page) > pages:
        return render_page()
    family = public_cache.public_key("country-members", language, pk, kind, page)
    return public_cache.shared_page(request, family, render_page, version=stamp)


# The past days whose members' pages and files are kept like today's: a
# bounded number of entries per chapter and language, since anyone may ask
# for every day of a century. Older days are built each time.
AS_OF_CACHED_DAYS = 3 * 366


def _as_of_cached(chapter: Chapter, day) -> bool:
    return (selectors.chapter_today(chapter) - day).days <= AS_OF_CACHED_DAYS


def _country_as_of(request, pk: int, stamp: str):
    """The country page with its members as of a past day (docs/history.md),
    kept out of search engines; kept whole like today's page (for the last
    AS_OF_CACHED_DAYS days), with the chapter's version. Today's date, or
    none, is today's page; a malformed or future date is the page with the
    member list replaced by the message (400), built each time."""
    chapter = Chapter.objects.get(pk=pk)
    path = chapter.get_absolute_url()
    try:
        day = selectors.as_of_day(chapter, request.GET.get("as_of"))
    except selectors.AsOfError as error:
        day, problem = None, str(error)
    else:
        if day is None:
            return redirect(path)
        problem = ""

    def render_page():
        context = {
            "chapter": chapter,
            "first_meeting_on": selectors.first_meeting_on(chapter),
            "as_of": day,
            "as_of_problem": problem,
        }
        if day is not None:
            context.update(selectors.country_page_members_as_of(chapter, day))
        else:
            context.update(selectors.country_page_members(chapter))
        body = render_to_string("chapters/partials/country_body.html", context)
        return render(
            request,
            "chapters/country_detail.html",
            {
                **context,
                "body": body,
                "country_name": chapter.country.name,
                "language_alternates": _alternates(path),
                "canonical": f"{settings.SITE_URL}{path}",
                "noindex": True,
                "as_of_value": (
                    day.isoformat() if day else request.GET.get("as_of", "")[:10]
                ),
            },
            status=400 if problem else 200,
        )

    if day is None or not _as_of_cached(chapter, day):
        return render_page()
    language = translation.get_language()
    family = public_cache.public_key("country-as-of", language, pk, day.isoformat())
    return public_cache.shared_page(request, family, render_page, version=stamp)


@require_GET
def members_csv(request, iso2: str):
    """The listed members as CSV, kept whole and compressed like the pages
    (every visitor gets the same file): today's, and a past day's within
    AS_OF_CACHED_DAYS; an older day's is streamed."""
    if iso2 != iso2.lower() and selectors.ISO2.match(iso2.lower()):
        return redirect("chapters:members_csv", iso2=iso2.lower(), permanent=True)
    facts = public_cache.country_facts(iso2) if selectors.ISO2.match(iso2) else None
    if facts is None:
        return _country_not_found(request, iso2)
    language = translation.get_language()
    if request.GET.get("as_of"):
        chapter = Chapter.objects.get(pk=facts.pk)
        try:
            day = selectors.as_of_day(chapter, request.GET.get("as_of"))
        except selectors.AsOfError as error:
            return HttpResponse(
                str(error), status=400, content_type="text/plain; charset=utf-8"
            )
        if day is not None:
            filename = f"cld-{chapter.iso2}-members-{day.isoformat()}-{language}.csv"

            def build_day():
                return _csv_response(_members_csv_lines(chapter, day=day), filename)

            if not _as_of_cached(chapter, day):
                return build_day()
            return public_cache.shared_answer(
                request,
                family=public_cache.public_key(
                    "members-csv-as-of", language, facts.pk, day.isoformat()
                ),
                version=facts.stamp,
                build=build_day,
            )

    def build():
        chapter = Chapter.objects.get(pk=facts.pk)
        filename = f"cld-{chapter.iso2}-members-{language}.csv"
        return _csv_response(_members_csv_lines(chapter), filename)

    return public_cache.shared_answer(
        request,
        family=public_cache.public_key("members-csv", language, facts.pk),
        version=facts.stamp,
        build=build,
    )


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_safe(value) -> str:
    """One line per cell, and never a formula (spreadsheets.neutralise,
    the portal's one rule against formula injection)."""
    return spreadsheets.neutralise(" ".join(str(value or "").split()))


def _in_language(texts: dict, language: str, chapter: Chapter) -> str:
    """The text in the language, else in the chapter's languages (its
    default first), else in any that has it."""
    order = [language, *chapter.content_languages, *languages.codes()]
    return next((texts[code] for code in order if texts.get(code)), "")


class _Line:
    """A file-like object that hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def _members_csv_lines(chapter: Chapter, *, day=None):
    """The listed members as CSV lines, with a name column per language of
    the chapter; as of a past day, with the consent version in force then.
    Today's are read from the database in batches, in page order."""
    writer = csv.writer(_Line())
    # A byte-order mark so spreadsheet programs read the Arabic as UTF-8.
    yield "\ufeff" + writer.writerow(
        [
            _("Name"),
            *(languages.label_in(_("Name"), code) for code in chapter.language_codes),
            _("Type"),
            _("City"),
            _("Website"),
            _("Short description"),
            *([_("Consent version in force")] if day else []),
        ]
    )
    language = translation.get_language()
    members = extensions.public_members.get()
    if day is None:
        listed = members.listed_in_page_order(chapter).iterator(chunk_size=2000)
    else:
        listed = members.listed_members_as_of(chapter, day)
    for membership in listed:
        data = members.member_open_data(membership.organisation)
        yield writer.writerow(
            [
                _csv_safe(_in_language(data["name"], language, chapter)),
                *(_csv_safe(data["name"][code]) for code in chapter.language_codes),
                _csv_safe(data["type_label"][language]),
                _csv_safe(_in_language(data["city"], language, chapter)),
                _csv_safe(data["website"]),
                _csv_safe(_in_language(data["description"], language, chapter)),
                *([_csv_safe(membership.consent_version_in_force)] if day else []),
            ]
        )


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
