"""The worker's side of meetings e-mail. Invitations, reminders and the
notices that a meeting moved or was cancelled are sent by
meetings.services.sending in three short steps (claim, send, record), so a
task that is retried, enqueued twice, or re-run after a worker was killed
in the middle of a chunk never e-mails the same person twice, except in the
one window that module describes."""

import contextlib
import logging

from django.core import mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import override

from chapters.tokens import token_new
from config.mail import deliver_email
from members.services import opt_out_url

from .emails import minutes_email
from .models import Invitation, InvitationLink
from .selectors import contact_allowed
from .services.sending import SEND_ERRORS, deliver_chunk, sends_recover

logger = logging.getLogger(__name__)


@task()
def invitations_deliver(*, invitation_ids: list[int], message: str) -> dict:
    """Send the owed `message` to each invitation still owed it; one SMTP
    connection for the chunk. Each chunk first hands back the claims of
    workers that stopped (cheap: one indexed query when there are none)."""
    sends_recover(thorough=False)
    return deliver_chunk(invitation_ids=invitation_ids, message=message)


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


@task()
def minutes_email_deliver(*, invitation_id: int, link_id: int, email: dict) -> str:
    """Send one minutes e-mail that minutes_publish rendered and recorded in
    its transaction; this runs after it committed and holds no lock while
    the mail server answers. A refused e-mail hands the invitation back
    (and drops the link it carried), so publishing again reaches it."""
    try:
        deliver_email.call(**email)
    except SEND_ERRORS:
        logger.warning("minutes e-mail to invitation %s failed", invitation_id)
        with transaction.atomic():
            InvitationLink.objects.filter(pk=link_id).delete()
            Invitation.objects.filter(pk=invitation_id).update(minutes_sent_at=None)
        return "failed"
    return "sent"
