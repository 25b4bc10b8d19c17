"""Writes of the chapters' outreach lists (Prospect): an organiser's follow-up
(stage, owner, notes). Putting an organisation on the list is
organisations.organisation_add; the interest form's is interest."""

from django.db import transaction

from chapters.audit import audit_log

from ..models import Prospect
from .changes import fields_changed


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
    changed_before, changed_after = fields_changed(before, after)
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
