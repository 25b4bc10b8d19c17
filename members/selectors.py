"""Reads of the members app. Lists that depend on the viewer take the viewer;
each does its own select_related/prefetch so page query counts stay flat."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower

from chapters.languages import localized
from chapters.models import Chapter
from chapters.permissions import representative_chapters

from .models import (
    NAME_KEY_COLUMNS,
    DoNotContact,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
)
from .normalise import name_key, website_domain
from .search import organisations_matching

# The seed's first outcome names these kinds of organisation.
COVERAGE_GROUPS = {
    "civil_society": [
        Organisation.Kind.COMMUNITY_BASED,
        Organisation.Kind.NATIONAL_NGO,
        Organisation.Kind.INTERNATIONAL_NGO,
    ],
    "networks": [Organisation.Kind.NETWORK],
    "academics": [Organisation.Kind.ACADEMIC],
    "think_tanks": [Organisation.Kind.THINK_TANK],
}
# The seed's first exploratory meeting: representatives of 10 to 20 organisations.
# Lists of organisations are sorted by their name, language by language.
BY_NAME = [f"organisation__{column}" for column in localized("name")]
FIRST_MEETING_MIN = 10
FIRST_MEETING_MAX = 20
ENGAGED_STAGES = [
    Prospect.Stage.RESPONDED,
    Prospect.Stage.ATTENDED,
    Prospect.Stage.MEMBER,
]


def organisation_duplicates(*, website: str = "", exclude=None, **names: str):
    """Organisations that are probably the same as the one described: same
    website domain, or a name equal after members.normalise.name_key (any
    language against any language). `names` are the described one's name
    columns (`name_<code>=...`, those known)."""
    unknown = set(names) - set(localized("name"))
    if unknown:
        raise TypeError(f"not a name column: {', '.join(sorted(unknown))}")
    keys = {key for key in map(name_key, names.values()) if key}
    domain = website_domain(website)
    condition = Q(pk__in=[])
    if keys:
        for column in NAME_KEY_COLUMNS:
            condition |= Q(**{f"{column}__in": keys})
    if domain:
        condition |= Q(website_domain=domain)
    duplicates = Organisation.objects.filter(condition)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    return duplicates.order_by("pk")


def chapter_organiser_users(chapter: Chapter):
    return (
        get_user_model()
        .objects.filter(
            organiser_roles__chapter=chapter, organiser_roles__revoked_at__isnull=True
        )
        .distinct()
        .order_by("email")
    )


def _same_organisation_elsewhere_on_list():
    """Another organisation on the same outreach list that the duplicate
    rule of organisation_duplicates (folded name, either language against
    either language, or website domain) takes for this one, e.g. one that
    came in through the public interest form, which never attaches a
    stranger to an existing organisation."""
    pairs = [(mine, theirs) for mine in NAME_KEY_COLUMNS for theirs in NAME_KEY_COLUMNS]
    same = Q()
    for field, outer in [*pairs, ("website_domain", "website_domain")]:
        same |= Q(
            **{f"organisation__{field}": OuterRef(f"organisation__{outer}")}
        ) & ~Q(**{f"organisation__{field}": ""})
    return (
        Prospect.objects.filter(chapter=OuterRef("chapter"))
        .exclude(organisation=OuterRef("organisation"))
        .filter(same)
    )


def outreach_list(
    *,
    chapter: Chapter,
    query: str = "",
    kind: str = "",
    stage: str = "",
    city: str = "",
    language: str = "",
    has_email: bool | None = None,
):
    """The chapter's outreach list, filtered. Search matches either language
    and ignores Arabic letter variants and diacritics."""
    contacts = Representative.objects.for_chapter(chapter)
    with_email = contacts.filter(organisation=OuterRef("organisation"), email__gt="")
    prospects = (
        Prospect.objects.filter(chapter=chapter)
        .select_related("organisation", "owner")
        .annotate(
            has_email=Exists(with_email),
            likely_duplicate=Exists(_same_organisation_elsewhere_on_list()),
        )
        .prefetch_related(
            Prefetch(
                "organisation__representatives",
                queryset=contacts.order_by("-is_primary", "name", "pk"),
                to_attr="chapter_contacts",
            )
        )
        .order_by(*BY_NAME, "pk")
    )
    prospects = organisations_matching(prospects, query, path="organisation")
    if kind:
        prospects = prospects.filter(organisation__kind=kind)
    if stage:
        prospects = prospects.filter(stage=stage)
    if city := city.strip():
        in_city = Q()
        for column in localized("city"):
            in_city |= Q(**{f"organisation__{column}__icontains": city})
        prospects = prospects.filter(in_city)
    if language:
        prospects = prospects.filter(
            Exists(
                contacts.filter(
                    organisation=OuterRef("organisation"), language=language
                )
            )
        )
    if has_email is not None:
        prospects = prospects.filter(has_email=has_email)
    return prospects


def outreach_coverage(*, chapter: Chapter) -> dict:
    """Counts against the seed's outcomes, in one query: per kind group, how
    many are on the list and how many responded or further; and how many
    organisations are engaged toward the 10-20 of a first meeting."""
    aggregates = {}
    for group, kinds in COVERAGE_GROUPS.items():
        aggregates[f"{group}_listed"] = Count(
            "pk", filter=Q(organisation__kind__in=kinds)
        )
        aggregates[f"{group}_engaged"] = Count(
            "pk",
            filter=Q(organisation__kind__in=kinds, stage__in=ENGAGED_STAGES),
        )
    aggregates["total"] = Count("pk")
    aggregates["engaged"] = Count("pk", filter=Q(stage__in=ENGAGED_STAGES))
    counts = Prospect.objects.filter(chapter=chapter).aggregate(**aggregates)
    engaged = counts["engaged"]
    return {
        "groups": [
            {
                "key": group,
                "listed": counts[f"{group}_listed"],
                "engaged": counts[f"{group}_engaged"],
            }
            for group in COVERAGE_GROUPS
        ],
        "total": counts["total"],
        "engaged": engaged,
        "meeting_min": FIRST_MEETING_MIN,
        "meeting_max": FIRST_MEETING_MAX,
        "meeting_percent": min(100, round(100 * engaged / FIRST_MEETING_MIN)),
        "meeting_reached": engaged >= FIRST_MEETING_MIN,
    }


def chapter_contacts(*, chapter: Chapter, organisation: Organisation):
    """The organisation's representatives as the chapter knows them, with
    their contact details, for the chapter's organisers: only the contacts
    this chapter collected (Representative.objects.for_chapter)."""
    return Representative.objects.for_chapter(chapter).filter(organisation=organisation)


def organisation_contacts(*, organisation: Organisation, viewer):
    """The organisation's contacts for one of its signed-in representatives:
    those collected by the chapters in which the viewer's account was linked
    (chapters.permissions.representative_chapters), and the viewer's own
    rows. A contact another chapter collected stays that chapter's, even
    from the organisation's representatives elsewhere. Never for organisers
    (chapter_contacts)."""
    return (
        Representative.objects.filter(organisation=organisation)
        .filter(
            Q(chapter__in=representative_chapters(viewer, organisation))
            | Q(user=viewer)
        )
        .select_related("chapter", "user")
        .order_by("chapter__country", "-is_primary", "name", "pk")
    )


def opt_outs_for(emails) -> dict[str, DoNotContact]:
    """{lower-cased address: its DoNotContact} for the given addresses."""
    addresses = {str(email).strip().lower() for email in emails if email}
    if not addresses:
        return {}
    entries = (
        DoNotContact.objects.annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .select_related("chapter")
    )
    return {entry.address: entry for entry in entries}


# Membership -------------------------------------------------------------------


def membership_board(*, chapter: Chapter, query: str = "", state: str = ""):
    """The chapter's memberships for its organisers, with the organisation,
    the newest event and how many personal links are outstanding; filtered
    by the organisation's name and the state."""
    latest = MembershipEvent.objects.filter(membership=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    memberships = (
        Membership.objects.for_chapter(chapter)
        .select_related("organisation")
        .annotate(
            last_event_at=Subquery(latest.values("created_at")[:1]),
            last_event_action=Subquery(latest.values("action")[:1]),
        )
        .order_by("state", *BY_NAME, "pk")
    )
    if state:
        memberships = memberships.filter(state=state)
    return organisations_matching(memberships, query, path="organisation")


def membership_state_counts(*, chapter: Chapter) -> dict[str, int]:
    """{state: how many of the chapter's memberships are in it}, every state
    present, in one query."""
    counts = dict.fromkeys(Membership.State.values, 0)
    rows = (
        Membership.objects.for_chapter(chapter)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts


def request_candidates(*, chapter: Chapter, query: str = "", stage: str = ""):
    """The outreach list with each organisation's membership state, for the
    "request confirmation" form; filtered by the organisation's name and the
    outreach stage."""
    state = Membership.objects.filter(
        chapter=chapter, organisation=OuterRef("organisation")
    ).values("state")[:1]
    reachable = Representative.objects.for_chapter(chapter).filter(
        organisation=OuterRef("organisation"), email__gt=""
    )
    candidates = (
        Prospect.objects.filter(chapter=chapter)
        .select_related("organisation")
        .annotate(
            membership_state=Subquery(state),
            has_email=Exists(reachable),
        )
        .order_by(*BY_NAME, "pk")
    )
    if stage:
        candidates = candidates.filter(stage=stage)
    return organisations_matching(candidates, query, path="organisation")


def membership_history(*, membership: Membership):
    return membership.events.select_related("actor", "link", "consent").order_by(
        "-created_at", "-pk"
    )


def chapter_tasks(*, chapter: Chapter):
    """The chapter's initial tasks with their lead and volunteers, in three
    queries however many there are."""
    return (
        InitialTask.objects.filter(chapter=chapter)
        .select_related("lead")
        .prefetch_related(
            Prefetch(
                "volunteers",
                queryset=Organisation.objects.order_by(*localized("name")),
            )
        )
        .order_by("order", "pk")
    )


def memberships_of(*, organisation: Organisation, viewer):
    """The organisation's memberships in the chapters where the viewer speaks
    for it: what its representative may see and act on."""
    return (
        Membership.objects.filter(
            organisation=organisation,
            chapter__in=representative_chapters(viewer, organisation),
        )
        .select_related("chapter")
        .order_by("chapter__country")
    )


def tasks_for_member(*, organisation: Organisation, viewer):
    """Tasks of the chapters where the organisation is a listed member and
    the viewer speaks for it: what that representative may see and volunteer
    for."""
    chapters = Membership.objects.listed().filter(
        organisation=organisation,
        chapter__in=representative_chapters(viewer, organisation),
    )
    return (
        InitialTask.objects.filter(chapter__in=chapters.values("chapter"))
        .select_related("chapter", "lead")
        .prefetch_related("volunteers")
        .order_by("chapter__country", "order", "pk")
    )
