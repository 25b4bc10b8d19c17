"""Writes of organisations: adding one to a chapter's outreach list (or
merging the new entry into a known one) and changing its profile, guarded by
the public-profile rule of chapters.permissions. Each runs in one
transaction and records an audit entry beside the change."""

from django.db import transaction
from django.utils.translation import gettext

from chapters.audit import audit_log
from chapters.languages import field_in_language, localized
from chapters.models import Chapter
from chapters.permissions import (
    can_manage_chapter,
    public_profile_refused_by,
    representative_chapters,
)

from ..models import Membership, Organisation, Prospect, Representative
from .changes import fields_changed, fields_snapshot
from .representatives import representative_add, representative_values_clean

ORGANISATION_FIELDS = [
    *localized("name"),
    "name_transliteration",
    "acronym",
    "kind",
    *localized("city"),
    "website",
    *localized("description"),
    "focus_sdgs",
    "tags",
    "public_email",
]


class ProfileChangeRefused(Exception):
    """A change to an organisation's public profile that the person may not
    make; the message says why and is shown as it is."""

    def __init__(self, chapters: list[Chapter]):
        self.chapters = chapters
        # Translators: the separator between the items of a list.
        names = gettext(", ").join(
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
        before = fields_snapshot(organisation, ORGANISATION_FIELDS)
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
        changed_before, changed_after = fields_changed(
            before, fields_snapshot(organisation, ORGANISATION_FIELDS)
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
            after={
                column: getattr(organisation, column) for column in localized("name")
            },
        )
    if representative and representative.get("name"):
        representative = representative_values_clean(representative)
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
    before = fields_snapshot(organisation, ORGANISATION_FIELDS)
    for field in ORGANISATION_FIELDS:
        if field in values:
            setattr(organisation, field, values[field])
    changed_before, changed_after = fields_changed(
        before, fields_snapshot(organisation, ORGANISATION_FIELDS)
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
