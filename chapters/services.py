"""Writes of the chapters app. Each runs in one transaction and records an
audit entry beside the change."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import account_for_proven_address
from .audit import audit_log
from .emails import organiser_invitation_queue
from .models import Chapter, Organiser, OrganiserInvitation, OrganiserPreference
from .selectors import LANGUAGES, TRANSLATED_FIELDS
from .tokens import token_digest, token_pending


@transaction.atomic
def organiser_grant(*, actor, chapter: Chapter, user) -> Organiser:
    """Give the user the organiser role; granting an active role again is a
    no-op, so a double click or a retry changes nothing."""
    Chapter.objects.select_for_update().get(pk=chapter.pk)
    role = Organiser.objects.filter(
        chapter=chapter, user=user, revoked_at__isnull=True
    ).first()
    if role:
        return role
    role = Organiser.objects.create(chapter=chapter, user=user, granted_by=actor)
    audit_log(
        actor=actor,
        action="organiser.grant",
        obj=role,
        chapter=chapter,
        after={"user": user.email},
    )
    return role


@transaction.atomic
def organiser_revoke(*, actor, role: Organiser) -> Organiser:
    role = Organiser.objects.select_for_update().get(pk=role.pk)
    if role.revoked_at is not None:
        return role
    role.revoked_at = timezone.now()
    role.revoked_by = actor
    role.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor,
        action="organiser.revoke",
        obj=role,
        chapter=role.chapter,
        before={"user": role.user.email, "active": True},
        after={"active": False},
    )
    return role


class ChapterError(Exception):
    """A domain error whose message is shown to the user as it is."""


EDITABLE_FIELDS = [
    *(f"{field}_{code}" for field in TRANSLATED_FIELDS for code in LANGUAGES),
    "contact_email",
    "status",
    "first_meeting_on",
    "launched_on",
    "time_zone",
    "languages",
]


def _snapshot(chapter: Chapter, fields) -> dict:
    return {
        field: (value.isoformat() if hasattr(value, "isoformat") else value)
        for field in fields
        for value in [getattr(chapter, field)]
    }


@transaction.atomic
def chapter_update(*, actor, chapter: Chapter, data: dict) -> Chapter:
    """Change the chapter's public content and lifecycle. Only the fields that
    changed are recorded; the public pages go stale through `updated_at`."""
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    changes = {f: v for f, v in data.items() if f in EDITABLE_FIELDS}
    changed = [f for f, v in changes.items() if getattr(chapter, f) != v]
    if not changed:
        return chapter
    status = changes.get("status", chapter.status)
    launched_on = changes.get("launched_on", chapter.launched_on)
    if status == Chapter.Status.LAUNCHED and not launched_on:
        raise ChapterError(_("A launched chapter needs its launch date."))
    before = _snapshot(chapter, changed)
    for field in changed:
        setattr(chapter, field, changes[field])
    chapter.save()
    audit_log(
        actor=actor,
        action="chapter.update",
        obj=chapter,
        chapter=chapter,
        before=before,
        after=_snapshot(chapter, changed),
    )
    return chapter


INVITATION_DAYS = 14
MAX_FIRST_ORGANISERS = 10


@transaction.atomic
def chapter_open(
    *, actor, values: dict, organiser_emails: list[str], language: str
) -> Chapter:
    """Staff open a chapter: its country, names, languages and zone; it
    appears in the directory in the state "interest", and each organiser
    named is invited by e-mail (in `language` when the chapter works in it,
    else in the chapter's first language). Opening a country that has a
    chapter is refused."""
    country = str(values.get("country") or "").upper()
    if Chapter.objects.filter(country=country).exists():
        raise ChapterError(_("This country already has a chapter."))
    fields = {
        key: value
        for key, value in values.items()
        if key in ("country", "languages", "time_zone") or key.startswith("name_")
    }
    chapter = Chapter.objects.create(**fields, status=Chapter.Status.INTEREST)
    audit_log(
        actor=actor,
        action="chapter.create",
        obj=chapter,
        chapter=chapter,
        after={
            **_snapshot(chapter, [f for f in fields if f != "country"]),
            "country": country,
            "status": chapter.status,
        },
    )
    written_in = language if language in chapter.language_codes else None
    for email in dict.fromkeys(organiser_emails):
        organiser_invite(
            actor=actor,
            chapter=chapter,
            email=email,
            language=written_in or chapter.default_language,
        )
    return chapter


@transaction.atomic
def organiser_invite(
    *, actor, chapter: Chapter, email: str, language: str
) -> OrganiserInvitation:
    """E-mail a personal link that makes its holder a co-organiser once they
    sign in with the same address. Inviting an address again cancels the
    earlier link, so only the newest one works."""
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    email = email.strip().lower()
    if chapter.organisers.filter(
        revoked_at__isnull=True, user__email__iexact=email
    ).exists():
        raise ChapterError(_("This person is already an organiser of the chapter."))
    now = timezone.now()
    chapter.organiser_invitations.pending().filter(email__iexact=email).update(
        cancelled_at=now
    )
    invitation = OrganiserInvitation.objects.create(
        chapter=chapter,
        email=email,
        language=language,
        token_digest=token_pending(),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit_log(
        actor=actor,
        action="organiser.invite",
        obj=invitation,
        chapter=chapter,
        after={"email": email},
    )
    organiser_invitation_queue(invitation=invitation, days=INVITATION_DAYS)
    return invitation


def organiser_invitation_find(raw: str) -> OrganiserInvitation | None:
    return (
        OrganiserInvitation.objects.select_related("chapter", "invited_by")
        .filter(token_digest=token_digest(raw))
        .first()
    )


def user_has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True
    ).exists()


@transaction.atomic
def organiser_invitation_accept(*, invitation: OrganiserInvitation, user) -> Organiser:
    invitation = OrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ChapterError(_("This invitation has expired or was already used."))
    if not user_has_verified_email(user, invitation.email):
        raise ChapterError(
            _(
                "This invitation was sent to another e-mail address. Sign in with that address to accept it."
            )
        )
    role = organiser_grant(
        actor=invitation.invited_by or user, chapter=invitation.chapter, user=user
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # The language they were invited in is the first guess for their e-mails.
    OrganiserPreference.objects.get_or_create(
        user=user, defaults={"language": invitation.language}
    )
    audit_log(
        actor=user,
        action="organiser.invitation_accept",
        obj=invitation,
        chapter=invitation.chapter,
        after={"email": invitation.email},
    )
    return role


@transaction.atomic
def organiser_invitation_accept_opening_account(
    *, invitation: OrganiserInvitation
) -> tuple[Organiser | None, object, bool]:
    """From the invitation's link, with no one signed in: the invited
    address gets its account (the link proves the mailbox) and, when the
    account is new, the role at once; (role, user, created). An address
    that already has an account gets no role here: its owner signs in,
    then accepts."""
    invitation = OrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ChapterError(_("This invitation has expired or was already used."))
    opened = account_for_proven_address(invitation.email)
    if not opened.created:
        return None, opened.user, False
    role = organiser_invitation_accept(invitation=invitation, user=opened.user)
    return role, opened.user, True


@transaction.atomic
def organiser_preference_save(
    *, actor, delivery: str, language: str
) -> OrganiserPreference:
    """The organiser's own choice of notifications and e-mail language."""
    preference, _created = (
        OrganiserPreference.objects.select_for_update().get_or_create(user=actor)
    )
    before = {"delivery": preference.delivery, "language": preference.language}
    after = {"delivery": delivery, "language": language}
    if before == after and not _created:
        return preference
    preference.delivery = delivery
    preference.language = language
    preference.save()
    audit_log(
        actor=actor,
        action="organiser.preferences",
        obj=preference,
        before=before,
        after=after,
    )
    return preference
