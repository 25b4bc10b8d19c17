"""Writes of the members app: organisations, their representatives, the
chapters' outreach lists and the do-not-contact list. Each runs in one
transaction and records an audit entry beside the change."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from chapters.audit import audit_log
from chapters.models import Chapter
from chapters.permissions import (
    can_manage_chapter,
    public_profile_refused_by,
    representative_chapters,
)
from chapters.templatetags.portal import field_in_language
from chapters.tokens import token_digest, token_new

from .models import (
    DoNotContact,
    Membership,
    OptOutLink,
    Organisation,
    Prospect,
    Representative,
)

ORGANISATION_FIELDS = [
    "name_ar",
    "name_en",
    "name_transliteration",
    "acronym",
    "kind",
    "city_ar",
    "city_en",
    "website",
    "description_ar",
    "description_en",
    "focus_sdgs",
    "tags",
    "public_email",
]
REPRESENTATIVE_FIELDS = ["name", "email", "phone", "role", "language", "is_primary"]


def _snapshot(obj, fields) -> dict:
    return {field: getattr(obj, field) for field in fields}


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [key for key in after if before.get(key) != after[key]]
    return (
        {key: before.get(key) for key in changed},
        {key: after[key] for key in changed},
    )


class ProfileChangeRefused(Exception):
    """A change to an organisation's public profile that the person may not
    make; the message says why and is shown as it is."""

    def __init__(self, chapters: list[Chapter]):
        self.chapters = chapters
        names = ("، " if translation.get_language_bidi() else ", ").join(
            field_in_language(chapter, "name")[0] for chapter in chapters
        )
        super().__init__(
            gettext(
                "This organisation is a listed member of %(chapters)s, and its "
                "public profile appears on that country page. Only that "
                "chapter's organisers, the representatives it confirmed, or "
                "staff can change it; nothing was saved."
            )
            % {"chapters": names}
        )


def _profile_refusal(
    *, actor, organisation: Organisation, chapter: Chapter | None, link=None
) -> list[Chapter]:
    """The chapters that forbid this change (chapters.permissions). The
    chapter a change is made in counts as a role only when the actor
    organises it or the change comes through that chapter's personal link."""
    via = None
    if link is not None:
        via = link.membership.chapter
    elif chapter is not None and can_manage_chapter(actor, chapter):
        via = chapter
    return public_profile_refused_by(actor, organisation, chapter=via)


def _profile_audit_chapters(*, actor, organisation, chapter) -> list:
    """Every chapter whose trail records a change of the public profile: the
    one it was made in (for a representative's profile page, those that
    linked the account) and every chapter whose public page lists the
    organisation. None alone when no chapter is concerned (staff trail)."""
    ids = set()
    if chapter is not None:
        ids.add(chapter.pk)
    else:
        ids |= representative_chapters(actor, organisation)
    ids |= set(
        Membership.objects.listed()
        .filter(organisation=organisation)
        .values_list("chapter_id", flat=True)
    )
    if not ids:
        return [None]
    return list(Chapter.objects.filter(pk__in=ids).order_by("pk"))


def _clean_representative_values(values: dict) -> dict:
    values = {key: values[key] for key in REPRESENTATIVE_FIELDS if key in values}
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    return values


@transaction.atomic
def organisation_add(
    *,
    actor,
    chapter: Chapter,
    values: dict,
    representative: dict | None = None,
    logo=None,
    merge_into: Organisation | None = None,
    source: str = Prospect.Source.ORGANISER,
) -> Prospect:
    """Put an organisation on the chapter's outreach list. With merge_into,
    the organiser said the new entry is that existing organisation: its empty
    fields are filled from the new values (nothing is overwritten) and the
    representative joins it unless this chapter already has their address
    (another chapter's contacts are theirs: never looked at, never merged)."""
    values = {key: values[key] for key in ORGANISATION_FIELDS if key in values}
    if not values.get("country"):
        values["country"] = chapter.country
    if merge_into is not None:
        organisation = Organisation.objects.select_for_update().get(pk=merge_into.pk)
        before = _snapshot(organisation, ORGANISATION_FIELDS)
        # Filling the empty fields changes the public profile: not when
        # another chapter lists the organisation and the actor has no role
        # there. The organisation still joins this chapter's list.
        if not _profile_refusal(
            actor=actor, organisation=organisation, chapter=chapter
        ):
            for field, value in values.items():
                if value and not getattr(organisation, field, None):
                    setattr(organisation, field, value)
            if logo and not organisation.logo:
                organisation.logo.save("logo.png", logo, save=False)
            organisation.save()
        changed_before, changed_after = _changes(
            before, _snapshot(organisation, ORGANISATION_FIELDS)
        )
        audit_chapters = [chapter]
        if changed_after:
            audit_chapters = _profile_audit_chapters(
                actor=actor, organisation=organisation, chapter=chapter
            )
        for audit_chapter in audit_chapters:
            audit_log(
                actor=actor,
                action="organisation.merge",
                obj=organisation,
                chapter=audit_chapter,
                before=changed_before,
                after=changed_after,
            )
    else:
        organisation = Organisation(**values)
        if logo:
            organisation.logo.save("logo.png", logo, save=False)
        organisation.save()
        audit_log(
            actor=actor,
            action="organisation.create",
            obj=organisation,
            chapter=chapter,
            after={"name_ar": organisation.name_ar, "name_en": organisation.name_en},
        )
    if representative and representative.get("name"):
        representative = _clean_representative_values(representative)
        email = representative.get("email")
        if not (
            email
            and Representative.objects.for_chapter(chapter)
            .filter(organisation=organisation, email__iexact=email)
            .exists()
        ):
            representative_add(
                actor=actor,
                chapter=chapter,
                organisation=organisation,
                values=representative,
            )
    prospect, created = Prospect.objects.get_or_create(
        chapter=chapter,
        organisation=organisation,
        defaults={"source": source, "owner": actor if actor.is_authenticated else None},
    )
    if created:
        audit_log(
            actor=actor,
            action="prospect.create",
            obj=prospect,
            chapter=chapter,
            after={"stage": prospect.stage, "source": prospect.source},
        )
    return prospect


