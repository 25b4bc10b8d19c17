"""Merging two organisations that are both already known: the one the
organiser keeps absorbs the other, which then disappears.

Nothing recorded is lost and nothing is invented:
- the kept organisation's empty fields are filled from the absorbed one, per
  language for translated fields; nothing it already has is overwritten;
- every row pointing at the absorbed organisation moves to the kept one.
  RELATION_RULES names a rule for every relation Django knows of (including
  the hidden ones of the meetings app); a relation without a rule stops the
  merge, so a new foreign key can never be forgotten (or cascade-deleted);
- where the kept organisation already has the same row (one prospect or one
  membership per chapter, one volunteering per task, the same contact's
  address), the clash is resolved explicitly below. A membership is never
  moved up the consent path: the one further along is kept as it is, and the
  other's history is moved onto it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapters.audit import audit_log
from chapters.cache import country_page_invalidate
from chapters.languages import localized
from chapters.models import Chapter

from ..models import (
    NAME_KEY_COLUMNS,
    ConfirmationLink,
    GovernanceRole,
    Membership,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from ..selectors import BY_NAME, organisation_duplicates

# Filled on the kept organisation only when it has nothing there.
FILLED_FIELDS = [
    *localized("name"),
    "name_transliteration",
    "acronym",
    "country",
    *localized("city"),
    "website",
    "logo",
    *localized("description"),
    "public_email",
]
# Lists: the kept organisation's values first, then the absorbed one's new ones.
UNITED_FIELDS = ["focus_sdgs", "tags"]
# The kept organisation's value stands (a type is always set).
KEPT_FIELDS = ["kind"]
# Not content: the key, the language-neutral fields modeltranslation mirrors
# from their `<field>_<code>` columns, the derived duplicate keys and the
# timestamps.
DERIVED_FIELDS = [
    "id",
    "name",
    "city",
    "description",
    *NAME_KEY_COLUMNS,
    "website_domain",
    "search_text",
    "created_at",
    "updated_at",
]

# Further along the outreach path wins when both are on one chapter's list.
# A decline outranks being merely identified or invited, but an organisation
# that later responded, attended or joined has moved past it.
STAGE_ORDER = [
    Prospect.Stage.IDENTIFIED,
    Prospect.Stage.INVITED,
    Prospect.Stage.DECLINED,
    Prospect.Stage.RESPONDED,
    Prospect.Stage.ATTENDED,
    Prospect.Stage.MEMBER,
]
# Further along the consent path wins when both are members of one chapter:
# an explicit answer (declined, withdrawn) outranks a pending request, and
# a confirmation outranks everything. The winner keeps its state as it is.
CONSENT_ORDER = [
    Membership.State.CANDIDATE,
    Membership.State.REQUESTED,
    Membership.State.CONSULTING,
    Membership.State.DECLINED,
    Membership.State.WITHDRAWN,
    Membership.State.CONFIRMED,
]


class MergeError(Exception):
    """A domain error whose message is shown to the person as it is."""


class MergeAlreadyDone(MergeError):
    """The organisation to absorb no longer exists: a retried request after
    a merge that succeeded. Nothing was changed."""


@dataclass
class MergeResult:
    kept: Organisation
    moved: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)


# Relations ----------------------------------------------------------------


def organisation_relations() -> list:
    """Every relation pointing at Organisation, hidden ones included
    (related_name="+" in the meetings app)."""
    return [
        relation
        for relation in Organisation._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
    ]


def relation_label(relation) -> str:
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def _reverse_foreign_keys(model) -> list:
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and relation.one_to_many
        and not relation.field.many_to_many
    ]


def _repoint(model, old, new) -> None:
    """Rows of other tables that point at `old` (a representative or a
    membership about to go) point at `new` instead."""
    for relation in _reverse_foreign_keys(model):
        relation.related_model._default_manager.filter(
            **{relation.field.name: old}
        ).update(**{relation.field.name: new})


def _move(relation, keep, absorb) -> int:
    return relation.related_model._default_manager.filter(
        **{relation.field.name: absorb}
    ).update(**{relation.field.name: keep})


def _representative_scope(representative: Representative):
    # Contacts belong to the chapter that entered them: the same address is
    # the same person only within one chapter.
    return representative.chapter_id


def _merge_representatives(relation, keep, absorb) -> int:
    kept = list(Representative.objects.select_for_update().filter(organisation=keep))
    by_address = {
        (_representative_scope(r), r.email.lower()): r for r in kept if r.email
    }
    has_primary = {_representative_scope(r) for r in kept if r.is_primary}
    moved = 0
    for other in Representative.objects.select_for_update().filter(organisation=absorb):
        scope = _representative_scope(other)
        same = by_address.get((scope, other.email.lower())) if other.email else None
        if same is not None:
            # One person, recorded twice: keep the kept organisation's record,
            # complete it, and let everything that named the other name it.
            for name in ("phone", "role", "user_id"):
                if not getattr(same, name) and getattr(other, name):
                    setattr(same, name, getattr(other, name))
            same.save()
            _repoint(Representative, other, same)
            other.delete()
            continue
        other.organisation = keep
        if other.is_primary and scope in has_primary:
            other.is_primary = False  # one primary contact per organisation
        if other.is_primary:
            has_primary.add(scope)
        other.save(update_fields=["organisation", "is_primary"])
        moved += 1
    return moved


def _merge_per_chapter(model, keep, absorb, clash) -> int:
    """Rows of which an organisation has at most one per chapter: the
    absorbed organisation's rows in chapters where the kept one has none
    move; where both have one, `clash(mine, other)` leaves one."""
    kept = {
        row.chapter_id: row
        for row in model.objects.select_for_update().filter(organisation=keep)
    }
    moved = 0
    for other in model.objects.select_for_update().filter(organisation=absorb):
        mine = kept.get(other.chapter_id)
        if mine is None:
            other.organisation = keep
            other.save(update_fields=["organisation", "updated_at"])
            moved += 1
        else:
            clash(mine, other, keep)
    return moved


def _prospect_clash(mine: Prospect, other: Prospect, keep) -> None:
    if STAGE_ORDER.index(other.stage) > STAGE_ORDER.index(mine.stage):
        mine.stage = other.stage
    mine.owner_id = mine.owner_id or other.owner_id
    notes = [text for text in (mine.notes, other.notes) if text.strip()]
    mine.notes = "\n\n".join(dict.fromkeys(notes))
    mine.save(update_fields=["stage", "owner", "notes", "updated_at"])
    other.delete()


def _membership_clash(mine: Membership, other: Membership, keep) -> None:
    # Never invent consent: the membership further along the consent path
    # stays exactly as it is (ties: the kept organisation's). The other's
    # links are closed and its history joins the winner's, so both
    # histories, and every consent record, remain.
    if CONSENT_ORDER.index(other.state) > CONSENT_ORDER.index(mine.state):
        winner, loser = other, mine
    else:
        winner, loser = mine, other
    ConfirmationLink.objects.filter(membership=loser).outstanding().update(
        revoked_at=timezone.now()
    )
    _repoint(Membership, loser, winner)
    loser.delete()
    if winner.organisation_id != keep.pk:
        winner.organisation = keep
        winner.save(update_fields=["organisation", "updated_at"])


def _merge_prospects(relation, keep, absorb) -> int:
    return _merge_per_chapter(Prospect, keep, absorb, _prospect_clash)


def _merge_memberships(relation, keep, absorb) -> int:
    return _merge_per_chapter(Membership, keep, absorb, _membership_clash)


def _merge_volunteerings(relation, keep, absorb) -> int:
    # One volunteering per task: where both offered, the kept one's stays.
    Volunteering.objects.filter(
        organisation=absorb,
        task__in=Volunteering.objects.filter(organisation=keep).values("task"),
    ).delete()
    return _move(relation, keep, absorb)


def _merge_governance_roles(relation, keep, absorb) -> int:
    # One current role of a kind (and area) per organisation in a chapter:
    # where both hold it, the kept one's stays; past roles all move.
    GovernanceRole.objects.filter(organisation=absorb, ends_on__isnull=True).filter(
        models.Exists(
            GovernanceRole.objects.filter(
                organisation=keep,
                ends_on__isnull=True,
                chapter=models.OuterRef("chapter"),
                kind=models.OuterRef("kind"),
                area=models.OuterRef("area"),
            )
        )
    ).delete()
    return _move(relation, keep, absorb)


def _move_pair(relation, keep, absorb) -> int:
    """The hidden table of a many-to-many to organisations (one row per
    pair): where a row already names the kept organisation, the absorbed
    one's row goes; the others move."""
    model, name = relation.related_model, relation.field.name
    partner = next(
        f.name for f in model._meta.concrete_fields if f.is_relation and f.name != name
    )
    kept = model._default_manager.filter(**{name: keep}).values(partner)
    model._default_manager.filter(**{name: absorb, f"{partner}__in": kept}).delete()
    return _move(relation, keep, absorb)


