"""Membership: the state machine that puts an organisation on a country page.

This module is the one place where a Membership changes state. The table
below says which action may move which state where, and who may take it:

    candidate  --request-->  requested            (organiser)
    declined   --request-->  requested            (organiser: a new request)
    withdrawn  --request-->  requested            (organiser: a new request)
    requested  --consult-->  consulting           (representative, personal link)
    consulting --consult-->  consulting           (another representative)
    requested  --confirm-->  confirmed            (representative, personal link)
    consulting --confirm-->  confirmed            (representative, personal link)
    requested  --decline-->  declined             (representative, personal link)
    consulting --decline-->  declined             (representative, personal link)
    confirmed  --withdraw--> withdrawn            (representative: link or account)

Every step, applied or refused, is a MembershipEvent. Confirming records the
consent statement's version, language and text. No function here lets an
organiser answer for an organisation: the representative actions take a
personal link (or, to withdraw, the representative's own account), and an
organiser of the chapter holding someone else's link is refused. Consent
cannot be produced by the chapter's own people: a confirmation is refused
when the person confirming organises the chapter (signed in, or the link went
to an organiser's address). A representative acts in one chapter only through
a role earned there: that chapter's link, or an account that chapter's link
linked to a representative row of that chapter.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from chapters import notifications
from chapters.audit import audit_log
from chapters.cache import country_page_invalidate
from chapters.models import Chapter
from chapters.permissions import can_manage_chapter, organises_chapter_address
from chapters.templatetags.portal import field_in_language
from chapters.tokens import token_digest, token_pending
from config.mail import email_queue

from .emails import opt_out_owed, representative_email_queue
from .initial_tasks import task_volunteer
from .models import (
    ConfirmationLink,
    ConsentStatement,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from .public import organiser_recipients
from .selectors import opt_outs_for
from .services import ProfileChangeRefused, contact_allowed, organisation_update

State = Membership.State
Action = MembershipEvent.Action
Via = MembershipEvent.Via
Purpose = ConfirmationLink.Purpose

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

LINK_DAYS = 30
REMIND_DAYS_DEFAULT = 7
REMIND_DAYS_MAX = 60


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


# Errors ---------------------------------------------------------------------


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


def _refusal_message(state: str, action: str):
    if state == State.CONFIRMED and action in (Action.CONFIRM, Action.CONSULT):
        return _("Your organisation is already listed: someone answered first.")
    if state == State.CONFIRMED:
        return _(
            "Your organisation was already confirmed by another representative. "
            "If it should not be listed, withdraw the membership."
        )
    if state == State.DECLINED:
        return _(
            "The request was already declined. To be listed, ask the chapter's "
            "organisers for a new request."
        )
    if state == State.WITHDRAWN:
        return _(
            "Your organisation withdrew from the chapter. To be listed again, ask "
            "the chapter's organisers for a new request."
        )
    if action == Action.WITHDRAW:
        return _("Your organisation is not listed, so there is nothing to withdraw.")
    return _("This request cannot be answered any more.")


# Links ----------------------------------------------------------------------


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


def _link_new(
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


def ip_hash(address: str) -> str:
    """A keyed hash of the client's address: enough to tell two answers from
    the same place apart, not enough to recover the address."""
    if not address:
        return ""
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256
    ).hexdigest()[:32]


# Recording --------------------------------------------------------------------


def _record(
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
        consent_language=language if consent else "",
        consent_text=consent.text_in(language) if consent else "",
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


def _lock(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("chapter", "organisation")
        .get(pk=membership.pk)
    )


def _members_changed(chapter: Chapter) -> None:
    """The public list changed: date it and make every cached view stale."""
    Chapter.objects.filter(pk=chapter.pk).update(members_updated_at=timezone.now())
    country_page_invalidate(chapter)


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Requests (organisers) -----------------------------------------------------


@dataclass
class RequestResult:
    requested: list = field(default_factory=list)
    resent: list = field(default_factory=list)
    already: list = field(default_factory=list)
    unreachable: list = field(default_factory=list)
    emails: int = 0


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


@transaction.atomic
def membership_request(
    *,
    actor,
    chapter: Chapter,
    organisations,
    remind_after_days: int = REMIND_DAYS_DEFAULT,
    resend: bool = False,
) -> RequestResult:
    """Ask organisations on the chapter's outreach list whether they want to
    be listed. Each reachable representative gets their own personal links
    by e-mail, in their language, once the transaction commits. An
    organisation already asked is skipped unless `resend` (so a double click
    or a retried request sends nothing twice); a listed one is skipped."""
    if not can_manage_chapter(actor, chapter):
        raise MembershipError(_("Only the chapter's organisers can ask for this."))
    remind_after_days = max(1, min(int(remind_after_days), REMIND_DAYS_MAX))
    on_list = Prospect.objects.filter(
        chapter=chapter, organisation__in=organisations
    ).values_list("organisation_id", flat=True)
    result = RequestResult()
    for organisation in Organisation.objects.filter(pk__in=on_list).order_by("pk"):
        recipients = reachable_representatives(organisation, chapter)
        membership, _created = Membership.objects.get_or_create(
            chapter=chapter, organisation=organisation
        )
        membership = _lock(membership)
        state = membership.state
        if state == State.CONFIRMED or (state in OPEN_STATES and not resend):
            result.already.append(organisation)
            continue
        if not recipients:
            result.unreachable.append(organisation)
            continue
        now = timezone.now()
        if state in OPEN_STATES:
            action, to_state = Action.RESEND, state
            result.resent.append(organisation)
        else:
            action, to_state = Action.REQUEST, next_state(state, Action.REQUEST)
            result.requested.append(organisation)
            membership.state = to_state
            membership.requested_at = now
            membership.requested_by = actor
            membership.consulting_since = None
            membership.remind_at = None
            membership.reminder_sent_at = None
        membership.remind_after_days = remind_after_days
        membership.save()
        # Only the newest request's links answer it: an old link of an
        # earlier round (say, before a withdrawal) must not re-list.
        ConfirmationLink.objects.filter(
            membership=membership, purpose=Purpose.RESPOND
        ).outstanding().update(revoked_at=now)
        _record(
            membership=membership,
            action=action,
            from_state=state,
            to_state=to_state,
            via=Via.ORGANISER,
            actor=actor,
        )
        for representative in recipients:
            _send_request(
                membership=membership,
                representative=representative,
                actor=actor,
                reminder=False,
            )
            result.emails += 1
    return result


def _send_request(*, membership, representative, actor, reminder: bool) -> None:
    links = {
        "link": _link_new(
            membership=membership,
            representative=representative,
            purpose=Purpose.RESPOND,
            actor=actor,
        ),
        "withdraw_link": _link_new(
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
        language=_language(representative.language),
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


# Answers (representatives, through their personal link) -----------------------


@dataclass(frozen=True)
class Answer:
    """What the representative sent from the confirmation page."""

    action: str
    language: str
    ip: str = ""
    role: str = ""
    consent_version: str = ""
    profile: dict | None = None
    logo: object = None
    volunteer_for: tuple = ()


ORGANISER_ANSWER_MESSAGE = _(
    "Organisers cannot answer for an organisation. Only its "
    "representative can, from the link sent to them."
)
ORGANISER_CONSENT_MESSAGE = _(
    "This link was sent to the address of an organiser of the chapter, or you "
    "are signed in as one. Organisers cannot confirm an organisation's "
    "membership, even through a link sent to them: only the organisation's own "
    "representative can, from the link sent to their own address."
)


def _refusal(
    *,
    common: dict,
    state: str,
    to_state,
    action: str,
    by_organiser: bool,
    organiser_consent: bool = False,
) -> "MembershipRefused | None":
    """The one rule for refusing an answer or a withdrawal: an organiser
    acting through a representative's link, an organiser confirming (whoever
    the link was sent to), or a state that does not allow the action. A
    refusal is recorded (applied=False) and changes nothing."""
    if by_organiser:
        event = _record(
            **common, to_state=state, applied=False, note="organiser refused"
        )
        return MembershipRefused(ORGANISER_ANSWER_MESSAGE, event)
    if organiser_consent:
        event = _record(
            **common, to_state=state, applied=False, note="organiser consent refused"
        )
        return MembershipRefused(ORGANISER_CONSENT_MESSAGE, event)
    if to_state is None:
        event = _record(
            **common, to_state=state, applied=False, note="state does not allow"
        )
        return MembershipRefused(_refusal_message(state, action), event)
    return None


def _refuse_organiser(actor, link: ConfirmationLink) -> bool:
    """An organiser of the chapter who is not the addressee may not answer,
    even holding the link: organisers never answer for an organisation."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if not can_manage_chapter(actor, link.membership.chapter):
        return False
    return not EmailAddress.objects.filter(
        user=actor, email__iexact=link.email, verified=True
    ).exists()


