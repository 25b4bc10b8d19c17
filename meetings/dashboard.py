"""What the chapter dashboard (chapters/dashboard.py) shows of the meetings
app: the outreach funnel, the first and next meetings with their figures,
and the lists of organisations behind those figures. Registered at the
extension point `meeting_figures` (meetings/registrations.py). Reads only;
the figures themselves are meetings/reports.py's."""

from django.db.models import QuerySet

from chapters.extensions import MeetingFigures
from chapters.models import Chapter
from members.models import Organisation

from . import reports


def funnel_organisations(*, chapter: Chapter, step: str) -> QuerySet:
    prospects = reports.funnel_prospects(chapter=chapter, step=step)
    return Organisation.objects.filter(pk__in=prospects.values("organisation"))


FIGURES = MeetingFigures(
    funnel_steps=reports.FUNNEL_STEPS,
    funnel=reports.funnel,
    funnel_organisations=funnel_organisations,
    first_exploratory_meeting=reports.first_exploratory_meeting,
    next_meeting=reports.next_meeting,
    meeting_figures=reports.meeting_figures,
    meeting_for_chapter=reports.meeting_for_chapter,
    meeting_organisations=reports.meeting_organisations,
    meetings_untranslated=reports.meetings_untranslated,
)
