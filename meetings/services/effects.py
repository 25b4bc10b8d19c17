"""What a write owes beyond its own rows, shared by several services: the
notices e-mailed to invitees who were reached (owed through
Invitation.pending_message and handed to the worker by .sending), an
invitation marked opened, and the cached country page refreshed."""

from django.utils import timezone

from chapters.cache import country_page_invalidate

from ..models import Invitation, Meeting
from ..selectors import contact_allowed
from .sending import enqueue_sends, owed_fields


def country_page_changed(meeting: Meeting) -> None:
    """Public meetings appear on the cached country page."""
    country_page_invalidate(meeting.chapter)


NOTIFIED = (
    Invitation.Status.SENT,
    Invitation.Status.OPENED,
    Invitation.Status.ACCEPTED,
    Invitation.Status.DECLINED,
)


def invitees_notify(*, meeting: Meeting, message: str) -> None:
    """Owe every reached invitee a notice that the meeting moved, changed
    place or was cancelled (called inside the service's transaction)."""
    invitations = list(
        Invitation.objects.filter(meeting=meeting, status__in=NOTIFIED).only(
            "id", "email"
        )
    )
    ids = [i.pk for i in invitations if contact_allowed(i.email)]
    Invitation.objects.filter(pk__in=ids).update(**owed_fields(message))
    enqueue_sends(ids, message)


def invitation_owe(invitation: Invitation, message: str, fields: list[str]) -> None:
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


def invitation_mark_opened(invitation: Invitation) -> None:
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