def organiser_consent(actor, link: ConfirmationLink) -> bool:
    """No organiser or staff member produces an organisation's consent: a
    confirmation is refused when the person confirming organises the
    link's chapter, signed in or not (the link's address belongs to such an
    account), even when the link was sent to their own address."""
    chapter = link.membership.chapter
    if getattr(actor, "is_authenticated", False) and can_manage_chapter(actor, chapter):
        return True
    return organises_chapter_address(link.email, chapter)


def membership_answer(*, link: ConfirmationLink, answer: Answer, actor=None):
    """Consult, confirm or decline through a personal link. Raises
    LinkUnusable (nothing recorded) or MembershipRefused (recorded, nothing
    changed); otherwise returns the applied event."""
    if answer.action not in (Action.CONSULT, Action.CONFIRM, Action.DECLINE):
        raise MembershipError(_("Choose one of the answers."))
    refused = None
    with transaction.atomic():
        membership = _lock(link.membership)
        link = (
            ConfirmationLink.objects.select_for_update(of=("self",))
            .select_related("representative")
            .get(pk=link.pk)
        )
        link.membership = membership
        if link.purpose != Purpose.RESPOND:
            raise LinkUnusable("revoked")
        if problem := link_problem(link):
            raise LinkUnusable(problem)
        representative = link.representative
        state = membership.state
        to_state = next_state(state, answer.action)
        common = {
            "membership": membership,
            "action": answer.action,
            "from_state": state,
            "via": Via.LINK,
            "actor": actor,
            "representative": representative,
            "link": link,
            "ip": answer.ip,
        }
        refused = _refusal(
            common=common,
            state=state,
            to_state=to_state,
            action=answer.action,
            by_organiser=_refuse_organiser(actor, link),
            organiser_consent=answer.action == Action.CONFIRM
            and organiser_consent(actor, link),
        )
        if refused is None:
            consent = None
            if answer.action == Action.CONFIRM:
                consent = ConsentStatement.objects.filter(
                    version=answer.consent_version
                ).first()
                if consent is None:
                    raise MembershipError(
                        _("The consent statement changed; please read it again.")
                    )
            if answer.profile is not None and answer.action != Action.DECLINE:
                try:
                    organisation_update(
                        actor=actor,
                        chapter=membership.chapter,
                        organisation=membership.organisation,
                        values=answer.profile,
                        logo=answer.logo,
                        actor_label=f"personal link of {representative.email}",
                        link=link,
                    )
                except ProfileChangeRefused as error:
                    raise MembershipError(str(error)) from error
            event = _apply(
                membership=membership,
                to_state=to_state,
                common=common,
                role=answer.role,
                consent=consent,
                language=_language(answer.language),
            )
            if answer.action in (Action.CONFIRM, Action.DECLINE):
                link.used_at = timezone.now()
                link.save(update_fields=["used_at"])
            if answer.action == Action.CONFIRM:
                for task in InitialTask.objects.filter(
                    chapter=membership.chapter, pk__in=answer.volunteer_for
                ):
                    task_volunteer(
                        task=task,
                        organisation=membership.organisation,
                        representative=representative,
                        actor=actor,
                        link=link,
                    )
    if refused is not None:
        raise refused
    return event


