"""Read-only figures of the meetings app for the chapter dashboard and the
organisers' exports (meetings/dashboard.py and meetings/exports.py hand them
to chapters' extension points; nothing here writes, and no model imports
this module).

The funnel counts organisations, not invitations: an organisation of the
outreach list reaches a step when any of its invitations (to any of the
chapter's meetings) did. The counts are a few aggregate queries whatever
the size of the chapter; the lists behind them use the same conditions as
EXISTS subqueries, so a figure and its list always agree."""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from chapters.languages import missing_in
from chapters.models import Chapter
from members import reports as members_reports
from members.models import Organisation, Prospect

from .models import Invitation, Material, MaterialOpening, Meeting
from .selectors import attendances, attended_organisation_count

Status = Invitation.Status
# Reached the invitee's mailbox (answered or not).
DELIVERED = (
    Status.SENT,
    Status.OPENED,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.NO_REPLY,
)
UNDELIVERED = (Status.BOUNCED, Status.FAILED)
# The funnel's steps, in order; "bounced" is shown beside "delivered".
FUNNEL_STEPS = (
    "identified",
    "invited",
    "delivered",
    "opened",
    "accepted",
    "attended",
    "confirmed",
    "volunteered",
)
SIDE_STEPS = ("bounced",)
# Followed the personal link (answering through it counts as opening).
OPENED = Q(opened_at__isnull=False) | Q(
    status__in=(Status.OPENED, Status.ACCEPTED, Status.DECLINED)
)


def _conditions(chapter: Chapter) -> dict:
    """step -> condition on a Prospect queryset of this chapter."""
    invitations = Invitation.objects.invited().filter(
        meeting__chapter=chapter, organisation=OuterRef("organisation")
    )
    return {
        "identified": Q(pk__isnull=False),
        "invited": Exists(invitations),
        "delivered": Exists(invitations.filter(status__in=DELIVERED)),
        "bounced": Exists(invitations.filter(status__in=UNDELIVERED)),
        "opened": Exists(invitations.filter(OPENED)),
        "accepted": Exists(invitations.filter(status=Status.ACCEPTED)),
        "attended": Exists(
            attendances(chapter=chapter).filter(organisation=OuterRef("organisation"))
        ),
        "confirmed": members_reports.confirmed_condition(chapter),
        "volunteered": members_reports.volunteered_condition(chapter),
    }


def funnel(*, chapter: Chapter) -> dict[str, int]:
    """{step: organisations of the outreach list that reached it}. Five
    aggregate queries, whatever the size of the chapter: counting distinct
    organisations over each table is cheaper for the database than one
    EXISTS per organisation and step (and keeps PostgreSQL's planner below
    its JIT threshold)."""
    listed = Prospect.objects.filter(chapter=chapter).values("organisation")
    invitations = Invitation.objects.filter(
        meeting__chapter=chapter, organisation__in=listed
    )

    def organisations(condition=None):
        return Count("organisation", filter=condition, distinct=True)

    counts = invitations.aggregate(
        invited=organisations(),
        delivered=organisations(Q(status__in=DELIVERED)),
        bounced=organisations(Q(status__in=UNDELIVERED)),
        opened=organisations(OPENED),
        accepted=organisations(Q(status=Status.ACCEPTED)),
    )
    counts["identified"] = Prospect.objects.filter(chapter=chapter).count()
    counts["attended"] = (
        attendances(chapter=chapter)
        .filter(organisation__in=listed)
        .aggregate(n=organisations())["n"]
    )
    counts.update(members_reports.funnel_counts(chapter=chapter, listed=listed))
    return counts


def funnel_prospects(*, chapter: Chapter, step: str) -> QuerySet:
    """The organisations behind one figure of the funnel."""
    condition = _conditions(chapter)[step]
    return Prospect.objects.filter(chapter=chapter).filter(condition)


# Meetings -------------------------------------------------------------------


def next_meeting(*, chapter: Chapter, now=None) -> Meeting | None:
    """The chapter's next meeting that is not cancelled or a draft."""
    now = now or timezone.now()
    return (
        Meeting.objects.for_chapter(chapter)
        .filter(status=Meeting.Status.OPEN, ends_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )


def first_exploratory_meeting(*, chapter: Chapter) -> Meeting | None:
    return (
        Meeting.objects.for_chapter(chapter)
        .filter(kind=Meeting.Kind.EXPLORATORY)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.DRAFT])
        .order_by("starts_at", "pk")
        .first()
    )


