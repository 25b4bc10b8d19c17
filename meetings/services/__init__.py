"""Writes of the meetings app. Each runs in one transaction, locks the rows
two requests could race on, and records an audit entry beside the change.
E-mail is owed through Invitation.pending_message and sent by the worker
(meetings.tasks, meetings.services.sending) once the transaction commits."""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from uuid import uuid4

from django.core.files import File
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters import notifications
from chapters.audit import audit_log
from chapters.cache import country_page_invalidate
from chapters.tokens import token_new
from members.models import Organisation, Prospect, Representative
from members.selectors import organisation_duplicates
from members.services import organisation_add, prospect_update

from ..emails import whatsapp_text
from ..files import UploadRejected, check_upload, safe_original_name
from ..models import (
    CANCELLED_BEFORE_SENDING,
    AgendaItem,
    Attendance,
    DefaultAgendaItem,
    Invitation,
    InvitationBatch,
    InvitationLink,
    Material,
    MaterialOpening,
    Meeting,
)
from ..selectors import (
    attendances,
    contact_allowed,
    contact_blocked,
    organisation_by_name,
    reminders_due,
)
from .sending import enqueue_sends, owed_fields

# A name with an Arabic letter is stored as the organisation's Arabic name.
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


class MeetingError(Exception):
    """A rule of the meetings app was broken; the message is translated and
    safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Meetings ----------------------------------------------------------------

MEETING_FIELDS = [
    "kind",
    "title_ar",
    "title_en",
    "description_ar",
    "description_en",
    "city_ar",
    "city_en",
    "starts_at",
    "ends_at",
    "venue_address",
    "map_url",
    "online_url",
    "working_languages",
    "target_min",
    "target_max",
    "is_public",
    "reminder_days",
]


def _country_page_changed(meeting: Meeting) -> None:
    """Public meetings appear on the cached country page."""
    country_page_invalidate(meeting.chapter)


def _meeting_snapshot(meeting: Meeting) -> dict:
    return {
        "title": str(meeting.title),
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "status": meeting.status,
    }


def _meeting_recorded(
    *,
    actor,
    meeting: Meeting,
    action: str,
    before: dict | None = None,
    was_public: bool = False,
) -> None:
    """The end of every change to a meeting: the cached country page, which
    lists public meetings and dates the chapter's first meeting by its first
    exploratory meeting held, is refreshed, and the change is audited."""
    first_meeting = (
        meeting.kind == Meeting.Kind.EXPLORATORY
        and meeting.status == Meeting.Status.HELD
    )
    if was_public or meeting.is_public or first_meeting:
        _country_page_changed(meeting)
    audit_log(
        actor=actor,
        action=action,
        obj=meeting,
        chapter=meeting.chapter,
        before=before,
        after=_meeting_snapshot(meeting),
    )


def _check_times(
    *, starts_at: datetime, ends_at: datetime, now: datetime, held: bool = False
) -> None:
    """An upcoming meeting starts in the future; one that already took place
    (recorded afterwards, or corrected once held) started in the past."""
    if ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."), field="ends_at")
    if held and starts_at > now:
        raise MeetingError(
            _("A meeting that already took place cannot start in the future."),
            field="starts_at",
        )
    if not held and starts_at <= now:
        raise MeetingError(
            _(
                "The meeting cannot start in the past. If it already took place, "
                "tick “This meeting already took place”."
            ),
            field="starts_at",
        )


def _check_target(*, target_min: int, target_max: int) -> None:
    if target_min > target_max:
        raise MeetingError(
            _("The minimum number of organisations cannot exceed the maximum."),
            field="target_max",
        )


@transaction.atomic
def meeting_create(
    *, actor, chapter, data: dict, already_held: bool = False
) -> Meeting:
    """Create a draft meeting; an exploratory meeting starts with the default
    agenda (the source document's seven items). A meeting that already took
    place (`already_held`) is recorded as held at once: its start is in the
    past, nobody is invited to it, and attendance, notes, ideas, decisions
    and minutes are entered afterwards."""
    values = {key: data[key] for key in MEETING_FIELDS if key in data}
    _check_times(
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        now=timezone.now(),
        held=already_held,
    )
    _check_target(
        target_min=values.get("target_min", 10), target_max=values.get("target_max", 20)
    )
    if already_held:
        values["status"] = Meeting.Status.HELD
    meeting = Meeting.objects.create(chapter=chapter, created_by=actor, **values)
    if meeting.kind == Meeting.Kind.EXPLORATORY:
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=position,
                title_ar=item.title_ar,
                title_en=item.title_en,
                notes_ar=item.notes_ar,
                notes_en=item.notes_en,
                duration_minutes=item.duration_minutes,
            )
            for position, item in enumerate(DefaultAgendaItem.objects.all(), start=1)
        )
    _meeting_recorded(actor=actor, meeting=meeting, action="meeting.create")
    return meeting


# What invitees are told about when it changes: the time (the "moved"
# notice) and the place (the "relocated" notice), each with a calendar file
# that replaces the earlier event.
WHEN_FIELDS = ("starts_at", "ends_at")
WHERE_FIELDS = ("city_ar", "city_en", "venue_address", "map_url", "online_url")


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, data: dict, notify_invitees: bool = True
) -> Meeting:
    """Change a meeting. When the time or the place changes, calendar
    programs are told to replace the earlier event (SEQUENCE goes up), and
    if the organiser asks (`notify_invitees`), every reached invitee of an
    upcoming meeting is sent the notice with the new time and calendar
    file. Nobody is ever notified about a meeting that was held: changing it
    corrects the record. A cancelled meeting is not changed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("A meeting that was cancelled cannot be changed."))
    held = meeting.status == Meeting.Status.HELD
    before = _meeting_snapshot(meeting)
    was_public = meeting.is_public
    values = {key: data[key] for key in MEETING_FIELDS if key in data}
    moved = any(
        key in values and values[key] != getattr(meeting, key) for key in WHEN_FIELDS
    )
    relocated = any(
        key in values and (values[key] or "") != (getattr(meeting, key) or "")
        for key in WHERE_FIELDS
    )
    if moved:
        _check_times(
            starts_at=values.get("starts_at", meeting.starts_at),
            ends_at=values.get("ends_at", meeting.ends_at),
            now=timezone.now(),
            held=held,
        )
    _check_target(
        target_min=values.get("target_min", meeting.target_min),
        target_max=values.get("target_max", meeting.target_max),
    )
    for key, value in values.items():
        setattr(meeting, key, value)
    if moved or relocated:
        meeting.sequence += 1
    meeting.save()
    # One notice with the meeting as it now stands: "moved" when the time
    # changed (the place too, perhaps), "relocated" when only the place did.
    if (moved or relocated) and notify_invitees and not held:
        _notify_invitees(meeting=meeting, message="moved" if moved else "relocated")
    _meeting_recorded(
        actor=actor,
        meeting=meeting,
        action="meeting.update",
        before=before,
        was_public=was_public,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    """Cancel the meeting and tell everyone who was invited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    if meeting.status == Meeting.Status.HELD:
        raise MeetingError(_("A meeting that was held cannot be cancelled."))
    before = _meeting_snapshot(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    # Invitations not sent yet are simply not sent.
    Invitation.objects.filter(meeting=meeting, status=Invitation.Status.QUEUED).update(
        status=Invitation.Status.FAILED,
        pending_message="",
        next_attempt_at=None,
        failure_reason=CANCELLED_BEFORE_SENDING,
    )
    _notify_invitees(meeting=meeting, message="cancelled")
    _meeting_recorded(
        actor=actor, meeting=meeting, action="meeting.cancel", before=before
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, meeting: Meeting) -> Meeting:
    """Record that the meeting took place; invitees who never answered are
    marked "no reply"."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("A cancelled meeting cannot be marked as held."))
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("A meeting can be marked as held once it has started."))
    before = _meeting_snapshot(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    Invitation.objects.filter(meeting=meeting, status__in=Invitation.AWAITING).update(
        status=Invitation.Status.NO_REPLY, pending_message=""
    )
    _meeting_recorded(
        actor=actor, meeting=meeting, action="meeting.held", before=before
    )
    return meeting


# Agenda ------------------------------------------------------------------

AGENDA_FIELDS = [
    "title_ar",
    "title_en",
    "notes_ar",
    "notes_en",
    "duration_minutes",
    "presenter",
]


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, data: dict) -> AgendaItem:
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    values = {key: data[key] for key in AGENDA_FIELDS if key in data}
    item = AgendaItem.objects.create(meeting=meeting, order=last + 1, **values)
    audit_log(
        actor=actor,
        action="agenda_item.add",
        obj=item,
        chapter=meeting.chapter,
        after={"title": str(item.title), "order": item.order},
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, data: dict) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = {key: getattr(item, key) for key in AGENDA_FIELDS}
    for key in AGENDA_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    item.save()
    audit_log(
        actor=actor,
        action="agenda_item.update",
        obj=item,
        chapter=item.meeting.chapter,
        before=before,
        after={key: getattr(item, key) for key in AGENDA_FIELDS},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    audit_log(
        actor=actor,
        action="agenda_item.remove",
        obj=item,
        chapter=meeting.chapter,
        before={"title": str(item.title), "order": item.order},
    )
    item.delete()
    _renumber(meeting)


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down"); at
    either end nothing changes."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    items = list(meeting.agenda_items.order_by("order", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(items, ["order"])
    audit_log(
        actor=actor,
        action="agenda_item.move",
        obj=item,
        chapter=meeting.chapter,
        before={"position": index + 1},
        after={"position": target + 1},
    )


def _renumber(meeting: Meeting) -> None:
    items = list(meeting.agenda_items.order_by("order", "id"))
    for position, other in enumerate(items, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(items, ["order"])


# Materials ---------------------------------------------------------------


@transaction.atomic
def material_add(
    *,
    actor,
    chapter,
    title: str,
    language: str,
    meeting: Meeting | None = None,
    upload=None,
    url: str = "",
) -> Material:
    """Attach a file or a link to the chapter (reusable) or to one meeting.
    A file's type is decided by its content, never by its name or by what the
    browser claims, and it is stored under a random name."""
    if bool(upload) == bool(url):
        raise MeetingError(_("Give either a file or a link, not both."))
    material = Material(
        chapter=chapter,
        meeting=meeting,
        title=title,
        language=language,
        url=url,
        created_by=actor,
    )
    if upload:
        try:
            kind = check_upload(upload)
        except UploadRejected as error:
            raise MeetingError(str(error), field="file") from error
        material.original_name = safe_original_name(upload.name, kind.extension)
        material.content_type = kind.content_type
        material.size = upload.size
        upload.seek(0)
        material.file.save(f"{uuid4().hex}.{kind.extension}", File(upload), save=False)
    material.save()
    audit_log(
        actor=actor,
        action="material.add",
        obj=material,
        chapter=chapter,
        after={
            "title": title,
            "meeting": meeting.pk if meeting else None,
            "file": material.original_name,
            "url": url,
        },
    )
    return material


@transaction.atomic
def material_remove(*, actor, material: Material) -> None:
    audit_log(
        actor=actor,
        action="material.remove",
        obj=material,
        chapter=material.chapter,
        before={"title": material.title, "file": material.original_name},
    )
    stored = material.file.name
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def material_record_opening(*, invitation: Invitation, material: Material) -> None:
    """Count that the invitee opened the material (and so the invitation)."""
    opening, created = MaterialOpening.objects.get_or_create(
        material=material, invitation=invitation
    )
    if not created:
        MaterialOpening.objects.filter(pk=opening.pk).update(count=F("count") + 1)
    _mark_opened(invitation)


# Invitations -------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str
    organisation: Organisation | None = None
    representative: Representative | None = None
    organisation_name: str = ""


@dataclass
class BatchResult:
    batch: InvitationBatch | None
    queued: int
    already_invited: list[str]
    do_not_contact: list[str]


def _enqueue(invitation_ids: list[int], message: str) -> None:
    """Queue the worker once this transaction commits, in chunks so that one
    task reuses one SMTP connection for many messages."""
    enqueue_sends(invitation_ids, message)


def _check_can_invite(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise MeetingError(
            _("Invitations cannot be sent for a meeting that was held or cancelled.")
        )
    if meeting.starts_at <= timezone.now():
        raise MeetingError(
            _("Invitations cannot be sent once the meeting has started.")
        )


@transaction.atomic
def invitation_batch_create(
    *, actor, meeting: Meeting, recipients: list[Recipient]
) -> BatchResult:
    """Create one queued invitation per new address and hand them to the
    worker; the request itself sends nothing. Addresses already invited to
    this meeting, or on the do-not-contact list, are left out and reported."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_can_invite(meeting)
    existing = {
        email.lower()
        for email in Invitation.objects.filter(meeting=meeting).values_list(
            "email", flat=True
        )
    }
    blocked_addresses = contact_blocked([r.email for r in recipients])
    already, blocked, fresh, seen = [], [], [], set()
    for recipient in recipients:
        email = recipient.email.strip()
        key = email.lower()
        if key in existing:
            already.append(email)
        elif key in seen:
            continue
        elif key in blocked_addresses:
            blocked.append(email)
        else:
            fresh.append(recipient)
        seen.add(key)
    if not fresh:
        return BatchResult(None, 0, already, blocked)
    batch = InvitationBatch.objects.create(meeting=meeting, created_by=actor)
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            batch=batch,
            organisation=recipient.organisation,
            representative=recipient.representative,
            name=recipient.name,
            organisation_name=recipient.organisation_name
            or (str(recipient.organisation) if recipient.organisation else ""),
            email=recipient.email.strip(),
            language=recipient.language,
            status=Invitation.Status.QUEUED,
            pending_message="invitation",
            created_by=actor,
        )
        for recipient in fresh
    )
    ids = list(batch.invitations.order_by("id").values_list("id", flat=True))
    if meeting.status == Meeting.Status.DRAFT:
        meeting.status = Meeting.Status.OPEN
        meeting.save(update_fields=["status", "updated_at"])
        if meeting.is_public:
            _country_page_changed(meeting)
    audit_log(
        actor=actor,
        action="invitation.batch",
        obj=batch,
        chapter=meeting.chapter,
        after={"queued": len(ids), "skipped": len(already) + len(blocked)},
    )
    _enqueue(ids, "invitation")
    return BatchResult(batch, len(ids), already, blocked)


RESENDABLE = (
    Invitation.Status.SENT,
    Invitation.Status.OPENED,
    Invitation.Status.FAILED,
    Invitation.Status.BOUNCED,
    Invitation.Status.NO_REPLY,
)


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send the invitation again (also the retry of a failed one)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_can_invite(invitation.meeting)
    if invitation.status not in RESENDABLE:
        raise MeetingError(_("This invitation has been answered or is already queued."))
    before = {"status": invitation.status}
    invitation.status = Invitation.Status.QUEUED
    invitation.failure_reason = ""
    _owe(invitation, "invitation", ["status", "failure_reason"])
    audit_log(
        actor=actor,
        action="invitation.resend",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        before=before,
        after={"status": invitation.status},
    )
    _enqueue([invitation.pk], "invitation")
    return invitation


@transaction.atomic
def invitation_retry_failed(*, actor, meeting: Meeting) -> int:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_can_invite(meeting)
    ids = list(
        Invitation.objects.filter(
            meeting=meeting, status=Invitation.Status.FAILED
        ).values_list("id", flat=True)
    )
    Invitation.objects.filter(pk__in=ids).update(
        status=Invitation.Status.QUEUED, failure_reason="", **owed_fields("invitation")
    )
    audit_log(
        actor=actor,
        action="invitation.retry_failed",
        obj=meeting,
        chapter=meeting.chapter,
        after={"queued": len(ids)},
    )
    _enqueue(ids, "invitation")
    return len(ids)


@transaction.atomic
def invitation_requeue_stalled(*, actor, meeting: Meeting) -> int:
    """Hand the owed messages to the worker again now, also those waiting
    for their next automatic attempt. Rarely needed since the recovery
    (docs/invitations.md) does it by itself; safe at any time: the worker
    sends only what is still owed and not being sent by another worker."""
    owed = Invitation.objects.filter(meeting=meeting).exclude(pending_message="")
    owed.filter(claimed_at__isnull=True).update(next_attempt_at=None)
    ids = list(owed.values_list("id", "pending_message"))
    for message in {pending for _pk, pending in ids}:
        _enqueue([pk for pk, pending in ids if pending == message], message)
    audit_log(
        actor=actor,
        action="invitation.requeue",
        obj=meeting,
        chapter=meeting.chapter,
        after={"requeued": len(ids)},
    )
    return len(ids)


@transaction.atomic
def invitation_remind(*, actor, invitation: Invitation) -> Invitation:
    """A manual reminder to an invitee who has not answered."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_can_invite(invitation.meeting)
    if invitation.status not in Invitation.AWAITING:
        raise MeetingError(
            _(
                "Only invitees who received the invitation and have not answered get a reminder."
            )
        )
    if not contact_allowed(invitation.email):
        raise MeetingError(_("This address asked not to be contacted."))
    _owe(invitation, "reminder", [])
    audit_log(
        actor=actor,
        action="invitation.remind",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        after={"email": invitation.email},
    )
    _enqueue([invitation.pk], "reminder")
    return invitation


def invitations_to_remind(*, meeting: Meeting) -> list[Invitation]:
    """Who "remind everyone who has not answered" reaches: invitees who
    received the invitation and have not answered, and may be e-mailed (one
    query for the list, one for the do-not-contact screen)."""
    waiting = list(
        meeting.invitations.filter(status__in=Invitation.AWAITING).order_by(
            "organisation_name", "name", "pk"
        )
    )
    blocked = contact_blocked([invitation.email for invitation in waiting])
    return [i for i in waiting if i.email.strip().lower() not in blocked]


@transaction.atomic
def invitations_remind_unanswered(*, actor, meeting: Meeting) -> int:
    """One reminder to every invitee who has not answered, each in their
    own language; never to anyone who answered or opted out. Running it
    again reminds them again: it is the organiser's deliberate choice, shown
    first as a preview."""
    _check_can_invite(meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reached = invitations_to_remind(meeting=meeting)
    ids = [invitation.pk for invitation in reached]
    Invitation.objects.filter(pk__in=ids).update(**owed_fields("reminder"))
    for invitation in reached:
        audit_log(
            actor=actor,
            action="invitation.remind",
            obj=invitation,
            chapter=meeting.chapter,
            after={"email": invitation.email},
        )
    _enqueue(ids, "reminder")
    return len(ids)


@transaction.atomic
def reminders_queue(*, now: datetime | None = None) -> int:
    """The automatic reminder, run periodically (manage.py
    send_meeting_reminders): queues one reminder for each invitee whose
    meeting's reminder day has come and who has not answered. Each invitee
    is reminded at most once."""
    due = list(
        reminders_due(now=now)
        .select_related("meeting__chapter")
        .select_for_update(of=("self",))
    )
    ids = [invitation.pk for invitation in due if contact_allowed(invitation.email)]
    Invitation.objects.filter(pk__in=ids).update(**owed_fields("reminder"))
    for invitation in due:
        if invitation.pk in ids:
            audit_log(
                actor=None,
                actor_label="automatic reminder",
                action="invitation.remind",
                obj=invitation,
                chapter=invitation.meeting.chapter,
                after={"email": invitation.email},
            )
    _enqueue(ids, "reminder")
    return len(ids)


NOTIFIED = (
    Invitation.Status.SENT,
    Invitation.Status.OPENED,
    Invitation.Status.ACCEPTED,
    Invitation.Status.DECLINED,
)


def meeting_has_invitees_to_tell(meeting: Meeting) -> bool:
    """Whether a change of time would reach anyone: an upcoming meeting with
    invitations that went out."""
    return (
        meeting.status in (Meeting.Status.DRAFT, Meeting.Status.OPEN)
        and Invitation.objects.filter(meeting=meeting, status__in=NOTIFIED).exists()
    )


def _notify_invitees(*, meeting: Meeting, message: str) -> None:
    """Owe every reached invitee a notice that the meeting moved, changed
    place or was cancelled (called inside the service's transaction)."""
    invitations = list(
        Invitation.objects.filter(meeting=meeting, status__in=NOTIFIED).only(
            "id", "email"
        )
    )
    ids = [i.pk for i in invitations if contact_allowed(i.email)]
    Invitation.objects.filter(pk__in=ids).update(**owed_fields(message))
    _enqueue(ids, message)


def _owe(invitation: Invitation, message: str, fields: list[str]) -> None:
    """Save the invitation (its `fields` and) owing `message` anew."""
    invitation.pending_message = message
    invitation.send_generation += 1
    invitation.send_attempts = 0
    invitation.next_attempt_at = None
    invitation.save(
        update_fields=[
            *fields,
            "pending_message",
            "send_generation",
            "send_attempts",
            "next_attempt_at",
        ]
    )


@transaction.atomic
def invitation_revoke_links(*, actor, invitation: Invitation) -> int:
    count = InvitationLink.objects.filter(
        invitation=invitation, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    audit_log(
        actor=actor,
        action="invitation.revoke_links",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        after={"revoked": count},
    )
    return count


def invitation_link_new(*, invitation: Invitation, channel: str) -> str:
    """Make a personal link and return its raw token (never stored)."""
    raw, digest = token_new()
    InvitationLink.objects.create(invitation=invitation, digest=digest, channel=channel)
    return raw


@transaction.atomic
def invitation_whatsapp_url(*, actor, invitation: Invitation) -> str:
    """A wa.me link with the invitation message and a fresh personal link,
    in the representative's language."""
    _check_can_invite(invitation.meeting)
    raw = invitation_link_new(
        invitation=invitation, channel=InvitationLink.Channel.WHATSAPP
    )
    text = whatsapp_text(invitation=invitation, raw_token=raw)
    audit_log(
        actor=actor,
        action="invitation.whatsapp",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        after={"email": invitation.email},
    )
    return "https://wa.me/?" + urlencode({"text": text})


def _mark_opened(invitation: Invitation) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk,
        status__in=[
            Invitation.Status.SENT,
            Invitation.Status.BOUNCED,
            Invitation.Status.FAILED,
        ],
    ).update(status=Invitation.Status.OPENED, opened_at=timezone.now())
    if updated:
        invitation.status = Invitation.Status.OPENED


@transaction.atomic
def invitation_open(*, invitation: Invitation) -> None:
    """The invitee followed their personal link."""
    _mark_opened(invitation)


@transaction.atomic
def invitation_answer(
    *,
    invitation: Invitation,
    accept: bool,
    attendees: str = "",
    needs: str = "",
    note: str = "",
    name_in_minutes: bool = False,
) -> Invitation:
    """Accept or decline through the personal link; the answer can be changed
    until the meeting starts. `name_in_minutes` is the person's consent to
    be named in the minutes (otherwise only the organisation is)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__chapter")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))
    if invitation.status == Invitation.Status.WALK_IN:
        raise MeetingError(
            _("You were checked in at the meeting: there is no invitation to answer.")
        )
    if meeting.starts_at <= timezone.now():
        raise MeetingError(
            _("The meeting has started; answers can no longer be changed.")
        )
    before = {"status": invitation.status}
    invitation.status = (
        Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    )
    invitation.attendees = attendees if accept else ""
    invitation.needs = needs if accept else ""
    invitation.note = note
    invitation.name_in_minutes = bool(accept and name_in_minutes)
    invitation.answered_at = timezone.now()
    invitation.opened_at = invitation.opened_at or invitation.answered_at
    # An answered invitee no longer needs a reminder.
    if invitation.pending_message == "reminder":
        invitation.pending_message = ""
    invitation.save()
    audit_log(
        actor=None,
        actor_label=f"personal link of {invitation.email}",
        action="invitation.answer",
        obj=invitation,
        chapter=meeting.chapter,
        before=before,
        after={
            "status": invitation.status,
            "name_in_minutes": invitation.name_in_minutes,
        },
    )
    notifications.invitation_answered(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_mark_bounced(*, email: str, reason: str = "") -> int:
    """The hook for bounce reports from the mail provider (see
    docs/invitations.md): every delivered invitation to the address is
    marked bounced."""
    invitations = list(
        Invitation.objects.select_for_update()
        .select_related("meeting__chapter")
        .filter(
            email__iexact=email,
            status__in=[Invitation.Status.SENT, Invitation.Status.QUEUED],
        )
    )
    for invitation in invitations:
        invitation.status = Invitation.Status.BOUNCED
        invitation.failure_reason = reason[:500]
        invitation.pending_message = ""
        invitation.save(update_fields=["status", "failure_reason", "pending_message"])
        audit_log(
            actor=None,
            actor_label="mail provider",
            action="invitation.bounced",
            obj=invitation,
            chapter=invitation.meeting.chapter,
            after={"reason": reason[:200]},
        )
    return len(invitations)


# Attendance --------------------------------------------------------------


def _prospect_attended(*, actor, chapter, organisation) -> None:
    """Attendance moves the organisation's outreach stage to "attended"
    (never backwards from "member"), through the members app's service,
    which records the audit entry."""
    if organisation is None:
        return
    prospect = Prospect.objects.filter(
        chapter=chapter, organisation=organisation
    ).first()
    earlier = (
        Prospect.Stage.IDENTIFIED,
        Prospect.Stage.INVITED,
        Prospect.Stage.RESPONDED,
        Prospect.Stage.DECLINED,
    )
    if prospect is None or prospect.stage not in earlier:
        return
    prospect_update(
        actor=actor,
        prospect=prospect,
        stage=Prospect.Stage.ATTENDED,
        owner=prospect.owner,
        notes=prospect.notes,
    )


def _prospect_not_attended(*, actor, chapter, organisation) -> None:
    """Undoing the organisation's last check-in in the chapter takes its
    outreach stage back from "attended" to the stage its invitations show,
    so that the membership board never proposes an organisation that did
    not come. A stage past "attended" (member) is left alone."""
    if (
        organisation is None
        or attendances(chapter=chapter).filter(organisation=organisation).exists()
    ):
        return
    prospect = Prospect.objects.filter(
        chapter=chapter, organisation=organisation, stage=Prospect.Stage.ATTENDED
    ).first()
    if prospect is None:
        return
    answers = set(
        Invitation.objects.filter(meeting__chapter=chapter, organisation=organisation)
        .exclude(status=Invitation.Status.WALK_IN)
        .values_list("status", flat=True)
    )
    if Invitation.Status.ACCEPTED in answers:
        stage = Prospect.Stage.RESPONDED
    elif Invitation.Status.DECLINED in answers:
        stage = Prospect.Stage.DECLINED
    elif answers:
        stage = Prospect.Stage.INVITED
    else:
        stage = Prospect.Stage.IDENTIFIED
    prospect_update(
        actor=actor,
        prospect=prospect,
        stage=stage,
        owner=prospect.owner,
        notes=prospect.notes,
    )


@transaction.atomic
def attendance_check_in(
    *, actor, invitation: Invitation, name_in_minutes: bool | None = None
) -> Attendance:
    """Check in an invitee, whatever their answer: someone who never
    answered, or declined, and came anyway attended. The invitation keeps
    its answer. Their consent to be named in the minutes comes from their
    answer unless the organiser records it at the door."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__chapter")
        .get(pk=invitation.pk)
    )
    if name_in_minutes is None:
        name_in_minutes = invitation.name_in_minutes
    existing = Attendance.objects.filter(invitation=invitation).first()
    if existing:
        return existing
    attendance = Attendance.objects.create(
        meeting=invitation.meeting,
        invitation=invitation,
        organisation=invitation.organisation,
        name=invitation.name,
        organisation_name=invitation.organisation_name,
        name_in_minutes=name_in_minutes,
        checked_in_by=actor,
    )
    audit_log(
        actor=actor,
        action="attendance.check_in",
        obj=attendance,
        chapter=invitation.meeting.chapter,
        after={
            "name": attendance.name,
            "organisation": attendance.organisation_name,
            "name_in_minutes": attendance.name_in_minutes,
        },
    )
    _prospect_attended(
        actor=actor,
        chapter=invitation.meeting.chapter,
        organisation=invitation.organisation,
    )
    return attendance


def _walk_in_organisation(
    *,
    actor,
    chapter,
    organisation_name: str,
    name: str,
    email: str,
    kind: str,
    language: str,
) -> Organisation:
    """The organisation a walk-in named: the one on the outreach list with
    that name (members.normalise.name_key), or else a new entry on the list
    through the members app's service, with the person as its representative.
    An organisation the portal already knows (another chapter's list, an
    import) is put on this chapter's list rather than created twice."""
    organisation = organisation_by_name(chapter=chapter, name=organisation_name)
    if organisation is not None:
        return organisation
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise MeetingError(
            _("Name the walk-in's organisation."), field="organisation_name"
        )
    field = "name_ar" if ARABIC_LETTER.search(organisation_name) else "name_en"
    known = organisation_duplicates(**{field: organisation_name}).first()
    prospect = organisation_add(
        actor=actor,
        chapter=chapter,
        values={field: organisation_name, "kind": kind or Organisation.Kind.OTHER},
        representative={"name": name, "email": email, "language": language},
        merge_into=known,
    )
    return prospect.organisation


@transaction.atomic
def attendance_add_walk_in(
    *,
    actor,
    meeting: Meeting,
    name: str,
    organisation_name: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    kind: str = "",
    language: str = "ar",
    name_in_minutes: bool = False,
) -> Attendance:
    """Check in someone who came without an invitation. Their organisation
    is always one of the chapter's outreach list: the one given, the one
    named, or a new entry (see _walk_in_organisation), which then counts as
    attended like every other. A walk-in who leaves an address is recorded
    with an invitation of their own (status "walk_in", nothing sent) so that
    the minutes reach them; an address already invited to this meeting is
    that invitee, checked in."""
    email = email.strip().lower()
    if email:
        invited = (
            Invitation.objects.select_for_update()
            .filter(meeting=meeting, email__iexact=email)
            .first()
        )
        if invited is not None:
            return attendance_check_in(
                actor=actor,
                invitation=invited,
                name_in_minutes=name_in_minutes or None,
            )
    if organisation is None:
        organisation = _walk_in_organisation(
            actor=actor,
            chapter=meeting.chapter,
            organisation_name=organisation_name,
            name=name,
            email=email,
            kind=kind,
            language=language,
        )
    invitation = None
    if email:
        invitation = Invitation.objects.create(
            meeting=meeting,
            organisation=organisation,
            name=name,
            organisation_name=str(organisation),
            email=email,
            language=language,
            status=Invitation.Status.WALK_IN,
            pending_message="",
            name_in_minutes=name_in_minutes,
            created_by=actor,
        )
    attendance = Attendance.objects.create(
        meeting=meeting,
        invitation=invitation,
        organisation=organisation,
        name=name,
        name_in_minutes=name_in_minutes,
        organisation_name=str(organisation),
        checked_in_by=actor,
    )
    audit_log(
        actor=actor,
        action="attendance.walk_in",
        obj=attendance,
        chapter=meeting.chapter,
        after={
            "name": name,
            "organisation": attendance.organisation_name,
            "email_given": bool(email),
        },
    )
    _prospect_attended(actor=actor, chapter=meeting.chapter, organisation=organisation)
    return attendance


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    """Undo a check-in made by mistake. The organisation's outreach stage
    goes back when it was its only check-in (_prospect_not_attended); a
    walk-in's own record goes with it, unless the minutes already went to
    that address."""
    audit_log(
        actor=actor,
        action="attendance.remove",
        obj=attendance,
        chapter=attendance.meeting.chapter,
        before={"name": attendance.name},
    )
    walk_in = attendance.invitation
    attendance.delete()
    _prospect_not_attended(
        actor=actor,
        chapter=attendance.meeting.chapter,
        organisation=attendance.organisation,
    )
    if (
        walk_in is not None
        and walk_in.status == Invitation.Status.WALK_IN
        and walk_in.minutes_sent_at is None
    ):
        walk_in.delete()