def _apply(*, membership, to_state, common, role="", consent=None, language=""):
    """Move the locked membership and do what the new state implies."""
    now = timezone.now()
    action = common["action"]
    representative = common["representative"]
    membership.state = to_state
    if action == Action.CONSULT:
        membership.consulting_since = now
        membership.remind_at = now + timedelta(days=membership.remind_after_days)
        membership.reminder_sent_at = None
    elif action == Action.CONFIRM:
        membership.confirmed_at = now
        membership.withdrawn_at = None
        membership.remind_at = None
    elif action == Action.DECLINE:
        membership.remind_at = None
    elif action == Action.WITHDRAW:
        membership.withdrawn_at = now
    membership.save()
    event = _record(
        **common, to_state=to_state, role=role, consent=consent, language=language
    )
    chapter = membership.chapter
    if action == Action.CONFIRM:
        if role and representative and not representative.role:
            Representative.objects.filter(pk=representative.pk).update(role=role)
        Prospect.objects.filter(
            chapter=chapter, organisation=membership.organisation
        ).update(stage=Prospect.Stage.MEMBER)
        _members_changed(chapter)
        _send_receipt(membership=membership, representative=representative)
    elif action == Action.WITHDRAW:
        # A withdrawn organisation no longer works on the chapter's tasks.
        Volunteering.objects.filter(
            task__chapter=chapter, organisation=membership.organisation
        ).delete()
        InitialTask.objects.filter(
            chapter=chapter, lead=membership.organisation
        ).update(lead=None)
        _members_changed(chapter)
        if representative is not None:
            _send_receipt(membership=membership, representative=representative)
    if action in (Action.CONFIRM, Action.DECLINE, Action.WITHDRAW):
        _notify_organisers(membership=membership, event=event)
    return event


