"""Writes of a chapter's engagements with government and of the government
contacts it works with: created, changed, deleted; an engagement turned
from a meeting's idea or decision (once: turning the same one again gives
the engagement already made), published on the country page or taken off
it; a champion's consent to be named recorded or withdrawn. Each write is
audited, and one that changes what the country page or the API shows
makes the chapter's cached public pages stale (chapters.cache)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.cache import country_page_invalidate
from chapters.languages import is_filled, localized

from ..models import (
    Decision,
    Engagement,
    EngagementKind,
    GovernmentContact,
    Idea,
    IdeaTopic,
)
from ..selectors import engagement_organisations
from .errors import MeetingError
from .texts import check_length, clean_text

TITLE_MAX_CHARS = 200
SUMMARY_MAX_CHARS = 2_000
TEXT_MAX_CHARS = 4_000

# The kind of engagement an idea of each topic of "Pathways to encourage
# the government" and "Localising the SDGs" leads to.
KIND_OF_TOPIC = {
    IdeaTopic.PARLIAMENTARY_VISITS: EngagementKind.PARLIAMENTARY_VISIT,
    IdeaTopic.EXCHANGES: EngagementKind.EXCHANGE,
    IdeaTopic.CHAMPIONS: EngagementKind.CHAMPION_MEETING,
    IdeaTopic.CONSULTATION: EngagementKind.SDG_CONSULTATION,
    IdeaTopic.UNDP: EngagementKind.SDG_CONSULTATION,
}
# Engagements -------------------------------------------------------------------


def _engagement_values(
    *, chapter, data: dict, engagement: Engagement | None = None
) -> tuple[dict, list, list]:
    """The engagement's columns from `data` (title and summary in each
    language, a language left out emptied), then its organisations and
    contacts, each checked to be the chapter's own."""
    titles = {column: clean_text(data.get(column)) for column in localized("title")}
    if not is_filled(titles, "title"):
        raise MeetingError(
            _("Write the title in at least one language."),
            field=localized("title")[0],
        )
    for column, text in titles.items():
        check_length(text, TITLE_MAX_CHARS, column)
    summaries = {
        column: clean_text(data.get(column)) for column in localized("summary")
    }
    for column, text in summaries.items():
        check_length(text, SUMMARY_MAX_CHARS, column)
    texts = {}
    for field in ("institutions", "outcome", "next_step"):
        texts[field] = clean_text(data.get(field))
        check_length(texts[field], TEXT_MAX_CHARS, field)
    kind = data.get("kind") or ""
    if kind not in EngagementKind.values:
        raise MeetingError(_("Choose the kind of engagement."), field="kind")
    happened_on: date | None = data.get("happened_on")
    if happened_on is None:
        raise MeetingError(_("Give the date of the engagement."), field="happened_on")
    organisations = list(data.get("organisations") or [])
    allowed = set(
        engagement_organisations(chapter=chapter, engagement=engagement).values_list(
            "pk", flat=True
        )
    )
    if any(organisation.pk not in allowed for organisation in organisations):
        raise MeetingError(
            _("Choose only organisations of the chapter."), field="organisations"
        )
    contacts = list(data.get("contacts") or [])
    if any(contact.chapter_id != chapter.pk for contact in contacts):
        raise MeetingError(
            _("Choose only the chapter's government contacts."), field="contacts"
        )
    values = {
        **titles,
        **summaries,
        **texts,
        "kind": kind,
        "happened_on": happened_on,
        "is_public": bool(data.get("is_public")),
    }
    return values, organisations, contacts


def engagement_snapshot(engagement: Engagement) -> dict:
    return {
        **{
            column: getattr(engagement, column) or ""
            for column in localized("title", "summary")
        },
        "kind": engagement.kind,
        "happened_on": engagement.happened_on.isoformat(),
        "institutions": engagement.institutions,
        "outcome": engagement.outcome,
        "next_step": engagement.next_step,
        "is_public": engagement.is_public,
        # By name, as the trail shows them (ids would read as numbers).
        "organisations": sorted(str(o) for o in engagement.organisations.all()),
        "contacts": sorted(c.name for c in engagement.contacts.all()),
        "idea": engagement.idea_id,
        "decision": engagement.decision_id,
    }


@transaction.atomic
def engagement_create(
    *,
    actor,
    chapter,
    data: dict,
    idea: Idea | None = None,
    decision: Decision | None = None,
) -> Engagement:
    values, organisations, contacts = _engagement_values(chapter=chapter, data=data)
    engagement = Engagement.objects.create(
        chapter=chapter, idea=idea, decision=decision, created_by=actor, **values
    )
    engagement.organisations.set(organisations)
    engagement.contacts.set(contacts)
    audit_log(
        actor=actor,
        action="engagement.create",
        obj=engagement,
        chapter=chapter,
        after=engagement_snapshot(engagement),
    )
    if engagement.is_public:
        country_page_invalidate(chapter)
    return engagement


