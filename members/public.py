"""What the public may know about a chapter's members, and the one write the
public may make: expressing interest.

Every read here goes through `Membership.objects.listed()`, the consent rule:
an organisation appears on a country page, in the API and in CSV downloads only
after its representative confirmed the listing. Nothing here ever reads a
Representative's personal data for the public.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import translation

from chapters import notifications
from chapters.audit import audit_log
from chapters.models import Chapter
from chapters.templatetags.portal import field_in_language
from config.mail import email_queue

from .models import Language, Membership, Organisation, Prospect, Representative

KIND_ORDER = {value: index for index, value in enumerate(Organisation.Kind.values)}
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def listed_members(chapter: Chapter) -> list[Membership]:
    """Listed memberships with their organisation, in one query, ordered by
    type and then by name in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
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
    """The public facts of a listed organisation in both languages: the shape
    of the API and of the CSV download."""
    kind_labels = {}
    for code in LANGUAGES:
        with translation.override(code):
            kind_labels[code] = str(organisation.get_kind_display())
    return {
        "name": {
            code: getattr(organisation, f"name_{code}") or "" for code in LANGUAGES
        },
        "acronym": organisation.acronym,
        "type": organisation.kind,
        "type_label": kind_labels,
        "city": {
            code: getattr(organisation, f"city_{code}") or "" for code in LANGUAGES
        },
        "website": organisation.website,
        "description": {
            code: getattr(organisation, f"description_{code}") or ""
            for code in LANGUAGES
        },
        "logo": f"{base_url}{organisation.logo.url}" if organisation.logo else None,
    }


@dataclass(frozen=True)
class Interest:
    """What a visitor typed into the interest form, already validated."""

    organisation_name: str
    kind: str
    contact_name: str
    email: str
    message: str
    language: str


@transaction.atomic
def interest_submit(*, chapter: Chapter, interest: Interest) -> Prospect:
    """Put the organisation on the chapter's outreach list, notify the
    chapter's organisers and acknowledge the submitter in their language.

    A new Organisation is created every time: matching an existing one by
    name would let anyone attach themselves to another organisation. The
    contact person is stored as a (private) Representative."""
    language = interest.language if interest.language in LANGUAGES else "ar"
    organisation = Organisation.objects.create(
        **{f"name_{language}": interest.organisation_name},
        kind=interest.kind,
        country=chapter.country,
    )
    Representative.objects.create(
        organisation=organisation,
        chapter=chapter,
        name=interest.contact_name,
        email=interest.email,
        language=Language(language),
        is_primary=True,
    )
    prospect = Prospect.objects.create(
        chapter=chapter,
        organisation=organisation,
        source=Prospect.Source.INTEREST_FORM,
        notes=interest.message,
    )
    audit_log(
        actor=None,
        actor_label=f"interest form: {interest.email}",
        action="prospect.interest",
        obj=prospect,
        chapter=chapter,
        after={
            "organisation": interest.organisation_name,
            "type": interest.kind,
            "language": language,
        },
    )
    context = {
        "chapter": chapter,
        "organisation_name": interest.organisation_name,
        "kind_label": Organisation.Kind(interest.kind).label,
        "contact_name": interest.contact_name,
        "email": interest.email,
        "message": interest.message,
        "submitted_language": language,
    }
    for recipient, recipient_language in organiser_recipients(chapter):
        email_queue(
            to=recipient,
            template="chapters_interest_organiser",
            context=context,
            language=recipient_language,
            reply_to=[interest.email],
        )
    notifications.interest_received(prospect=prospect)
    # The address was typed by whoever filled the form, so the
    # acknowledgement carries nothing else they typed: a stranger cannot
    # make the portal deliver their words to someone else's inbox.
    email_queue(
        to=interest.email,
        template="chapters_interest_ack",
        context={"chapter": chapter},
        language=language,
        reply_to=[chapter.contact_email] if chapter.contact_email else None,
    )
    return prospect


def organiser_recipients(chapter: Chapter) -> list[tuple[str, str]]:
    """(address, language) of the active organisers who want each notice at
    once, or the chapter's public address when it has no organiser yet
    (chapters.notifications holds the organisers' preferences)."""
    return notifications.immediate_recipients(chapter)
