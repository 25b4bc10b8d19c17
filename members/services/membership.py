"""Membership: the state machine that puts an organisation on a country page.
One cohesive mechanism; its table, errors and event record are in
membership_rules, its personal links in membership_links, its reminders in
membership_reminders.

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
linked to a representative row of that chapter."""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from chapters import notifications
from chapters.cache import country_page_invalidate
from chapters.languages import field_in_language
from chapters.models import Chapter
from chapters.permissions import can_manage_chapter, organises_chapter_address
from config.mail import email_queue

from ..emails import opt_out_owed, representative_email_queue
from ..models import (
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
from ..public import organiser_recipients
from .do_not_contact import contact_allowed
from .governance import governance_roles_end_for_withdrawal
from .initial_tasks import task_volunteer
from .membership_links import (
    confirmation_link_new,
    link_problem,
    membership_request_send,
    reachable_representatives,
)
from .membership_rules import (
    OPEN_STATES,
    REMIND_DAYS_DEFAULT,
    REMIND_DAYS_MAX,
    LinkUnusable,
    MembershipError,
    MembershipRefused,
    language_supported,
    membership_event_record,
    membership_lock,
    next_state,
)
from .organisations import ProfileChangeRefused, organisation_update

State = Membership.State
Action = MembershipEvent.Action
Via = MembershipEvent.Via
Purpose = ConfirmationLink.Purpose


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


def _members_changed(chapter: Chapter) -> None:
    """The public list changed: date it and make every cached view stale."""
    Chapter.objects.filter(pk=chapter.pk).update(members_updated_at=timezone.now())
    country_page_invalidate(chapter)


@dataclass
class RequestResult:
    requested: list = field(default_factory=list)
    resent: list = field(default_factory=list)
    already: list = field(default_factory=list)
    unreachable: list = field(default_factory=list)
    emails: int = 0


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
        membership = membership_lock(membership)
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
        membership_event_record(
            membership=membership,
            action=action,
            from_state=state,
            to_state=to_state,
            via=Via.ORGANISER,
            actor=actor,
        )
        for representative in recipients:
            membership_request_send(
                membership=membership,
                representative=representative,
                actor=actor,
                reminder=False,
            )
            result.emails += 1
    return result


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
        event = membership_event_record(
            **common, to_state=state, applied=False, note="organiser refused"
        )
        return MembershipRefused(ORGANISER_ANSWER_MESSAGE, event)
    if organiser_consent:
        event = membership_event_record(
            **common, to_state=state, applied=False, note="organiser consent refused"
        )
        return MembershipRefused(ORGANISER_CONSENT_MESSAGE, event)
    if to_state is None:
        event = membership_event_record(
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
        membership = membership_lock(link.membership)
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
                language=language_supported(answer.language),
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
    event = membership_event_record(
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
        # Nor does it hold a role in the chapter's governance from today.
        governance_roles_end_for_withdrawal(
            membership=membership, actor=common["actor"]
        )
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
        links["withdraw_link"] = confirmation_link_new(
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
        language=language_supported(representative.language),
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
                and chapter.is_before_forming
                and Membership.objects.listed().for_chapter(chapter).count() == 1,
                "url": f"{settings.SITE_URL}{path}",
            },
            language=language,
            country=chapter.iso2,
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
        membership = membership_lock(membership)
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
