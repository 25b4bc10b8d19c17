"""A representative's account: opened (or linked) from their personal link,
with the address already verified; linking is audited."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chapters.audit import audit_log
from chapters.models import Chapter

from ..models import Representative
from .membership_rules import MembershipError


@dataclass(frozen=True)
class AccountOpened:
    user: object
    created: bool


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
    address = (
        EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
    )
    created = False
    if address is not None:
        user = address.user
        if not address.verified:
            # Someone opened this account without proving the mailbox; the
            # link holder just proved it. Whoever chose that password may not
            # be them, so the password goes (which also ends that account's
            # sessions): the mailbox owner signs in by e-mailed code.
            user.set_unusable_password()
            user.save(update_fields=["password"])
            address.verified = True
            address.save(update_fields=["verified"])
    else:
        user_model = get_user_model()
        user = user_model(email=email, username=_free_username(email))
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        created = True
    if representative.user_id != user.pk:
        representative.user = user
        representative.save(update_fields=["user"])
        audit_log(
            actor=user,
            action="representative.account_link",
            obj=representative,
            after={"user": user.pk, "created": created},
        )
    return AccountOpened(user=user, created=created)


def _free_username(email: str) -> str:
    user_model = get_user_model()
    base = email.split("@")[0][:100] or "user"
    candidate, number = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate
