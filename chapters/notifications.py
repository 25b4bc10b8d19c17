"""Telling organisers what organisations did: answered an invitation,
confirmed, declined or withdrew a membership, or sent the interest form.

Each organiser chooses (OrganiserPreference) to hear at once, once a day in
a digest, or never, and the language of these e-mails. Every notice is an
OrganiserNotification row per organiser, written in the transaction of the
event itself; the digest sends the rows still waiting and marks them sent in
the same transaction, so an event is never in two digests.

The other apps call the three functions at the end of this module, one line
each. The members app already writes its own, richer e-mails for membership
answers and the interest form; it sends them to immediate_recipients(), so
for those events this module only records the notice (send_immediate=False)
and the digest and the preference still apply.

Nothing here imports the other apps' models: objects are read by their
fields, so the apps keep depending on chapters and never the reverse.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.mail import email_queue

from . import languages
from .languages import field_in_language
from .models import (
    Chapter,
    Organiser,
    OrganiserNotification,
    OrganiserPreference,
)

Delivery = OrganiserPreference.Delivery
Kind = OrganiserNotification.Kind
LANGUAGES = languages.codes()
# A digest goes out at most this often, so a command scheduled every hour
# (or a daily one that drifts) still sends one e-mail a day.
DIGEST_MIN_INTERVAL = timedelta(hours=20)


def preference_for(user) -> OrganiserPreference:
    """The user's preference, or the default one (not saved)."""
    found = OrganiserPreference.objects.filter(user=user).first()
    return found or OrganiserPreference(user=user)


def _organisers(chapter: Chapter) -> list[tuple[object, OrganiserPreference]]:
    """(user, preference) of the chapter's active organisers, in one query."""
    roles = (
        Organiser.objects.filter(chapter=chapter, revoked_at__isnull=True)
        .select_related("user", "user__organiser_preference")
        .order_by("user__email")
    )
    found = []
    for role in roles:
        user = role.user
        if not user.email:
            continue
        try:
            preference = user.organiser_preference
        except OrganiserPreference.DoesNotExist:
            preference = OrganiserPreference(user=user)
        found.append((user, preference))
    return found


def immediate_recipients(chapter: Chapter) -> list[tuple[str, str]]:
    """(address, language) of the organisers who want each notice at once;
    the chapter's public address, in the default language, while it has no
    organiser at all."""
    organisers = _organisers(chapter)
    if not organisers:
        if chapter.contact_email:
            return [(chapter.contact_email, settings.LANGUAGE_CODE)]
        return []
    return [
        (user.email, preference.language)
        for user, preference in organisers
        if preference.delivery == Delivery.IMMEDIATE
    ]


def _in_languages(obj, field: str) -> dict[str, str]:
    return {code: str(field_in_language(obj, field, code)[0]) for code in LANGUAGES}


def _text(names: dict, language: str) -> str:
    """The name in the language, else in the other one."""
    return names.get(language) or next((v for v in names.values() if v), "")


def notice_sentence(kind: str, data: dict, language: str) -> str:
    """One sentence saying what happened, in the given language."""
    values = {
        "organisation": _text(data.get("organisation", {}), language),
        "meeting": _text(data.get("meeting", {}), language),
        "role": _text(data.get("role", {}), language),
    }
    with translation.override(language):
        sentences = {
            Kind.INVITATION_ACCEPTED: gettext(
                "%(organisation)s accepted the invitation to “%(meeting)s”."
            ),
            Kind.INVITATION_DECLINED: gettext(
                "%(organisation)s declined the invitation to “%(meeting)s”."
            ),
            Kind.MEMBERSHIP_CONFIRMED: gettext(
                "%(organisation)s confirmed its membership; it is now listed on "
                "the country page."
            ),
            Kind.MEMBERSHIP_DECLINED: gettext(
                "%(organisation)s declined the membership."
            ),
            Kind.MEMBERSHIP_WITHDRAWN: gettext(
                "%(organisation)s withdrew its membership."
            ),
            Kind.INTEREST: gettext(
                "%(organisation)s sent the interest form to join the chapter."
            ),
            Kind.GOVERNANCE: str(
                GOVERNANCE_SENTENCES.get(
                    data.get("change"), GOVERNANCE_SENTENCES["update"]
                )
            ),
        }
        return sentences[kind] % values


