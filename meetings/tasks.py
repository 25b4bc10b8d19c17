"""The worker's side of meetings e-mail. Invitations, reminders and the
notices that a meeting moved or was cancelled are sent by
meetings.services.sending in three short steps (claim, send, record), so a
task that is retried, enqueued twice, or re-run after a worker was killed
in the middle of a chunk never e-mails the same person twice, except in the
one window that module describes.

This module sits above the services: it imports them, they never import
it. The tasks the services queue (invitations_deliver, minutes_email_deliver)
are registered with meetings.services.handover, where the services look
them up; MeetingsConfig.ready imports this module at start-up."""

import logging

from crontask import cron
from django.tasks import task

from chapters.tokens import PENDING_PREFIX, token_new
from config.mail import email_send_issued
from members.emails import opt_out_link
from members.models import OptOutLink

from .emails import minutes_email
from .models import Invitation, InvitationLink
from .services.handover import worker_task_register
from .services.invitations import reminders_queue
from .services.sending import deliver_chunk, sends_recover
from .services.smtp import SEND_ERRORS

logger = logging.getLogger(__name__)


@worker_task_register
@task()
def invitations_deliver(*, invitation_ids: list[int], message: str) -> dict:
    """Send the owed `message` to each invitation still owed it; one SMTP
    connection for the chunk. Each chunk first hands back the claims of
    workers that stopped (cheap: one indexed query when there are none)."""
    sends_recover(thorough=False)
    return deliver_chunk(invitation_ids=invitation_ids, message=message)


@worker_task_register
@task()
def minutes_email_deliver(*, invitation_id: int, link_id: int, opt_out_id: int) -> str:
    """Send one minutes e-mail that minutes_publish recorded in its
    transaction (the invitation's minutes_sent_at, a personal link and an
    opt-out link waiting for their tokens); this runs after it committed,
    makes the tokens (config.mail.email_send_issued) and holds no lock while
    the mail server answers. A run that finds the links issued sends
    nothing. A refused e-mail hands the invitation back (and drops the links
    it carried), so publishing again reaches it."""

    def issue() -> tuple[str, str] | None:
        link = InvitationLink.objects.select_for_update().filter(pk=link_id).first()
        opt_out = OptOutLink.objects.select_for_update().filter(pk=opt_out_id).first()
        if link is None or opt_out is None:
            return None
        if not (
            link.digest.startswith(PENDING_PREFIX)
            and opt_out.digest.startswith(PENDING_PREFIX)
        ):
            return None
        raw, link.digest = token_new()
        link.save(update_fields=["digest"])
        opt_out_raw, opt_out.digest = token_new()
        opt_out.save(update_fields=["digest"])
        return raw, opt_out_raw

    def render(tokens: tuple[str, str]):
        invitation = Invitation.objects.select_related(
            "meeting__chapter", "meeting__created_by", "created_by"
        ).get(pk=invitation_id)
        return minutes_email(
            invitation=invitation,
            raw_token=tokens[0],
            opt_out_link=opt_out_link(
                raw_token=tokens[1], language=invitation.language
            ),
        )

    def release() -> None:
        InvitationLink.objects.filter(pk=link_id).delete()
        OptOutLink.objects.filter(pk=opt_out_id).delete()
        Invitation.objects.filter(pk=invitation_id).update(minutes_sent_at=None)

    try:
        sent = email_send_issued(issue=issue, render=render, release=release)
    except SEND_ERRORS:
        logger.warning("minutes e-mail to invitation %s failed", invitation_id)
        return "failed"
    return "sent" if sent else "already sent"


# Scheduled by `manage.py crontask` (the one scheduler, docs/operations.md);
# each is safe to run as often as wanted and sends nothing twice.


@cron("* * * * *")
@task()
def invitation_sends_recover_task() -> dict:
    """recover_invitation_sends on the schedule: hands back what stopped
    workers left half done."""
    return sends_recover()


@cron("*/15 * * * *")
@task()
def meeting_reminders_task() -> int:
    """The automatic reminder to invitees who have not answered, on the day
    their meeting's organisers chose; never twice, never to anyone who
    answered or opted out (meetings.services.invitations.reminders_queue)."""
    return reminders_queue()
