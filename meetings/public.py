"""What the public pages and the open-data API read of the meetings app
(registered at chapters' extension points by meetings/registrations.py;
nothing here writes): the day of each chapter's first meeting, and the
engagements with government its organisers published.

The public rule of an engagement, the same on the country page and in the
API: its date, kind, title, public summary and institutions; the member
organisations taking part that the chapter lists publicly (the consent rule
of members); and a champion by name only while their consent to be named
stands (GovernmentContact.may_be_named); of every other contact only their
institution. Never the outcome, the next step or a contact's details."""

from datetime import date

from django.db.models import Count, Min, Prefetch
from django.utils import timezone, translation

from chapters.languages import codes, localized
from chapters.models import zone_or_utc
from members.models import Membership, Organisation

from .models import Engagement, GovernmentContact, Meeting


def first_meetings_held(*, chapter_ids: list[int] | None = None) -> dict[int, date]:
    """chapter id -> the day of its first exploratory meeting held, in the
    chapter's time zone (one query for any number of chapters). A meeting
    recorded as held, or marked held, is what dates a chapter's first
    meeting; cancelled, upcoming and follow-up meetings do not."""
    meetings = Meeting.objects.filter(
        kind=Meeting.Kind.EXPLORATORY, status=Meeting.Status.HELD
    )
    if chapter_ids is not None:
        meetings = meetings.filter(chapter_id__in=chapter_ids)
    rows = meetings.values("chapter_id", "chapter__time_zone").annotate(
        first=Min("starts_at")
    )
    return {
        row["chapter_id"]: timezone.localtime(
            row["first"], zone_or_utc(row["chapter__time_zone"])
        ).date()
        for row in rows
    }


# Engagements with government ----------------------------------------------------


def published_engagements(*, chapter) -> list[Engagement]:
    """The chapter's published engagements, newest first, each with
    `public_organisations` (listed members only), `champions` (champions who
    may be named) and `public_institutions` (the typed institutions, then
    those of the contacts, without repeats); three queries whatever their
    number."""
    listed = Organisation.objects.filter(
        pk__in=Membership.objects.listed()
        .for_chapter(chapter)
        .values("organisation_id")
    ).order_by(*localized("name"))
    engagements = list(
        Engagement.objects.for_chapter(chapter)
        .published()
        .select_related("chapter")
        .prefetch_related(
            Prefetch("organisations", queryset=listed, to_attr="public_organisations"),
            Prefetch(
                "contacts",
                queryset=GovernmentContact.objects.order_by("name", "id"),
                to_attr="all_contacts",
            ),
        )
        .order_by("-happened_on", "-id")
    )
    for engagement in engagements:
        engagement.champions = [
            c for c in engagement.all_contacts if c.is_champion and c.may_be_named
        ]
        institutions = [engagement.institutions.strip()] + [
            c.institution.strip() for c in engagement.all_contacts
        ]
        engagement.public_institutions = list(
            dict.fromkeys(i for i in institutions if i)
        )
    return engagements


def engagements_public_summary(*, chapter, language: str) -> list[dict]:
    """The published engagements as the API gives them: texts in every
    language; names in the order `language` sorts them."""
    with translation.override(language):
        engagements = published_engagements(chapter=chapter)
    kind_labels = {}
    for code in codes():
        with translation.override(code):
            kind_labels[code] = {
                value: str(label)
                for value, label in Engagement._meta.get_field("kind").choices
            }
    return [
        {
            "date": engagement.happened_on.isoformat(),
            "kind": engagement.kind,
            "kind_label": {
                code: kind_labels[code][engagement.kind] for code in codes()
            },
            "title": _in_each(engagement, "title"),
            "summary": _in_each(engagement, "summary"),
            "institutions": engagement.public_institutions,
            "organisations": [
                {"name": _in_each(organisation, "name")}
                for organisation in engagement.public_organisations
            ],
            "champions": [
                {
                    "name": contact.name,
                    "institution": contact.institution,
                    "position": contact.position,
                }
                for contact in engagement.champions
            ],
        }
        for engagement in engagements
    ]


def _in_each(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") or "" for code in codes()}


def engagement_recent_counts(*, chapter_ids, since: date) -> dict[int, int]:
    """chapter id -> its engagements dated on or after `since` (one query;
    a chapter with none is left out)."""
    rows = (
        Engagement.objects.filter(
            chapter_id__in=list(chapter_ids), happened_on__gte=since
        )
        .order_by()
        .values("chapter_id")
        .annotate(count=Count("id"))
    )
    return {row["chapter_id"]: row["count"] for row in rows}