def notice_url(data: dict, language: str) -> str:
    """The organiser page of the event, in the recipient's language."""
    target = data.get("url") or {}
    if not target:
        return ""
    with translation.override(language):
        path = reverse(target["name"], kwargs=target.get("kwargs") or {})
    return f"{settings.SITE_URL}{path}"


def settings_url(language: str) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL}{reverse('chapters:notification_settings')}"


def organisers_notify(
    *,
    chapter: Chapter,
    kind: str,
    organisation: dict[str, str],
    url: tuple[str, dict],
    meeting: dict[str, str] | None = None,
    send_immediate: bool = True,
    extra: dict | None = None,
    skip=None,
) -> int:
    """Record the notice for every active organiser who wants it and, when
    send_immediate, e-mail those who want it at once (after the commit).
    `extra` adds to the notice's data; `skip` is an organiser not told (the
    one who made the change). Returns the number of notices recorded."""
    data = {
        "organisation": organisation,
        "meeting": meeting or {},
        "url": {"name": url[0], "kwargs": url[1]},
        **(extra or {}),
    }
    now = timezone.now()
    organisers = _organisers(chapter)
    rows = []
    for user, preference in organisers:
        if preference.delivery == Delivery.OFF or user == skip:
            continue
        immediate = preference.delivery == Delivery.IMMEDIATE
        rows.append(
            OrganiserNotification(
                chapter=chapter,
                recipient=user,
                kind=kind,
                delivery=preference.delivery,
                data=data,
                sent_at=now if immediate else None,
            )
        )
        if immediate and send_immediate:
            _send_notice(
                to=user.email, kind=kind, data=data, language=preference.language
            )
    if not organisers and send_immediate and chapter.contact_email:
        _send_notice(
            to=chapter.contact_email,
            kind=kind,
            data=data,
            language=settings.LANGUAGE_CODE,
        )
    OrganiserNotification.objects.bulk_create(rows)
    return len(rows)


def _send_notice(*, to: str, kind: str, data: dict, language: str) -> None:
    email_queue(
        to=to,
        template="chapters_organiser_notice",
        context={
            "sentence": notice_sentence(kind, data, language),
            "url": notice_url(data, language),
            "settings_url": settings_url(language),
        },
        language=language,
    )


# The digest ----------------------------------------------------------------


def digests_send(*, now=None) -> int:
    """Queue one digest e-mail per organiser with notices waiting, unless
    their last digest is less than DIGEST_MIN_INTERVAL old. Safe to run as
    often as wanted and by several workers at once: each organiser's
    preference row is locked while their notices are read and marked sent.
    Returns the number of digests queued."""
    now = now or timezone.now()
    waiting = OrganiserNotification.objects.filter(
        sent_at__isnull=True, delivery=Delivery.DIGEST, created_at__lte=now
    )
    users = sorted(set(waiting.values_list("recipient_id", flat=True)))
    sent = 0
    for user_id in users:
        with transaction.atomic():
            sent += _digest_one(user_id=user_id, now=now)
    return sent


def _digest_one(*, user_id: int, now) -> int:
    preference = (
        OrganiserPreference.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id)
        .first()
    )
    pending = OrganiserNotification.objects.filter(
        recipient_id=user_id,
        sent_at__isnull=True,
        delivery=Delivery.DIGEST,
        created_at__lte=now,
    )
    if preference is None or preference.delivery == Delivery.OFF:
        # Turned off since: what waited is dropped, never sent later.
        pending.update(sent_at=now)
        return 0
    if (
        preference.last_digest_at
        and now - preference.last_digest_at < DIGEST_MIN_INTERVAL
    ):
        return 0
    rows = list(
        pending.select_related("chapter").order_by("chapter__country", "created_at")
    )
    if not rows:
        return 0
    organised = set(
        Organiser.objects.filter(user_id=user_id, revoked_at__isnull=True).values_list(
            "chapter_id", flat=True
        )
    )
    shown = [row for row in rows if row.chapter_id in organised]
    OrganiserNotification.objects.filter(pk__in=[row.pk for row in rows]).update(
        sent_at=now
    )
    if not shown:
        return 0
    language = preference.language
    chapters: dict[int, dict] = {}
    for row in shown:
        group = chapters.setdefault(
            row.chapter_id,
            {
                "chapter": row.chapter,
                "name": field_in_language(row.chapter, "name", language)[0],
                "items": [],
            },
        )
        group["items"].append(
            {
                "at": row.created_at,
                "sentence": notice_sentence(row.kind, row.data, language),
                "url": notice_url(row.data, language),
            }
        )
    email_queue(
        to=preference.user.email,
        template="chapters_organiser_digest",
        context={
            "chapters": list(chapters.values()),
            "count": len(shown),
            "settings_url": settings_url(language),
        },
        language=language,
    )
    preference.last_digest_at = now
    preference.save(update_fields=["last_digest_at", "updated_at"])
    return 1


