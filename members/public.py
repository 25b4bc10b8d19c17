"""What the public may know about a chapter's members. The one write the
public may make, expressing interest, is members.services.interest.

Every read here goes through `Membership.objects.listed()`, the consent rule:
an organisation appears on a country page, in the API and in CSV downloads only
after its representative confirmed the listing. Nothing here ever reads a
Representative's personal data for the public.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chapters import notifications
from chapters.languages import codes, default, field_in_language
from chapters.models import Chapter

from .models import GovernanceArea, GovernanceRole, Membership, Organisation

KIND_ORDER = {value: index for index, value in enumerate(Organisation.Kind.values)}


def listed_members(chapter: Chapter) -> list[Membership]:
    """Listed memberships with their organisation, in one query, ordered by
    type and then by name in the active language."""
    language = translation.get_language() or default()
    memberships = list(
        Membership.objects.listed().for_chapter(chapter).select_related("organisation")
    )
    memberships.sort(
        key=lambda m: (
            KIND_ORDER.get(m.organisation.kind, len(KIND_ORDER)),
            field_in_language(m.organisation, "name", language)[0].strip().casefold(),
        )
    )
    return memberships


@dataclass
class KindGroup:
    kind: str
    label: str
    members: list


def group_by_kind(memberships: list[Membership]) -> list[KindGroup]:
    """Consecutive groups of one organisation type; expects listed_members()
    order."""
    groups: list[KindGroup] = []
    for membership in memberships:
        kind = membership.organisation.kind
        if not groups or groups[-1].kind != kind:
            groups.append(
                KindGroup(kind, membership.organisation.get_kind_display(), [])
            )
        groups[-1].members.append(membership.organisation)
    return groups


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
