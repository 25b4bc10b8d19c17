"""The staff comparison of chapters: one row per chapter with its status,
listed members, the funnel from the outreach list to membership, its last
meeting held and its engagements with government in the last 90 days;
sortable by any column and exported to CSV and Excel. A fixed number of
queries whatever the number of chapters: the figures of the apps above
come through their bulk providers (`member_figures.chapter_member_counts`,
`meeting_figures.chapter_funnels` and `last_meetings_held`,
`engagements.recent_counts`). See docs/history.md."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import extensions, times
from .languages import field_in_language
from .models import Chapter
from .selectors import search_normalise

RECENT_DAYS = 90
STATUS_ORDER = {value: index for index, value in enumerate(Chapter.Status.values)}


@dataclass
class Row:
    chapter: Chapter
    country: str
    name: str
    status_label: str
    listed_members: int
    outreach: int
    invited: int
    attended: int
    confirmed: int
    last_meeting_on: datetime.date | None
    engagements: int


# Sort keys: the GET parameter `sort`, "-" before one for the other way.
COLUMNS = {
    "country": (_("Country"), lambda row: search_normalise(row.country)),
    "status": (_("Status"), lambda row: STATUS_ORDER.get(row.chapter.status, 99)),
    "members": (_("Listed members"), lambda row: row.listed_members),
    "outreach": (_("On the outreach list"), lambda row: row.outreach),
    "invited": (_("Invited"), lambda row: row.invited),
    "attended": (_("Attended"), lambda row: row.attended),
    "confirmed": (_("Members from the outreach list"), lambda row: row.confirmed),
    "last_meeting": (
        _("Last meeting held"),
        lambda row: row.last_meeting_on or datetime.date.min,
    ),
    "engagements": (
        _("Engagements in the last 90 days"),
        lambda row: row.engagements,
    ),
}
DEFAULT_SORT = "country"


def sort_key(raw: str | None) -> str:
    """The sort asked for, or the default when it names no column."""
    raw = raw or ""
    return raw if raw.removeprefix("-") in COLUMNS else DEFAULT_SORT


def comparison_rows(*, sort: str = DEFAULT_SORT, now=None) -> list[Row]:
    now = now or timezone.now()
    chapters = list(
        Chapter.objects.annotate(
            **extensions.member_figures.get().chapter_member_counts()
        ).order_by("country")
    )
    ids = [chapter.pk for chapter in chapters]
    meeting_figures = extensions.meeting_figures.get()
    funnels = meeting_figures.chapter_funnels(chapter_ids=ids)
    last_held = meeting_figures.last_meetings_held(chapter_ids=ids)
    since = timezone.localdate(now) - datetime.timedelta(days=RECENT_DAYS)
    recent = extensions.engagements.get().recent_counts(chapter_ids=ids, since=since)
    rows = []
    for chapter in chapters:
        funnel = funnels.get(chapter.pk, {})
        held = last_held.get(chapter.pk)
        rows.append(
            Row(
                chapter=chapter,
                country=str(chapter.country.name),
                name=field_in_language(chapter, "name")[0],
                status_label=str(chapter.get_status_display()),
                listed_members=chapter.listed_members,
                outreach=chapter.outreach_count,
                invited=funnel.get("invited", 0),
                attended=funnel.get("attended", 0),
                confirmed=funnel.get("confirmed", 0),
                last_meeting_on=timezone.localtime(held, chapter.zone).date()
                if held
                else None,
                engagements=recent.get(chapter.pk, 0),
            )
        )
    column = sort.removeprefix("-")
    rows.sort(key=COLUMNS[column][1], reverse=sort.startswith("-"))
    return rows


def table(rows: list[Row]) -> tuple[list[str], list[list]]:
    """Header and rows of the export, in the active language."""
    header = [
        str(_("Country")),
        str(_("Chapter")),
        *(str(label) for key, (label, _key) in COLUMNS.items() if key != "country"),
    ]
    body = [
        [
            row.country,
            row.name,
            row.status_label,
            row.listed_members,
            row.outreach,
            row.invited,
            row.attended,
            row.confirmed,
            times.format_day(row.last_meeting_on) if row.last_meeting_on else "",
            row.engagements,
        ]
        for row in rows
    ]
    return header, body