def _through_its_own_model(relation, keep, absorb) -> int:
    # InitialTask.volunteers goes through Volunteering, which has its rule.
    return 0


RELATION_RULES: dict[str, Callable] = {
    "members.Representative.organisation": _merge_representatives,
    "members.Membership.organisation": _merge_memberships,
    "members.Prospect.organisation": _merge_prospects,
    "members.InitialTask.lead": _move,
    "members.InitialTask.volunteers": _through_its_own_model,
    "members.Volunteering.organisation": _merge_volunteerings,
    "members.GovernanceRole.organisation": _merge_governance_roles,
    "meetings.Invitation.organisation": _move,
    "meetings.Attendance.organisation": _move,
    "meetings.Idea.organisation": _move,
    "meetings.Decision.owner": _move,
    # An engagement's organisations taking part: the rows of its hidden
    # table have their rule; the field itself moves nothing.
    "meetings.Engagement.organisations": _through_its_own_model,
    "meetings.Engagement_organisations.organisation": _move_pair,
}


def relations_without_rule() -> list[str]:
    return [
        relation_label(relation)
        for relation in organisation_relations()
        if relation_label(relation) not in RELATION_RULES
    ]


# Who may merge ----------------------------------------------------------------


def merge_refusal(*, actor, chapter: Chapter, keep, absorb) -> str:
    """Why the actor may not merge these two on this chapter's outreach list,
    or "" when they may. Both must be on the list; an organisation that
    another chapter also follows is merged by staff only, since the merge
    changes what that chapter sees."""
    if keep.pk == absorb.pk:
        return gettext("An organisation cannot be merged with itself.")
    pair = [keep.pk, absorb.pk]
    on_list = Prospect.objects.filter(chapter=chapter, organisation__in=pair)
    if on_list.count() != 2:
        return gettext("Both organisations must be on this chapter's outreach list.")
    if actor.is_staff:
        return ""
    elsewhere = (
        Prospect.objects.filter(organisation__in=pair).exclude(chapter=chapter).exists()
        or Membership.objects.filter(organisation__in=pair)
        .exclude(chapter=chapter)
        .exists()
    )
    if elsewhere:
        return gettext(
            "One of these organisations is also followed by another chapter. "
            "Merging would change what that chapter sees, so the portal's staff "
            "must do it: please ask them."
        )
    return ""


