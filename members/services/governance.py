"""A chapter's governance: its co-chairs, host organisation, steering
committee members and focal points per area of joint work, each role held by
a member organisation of the chapter through one of its representatives
there, from a start day to an end day (none while it is held).

The rules are here, checked under a lock on the chapter's row so that two
organisers appointing at the same time cannot pass a limit together:
- the organisation is a listed (confirmed) member of the chapter;
- the representative, required except for the host organisation (which holds
  its role as a body), is one the chapter collected for that organisation;
- at most two current co-chairs and one current host organisation;
- an organisation holds the same current role once (a focal point's role is
  its area's);
- a role ends on or after the day it starts.
A withdrawn membership ends the organisation's current roles that day
(governance_roles_end_for_withdrawal, one call from the membership service).
Every change is audited, makes the country page stale and is notified to
the chapter's other organisers."""

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapters import languages, notifications
from chapters.audit import audit_log
from chapters.cache import country_page_invalidate
from chapters.models import Chapter

from ..models import (
    GovernanceArea,
    GovernanceRole,
    Membership,
    Organisation,
    Representative,
)

Kind = GovernanceRole.Kind
# How many organisations may hold a role at once; roles not named here have
# no limit.
LIMITS = {Kind.CO_CHAIR: 2, Kind.HOST: 1}
# The fields an update may change, and what the audit entries record.
UPDATE_FIELDS = ("starts_on", "ends_on", "note")
AUDITED = ("kind", "area", "organisation", "representative", *UPDATE_FIELDS)


class GovernanceError(Exception):
    """A domain error whose message is shown to the organiser as it is."""


def chapter_today(chapter: Chapter) -> datetime.date:
    return timezone.now().astimezone(chapter.zone).date()


def role_label(role: GovernanceRole) -> str:
    """The role's name in the active language: "Co-chair", "Focal point
    (Advocacy)"."""
    if role.is_focal_point and role.area:
        return gettext("Focal point (%(area)s)") % {"area": role.get_area_display()}
    return str(role.get_kind_display())


def role_labels(role: GovernanceRole) -> dict[str, str]:
    """The role's name in every language, for notices read later."""
    labels = {}
    for code in languages.codes():
        with translation.override(code):
            labels[code] = role_label(role)
    return labels


def member_organisations(chapter: Chapter):
    """The organisations that may hold a role: the chapter's listed members."""
    return Organisation.objects.filter(
        pk__in=Membership.objects.listed().for_chapter(chapter).values("organisation")
    )


def _snapshot(role: GovernanceRole) -> dict:
    values = {}
    for key in AUDITED:
        field = GovernanceRole._meta.get_field(key)
        value = getattr(role, field.attname)
        values[key] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


def _lock_chapter(chapter: Chapter) -> Chapter:
    return Chapter.objects.select_for_update().get(pk=chapter.pk)


def _check_dates(starts_on, ends_on) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("A role cannot end before the day it starts."))


def _check_current(role: GovernanceRole) -> None:
    """The limits and duplicates among the chapter's current roles, for a
    role about to be current."""
    current = GovernanceRole.objects.for_chapter(role.chapter_id).current()
    if role.pk:
        current = current.exclude(pk=role.pk)
    limit = LIMITS.get(role.kind)
    if limit is not None and current.filter(kind=role.kind).count() >= limit:
        if role.kind == Kind.CO_CHAIR:
            raise GovernanceError(
                _(
                    "The chapter already has two co-chairs. End one of their "
                    "roles before appointing another."
                )
            )
        raise GovernanceError(
            _(
                "The chapter already has a host organisation. End its role "
                "before appointing another."
            )
        )
    if current.filter(
        kind=role.kind, area=role.area, organisation_id=role.organisation_id
    ).exists():
        raise GovernanceError(
            _("This organisation already holds this role in the chapter.")
        )


def _changed(*, actor, chapter: Chapter, role: GovernanceRole, change: str) -> None:
    country_page_invalidate(chapter)
    notifications.governance_changed(
        chapter=chapter,
        change=change,
        organisation=role.organisation,
        role=role_labels(role),
        actor=actor,
    )


