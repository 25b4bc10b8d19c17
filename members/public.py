"""What the public may know about a chapter's members. The one write the
public may make, expressing interest, is members.services.interest.

Every read here goes through `Membership.objects.listed()`, the consent rule:
an organisation appears on a country page, in the API and in CSV downloads only
after its representative confirmed the listing. Nothing here ever reads a
Representative's personal data for the public.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Collate, Lower, NullIf, RowNumber, Trim
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chapters import notifications
from chapters.languages import codes, default, field_in_language
from chapters.models import Chapter

from .models import GovernanceArea, GovernanceRole, Membership, Organisation
from .search import organisations_matching

KIND_ORDER = {value: index for index, value in enumerate(Organisation.Kind.values)}
# The country page shows this many members of each type; the rest are one
# "show all" link away (members_page), so the page's size does not grow
# with the chapter. A dozen keeps a page of every type under about 1,500
# elements (Lighthouse, docs/quality.md).
FIRST_VIEW = 12
MEMBERS_PER_PAGE = 50
# Ordering by code point on every database, as Python's sort does: the
# order of a list must not depend on the server's locale.
CODE_POINT_COLLATION = {"postgresql": "C", "sqlite": "BINARY"}


@dataclass
class KindGroup:
    kind: str
    label: str
    members: list
    # How many listed members of this type there are, when `members` holds
    # only the first of them.
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.members) if self.total is None else self.total

    @property
    def more(self) -> bool:
        """Whether members of this type are left out of `members`."""
        return self.count > len(self.members)


def group_by_kind(memberships: list[Membership]) -> list[KindGroup]:
    """Consecutive groups of one organisation type; expects page order
    (listed_in_page_order)."""
    groups: list[KindGroup] = []
    for membership in memberships:
        kind = membership.organisation.kind
        if not groups or groups[-1].kind != kind:
            groups.append(
                KindGroup(kind, membership.organisation.get_kind_display(), [])
            )
        groups[-1].members.append(membership.organisation)
    return groups


def _name_order(language: str):
    """The organisation's name as a page in `language` shows it (that
    language's, else the first filled in the site's order), folded to lower
    case, for ORDER BY in code-point order."""
    names = [
        NullIf(
            Trim(F(f"organisation__name_{code}"), output_field=CharField()),
            Value(""),
            output_field=CharField(),
        )
        for code in dict.fromkeys([language, *codes()])
    ]
    folded = Lower(Coalesce(*names, Value(""), output_field=CharField()))
    collation = CODE_POINT_COLLATION.get(connection.vendor)
    return Collate(folded, collation) if collation else folded


def _kind_order():
    return Case(
        *(
            When(organisation__kind=kind, then=Value(i))
            for kind, i in KIND_ORDER.items()
        ),
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def listed_in_page_order(chapter: Chapter, *, language: str | None = None):
    """The chapter's listed memberships with their organisation, ordered
    by type, then name in the language (the active one by default), then
    id: one stable order for pages, API pages and CSV streams."""
    language = language or translation.get_language() or default()
    return (
        Membership.objects.listed()
        .for_chapter(chapter)
        .select_related("organisation")
        .order_by(_kind_order(), _name_order(language), "pk")
    )


def member_preview(chapter: Chapter, *, per_kind: int = FIRST_VIEW) -> dict:
    """The country page's member section: per type, the first `per_kind`
    organisations in page order and how many there are, and the latest
    confirmation among all; two queries,
    whatever the number of members."""
    language = translation.get_language() or default()
    facts = (
        Membership.objects.listed()
        .for_chapter(chapter)
        .values_list("organisation__kind")
        .annotate(count=Count("pk"), latest=Max("confirmed_at"))
        .order_by()
    )
    totals = {kind: count for kind, count, _latest in facts}
    confirmed = [latest for _kind, _count, latest in facts if latest]
    if not totals:
        return {"member_groups": [], "member_count": 0, "latest_confirmed": None}
    first = (
        Membership.objects.listed()
        .for_chapter(chapter)
        .select_related("organisation")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("organisation__kind")],
                order_by=[_name_order(language).asc(), F("pk").asc()],
            ),
            name_order=_name_order(language),
        )
        .filter(rank__lte=per_kind)
    )
    memberships = sorted(
        first,
        key=lambda m: (
            KIND_ORDER.get(m.organisation.kind, len(KIND_ORDER)),
            m.name_order,
            m.pk,
        ),
    )
    groups = group_by_kind(memberships)
    for group in groups:
        group.total = totals.get(group.kind, len(group.members))
    return {
        "member_groups": groups,
        "member_count": sum(totals.values()),
        "latest_confirmed": max(confirmed) if confirmed else None,
    }


def bound_groups(groups: list[KindGroup], *, per_kind: int = FIRST_VIEW) -> list:
    """Groups cut to their first `per_kind` members, keeping their totals
    (the country page as of a past day, whose list is read whole)."""
    for group in groups:
        group.total = len(group.members)
        group.members = group.members[:per_kind]
    return groups


def members_page(
    chapter: Chapter,
    *,
    kind: str = "",
    query: str = "",
    page: int | str = 1,
    per_page: int = MEMBERS_PER_PAGE,
    language: str | None = None,
) -> Page:
    """One page of the chapter's listed memberships in page order, of one
    type when `kind` is given, matching `query` when given (either
    language, Arabic letter variants and diacritics ignored). A page
    number out of range gives the nearest page. Two queries."""
    memberships = listed_in_page_order(chapter, language=language)
    if kind:
        memberships = memberships.filter(organisation__kind=kind)
    memberships = organisations_matching(memberships, query, path="organisation")
    return Paginator(memberships, per_page).get_page(page)


def listed_member_counts() -> dict[int, int]:
    """Listed members per chapter id, for the directory, in one query."""
    rows = (
        Membership.objects.listed()
        .values("chapter_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["chapter_id"]: row["count"] for row in rows}


def member_open_data(organisation: Organisation, *, base_url: str = "") -> dict:
    """The public facts of a listed organisation in every language: the shape
    of the API and of the CSV download."""
    kind_labels = {}
    for code in codes():
        with translation.override(code):
            kind_labels[code] = str(organisation.get_kind_display())
    return {
        "name": {code: getattr(organisation, f"name_{code}") or "" for code in codes()},
        "acronym": organisation.acronym,
        "type": organisation.kind,
        "type_label": kind_labels,
        "city": {code: getattr(organisation, f"city_{code}") or "" for code in codes()},
        "website": organisation.website,
        "description": {
            code: getattr(organisation, f"description_{code}") or "" for code in codes()
        },
        "logo": f"{base_url}{organisation.logo.url}" if organisation.logo else None,
    }


def organiser_recipients(chapter: Chapter) -> list[tuple[str, str]]:
    """(address, language) of the active organisers who want each notice at
    once, or the chapter's public address when it has no organiser yet
    (chapters.notifications holds the organisers' preferences)."""
    return notifications.immediate_recipients(chapter)


# The governance section of a country page ------------------------------------

GOVERNANCE_ORDER = [
    GovernanceRole.Kind.CO_CHAIR,
    GovernanceRole.Kind.HOST,
    GovernanceRole.Kind.STEERING,
    GovernanceRole.Kind.FOCAL_POINT,
]
AREA_ORDER = {area: index for index, area in enumerate(GovernanceArea.values)}
# A group's heading names all who hold the role.
GOVERNANCE_HEADINGS = {
    GovernanceRole.Kind.CO_CHAIR: _("Co-chairs"),
    GovernanceRole.Kind.HOST: _("Host organisation"),
    GovernanceRole.Kind.STEERING: _("Steering committee"),
    GovernanceRole.Kind.FOCAL_POINT: _("Focal points"),
}


def country_governance(chapter: Chapter) -> str:
    """The chapter's current roles with the public name of the organisation
    holding each, in one query; empty when it has none. Never the
    representative who holds a role: that is personal data. Only listed
    members (the consent rule), though a withdrawal already ends its roles."""
    language = translation.get_language() or default()
    roles = list(
        GovernanceRole.objects.for_chapter(chapter)
        .current()
        .filter(
            organisation__in=Membership.objects.listed()
            .for_chapter(chapter)
            .values("organisation")
        )
        .select_related("organisation")
    )
    if not roles:
        return ""
    roles.sort(
        key=lambda role: (
            GOVERNANCE_ORDER.index(role.kind),
            AREA_ORDER.get(role.area, -1),
            field_in_language(role.organisation, "name", language)[0].casefold(),
        )
    )
    groups: list[KindGroup] = []
    for role in roles:
        if not groups or groups[-1].kind != role.kind:
            groups.append(KindGroup(role.kind, GOVERNANCE_HEADINGS[role.kind], []))
        groups[-1].members.append(role)
    return render_to_string(
        "members/governance_country.html", {"chapter": chapter, "groups": groups}
    )
