"""Read-only figures of the members app for the chapter dashboard and the
organisers' exports (members/dashboard.py and members/exports.py hand them
to chapters' extension points; nothing here writes, and no model imports
this module).

Every figure is one aggregate query, however many organisations a chapter
has: conditional counts and EXISTS subqueries in the database, no loop over
rows in Python."""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from chapters.languages import missing_in
from chapters.models import Chapter

from .models import (
    DoNotContact,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from .selectors import BY_NAME, COVERAGE_GROUPS, ENGAGED_STAGES, outreach_coverage

State = Membership.State


# Conditions on the outreach list (a Prospect queryset) ---------------------


def confirmed_condition(chapter: Chapter) -> Exists:
    """The prospect's organisation is a listed member of the chapter."""
    return Exists(
        Membership.objects.listed().filter(
            chapter=chapter, organisation=OuterRef("organisation")
        )
    )


def volunteered_condition(chapter: Chapter) -> Exists:
    """The prospect's organisation offered to work on one of the chapter's
    initial tasks."""
    return Exists(
        Volunteering.objects.filter(
            task__chapter=chapter, organisation=OuterRef("organisation")
        )
    )


def funnel_counts(*, chapter: Chapter, listed) -> dict[str, int]:
    """The funnel's last two steps for the organisations in `listed` (a
    values("organisation") queryset): confirmed members, and those that
    volunteered for a task. Two queries."""
    return {
        "confirmed": Membership.objects.listed()
        .filter(chapter=chapter, organisation__in=listed)
        .count(),
        "volunteered": Volunteering.objects.filter(
            task__chapter=chapter, organisation__in=listed
        ).aggregate(n=Count("organisation", distinct=True))["n"],
    }


def coverage(*, chapter: Chapter) -> dict:
    """The seed's first outcome: which kinds of organisation the chapter has
    reached (on the list, and responded or further). One query."""
    return outreach_coverage(chapter=chapter)


def coverage_prospects(*, chapter: Chapter, group: str, engaged: bool) -> QuerySet:
    kinds = COVERAGE_GROUPS[group]
    prospects = Prospect.objects.filter(chapter=chapter, organisation__kind__in=kinds)
    if engaged:
        prospects = prospects.filter(stage__in=ENGAGED_STAGES)
    return prospects


# Membership ----------------------------------------------------------------


def _overdue(now) -> Q:
    """Still consulting their organisation after the organisers' reminder
    date: the reminder is due or was sent and nobody answered since."""
    return Q(state=State.CONSULTING, remind_at__lte=now)


def membership_figures(*, chapter: Chapter, now=None) -> dict:
    """Memberships by state, those overdue, and when the list last grew:
    one query."""
    now = now or timezone.now()
    counts = Membership.objects.filter(chapter=chapter).aggregate(
        requested=Count("pk", filter=Q(state=State.REQUESTED)),
        consulting=Count("pk", filter=Q(state=State.CONSULTING)),
        overdue=Count("pk", filter=_overdue(now)),
        confirmed=Count("pk", filter=Q(state=State.CONFIRMED)),
        declined=Count("pk", filter=Q(state=State.DECLINED)),
        withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN)),
        last_confirmed=Max("confirmed_at", filter=Q(state=State.CONFIRMED)),
    )
    return counts


MEMBERSHIP_FIGURES = ("requested", "consulting", "overdue", "confirmed", "withdrawn")


def membership_organisations(*, chapter: Chapter, figure: str, now=None) -> QuerySet:
    now = now or timezone.now()
    memberships = Membership.objects.filter(chapter=chapter)
    if figure == "overdue":
        memberships = memberships.filter(_overdue(now))
    else:
        memberships = memberships.filter(state=figure)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


# Initial tasks ---------------------------------------------------------------


def task_figures(*, chapter: Chapter) -> dict:
    """Open tasks, those nobody volunteered for or leads, and tasks whose
    title is missing in one of the chapter's languages: one query."""
    volunteered = Exists(Volunteering.objects.filter(task=OuterRef("pk")))
    unfinished = ~Q(status=InitialTask.Status.DONE)
    return (
        InitialTask.objects.filter(chapter=chapter)
        .annotate(has_volunteer=volunteered)
        .aggregate(
            open=Count("pk", filter=unfinished),
            without_volunteers=Count(
                "pk",
                filter=unfinished & Q(has_volunteer=False, lead__isnull=True),
            ),
            untranslated=Count(
                "pk", filter=missing_in("title", chapter.language_codes)
            ),
        )
    )


def tasks_without_volunteers(*, chapter: Chapter, limit: int = 5) -> list:
    """The first few of them, to name on the dashboard."""
    volunteered = Exists(Volunteering.objects.filter(task=OuterRef("pk")))
    return list(
        InitialTask.objects.filter(chapter=chapter, lead__isnull=True)
        .exclude(status=InitialTask.Status.DONE)
        .filter(~volunteered)
        .order_by("order", "pk")[:limit]
    )


# The staff overview -----------------------------------------------------------


def chapter_member_counts() -> dict:
    """Subquery expressions for Chapter.objects.annotate(): listed members
    and organisations on the outreach list, per chapter."""

    def counted(queryset):
        return Coalesce(
            Subquery(
                queryset.filter(chapter=OuterRef("pk"))
                .order_by()
                .values("chapter")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return {
        "listed_members": counted(Membership.objects.listed()),
        "outreach_count": counted(Prospect.objects.all()),
    }


# Exports ----------------------------------------------------------------------


def outreach_export(*, chapter: Chapter) -> QuerySet:
    """The outreach list with the contact details of every representative
    this chapter collected (one row per representative; organisations
    without one get a row of their own; another chapter's contacts are never
    in it), and whether the address asked not to be e-mailed."""
    opted_out = DoNotContact.objects.filter(email__iexact=OuterRef("email"))
    return (
        Prospect.objects.filter(chapter=chapter)
        .select_related("organisation", "owner")
        .prefetch_related(
            Prefetch(
                "organisation__representatives",
                queryset=Representative.objects.for_chapter(chapter)
                .annotate(opted_out=Exists(opted_out))
                .order_by("-is_primary", "name", "pk"),
                to_attr="chapter_contacts",
            )
        )
        .order_by(*BY_NAME, "pk")
    )


def members_export(*, chapter: Chapter) -> QuerySet:
    """Every membership of the chapter with its consent record: the newest
    applied confirmation (statement version and language, who confirmed, in
    which role, when)."""
    confirmation = MembershipEvent.objects.filter(
        membership=OuterRef("pk"),
        action=MembershipEvent.Action.CONFIRM,
        applied=True,
    ).order_by("-created_at", "-pk")
    return (
        Membership.objects.filter(chapter=chapter)
        .select_related("organisation")
        .annotate(
            consent_at=Subquery(confirmation.values("created_at")[:1]),
            consent_version=Subquery(confirmation.values("consent_version")[:1]),
            consent_language=Subquery(confirmation.values("consent_language")[:1]),
            consent_by=Subquery(confirmation.values("representative_name")[:1]),
            consent_email=Subquery(confirmation.values("representative_email")[:1]),
            consent_role=Subquery(confirmation.values("role")[:1]),
        )
        .order_by("state", *BY_NAME, "pk")
    )