@transaction.atomic
def governance_role_assign(
    *,
    actor,
    chapter: Chapter,
    kind: str,
    organisation: Organisation,
    representative: Representative | None = None,
    area: str = "",
    starts_on: datetime.date | None = None,
    note: str = "",
) -> GovernanceRole:
    """Appoint a member organisation (and its representative) to a role."""
    chapter = _lock_chapter(chapter)
    if kind not in Kind.values:
        raise GovernanceError(_("Choose one of the roles."))
    if kind == Kind.FOCAL_POINT:
        if area not in GovernanceArea.values:
            raise GovernanceError(
                _("Choose the area of joint work of the focal point.")
            )
    else:
        area = ""
    if not member_organisations(chapter).filter(pk=organisation.pk).exists():
        raise GovernanceError(
            _(
                "Only a confirmed member organisation of the chapter can hold a "
                "role in its governance."
            )
        )
    if representative is not None and not (
        Representative.objects.for_chapter(chapter)
        .filter(pk=representative.pk, organisation=organisation)
        .exists()
    ):
        raise GovernanceError(
            _("Choose a representative of this organisation in the chapter.")
        )
    if representative is None and kind != Kind.HOST:
        raise GovernanceError(_("Choose the representative who holds the role."))
    role = GovernanceRole(
        chapter=chapter,
        kind=kind,
        area=area,
        organisation=organisation,
        representative=representative,
        starts_on=starts_on or chapter_today(chapter),
        note=note.strip(),
    )
    _check_current(role)
    role.save()
    audit_log(
        actor=actor,
        action="governance_role.assign",
        obj=role,
        chapter=chapter,
        after=_snapshot(role),
    )
    _changed(actor=actor, chapter=chapter, role=role, change="assign")
    return role


def _lock_role(chapter: Chapter, role: GovernanceRole) -> GovernanceRole:
    return (
        GovernanceRole.objects.select_for_update(of=("self",))
        .select_related("organisation", "chapter")
        .get(pk=role.pk, chapter=chapter)
    )


@transaction.atomic
def governance_role_update(
    *,
    actor,
    chapter: Chapter,
    role: GovernanceRole,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    note: str = "",
) -> GovernanceRole:
    """Correct a role's dates or note. A role made current again (its end
    cleared) must fit the limits again."""
    chapter = _lock_chapter(chapter)
    role = _lock_role(chapter, role)
    _check_dates(starts_on, ends_on)
    before = _snapshot(role)
    was_current = role.is_current
    role.starts_on, role.ends_on, role.note = starts_on, ends_on, note.strip()
    if role.is_current and not was_current:
        _check_current(role)
    after = _snapshot(role)
    changed = [key for key in UPDATE_FIELDS if before[key] != after[key]]
    if not changed:
        return role
    role.save()
    audit_log(
        actor=actor,
        action="governance_role.update",
        obj=role,
        chapter=chapter,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    _changed(actor=actor, chapter=chapter, role=role, change="update")
    return role


@transaction.atomic
def governance_role_end(
    *,
    actor,
    chapter: Chapter,
    role: GovernanceRole,
    ends_on: datetime.date | None = None,
) -> GovernanceRole:
    """End a current role (today, by default). Ending an ended role changes
    nothing."""
    chapter = _lock_chapter(chapter)
    role = _lock_role(chapter, role)
    if not role.is_current:
        return role
    ends_on = ends_on or chapter_today(chapter)
    # A role that starts later than its end day (appointed ahead) ends on the
    # day it would have started.
    ends_on = max(ends_on, role.starts_on)
    role.ends_on = ends_on
    role.save(update_fields=["ends_on", "updated_at"])
    audit_log(
        actor=actor,
        action="governance_role.end",
        obj=role,
        chapter=chapter,
        before={"ends_on": None},
        after={"ends_on": ends_on.isoformat()},
    )
    _changed(actor=actor, chapter=chapter, role=role, change="end")
    return role


@transaction.atomic
def governance_role_delete(*, actor, chapter: Chapter, role: GovernanceRole) -> None:
    """Remove a role entered by mistake (a role that was held is ended, not
    removed, so the chapter's history keeps it)."""
    chapter = _lock_chapter(chapter)
    role = _lock_role(chapter, role)
    before = _snapshot(role)
    labels = role_labels(role)
    organisation = role.organisation
    audit_log(
        actor=actor,
        action="governance_role.delete",
        obj=role,
        chapter=chapter,
        before=before,
    )
    role.delete()
    country_page_invalidate(chapter)
    notifications.governance_changed(
        chapter=chapter,
        change="delete",
        organisation=organisation,
        role=labels,
        actor=actor,
    )


def governance_roles_end_for_withdrawal(*, membership: Membership, actor=None) -> int:
    """The organisation left the chapter: its current roles end that day.
    Called by the membership service inside its transaction. Returns the
    number of roles ended."""
    roles = GovernanceRole.objects.for_chapter(membership.chapter).current()
    ended = 0
    for role in roles.filter(organisation=membership.organisation).order_by("pk"):
        governance_role_end(actor=actor, chapter=membership.chapter, role=role)
        ended += 1
    return ended