def meeting_figures(*, meeting: Meeting) -> dict:
    """Answers to one meeting against its target, organisations present
    (selectors.attendances: walk-ins count), and organisations that opened a
    material before the meeting began: one query."""
    opened_before = Exists(
        MaterialOpening.objects.filter(
            invitation=OuterRef("pk"), first_opened_at__lt=meeting.starts_at
        )
    )
    invitations = Invitation.objects.filter(meeting=meeting)
    figures = invitations.aggregate(
        invited=Count("pk"),
        delivered=Count("pk", filter=Q(status__in=DELIVERED)),
        bounced=Count("pk", filter=Q(status__in=UNDELIVERED)),
        waiting=Count("pk", filter=Q(status__in=Invitation.AWAITING)),
        queued=Count("pk", filter=Q(status=Status.QUEUED)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        no_reply=Count("pk", filter=Q(status=Status.NO_REPLY)),
        accepted_organisations=Count(
            "organisation_name", filter=Q(status=Status.ACCEPTED), distinct=True
        ),
        opened_materials=Count(
            "organisation_name", filter=Q(opened_before), distinct=True
        ),
        # Walk-ins have no invitation: the organisations present come from
        # selectors.attendances, carried by this same query.
        attended_subquery=Max(
            Subquery(
                attendances(meeting=meeting)
                .order_by()
                .values("meeting")
                .annotate(n=Count("organisation", distinct=True))
                .values("n"),
                output_field=IntegerField(),
            )
        ),
    )
    if figures["invited"]:
        figures["attended_organisations"] = figures["attended_subquery"] or 0
    else:  # the aggregate saw no row to carry the subquery
        figures["attended_organisations"] = attended_organisation_count(meeting=meeting)
    del figures["attended_subquery"]
    figures["target_min"] = meeting.target_min
    figures["target_max"] = meeting.target_max
    return figures


MEETING_FIGURES = {
    "invited": Q(),
    "delivered": Q(status__in=DELIVERED),
    "bounced": Q(status__in=UNDELIVERED),
    "waiting": Q(status__in=Invitation.AWAITING),
    "queued": Q(status=Status.QUEUED),
    "accepted": Q(status=Status.ACCEPTED),
    "declined": Q(status=Status.DECLINED),
    "no_reply": Q(status=Status.NO_REPLY),
}


def meeting_organisations(*, meeting: Meeting, figure: str) -> QuerySet:
    """The organisations behind one figure of a meeting."""
    if figure == "attended":
        return Organisation.objects.filter(
            pk__in=attendances(meeting=meeting).values("organisation")
        )
    if figure == "opened_materials":
        invitations = Invitation.objects.filter(meeting=meeting).filter(
            Exists(
                MaterialOpening.objects.filter(
                    invitation=OuterRef("pk"), first_opened_at__lt=meeting.starts_at
                )
            )
        )
    else:
        invitations = Invitation.objects.filter(meeting=meeting).filter(
            MEETING_FIGURES[figure]
        )
    return Organisation.objects.filter(pk__in=invitations.values("organisation"))


def meeting_for_chapter(*, chapter: Chapter, pk) -> Meeting | None:
    return Meeting.objects.for_chapter(chapter).filter(pk=pk).first()


def meetings_untranslated(*, chapter: Chapter) -> int:
    """Meetings (not cancelled) whose title is missing in one of the
    chapter's languages."""
    return (
        Meeting.objects.for_chapter(chapter)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(missing_in("title", chapter.language_codes))
        .count()
    )


def materials_count(*, meeting: Meeting) -> int:
    return Material.objects.for_meeting(meeting).count()


# Exports --------------------------------------------------------------------


def invitations_export(*, chapter: Chapter) -> QuerySet:
    """Every invitation of the chapter's meetings with its answer and how
    many materials the invitee opened."""
    return (
        Invitation.objects.filter(meeting__chapter=chapter)
        .select_related("meeting")
        .annotate(materials_opened=Count("material_openings", distinct=True))
        .order_by("meeting__starts_at", "meeting_id", "organisation_name", "name", "pk")
    )


def attendance_export(*, chapter: Chapter) -> QuerySet:
    """Every check-in, with `invited`: whether the person had an invitation
    (a walk-in who left an address has a record of their own, not one)."""
    invited = Q(invitation__isnull=False) & ~Q(invitation__status=Status.WALK_IN)
    return (
        attendances(chapter=chapter)
        .annotate(invited=ExpressionWrapper(invited, output_field=BooleanField()))
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id", "organisation_name", "name")
    )
