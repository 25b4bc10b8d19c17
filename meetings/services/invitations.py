"""Writes of invitations: batches queued for the worker, resends, retries
and reminders (manual and automatic), personal links and WhatsApp links,
the invitee's answer, and bounces. Nothing here sends e-mail: each write
owes a message (Invitation.pending_message) and hands the ids to the
worker through .sending once the transaction commits."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters import notifications
from chapters.audit import audit_log
from chapters.tokens import token_new
from members.models import Organisation, Representative

from ..checkin_codes import link_checkin_digest
from ..emails import whatsapp_text
from ..models import Invitation, InvitationBatch, InvitationLink, Meeting
from ..selectors import contact_allowed, contact_blocked, reminders_due
from .effects import country_page_changed, invitation_mark_opened, invitation_owe
from .errors import MeetingError
from .sending import enqueue_sends, owed_fields


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
            country_page_changed(meeting)
    audit_log(
        actor=actor,
        action="invitation.batch",
        obj=batch,
        chapter=meeting.chapter,
        after={"queued": len(ids), "skipped": len(already) + len(blocked)},
    )
    enqueue_sends(ids, "invitation")
    return BatchResult(batch, len(ids), already, blocked)


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send the invitation again (also the retry of a failed one)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_can_invite(invitation.meeting)
    if not invitation.can_be_resent:
        raise MeetingError(_("This invitation has been answered or is already queued."))
    before = {"status": invitation.status}
    invitation.status = Invitation.Status.QUEUED
    invitation.failure_reason = ""
    invitation_owe(invitation, "invitation", ["status", "failure_reason"])
    audit_log(
        actor=actor,
        action="invitation.resend",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        before=before,
        after={"status": invitation.status},
    )
    enqueue_sends([invitation.pk], "invitation")
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
    enqueue_sends(ids, "invitation")
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
        enqueue_sends([pk for pk, pending in ids if pending == message], message)
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
    invitation_owe(invitation, "reminder", [])
    audit_log(
        actor=actor,
        action="invitation.remind",
        obj=invitation,
        chapter=invitation.meeting.chapter,
        after={"email": invitation.email},
    )
    enqueue_sends([invitation.pk], "reminder")
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
    enqueue_sends(ids, "reminder")
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
    enqueue_sends(ids, "reminder")
    return len(ids)


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
    InvitationLink.objects.create(
        invitation=invitation,
        digest=digest,
        checkin_digest=link_checkin_digest(raw),
        channel=channel,
    )
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


@transaction.atomic
def invitation_open(*, invitation: Invitation) -> None:
    """The invitee followed their personal link."""
    invitation_mark_opened(invitation)


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
    if invitation.is_walk_in:
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
