"""Writes of representatives, the private contacts of an organisation, each
belonging to the chapter that collected it: add, update (by organisers or
by the representatives themselves) and remove, keeping one primary contact
per organisation and chapter. Each is audited."""

from django.db import transaction

from chapters.audit import audit_log
from chapters.models import Chapter

from ..models import Organisation, Representative
from .changes import fields_changed, fields_snapshot

REPRESENTATIVE_FIELDS = ["name", "email", "phone", "role", "language", "is_primary"]


def representative_values_clean(values: dict) -> dict:
    values = {key: values[key] for key in REPRESENTATIVE_FIELDS if key in values}
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    return values


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
    values = representative_values_clean(values)
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
    values = representative_values_clean(values)
    before = fields_snapshot(representative, values)
    for field, value in values.items():
        setattr(representative, field, value)
    representative.save()
    _keep_one_primary(representative)
    changed_before, changed_after = fields_changed(before, values)
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
