"""What the meetings app gives the pages of chapters, registered at
chapters' extension points (chapters/extensions.py) by MeetingsConfig.ready():
the day of each chapter's first meeting (directory, country pages, API), the
public meetings section of a country page, the dashboard's funnel and
meeting figures, three export datasets, the engagements with government
(their country page section, the API's summary and the staff comparison's
counts) and two sources of the staff timeline."""

from django.template.loader import render_to_string

from chapters import extensions

from . import dashboard, exports, public, timeline
from .selectors import meetings_for_country_page


def country_meetings(chapter) -> str:
    """Upcoming and past public meetings: title, date and city (or
    "online") only."""
    meetings = meetings_for_country_page(chapter=chapter)
    return render_to_string(
        "meetings/country_meetings.html", {**meetings, "chapter": chapter}
    )


COUNTRY_MEETINGS = extensions.CountryPageSection(
    key="meetings", position=10, render=country_meetings
)


def country_engagements(chapter) -> str:
    """The published engagements with government: date, kind, title,
    summary, institutions, the listed member organisations taking part, and
    champions by name only with their consent (meetings.public)."""
    return render_to_string(
        "meetings/country_engagements.html",
        {
            "chapter": chapter,
            "engagements": public.published_engagements(chapter=chapter),
        },
    )


COUNTRY_ENGAGEMENTS = extensions.CountryPageSection(
    key="engagements", position=20, render=country_engagements
)
ENGAGEMENTS = extensions.Engagements(
    public_summary=public.engagements_public_summary,
    recent_counts=public.engagement_recent_counts,
)
TIMELINE_MEETINGS = extensions.TimelineSource(
    key="meetings", position=20, events=timeline.meetings_held
)
TIMELINE_ENGAGEMENTS = extensions.TimelineSource(
    key="engagements", position=40, events=timeline.engagements
)


def register() -> None:
    extensions.first_meetings_held.register(public.first_meetings_held)
    extensions.country_page_sections.register(COUNTRY_MEETINGS)
    extensions.meeting_figures.register(dashboard.FIGURES)
    extensions.export_datasets.register(exports.INVITATIONS)
    extensions.export_datasets.register(exports.ATTENDANCE)
    extensions.export_datasets.register(exports.ENGAGEMENTS)
    extensions.country_page_sections.register(COUNTRY_ENGAGEMENTS)
    extensions.engagements.register(ENGAGEMENTS)
    extensions.chapter_timeline.register(TIMELINE_MEETINGS)
    extensions.chapter_timeline.register(TIMELINE_ENGAGEMENTS)
