"""What the chapter dashboard (chapters/dashboard.py) shows of the meetings
app: the outreach funnel, the first and next meetings with their figures,
and the lists of organisations behind those figures. Registered at the
extension point `meeting_figures` (meetings/registrations.py). Reads only;
the figures themselves are meetings/reports.py's."""

from django.db.models import Count, Exists, Max, OuterRef, QuerySet

from chapters.extensions import MeetingFigures
from chapters.models import Chapter
from members.models import Membership, Organisation, Prospect

from . import reports
from .models import Invitation, Meeting
from .selectors import attendances


def funnel_organisations(*, chapter: Chapter, step: str) -> QuerySet:
    prospects = reports.funnel_prospects(chapter=chapter, step=step)
    return Organisation.objects.filter(pk__in=prospects.values("organisation"))


def _per_chapter(queryset, chapter_field: str) -> dict[int, int]:
    """Distinct organisations per chapter, of a queryset already limited to
    organisations on that chapter's outreach list."""
    rows = (
        queryset.order_by()
        .values(chapter_field)
        .annotate(n=Count("organisation", distinct=True))
    )
    return {row[chapter_field]: row["n"] for row in rows}


def chapter_funnels(*, chapter_ids) -> dict[int, dict[str, int]]:
    """The funnel's main steps for many chapters: four queries whatever
    their number, counted as reports.funnel counts them (organisations of
    the chapter's outreach list that reached the step)."""
    chapter_ids = list(chapter_ids)

    def on_the_list(chapter_path: str) -> Exists:
        return Exists(
            Prospect.objects.filter(
                chapter=OuterRef(chapter_path), organisation=OuterRef("organisation")
            )
        )

    identified = _per_chapter(
        Prospect.objects.filter(chapter__in=chapter_ids), "chapter"
    )
    invited = _per_chapter(
        Invitation.objects.invited()
        .filter(meeting__chapter__in=chapter_ids)
        .filter(on_the_list("meeting__chapter")),
        "meeting__chapter",
    )
    attended = _per_chapter(
        attendances()
        .filter(meeting__chapter__in=chapter_ids)
        .filter(on_the_list("meeting__chapter")),
        "meeting__chapter",
    )
    confirmed = _per_chapter(
        Membership.objects.listed()
        .filter(chapter__in=chapter_ids)
        .filter(on_the_list("chapter")),
        "chapter",
    )
    return {
        pk: {
            "identified": identified.get(pk, 0),
            "invited": invited.get(pk, 0),
            "attended": attended.get(pk, 0),
            "confirmed": confirmed.get(pk, 0),
        }
        for pk in chapter_ids
    }


def last_meetings_held(*, chapter_ids) -> dict:
    """chapter id -> when its last meeting held started; one query."""
    rows = (
        Meeting.objects.filter(
            chapter__in=list(chapter_ids), status=Meeting.Status.HELD
        )
        .order_by()
        .values("chapter")
        .annotate(last=Max("starts_at"))
    )
    return {row["chapter"]: row["last"] for row in rows}


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
    chapter_funnels=chapter_funnels,
    last_meetings_held=last_meetings_held,
)
