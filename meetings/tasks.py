"""The worker's side of invitations. Each invitation is sent in its own
transaction that locks its row, checks that the message is still owed
(Invitation.pending_message) and clears it together with the new status, so
a task that is retried, enqueued twice or re-run after a worker stopped in
the middle of a batch never e-mails the same person twice."""

import contextlib
import logging
import smtplib

from django.core import mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chapters.tokens import token_new
from members.services import opt_out_url

from .emails import MESSAGES, invitation_email, minutes_email
from .models import AgendaItem, Invitation, InvitationLink, Meeting
from .selectors import contact_allowed, meeting_materials

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError, ConnectionError)


def _failure_reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {detail.decode(errors='replace') if isinstance(detail, bytes) else detail}"
            for code, detail in error.recipients.values()
        ]
        return "; ".join(parts)[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        if isinstance(detail, bytes):
            detail = detail.decode(errors="replace")
        return f"{error.smtp_code} {detail}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


@task()
def invitations_deliver(*, invitation_ids: list[int], message: str) -> dict:
    """Send the owed `message` to each invitation; one SMTP connection for
    the whole chunk."""
    if message not in MESSAGES:
        raise ValueError(message)
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    context_cache: dict[int, tuple[list, list]] = {}
    mailer = mail.mailers.default
    try:
        for invitation_id in invitation_ids:
            outcome = _deliver_one(
                invitation_id=invitation_id,
                message=message,
                mailer=mailer,
                context_cache=context_cache,
            )
            counts[outcome] += 1
    finally:
        # A dead connection cannot be closed cleanly; nothing is lost.
        with contextlib.suppress(SEND_ERRORS):
            mailer.close()
    return counts


def _meeting_context(meeting: Meeting, cache: dict) -> tuple[list, list]:
    if meeting.pk not in cache:
        cache[meeting.pk] = (
            list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id")),
            list(meeting_materials(meeting=meeting)),
        )
    return cache[meeting.pk]


def _deliver_one(*, invitation_id: int, message: str, mailer, context_cache) -> str:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("meeting__chapter", "meeting__created_by", "created_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.pending_message != message:
            return "skipped"
        if not contact_allowed(invitation.email):
            invitation.pending_message = ""
            if invitation.status == Invitation.Status.QUEUED:
                invitation.status = Invitation.Status.FAILED
                with override(invitation.language):
                    invitation.failure_reason = _(
                        "The address asked not to be contacted."
                    )
            invitation.save(
                update_fields=["pending_message", "status", "failure_reason"]
            )
            return "skipped"
        raw, link = None, None
        if message != "cancelled":
            raw, digest = token_new()
            link = InvitationLink.objects.create(
                invitation=invitation,
                digest=digest,
                channel=InvitationLink.Channel.EMAIL,
            )
        agenda, materials = _meeting_context(invitation.meeting, context_cache)
        with override(invitation.language):
            opt_out_link = opt_out_url(invitation.email)
        email = invitation_email(
            invitation=invitation,
            message=message,
            raw_token=raw,
            agenda=agenda,
            materials=materials,
            opt_out_link=opt_out_link,
        )
        now = timezone.now()
        try:
            mailer.open()
            mailer.send_messages([email])
        except SEND_ERRORS as error:
            logger.warning("meeting e-mail to invitation %s failed", invitation_id)
            with contextlib.suppress(SEND_ERRORS):
                mailer.close()
            # The link of an unsent message must not stay usable.
            if link is not None:
                link.delete()
            invitation.failure_reason = _failure_reason(error)
            invitation.pending_message = ""
            if message == "invitation":
                invitation.status = Invitation.Status.FAILED
            invitation.save(
                update_fields=["failure_reason", "pending_message", "status"]
            )
            return "failed"
        invitation.pending_message = ""
        invitation.failure_reason = ""
        fields = ["pending_message", "failure_reason"]
        if message == "invitation":
            invitation.status = Invitation.Status.SENT
            invitation.sent_at = now
            fields += ["status", "sent_at"]
        elif message == "reminder":
            invitation.reminded_at = now
            fields.append("reminded_at")
        else:
            invitation.notified_sequence = invitation.meeting.sequence
            fields.append("notified_sequence")
        invitation.save(update_fields=fields)
        return "sent"


@task()
def minutes_deliver(*, invitation_ids: list[int]) -> dict:
    """E-mail the published minutes to each invitation, once: the row is
    locked and `minutes_sent_at` set in the transaction of the sending, so a
    retried or duplicated task skips those already sent."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    mailer = mail.mailers.default
    try:
        for invitation_id in invitation_ids:
            counts[_deliver_minutes(invitation_id=invitation_id, mailer=mailer)] += 1
    finally:
        with contextlib.suppress(SEND_ERRORS):
            mailer.close()
    return counts


def _deliver_minutes(*, invitation_id: int, mailer) -> str:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("meeting__chapter", "meeting__created_by", "created_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.minutes_sent_at is not None:
            return "skipped"
        if not contact_allowed(invitation.email):
            return "skipped"
        raw, digest = token_new()
        link = InvitationLink.objects.create(
            invitation=invitation, digest=digest, channel=InvitationLink.Channel.EMAIL
        )
        with override(invitation.language):
            opt_out_link = opt_out_url(invitation.email)
        email = minutes_email(
            invitation=invitation, raw_token=raw, opt_out_link=opt_out_link
        )
        try:
            mailer.open()
            mailer.send_messages([email])
        except SEND_ERRORS:
            logger.warning("minutes e-mail to invitation %s failed", invitation_id)
            with contextlib.suppress(SEND_ERRORS):
                mailer.close()
            link.delete()
            return "failed"
        invitation.minutes_sent_at = timezone.now()
        invitation.save(update_fields=["minutes_sent_at"])
        return "sent"