def _send_receipt(*, membership, representative) -> None:
    """The representative's copy of what they did, with a withdrawal link."""
    if not (representative.email and contact_allowed(representative.email)):
        return
    links = {}
    if membership.state == State.CONFIRMED:
        links["withdraw_link"] = _link_new(
            membership=membership,
            representative=representative,
            purpose=Purpose.WITHDRAW,
        )
    representative_email_queue(
        template="members_receipt",
        membership=membership,
        representative=representative,
        links=links,
        opt_out=opt_out_owed(representative.email),
        language=_language(representative.language),
        extra={"state": membership.state},
    )


def _notify_organisers(*, membership, event: MembershipEvent) -> None:
    chapter = membership.chapter
    notifications.membership_answered(membership=membership, action=event.action)
    for address, language in organiser_recipients(chapter):
        with translation.override(language):
            path = reverse(
                "members:membership_detail",
                kwargs={"iso2": chapter.iso2, "pk": membership.pk},
            )
        email_queue(
            to=address,
            template="members_organiser_notice",
            context={
                "chapter": chapter,
                "chapter_name": field_in_language(chapter, "name", language)[0],
                "organisation_name": field_in_language(
                    membership.organisation, "name", language
                )[0],
                "action": event.action,
                "representative_name": event.representative_name,
                "role": event.role,
                "first_member": event.action == Action.CONFIRM
                and chapter.status
                in (Chapter.Status.INTEREST, Chapter.Status.EXPLORING)
                and Membership.objects.listed().for_chapter(chapter).count() == 1,
                "url": f"{settings.SITE_URL}{path}",
            },
            language=language,
        )


def membership_consult(*, link, language, ip="", profile=None, logo=None, actor=None):
    return membership_answer(
        link=link,
        actor=actor,
        answer=Answer(
            action=Action.CONSULT,
            language=language,
            ip=ip,
            profile=profile,
            logo=logo,
        ),
    )


