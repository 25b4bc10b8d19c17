"""Reads of the chapters app for the public pages and the open-data API.

The members of a chapter and the day of its first meeting come from the apps
that own them, through the extension points `public_members` (which applies
the consent rule) and `first_meetings_held`; nothing here reads memberships
or meetings directly."""

import hashlib
import re
from datetime import date

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import badges, extensions, folding, languages
from .models import Chapter

LANGUAGES = languages.codes()
TRANSLATED_FIELDS = (
    "name",
    "introduction",
    "why_cld",
    "host_organisation",
    "co_chairs",
    "membership_expectations",
)
ISO2 = re.compile(r"^[a-z]{2}$")


def chapter_public_get(iso2: str) -> Chapter | None:
    if not ISO2.match(iso2 or ""):
        return None
    return Chapter.objects.filter(country=iso2.upper()).first()


def country_names(code: str) -> dict[str, str]:
    """The country's name in each language, from django-countries' catalogue."""
    return folding.country_names(code)


def status_labels(status: str) -> dict[str, str]:
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = str(Chapter.Status(status).label)
    return labels


def search_normalise(text: str) -> str:
    """The one folding rule of every search (chapters.folding.fold): case,
    Latin accents, Arabic diacritics and tatweel, the forms of alef, alef
    maqsura and ta marbuta, punctuation."""
    return folding.fold(text)


def last_update(chapter: Chapter):
    """When anything on the chapter's page last changed that a visitor can
    date: its content or its member list."""
    dates = [d for d in (chapter.updated_at, chapter.members_updated_at) if d]
    return max(dates) if dates else None


def first_meeting_on(chapter: Chapter, *, held: dict | None = None) -> date | None:
    """The day of the chapter's first meeting: its first exploratory meeting
    held in the portal, else the date organisers typed for one held before
    the chapter used the portal (Chapter.first_meeting_on). `held` is
    first_meetings_held() when the caller reads many chapters."""
    if held is None:
        held = first_meetings_held(chapter_ids=[chapter.pk])
    return held.get(chapter.pk) or chapter.first_meeting_on


def first_meetings_held(*, chapter_ids: list[int] | None = None) -> dict[int, date]:
    """chapter id -> the day of its first exploratory meeting held (one
    query for any number of chapters; the meetings app provides it)."""
    return extensions.first_meetings_held.get()(chapter_ids=chapter_ids)


def directory_rows() -> list[dict]:
    """Every chapter with what the directory shows, in both languages: two
    queries, however many chapters and members there are. Plain data, so it
    can be cached once for both languages. Each row carries the chapter's
    stored search column (chapters.folding) and its sort key per language,
    so that a search is a substring test per cached row."""
    counts = extensions.public_members.get().listed_member_counts()
    held = first_meetings_held()
    rows = []
    for chapter in Chapter.objects.order_by("country"):
        countries = country_names(chapter.country.code)
        names = {code: getattr(chapter, f"name_{code}") or "" for code in LANGUAGES}
        rows.append(
            {
                "iso2": chapter.iso2,
                "code": chapter.country.code,
                "country": countries,
                "name": names,
                "status": chapter.status,
                # The map colours the country in its status's tone.
                "tone": str(badges.tone("chapter_status", chapter.status)),
                "first_meeting_on": first_meeting_on(chapter, held=held),
                "launched_on": chapter.launched_on,
                "listed_members": counts.get(chapter.pk, 0),
                "updated": last_update(chapter),
                "time_zone": chapter.time_zone,
                "search": chapter.search_text,
                "sort": {code: folding.fold(name) for code, name in countries.items()},
            }
        )
    return rows


def directory_filter(rows: list[dict], *, status: str = "", query: str = ""):
    """The rows of `status` (any when blank) whose search column contains
    the folded `query` (every row when it folds to nothing)."""
    needle = folding.fold_query(query)
    return [
        row
        for row in rows
        if (not status or row["status"] == status)
        and (not needle or needle in row["search"])
    ]


def directory_sort(rows: list[dict], language: str) -> list[dict]:
    return sorted(rows, key=lambda row: row["sort"][language])


def directory_query(text: str) -> tuple[str, str]:
    """A directory search as typed (white space collapsed, at most
    folding.QUERY_MAX_LENGTH characters: what the search box shows) and as
    matched (folded)."""
    typed = " ".join(str(text or "").split())[: folding.QUERY_MAX_LENGTH]
    return typed, folding.fold_query(typed)


def directory_index() -> list[tuple[str, str]]:
    """(search column, status) of every chapter: what tells whether a
    search matches anything without reading the directory's rows."""
    return list(Chapter.objects.values_list("search_text", "status"))


def directory_matches(index: list[tuple[str, str]], *, status: str, needle: str):
    return any(
        needle in text and (not status or row_status == status)
        for text, row_status in index
    )


