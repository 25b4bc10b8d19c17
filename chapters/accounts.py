"""Accounts opened from a personal link: the link, e-mailed to an address,
proves its holder reads that mailbox, so the address is verified at once.
The one rule for it, used by organisers' invitations (here) and by
representatives' links (members/services/accounts.py)."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class AccountOpened:
    user: object
    created: bool


def account_for_proven_address(email: str) -> AccountOpened:
    """The account of the address, made if there is none (no password: its
    owner signs in with a code sent to the address). An account someone
    opened for the address without proving the mailbox loses its password,
    which also ends its sessions, and its address counts as verified: the
    mailbox's owner signs in by code. Runs inside the caller's transaction."""
    email = email.strip().lower()
    address = (
        EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
    )
    if address is not None:
        user = address.user
        if not address.verified:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            address.verified = True
            address.save(update_fields=["verified"])
        return AccountOpened(user=user, created=False)
    user_model = get_user_model()
    user = user_model(email=email, username=_free_username(email))
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return AccountOpened(user=user, created=True)


def _free_username(email: str) -> str:
    user_model = get_user_model()
    base = email.split("@")[0][:100] or "user"
    candidate, number = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def address_has_account(email: str) -> bool:
    return EmailAddress.objects.filter(email__iexact=email.strip()).exists()
