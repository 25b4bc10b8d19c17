"""The do-not-contact list and personal opt-out links: whether an address may
be e-mailed, recording that it may not (audited), and the opt-out links
every e-mail to an organisation's people carries."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from chapters.audit import audit_log
from chapters.models import Chapter
from chapters.tokens import token_digest, token_new

from ..models import DoNotContact, OptOutLink


def contact_allowed(email: str) -> bool:
    """False when the address asked not to be e-mailed, by any chapter.
    Every e-mail to an organisation's people asks this first."""
    email = str(email or "").strip().lower()
    if not email:
        return False
    # iexact: rows written before addresses were lower-cased still count.
    return not DoNotContact.objects.filter(email__iexact=email).exists()


@transaction.atomic
def do_not_contact_add(
    *,
    email: str,
    source: str,
    reason: str = "",
    actor=None,
    chapter: Chapter | None = None,
    actor_label: str = "",
) -> DoNotContact:
    """Record that the address must not be e-mailed again. Asking twice
    keeps the first record (its date and reason are what organisers see)."""
    email = str(email).strip().lower()
    entry, created = DoNotContact.objects.get_or_create(
        email=email,
        defaults={
            "source": source,
            "reason": reason[:255],
            "chapter": chapter,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if created:
        audit_log(
            actor=actor,
            action="do_not_contact.add",
            obj=entry,
            chapter=chapter,
            after={"source": source, "reason": entry.reason},
            actor_label=actor_label,
        )
    return entry


def opt_out_url(email: str) -> str:
    """An absolute personal opt-out link for one address, to put in every
    e-mail (and its List-Unsubscribe header). The page opens in the language
    active when the e-mail is rendered."""
    raw, digest = token_new()
    OptOutLink.objects.create(email=str(email).strip().lower(), digest=digest)
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        path = reverse("members:opt_out", kwargs={"token": raw})
    return f"{settings.SITE_URL}{path}"


def opt_out_urls(emails: list[str]) -> list[str]:
    """opt_out_url() for many addresses with one insert (a batch of
    invitations), in the same order."""
    tokens = [token_new() for _email in emails]
    OptOutLink.objects.bulk_create(
        OptOutLink(email=str(email).strip().lower(), digest=digest)
        for email, (_raw, digest) in zip(emails, tokens, strict=True)
    )
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        # One reverse() for all: the token is the only part that differs.
        url = settings.SITE_URL + reverse("members:opt_out", kwargs={"token": "~"})  # nosec B105 - a placeholder, not a secret
    return [url.replace("~", raw) for raw, _digest in tokens]


def opt_out_link_find(raw_token: str) -> OptOutLink | None:
    return OptOutLink.objects.filter(digest=token_digest(raw_token)).first()


@transaction.atomic
def opt_out_by_link(*, link: OptOutLink, reason: str = "") -> DoNotContact:
    link = OptOutLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is None:
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return do_not_contact_add(
        email=link.email,
        source=DoNotContact.Source.UNSUBSCRIBE_LINK,
        reason=reason,
        actor_label=f"opt-out link of {link.email}",
    )
