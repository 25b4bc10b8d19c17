"""The worker's side of meetings e-mail. Invitations, reminders and the
notices that a meeting moved or was cancelled are sent by
meetings.services.sending in three short steps (claim, send, record), so a
task that is retried, enqueued twice, or re-run after a worker was killed
in the middle of a chunk never e-mails the same person twice, except in the
one window that module describes."""

import logging

from django.db import transaction
from django.tasks import task

from config.mail import deliver_email

from .models import Invitation, InvitationLink
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