@transaction.atomic
def engagement_update(*, actor, engagement: Engagement, data: dict) -> Engagement:
    engagement = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=engagement.pk)
    )
    before = engagement_snapshot(engagement)
    values, organisations, contacts = _engagement_values(
        chapter=engagement.chapter, data=data, engagement=engagement
    )
    for key, value in values.items():
        setattr(engagement, key, value)
    engagement.save()
    engagement.organisations.set(organisations)
    engagement.contacts.set(contacts)
    after = engagement_snapshot(engagement)
    if after == before:
        return engagement
    audit_log(
        actor=actor,
        action="engagement.update",
        obj=engagement,
        chapter=engagement.chapter,
        before=before,
        after=after,
    )
    if before["is_public"] or after["is_public"]:
        country_page_invalidate(engagement.chapter)
    return engagement


@transaction.atomic
def engagement_publish(
    *, actor, engagement: Engagement, is_public: bool = True
) -> Engagement:
    """Show the engagement's summary on the country page (or take it off)."""
    engagement = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=engagement.pk)
    )
    if engagement.is_public == is_public:
        return engagement
    engagement.is_public = is_public
    engagement.save(update_fields=["is_public", "updated_at"])
    audit_log(
        actor=actor,
        action="engagement.publish" if is_public else "engagement.unpublish",
        obj=engagement,
        chapter=engagement.chapter,
        before={"is_public": not is_public},
        after={"is_public": is_public},
    )
    country_page_invalidate(engagement.chapter)
    return engagement


@transaction.atomic
def engagement_delete(*, actor, engagement: Engagement) -> None:
    engagement = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=engagement.pk)
    )
    before = engagement_snapshot(engagement)
    chapter = engagement.chapter
    audit_log(
        actor=actor,
        action="engagement.delete",
        obj=engagement,
        chapter=chapter,
        before=before,
    )
    engagement.delete()
    if before["is_public"]:
        country_page_invalidate(chapter)


def engagement_initial_from_idea(idea: Idea) -> dict:
    """What the form starts with for an idea: its text as the title in the
    language it was written in, the kind its topic leads to, the
    organisation that proposed it, and the meeting's day."""
    initial = {
        f"title_{idea.language}": clean_text(idea.text)[:TITLE_MAX_CHARS],
        "kind": KIND_OF_TOPIC.get(idea.topic, EngagementKind.OTHER),
        "happened_on": timezone.localdate(),
    }
    if idea.organisation_id:
        initial["organisations"] = [idea.organisation_id]
    return initial


def engagement_initial_from_decision(decision: Decision) -> dict:
    """A decision's text in each of its languages as the title, the kind of
    the idea it came from, its owner organisation and its due date."""
    initial = {
        column.replace("text_", "title_", 1): clean_text(
            getattr(decision, column) or ""
        )[:TITLE_MAX_CHARS]
        for column in localized("text")
    }
    topic = decision.idea.topic if decision.idea_id else None
    initial["kind"] = KIND_OF_TOPIC.get(topic, EngagementKind.OTHER)
    initial["happened_on"] = decision.due_date or timezone.localdate()
    if decision.owner_id:
        initial["organisations"] = [decision.owner_id]
    return initial


@transaction.atomic
def engagement_from_idea(*, actor, idea: Idea, data: dict) -> tuple[Engagement, bool]:
    """The engagement an idea led to: made from `data` the first time, the
    one already made every time after (two organisers turning the same idea
    at once make one). Returns (engagement, created)."""
    idea = (
        Idea.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=idea.pk)
    )
    if not idea.can_become_engagement:
        raise MeetingError(
            _("Only ideas about the government or the SDGs become engagements.")
        )
    existing = idea.engagements.order_by("id").first()
    if existing is not None:
        return existing, False
    engagement = engagement_create(
        actor=actor, chapter=idea.meeting.chapter, data=data, idea=idea
    )
    return engagement, True