# Called by the other apps (one line each) -----------------------------------


def invitation_answered(*, invitation) -> int:
    """An invitee accepted or declined (meetings.services.invitations.invitation_answer)."""
    meeting = invitation.meeting
    organisation = invitation.organisation
    if organisation is not None:
        names = _in_languages(organisation, "name")
    else:
        label = invitation.organisation_name or invitation.name
        names = {code: label for code in LANGUAGES}
    accepted = invitation.status == "accepted"
    return organisers_notify(
        chapter=meeting.chapter,
        kind=Kind.INVITATION_ACCEPTED if accepted else Kind.INVITATION_DECLINED,
        organisation=names,
        meeting=_in_languages(meeting, "title"),
        url=("meetings:detail", {"iso2": meeting.chapter.iso2, "pk": meeting.pk}),
    )


MEMBERSHIP_KINDS = {
    "confirm": Kind.MEMBERSHIP_CONFIRMED,
    "decline": Kind.MEMBERSHIP_DECLINED,
    "withdraw": Kind.MEMBERSHIP_WITHDRAWN,
}


def membership_answered(*, membership, action: str) -> int:
    """A representative confirmed, declined or withdrew; the members app
    e-mails the immediate recipients itself."""
    kind = MEMBERSHIP_KINDS.get(str(action))
    if kind is None:
        return 0
    chapter = membership.chapter
    return organisers_notify(
        chapter=chapter,
        kind=kind,
        organisation=_in_languages(membership.organisation, "name"),
        url=(
            "members:membership_detail",
            {"iso2": chapter.iso2, "pk": membership.pk},
        ),
        send_immediate=False,
    )


def interest_received(*, prospect) -> int:
    """The country page's interest form put an organisation on the outreach
    list; the members app e-mails the immediate recipients itself."""
    chapter = prospect.chapter
    return organisers_notify(
        chapter=chapter,
        kind=Kind.INTEREST,
        organisation=_in_languages(prospect.organisation, "name"),
        url=("members:prospect", {"iso2": chapter.iso2, "pk": prospect.pk}),
        send_immediate=False,
    )


# What a governance notice says, by the change made (members.services.governance).
GOVERNANCE_SENTENCES = {
    "assign": _(
        "%(organisation)s now holds the role “%(role)s” in the chapter's governance."
    ),
    "update": _(
        "The role “%(role)s” of %(organisation)s in the chapter's governance was "
        "changed."
    ),
    "end": _(
        "%(organisation)s no longer holds the role “%(role)s” in the chapter's "
        "governance."
    ),
    "delete": _(
        "The role “%(role)s” of %(organisation)s was removed from the chapter's "
        "governance."
    ),
}


def governance_changed(
    *,
    chapter: Chapter,
    change: str,
    organisation,
    role: dict[str, str],
    actor=None,
) -> int:
    """A role of the chapter's governance was assigned, changed, ended or
    removed (members.services.governance); `role` is its label in every
    language. The organiser who made the change is not told."""
    return organisers_notify(
        chapter=chapter,
        kind=Kind.GOVERNANCE,
        organisation=_in_languages(organisation, "name"),
        url=("members:governance", {"iso2": chapter.iso2}),
        extra={"change": change, "role": role},
        skip=actor,
    )