# The merge ------------------------------------------------------------------


def _describe(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        **{column: getattr(organisation, column) or "" for column in localized("name")},
    }


def _value(organisation, name):
    """The field's value as the audit entry stores it (a logo by its file
    name, a country by its code)."""
    value = getattr(organisation, name)
    if value is None or isinstance(value, str | list | int):
        return value
    return str(value)


def _fill(keep: Organisation, absorb: Organisation) -> tuple[dict, dict]:
    before, after = {}, {}
    for name in FILLED_FIELDS:
        mine, theirs = _value(keep, name), _value(absorb, name)
        if theirs and not str(mine or "").strip():
            before[name], after[name] = mine or "", theirs
            setattr(keep, name, theirs)
    for name in UNITED_FIELDS:
        mine = list(getattr(keep, name) or [])
        united = mine + [v for v in getattr(absorb, name) or [] if v not in mine]
        if united != mine:
            before[name], after[name] = mine, united
            setattr(keep, name, united)
    return before, after


@transaction.atomic
def organisations_merge(
    *, actor, chapter: Chapter, keep: Organisation, absorb: Organisation
) -> MergeResult:
    """Merge `absorb` into `keep` (see the module docstring). Raises
    MergeAlreadyDone when `absorb` is gone (a retry), MergeError when the
    actor may not merge them; either way nothing changes."""
    locked = {
        o.pk: o
        for o in Organisation.objects.select_for_update()
        .filter(pk__in=[keep.pk, absorb.pk])
        .order_by("pk")
    }
    if absorb.pk not in locked:
        raise MergeAlreadyDone(
            gettext("These organisations were already merged; nothing was changed.")
        )
    if keep.pk not in locked:
        raise MergeError(
            gettext("The organisation to keep no longer exists; nothing was changed.")
        )
    keep, absorb = locked[keep.pk], locked[absorb.pk]
    missing = relations_without_rule()
    if missing:
        # A programming error, not the organiser's: refuse rather than let
        # the delete below cascade over rows nobody decided about.
        raise RuntimeError(f"No merge rule for {', '.join(missing)}")
    pair = [keep.pk, absorb.pk]
    # Lock the rows whose clashes are resolved, before deciding anything.
    list(Prospect.objects.select_for_update().filter(organisation__in=pair))
    list(Membership.objects.select_for_update().filter(organisation__in=pair))
    refusal = merge_refusal(actor=actor, chapter=chapter, keep=keep, absorb=absorb)
    if refusal:
        raise MergeError(refusal)
    listed_in = set(
        Membership.objects.listed()
        .filter(organisation__in=pair)
        .values_list("chapter_id", flat=True)
    )
    absorbed = _describe(absorb)
    before, after = _fill(keep, absorb)
    result = MergeResult(kept=keep, filled=list(after))
    for relation in organisation_relations():
        label = relation_label(relation)
        result.moved[label] = RELATION_RULES[label](relation, keep, absorb)
    absorb.delete()
    keep.save()
    audit_log(
        actor=actor,
        action="organisation.merge_existing",
        obj=keep,
        chapter=chapter,
        before={"kept": _describe(keep) | before, "absorbed": absorbed},
        after={
            "kept": _describe(keep) | after,
            "moved": {k: v for k, v in result.moved.items() if v},
        },
    )
    for chapter_id in listed_in:
        country_page_invalidate(chapter_id)
    return result