@transaction.atomic
def organisation_update(
    *,
    actor,
    chapter: Chapter | None,
    organisation: Organisation,
    values: dict,
    logo=None,
    actor_label: str = "",
    link=None,
) -> Organisation:
    """Change the organisation's public profile. `chapter` is the chapter
    whose organiser page or personal link (`link`) the change comes from;
    None from the representative's own profile page. Refused
    (ProfileChangeRefused, nothing saved) when another chapter lists the
    organisation and the person holds no role there
    (chapters.permissions.public_profile_refused_by); otherwise audited in the
    trail of every chapter whose public page it touches."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(organisation, ORGANISATION_FIELDS)
    for field in ORGANISATION_FIELDS:
        if field in values:
            setattr(organisation, field, values[field])
    changed_before, changed_after = _changes(
        before, _snapshot(organisation, ORGANISATION_FIELDS)
    )
    if not (changed_after or logo):
        return organisation
    if refused := _profile_refusal(
        actor=actor, organisation=organisation, chapter=chapter, link=link
    ):
        raise ProfileChangeRefused(refused)
    if logo:
        organisation.logo.save("logo.png", logo, save=False)
        changed_after["logo"] = organisation.logo.name
    organisation.save()
    for audit_chapter in _profile_audit_chapters(
        actor=actor, organisation=organisation, chapter=chapter
    ):
        audit_log(
            actor=actor,
            action="organisation.update",
            obj=organisation,
            chapter=audit_chapter,
            before=changed_before,
            after=changed_after,
            actor_label=actor_label,
        )
    return organisation


def _keep_one_primary(representative: Representative) -> None:
    """An organisation has at most one primary contact per chapter; naming a
    new one makes that chapter's previous one an alternate."""
    if representative.is_primary:
        Representative.objects.for_chapter(representative.chapter_id).filter(
            organisation=representative.organisation_id, is_primary=True
        ).exclude(pk=representative.pk).update(is_primary=False)


@transaction.atomic
def representative_add(
    *, actor, chapter: Chapter, organisation: Organisation, values: dict
) -> Representative:
    values = _clean_representative_values(values)
    if "is_primary" not in values:
        values["is_primary"] = (
            not Representative.objects.for_chapter(chapter)
            .filter(organisation=organisation)
            .exists()
        )
    representative = Representative.objects.create(
        organisation=organisation, chapter=chapter, **values
    )
    _keep_one_primary(representative)
    audit_log(
        actor=actor,
        action="representative.create",
        obj=representative,
        chapter=chapter,
        after={"organisation": organisation.pk, "name": representative.name},
    )
    return representative


@transaction.atomic
def representative_update(
    *, actor, chapter: Chapter, representative: Representative, values: dict
) -> Representative:
    representative = Representative.objects.select_for_update().get(
        pk=representative.pk
    )
    values = _clean_representative_values(values)
    before = _snapshot(representative, values)
    for field, value in values.items():
        setattr(representative, field, value)
    representative.save()
    _keep_one_primary(representative)
    changed_before, changed_after = _changes(before, values)
    if changed_after:
        audit_log(
            actor=actor,
            action="representative.update",
            obj=representative,
            chapter=chapter,
            before=changed_before,
            after=changed_after,
        )
    return representative


OWN_CONTACT_FIELDS = ["name", "phone", "role", "language"]


@transaction.atomic
def representative_update_own(
    *, actor, organisation: Organisation, values: dict
) -> list[Representative]:
    """A signed-in representative corrects their own contact details. Every
    row of theirs in the organisation changes (one per chapter that knows
    them), each audited for its own chapter; the address and the primary
    flag stay as the chapters recorded them."""
    values = {key: values[key] for key in OWN_CONTACT_FIELDS if key in values}
    own = Representative.objects.filter(organisation=organisation, user=actor)
    return [
        representative_update(
            actor=actor,
            chapter=representative.chapter,
            representative=representative,
            values=values,
        )
        for representative in own.order_by("pk")
    ]


@transaction.atomic
def representative_remove(
    *, actor, chapter: Chapter, representative: Representative
) -> None:
    audit_log(
        actor=actor,
        action="representative.delete",
        obj=representative,
        chapter=chapter,
        before={
            "organisation": representative.organisation_id,
            "name": representative.name,
        },
    )
    representative.delete()


@transaction.atomic
def prospect_update(
    *, actor, prospect: Prospect, stage: str, owner, notes: str
) -> Prospect:
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    before = {
        "stage": prospect.stage,
        "owner": prospect.owner_id,
        "notes": prospect.notes,
    }
    prospect.stage, prospect.owner, prospect.notes = stage, owner, notes
    prospect.save(update_fields=["stage", "owner", "notes", "updated_at"])
    after = {"stage": stage, "owner": owner.pk if owner else None, "notes": notes}
    changed_before, changed_after = _changes(before, after)
    if changed_after:
        audit_log(
            actor=actor,
            action="prospect.update",
            obj=prospect,
            chapter=prospect.chapter,
            before=changed_before,
            after=changed_after,
        )
    return prospect


# Do-not-contact ---------------------------------------------------------


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
