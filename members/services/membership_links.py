"""Personal links of a membership (ConfirmationLink): finding one from its
token, why one cannot be used, making the links a request e-mail carries,
sending that e-mail to the chapter's reachable contacts, and organisers
revoking outstanding links (audited)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.audit import audit_log
from chapters.models import Chapter
from chapters.permissions import can_manage_chapter
from chapters.tokens import token_digest, token_pending

from ..emails import opt_out_owed, representative_email_queue
from ..models import ConfirmationLink, Membership, Organisation, Representative
from ..selectors import opt_outs_for
from .membership_rules import MembershipError, language_supported

Purpose = ConfirmationLink.Purpose
LINK_DAYS = 30


def link_find(*, membership_id: int, raw_token: str, purpose: str):
    """The link with this token, for this membership and purpose, or None
    (a link of another organisation, or for another purpose, is no link)."""
    return (
        ConfirmationLink.objects.select_related(
            "membership__chapter", "membership__organisation", "representative"
        )
        .filter(
            digest=token_digest(raw_token),
            membership_id=membership_id,
            purpose=purpose,
        )
        .first()
    )


def link_problem(link: ConfirmationLink) -> str | None:
    """Why the link cannot be used, or None."""
    if link.revoked_at is not None:
        return "revoked"
    if link.used_at is not None:
        return "used"
    if link.expires_at is not None and link.expires_at <= timezone.now():
        return "expired"
    if (link.representative.email or "").lower() != link.email.lower():
        return "moved"
    return None


def confirmation_link_new(
    *, membership: Membership, representative: Representative, purpose, actor=None
) -> ConfirmationLink:
    """A link owed to the representative: the worker makes its token when it
    sends the e-mail that names it (members.emails)."""
    return ConfirmationLink.objects.create(
        membership=membership,
        representative=representative,
        email=representative.email.lower(),
        purpose=purpose,
        digest=token_pending(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + timedelta(days=LINK_DAYS)
        if purpose == Purpose.RESPOND
        else None,
    )


def reachable_representatives(
    organisation: Organisation, chapter: Chapter
) -> list[Representative]:
    """The chapter's own contacts of the organisation with an address that
    did not opt out: a chapter never writes to another chapter's contacts."""
    contacts = [
        representative
        for representative in Representative.objects.for_chapter(chapter).filter(
            organisation=organisation
        )
        if representative.email
    ]
    opted_out = opt_outs_for(representative.email for representative in contacts)
    return [
        representative
        for representative in contacts
        if representative.email.strip().lower() not in opted_out
    ]


def membership_request_send(
    *, membership, representative, actor, reminder: bool
) -> None:
    links = {
        "link": confirmation_link_new(
            membership=membership,
            representative=representative,
            purpose=Purpose.RESPOND,
            actor=actor,
        ),
        "withdraw_link": confirmation_link_new(
            membership=membership,
            representative=representative,
            purpose=Purpose.WITHDRAW,
            actor=actor,
        ),
    }
    representative_email_queue(
        template="members_request",
        membership=membership,
        representative=representative,
        links=links,
        opt_out=opt_out_owed(representative.email),
        language=language_supported(representative.language),
        actor=actor,
        extra={"reminder": reminder, "days": LINK_DAYS},
    )


@transaction.atomic
def membership_links_revoke(*, actor, membership: Membership) -> int:
    """Organisers stop every outstanding answer link of a membership (say, a
    mail went to the wrong person). Withdrawal links stay: withdrawing is
    always allowed."""
    if not can_manage_chapter(actor, membership.chapter):
        raise MembershipError(_("Only the chapter's organisers can ask for this."))
    count = (
        ConfirmationLink.objects.filter(membership=membership, purpose=Purpose.RESPOND)
        .outstanding()
        .update(revoked_at=timezone.now())
    )
    if count:
        audit_log(
            actor=actor,
            action="membership.links_revoke",
            obj=membership,
            chapter=membership.chapter,
            after={"revoked": count},
        )
    return count