@transaction.atomic
def engagement_from_decision(
    *, actor, decision: Decision, data: dict
) -> tuple[Engagement, bool]:
    """As engagement_from_idea, for a decision or next step; the idea the
    decision came from is linked too."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    existing = decision.engagements.order_by("id").first()
    if existing is not None:
        return existing, False
    engagement = engagement_create(
        actor=actor,
        chapter=decision.meeting.chapter,
        data=data,
        decision=decision,
        idea=decision.idea,
    )
    return engagement, True


# Government contacts and champions' consent -----------------------------------

CONTACT_FIELDS = ("name", "institution", "position", "email", "phone", "is_champion")


def _contact_snapshot(contact: GovernmentContact) -> dict:
    # The e-mail and phone stay out of the audit trail, which every
    # organiser of the chapter reads for years: only whether there is one.
    return {
        "name": contact.name,
        "institution": contact.institution,
        "position": contact.position,
        "email": bool(contact.email),
        "phone": bool(contact.phone),
        "is_champion": contact.is_champion,
        "consent_recorded_at": _moment(contact.consent_recorded_at),
        "consent_withdrawn_at": _moment(contact.consent_withdrawn_at),
    }


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def _contact_values(data: dict) -> dict:
    values = {}
    for field in CONTACT_FIELDS:
        value = data.get(field)
        values[field] = bool(value) if field == "is_champion" else clean_text(value)
    if not values["name"]:
        raise MeetingError(_("Give the contact's name."), field="name")
    if not values["institution"]:
        raise MeetingError(_("Give the contact's institution."), field="institution")
    return values


def _named_publicly(contact: GovernmentContact) -> bool:
    """Whether the contact's name is on a public page now: a consenting
    contact of a published engagement."""
    return (
        contact.pk is not None
        and contact.may_be_named
        and contact.engagements.filter(is_public=True).exists()
    )


@transaction.atomic
def contact_create(*, actor, chapter, data: dict) -> GovernmentContact:
    contact = GovernmentContact.objects.create(chapter=chapter, **_contact_values(data))
    audit_log(
        actor=actor,
        action="government_contact.create",
        obj=contact,
        chapter=chapter,
        after=_contact_snapshot(contact),
    )
    return _consent_from_form(actor=actor, contact=contact, data=data)


@transaction.atomic
def contact_update(
    *, actor, contact: GovernmentContact, data: dict
) -> GovernmentContact:
    """The contact's details; with `record_consent` and `consent_note`, or
    `withdraw_consent`, their consent to be named too."""
    contact = (
        GovernmentContact.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=contact.pk)
    )
    before = _contact_snapshot(contact)
    was_public = _named_publicly(contact)
    for key, value in _contact_values(data).items():
        setattr(contact, key, value)
    contact.save()
    after = _contact_snapshot(contact)
    if after != before:
        audit_log(
            actor=actor,
            action="government_contact.update",
            obj=contact,
            chapter=contact.chapter,
            before=before,
            after=after,
        )
    if was_public or _named_publicly(contact):
        country_page_invalidate(contact.chapter)
    return _consent_from_form(actor=actor, contact=contact, data=data)


def _consent_from_form(*, actor, contact: GovernmentContact, data: dict):
    """The contact form's consent fields: recorded (with how) or withdrawn,
    in the same transaction as the contact's details."""
    if data.get("record_consent"):
        return champion_consent_record(
            actor=actor, contact=contact, note=data.get("consent_note") or ""
        )
    if data.get("withdraw_consent"):
        return champion_consent_withdraw(actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: GovernmentContact) -> None:
    contact = (
        GovernmentContact.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=contact.pk)
    )
    chapter = contact.chapter
    shown = contact.engagements.filter(is_public=True).exists()
    audit_log(
        actor=actor,
        action="government_contact.delete",
        obj=contact,
        chapter=chapter,
        before=_contact_snapshot(contact),
    )
    contact.delete()
    if shown:
        country_page_invalidate(chapter)


@transaction.atomic
def champion_consent_record(
    *, actor, contact: GovernmentContact, note: str
) -> GovernmentContact:
    """Record that the contact agreed to be named on the chapter's public
    pages: when, by which organiser, and how (`note`, e.g. "by e-mail on
    3 May"). Recording again after a withdrawal starts a new consent."""
    contact = (
        GovernmentContact.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=contact.pk)
    )
    note = clean_text(note)
    if not note:
        raise MeetingError(
            _("Say how the consent was given (in a meeting, by e-mail...)."),
            field="consent_note",
        )
    check_length(note, 300, "consent_note")
    before = _contact_snapshot(contact)
    contact.consent_recorded_at = timezone.now()
    contact.consent_recorded_by = actor
    contact.consent_note = note
    contact.consent_withdrawn_at = None
    contact.save()
    audit_log(
        actor=actor,
        action="government_contact.consent_record",
        obj=contact,
        chapter=contact.chapter,
        before=before,
        after={**_contact_snapshot(contact), "consent_note": note},
    )
    country_page_invalidate(contact.chapter)
    return contact


@transaction.atomic
def champion_consent_withdraw(
    *, actor, contact: GovernmentContact
) -> GovernmentContact:
    """The contact no longer wants to be named: the name leaves every public
    page at once (only the institution stays). Withdrawing twice changes
    nothing."""
    contact = (
        GovernmentContact.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=contact.pk)
    )
    if not contact.may_be_named:
        return contact
    before = _contact_snapshot(contact)
    contact.consent_withdrawn_at = timezone.now()
    contact.save()
    audit_log(
        actor=actor,
        action="government_contact.consent_withdraw",
        obj=contact,
        chapter=contact.chapter,
        before=before,
        after=_contact_snapshot(contact),
    )
    country_page_invalidate(contact.chapter)
    return contact
