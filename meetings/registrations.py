"""What the meetings app gives the pages of chapters, registered at
chapters' extension points (chapters/extensions.py) by MeetingsConfig.ready():
the day of each chapter's first meeting (directory, country pages, API), the
public meetings section of a country page, the dashboard's funnel and
meeting figures, and two export datasets."""

from django.template.loader import render_to_string

from chapters import extensions

from . import dashboard, exports, public
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


def register() -> None:
    extensions.first_meetings_held.register(public.first_meetings_held)
    extensions.country_page_sections.register(COUNTRY_MEETINGS)
    extensions.meeting_figures.register(dashboard.FIGURES)
    extensions.export_datasets.register(exports.INVITATIONS)
    extensions.export_datasets.register(exports.ATTENDANCE)
