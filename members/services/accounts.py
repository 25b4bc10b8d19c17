"""A representative's account: opened (or linked) from their personal link,
with the address already verified; linking is audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chapters.accounts import AccountOpened, account_for_proven_address
from chapters.audit import audit_log
from chapters.models import Chapter

from ..models import Representative
from .membership_rules import MembershipError


@transaction.atomic
def representative_account_open(
    *, representative: Representative, chapter: Chapter | None = None
) -> AccountOpened:
    """Give the representative an account for their address, already
    verified (the personal link proved they read that mailbox), and link it
    to the representative. An existing account is linked, never signed in:
    its owner signs in as usual.

    Exactly this one row is linked, never the other rows with the same
    address: each is a role in the chapter that wrote it, earned only through
    that chapter's own link. `chapter` is the chapter whose link is used; a
    row written by another chapter is refused."""
    representative = Representative.objects.select_for_update().get(
        pk=representative.pk
    )
    if chapter is not None and representative.chapter_id != chapter.pk:
        raise MembershipError(
            _("This link cannot open an account for another chapter's contact.")
        )
    email = representative.email.strip().lower()
    if not email:
        raise MembershipError(_("This representative has no e-mail address."))
    opened = account_for_proven_address(email)
    user, created = opened.user, opened.created
    if representative.user_id != user.pk:
        representative.user = user
        representative.save(update_fields=["user"])
        audit_log(
            actor=user,
            action="representative.account_link",
            obj=representative,
            after={"user": user.pk, "created": created},
        )
    return opened
