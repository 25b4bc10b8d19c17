"""The membership state machine's shared pieces: the table of which action
moves which state where and who takes it, the domain errors, and the event
record (MembershipEvent plus audit entry) every step leaves. The steps
themselves are in membership, membership_links and membership_reminders."""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chapters import languages
from chapters.audit import audit_log
from chapters.languages import field_in_language

from ..models import (
    ConfirmationLink,
    ConsentStatement,
    Membership,
    MembershipEvent,
    Representative,
)

State = Membership.State
Action = MembershipEvent.Action
ORGANISER = "organiser"
REPRESENTATIVE = "representative"

# (state, action) -> new state. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.CANDIDATE, Action.REQUEST): State.REQUESTED,
    (State.DECLINED, Action.REQUEST): State.REQUESTED,
    (State.WITHDRAWN, Action.REQUEST): State.REQUESTED,
    (State.REQUESTED, Action.CONSULT): State.CONSULTING,
    (State.CONSULTING, Action.CONSULT): State.CONSULTING,
    (State.REQUESTED, Action.CONFIRM): State.CONFIRMED,
    (State.CONSULTING, Action.CONFIRM): State.CONFIRMED,
    (State.REQUESTED, Action.DECLINE): State.DECLINED,
    (State.CONSULTING, Action.DECLINE): State.DECLINED,
    (State.CONFIRMED, Action.WITHDRAW): State.WITHDRAWN,
}

# Who takes each action.
ACTORS = {
    Action.REQUEST: ORGANISER,
    Action.CONSULT: REPRESENTATIVE,
    Action.CONFIRM: REPRESENTATIVE,
    Action.DECLINE: REPRESENTATIVE,
    Action.WITHDRAW: REPRESENTATIVE,
}

# States in which a request is being answered.
OPEN_STATES = (State.REQUESTED, State.CONSULTING)
REMIND_DAYS_DEFAULT = 7
REMIND_DAYS_MAX = 60


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


class MembershipError(Exception):
    """A domain error whose message is shown to the person as it is."""


class LinkUnusable(MembershipError):
    """The personal link is expired, revoked, used, or its address changed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(LINK_MESSAGES[reason])


class MembershipRefused(MembershipError):
    """The answer does not fit the membership's state (someone answered
    first, or a new request is needed). It was recorded; nothing changed."""

    def __init__(self, message, event: MembershipEvent):
        self.event = event
        super().__init__(message)


LINK_MESSAGES = {
    "expired": _(
        "This link has expired. Write to the chapter's organisers and ask them "
        "to send a new confirmation request."
    ),
    "revoked": _(
        "This link was replaced by a newer one. Use the link in the most recent "
        "e-mail from the chapter's organisers."
    ),
    "used": _("This link was already used; each link works only once."),
    "moved": _(
        "This link was sent to an address that is no longer on record for the "
        "organisation. Ask the chapter's organisers for a new link."
    ),
}


def ip_hash(address: str) -> str:
    """A keyed hash of the client's address: enough to tell two answers from
    the same place apart, not enough to recover the address."""
    if not address:
        return ""
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256
    ).hexdigest()[:32]


def membership_event_record(
    *,
    membership: Membership,
    action: str,
    from_state: str,
    to_state: str,
    via: str,
    actor=None,
    representative: Representative | None = None,
    link: ConfirmationLink | None = None,
    applied: bool = True,
    note: str = "",
    ip: str = "",
    role: str = "",
    consent: ConsentStatement | None = None,
    language: str = "",
) -> MembershipEvent:
    # The statement as the representative read it: in their language, or in
    # another where the version has no text in theirs; the record names the
    # language of the text it keeps.
    consent_text, consent_language = (
        field_in_language(consent, "text", language) if consent else ("", "")
    )
    event = MembershipEvent.objects.create(
        membership=membership,
        action=action,
        from_state=from_state,
        to_state=to_state,
        applied=applied,
        note=note[:255],
        via=via,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        representative=representative,
        representative_name=representative.name if representative else "",
        representative_email=representative.email if representative else "",
        link=link,
        ip_hash=ip_hash(ip),
        role=role,
        consent=consent,
        consent_version=consent.version if consent else "",
        consent_language=consent_language,
        consent_text=consent_text,
    )
    if applied:
        label = ""
        if representative and not getattr(actor, "is_authenticated", False):
            label = f"personal link of {representative.email}"
        audit_log(
            actor=actor,
            actor_label=label,
            action=f"membership.{action}",
            obj=membership,
            chapter=membership.chapter,
            before={"state": from_state},
            after={"state": to_state, "event": event.pk},
        )
    return event


def membership_lock(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("chapter", "organisation")
        .get(pk=membership.pk)
    )


def language_supported(code: str) -> str:
    return code if code in languages.codes() else languages.default()