# What the page shows --------------------------------------------------------

COUNTED = {
    "contacts": ("members.Representative.organisation", _("Representatives")),
    "invitations": ("meetings.Invitation.organisation", _("Invitations")),
    "memberships": ("members.Membership.organisation", _("Memberships")),
    "attendances": ("meetings.Attendance.organisation", _("Attendance records")),
    "ideas": ("meetings.Idea.organisation", _("Ideas proposed")),
    "decisions": ("meetings.Decision.owner", _("Decisions owned")),
    "tasks": ("members.Volunteering.organisation", _("Tasks volunteered for")),
}


def merge_counts(organisations: list[Organisation], *, chapter: Chapter) -> None:
    """Set `merge_counts` on each organisation: [(label, number)] of what
    would move, in one query for all of them. Contacts are counted as the
    chapter's organisers see them (their own chapter's only)."""
    relations = {relation_label(r): r for r in organisation_relations()}
    annotations = {}
    for key, (label, _title) in COUNTED.items():
        relation = relations[label]
        rows = relation.related_model._default_manager.filter(
            **{relation.field.name: models.OuterRef("pk")}
        )
        if key == "contacts":
            rows = rows.for_chapter(chapter)
        rows = (
            rows.order_by()
            .values(relation.field.name)
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        annotations[f"count_{key}"] = Coalesce(models.Subquery(rows), models.Value(0))
    counts = {
        row["pk"]: row
        for row in Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).values("pk", **annotations)
    }
    for organisation in organisations:
        row = counts.get(organisation.pk, {})
        organisation.merge_counts = [
            (title, row.get(f"count_{key}", 0))
            for key, (_label, title) in COUNTED.items()
        ]


def duplicates_on_list(*, prospect: Prospect):
    """The other organisations on the same outreach list that the duplicate
    rule (members.selectors.organisation_duplicates) takes for this one."""
    organisation = prospect.organisation
    same = organisation_duplicates(
        **{column: getattr(organisation, column) or "" for column in localized("name")},
        website=organisation.website,
        exclude=organisation,
    )
    return (
        Prospect.objects.filter(chapter_id=prospect.chapter_id, organisation__in=same)
        .select_related("organisation")
        .order_by(*BY_NAME, "pk")
    )