def digest(text: str) -> str:
    """A short fixed-length stand-in for free text in a cache key."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def country_page_members(chapter: Chapter) -> dict:
    """The member section of a country page: per type, the first members
    and how many there are, the count and the date the list is as of; a
    constant number of queries, whatever the number of members."""
    preview = extensions.public_members.get().member_preview(chapter)
    latest = preview["latest_confirmed"]
    return {
        "member_groups": preview["member_groups"],
        "member_count": preview["member_count"],
        "members_as_of": chapter.members_updated_at or latest,
    }


# Members as of a past day (docs/history.md) -------------------------------------

AS_OF_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AsOfError(ValueError):
    """A day the member list cannot be shown as of; the message is shown."""


def chapter_today(chapter: Chapter) -> date:
    """Today in the chapter's time zone."""
    return timezone.localdate(timezone=chapter.zone)


def as_of_day(chapter: Chapter, raw: str | None) -> date | None:
    """The day asked for (`?as_of=YYYY-MM-DD`), or None for today's list
    (nothing asked, or today itself). Malformed or future days are refused
    with a translated message."""
    raw = (raw or "").strip()
    if not raw:
        return None
    today = chapter_today(chapter)
    try:
        if not AS_OF_FORMAT.match(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise AsOfError(
            _("Write the date as year-month-day, for example %(example)s.")
            % {"example": today.isoformat()}
        ) from None
    if day > today:
        raise AsOfError(
            _(
                "The members as of a future date are not known yet: choose today "
                "or an earlier date."
            )
        )
    return None if day == today else day


def country_page_members_as_of(chapter: Chapter, day: date) -> dict:
    """The member section of a country page as it was at the end of `day`."""
    members = extensions.public_members.get()
    memberships = members.listed_members_as_of(chapter, day)
    return {
        "member_groups": members.bound_groups(members.group_by_kind(memberships)),
        "member_count": len(memberships),
        "members_as_of": None,
        "as_of": day,
    }


def missing_translations(chapter: Chapter) -> dict[str, list[str]]:
    """For organisers: field -> the chapter's languages in which it is still
    empty, for the fields filled in at least one of them (or the name,
    always needed)."""
    missing = {}
    wanted = chapter.language_codes
    for field in TRANSLATED_FIELDS:
        empty = [
            code
            for code in wanted
            if not (getattr(chapter, f"{field}_{code}", "") or "").strip()
        ]
        if empty and (len(empty) < len(wanted) or field == "name"):
            missing[field] = empty
    return missing


# What a country page needs before it says anything: the chapter's name and
# its introduction.
ESSENTIAL_TEXTS = ("name", "introduction")


def public_texts_complete(chapter: Chapter) -> bool:
    """The essential texts are written in each of the chapter's languages,
    and no other text is missing in one of them."""
    essential = all(
        (getattr(chapter, f"{field}_{code}", "") or "").strip()
        for field in ESSENTIAL_TEXTS
        for code in chapter.language_codes
    )
    return essential and not missing_translations(chapter)


def chapter_open_data(
    chapter: Chapter,
    *,
    base_url: str,
    members=None,
    held: dict | None = None,
    as_of: date | None = None,
) -> dict:
    """The API's representation of a chapter; with members when given (the
    list of `as_of`, the day they are the members as of, today's when
    None). `held` as for first_meeting_on()."""
    code = chapter.country.code
    data = {
        "code": code,
        "country": country_names(code),
        "name": {c: getattr(chapter, f"name_{c}") or "" for c in LANGUAGES},
        "status": chapter.status,
        "status_label": status_labels(chapter.status),
        "first_meeting_on": _iso(first_meeting_on(chapter, held=held)),
        "launched_on": _iso(chapter.launched_on),
        "updated_at": _iso(last_update(chapter)),
        "page": {
            c: base_url + _localised(c, "chapters:country", chapter.iso2)
            for c in LANGUAGES
        },
        "api": base_url + reverse("api:country", kwargs={"iso2": chapter.iso2}),
    }
    if members is not None:
        for field in TRANSLATED_FIELDS[1:]:
            data[field] = {c: getattr(chapter, f"{field}_{c}") or "" for c in LANGUAGES}
        data["contact_email"] = chapter.contact_email
        data["members_as_of"] = (as_of or chapter_today(chapter)).isoformat()
        member_open_data = extensions.public_members.get().member_open_data
        data["members"] = [
            member_open_data(m.organisation, base_url=base_url) for m in members
        ]
        data["csv"] = {
            c: base_url + _localised(c, "chapters:members_csv", chapter.iso2)
            for c in LANGUAGES
        }
    return data


def _localised(language: str, name: str, iso2: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"iso2": iso2})


def _iso(value) -> str | None:
    return value.isoformat() if value else None