def membership_confirm(
    *,
    link,
    language,
    role,
    consent_version,
    ip="",
    profile=None,
    logo=None,
    volunteer_for=(),
    actor=None,
):
    return membership_answer(
        link=link,
        actor=actor,
        answer=Answer(
            action=Action.CONFIRM,
            language=language,
            ip=ip,
            role=role,
            consent_version=consent_version,
            profile=profile,
            logo=logo,
            volunteer_for=tuple(volunteer_for),
        ),
    )


def membership_decline(*, link, language, ip="", actor=None):
    return membership_answer(
        link=link,
        actor=actor,
        answer=Answer(action=Action.DECLINE, language=language, ip=ip),
    )


# Withdrawal ---------------------------------------------------------------------


def membership_withdraw(
    *,
    membership: Membership,
    actor=None,
    link: ConfirmationLink | None = None,
    ip: str = "",
) -> MembershipEvent:
    """Leave the chapter's public list: through a withdrawal link, or from
    the representative's own account. History is kept."""
    refused = None
    with transaction.atomic():
        membership = _lock(membership)
        if link is not None:
            link = (
                ConfirmationLink.objects.select_for_update(of=("self",))
                .select_related("representative")
                .get(pk=link.pk, membership=membership)
            )
            if link.purpose != Purpose.WITHDRAW:
                raise LinkUnusable("revoked")
            if problem := link_problem(link):
                raise LinkUnusable(problem)
            representative, via = link.representative, Via.LINK
        else:
            # A role earned in this membership's chapter: a row of another
            # chapter linked to the account gives nothing here.
            representative = (
                Representative.objects.filter(
                    organisation=membership.organisation,
                    chapter=membership.chapter,
                    user=actor,
                ).first()
                if getattr(actor, "is_authenticated", False)
                else None
            )
            if representative is None:
                raise MembershipError(
                    _("Only a representative of the organisation can withdraw it.")
                )
            via = Via.ACCOUNT
        state = membership.state
        common = {
            "membership": membership,
            "action": Action.WITHDRAW,
            "from_state": state,
            "via": via,
            "actor": actor,
            "representative": representative,
            "link": link,
            "ip": ip,
        }
        to_state = next_state(state, Action.WITHDRAW)
        refused = _refusal(
            common=common,
            state=state,
            to_state=to_state,
            action=Action.WITHDRAW,
            by_organiser=link is not None and _refuse_organiser(actor, link),
        )
        if refused is None:
            event = _apply(membership=membership, to_state=to_state, common=common)
            if link is not None:
                link.used_at = timezone.now()
                link.save(update_fields=["used_at"])
    if refused is not None:
        raise refused
    return event


# Reminders ------------------------------------------------------------------------


def membership_reminders_queue() -> int:
    """Remind the representatives of organisations still consulting once
    their organiser's number of days has passed. Each membership is reminded
    once per consultation, under a lock, so overlapping runs send nothing
    twice. Returns the number of memberships reminded."""
    due = Membership.objects.filter(
        state=State.CONSULTING,
        remind_at__lte=timezone.now(),
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            membership = _lock(Membership(pk=pk))
            if (
                membership.state != State.CONSULTING
                or membership.reminder_sent_at is not None
                or membership.remind_at is None
                or membership.remind_at > timezone.now()
            ):
                continue
            membership.reminder_sent_at = timezone.now()
            membership.save(update_fields=["reminder_sent_at", "updated_at"])
            _record(
                membership=membership,
                action=Action.REMIND,
                from_state=membership.state,
                to_state=membership.state,
                via=Via.SYSTEM,
            )
            for representative in reachable_representatives(
                membership.organisation, membership.chapter
            ):
                _send_request(
                    membership=membership,
                    representative=representative,
                    actor=None,
                    reminder=True,
                )
            count += 1
    return count


# Accounts ---------------------------------------------------------------------------


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
