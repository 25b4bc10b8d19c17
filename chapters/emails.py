"""The co-organiser invitation e-mail. Its personal link is made by the
worker just before it sends (config.mail.email_send_issued): the invitation
row waits with a placeholder digest, and the task carries only its id, so
the task table never holds a working link and a task run again sends
nothing."""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from config.mail import email_message, email_render, email_send_issued

from .models import OrganiserInvitation
from .tokens import PENDING_PREFIX, token_new, token_pending


def organiser_invitation_queue(*, invitation: OrganiserInvitation, days: int) -> None:
    pk = invitation.pk
    transaction.on_commit(
        lambda: organiser_invitation_deliver.enqueue(invitation_id=pk, days=days)
    )


@task()
def organiser_invitation_deliver(*, invitation_id: int, days: int) -> bool:
    """Issue the invitation's link and send it; False when an earlier run
    did, or the invitation was cancelled (a newer one replaced it) first."""

    def issue() -> tuple[OrganiserInvitation, str] | None:
        invitation = (
            OrganiserInvitation.objects.select_for_update(of=("self",))
            .select_related("chapter", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.token_digest.startswith(PENDING_PREFIX):
            return None
        if invitation.cancelled_at is not None:
            return None
        raw, invitation.token_digest = token_new()
        invitation.save(update_fields=["token_digest"])
        return invitation, raw

    def render(issued: tuple[OrganiserInvitation, str]):
        invitation, raw = issued
        language = invitation.language
        with translation.override(language):
            path = reverse("chapters:invitation", kwargs={"token": raw})
        inviter = getattr(invitation.invited_by, "email", "")
        subject, text, html = email_render(
            template="chapters_organiser_invitation",
            context={
                "chapter": invitation.chapter,
                "inviter": inviter,
                "link": f"{settings.SITE_URL}{path}",
                "days": days,
                "email": invitation.email,
            },
            language=language,
        )
        return email_message(
            to=[invitation.email],
            subject=subject,
            text=text,
            html=html,
            language=language,
            reply_to=[inviter] if inviter else None,
            country=invitation.chapter.iso2,
        )

    def release() -> None:
        OrganiserInvitation.objects.filter(pk=invitation_id).update(
            token_digest=token_pending()
        )

    return email_send_issued(issue=issue, render=render, release=release)
