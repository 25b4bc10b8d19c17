"""What the chapter dashboard (chapters/dashboard.py) shows of the members
app: coverage of the outreach list, memberships, initial tasks, the lists
of organisations behind those figures, and the staff overview's counts.
Registered at the extension point `member_figures` (members/registrations.py).
Reads only; the figures themselves are members/reports.py's."""

from django.db.models import OuterRef, QuerySet, Subquery

from chapters.extensions import MemberFigures
from chapters.models import Chapter

from . import reports
from .models import Membership, Organisation, Prospect


def coverage_organisations(*, chapter: Chapter, group: str, engaged: bool) -> QuerySet:
    prospects = reports.coverage_prospects(
        chapter=chapter, group=group, engaged=engaged
    )
    return Organisation.objects.filter(pk__in=prospects.values("organisation"))


def with_standing(organisations: QuerySet, *, chapter: Chapter) -> QuerySet:
    """The organisations with their place in the chapter: the outreach
    entry and the membership, with their stage and state."""
    prospect = Prospect.objects.filter(chapter=chapter, organisation=OuterRef("pk"))
    membership = Membership.objects.filter(chapter=chapter, organisation=OuterRef("pk"))
    return organisations.annotate(
        prospect_pk=Subquery(prospect.values("pk")[:1]),
        prospect_stage=Subquery(prospect.values("stage")[:1]),
        membership_pk=Subquery(membership.values("pk")[:1]),
        membership_state=Subquery(membership.values("state")[:1]),
    )


def prospect_stages() -> dict:
    return dict(Prospect.Stage.choices)


def membership_states() -> dict:
    return dict(Membership.State.choices)


FIGURES = MemberFigures(
    coverage=reports.coverage,
    coverage_organisations=coverage_organisations,
    membership_figure_keys=reports.MEMBERSHIP_FIGURES,
    membership_figures=reports.membership_figures,
    membership_organisations=reports.membership_organisations,
    task_figures=reports.task_figures,
    tasks_without_volunteers=reports.tasks_without_volunteers,
    with_standing=with_standing,
    chapter_member_counts=reports.chapter_member_counts,
    prospect_stages=prospect_stages,
    membership_states=membership_states,
)
