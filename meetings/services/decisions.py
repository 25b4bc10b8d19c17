"""Writes of decisions and next steps: add, change, remove (restorable for
DECISION_RESTORE_DAYS) and restore; each audited."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.languages import is_filled, localized

from ..models import Decision, Idea, Meeting
from .errors import MeetingError, check_not_cancelled
from .texts import check_length, clean_text

DECISION_MAX_CHARS = 2_000


def _decision_values(data: dict) -> dict:
    """The decision's columns from `data`: its text in each language
    (text_ar, text_en, ...; a language left out is emptied), owner and due
    date."""
    texts = {column: clean_text(data.get(column)) for column in localized("text")}
    if not is_filled(texts, "text"):
        raise MeetingError(
            _("Write the decision in at least one language."),
            field=localized("text")[0],
        )
    for column, text in texts.items():
        check_length(text, DECISION_MAX_CHARS, column)
    return {**texts, "owner": data.get("owner"), "due_date": data.get("due_date")}


def _decision_snapshot(decision: Decision) -> dict:
    due: date | None = decision.due_date
    return {
        **{column: getattr(decision, column) or "" for column in localized("text")},
        "owner": decision.owner_id,
        "due_date": due.isoformat() if due else None,
    }


@transaction.atomic
def decision_add(
    *, actor, meeting: Meeting, data: dict, idea: Idea | None = None
) -> Decision:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_not_cancelled(meeting)
    values = _decision_values(data)
    last = meeting.decisions.order_by("-order").values_list("order", flat=True)
    decision = Decision.objects.create(
        meeting=meeting,
        idea=idea,
        order=(last.first() or 0) + 1,
        created_by=actor,
        **values,
    )
    audit_log(
        actor=actor,
        action="decision.add",
        obj=decision,
        chapter=meeting.chapter,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, data: dict) -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    check_not_cancelled(decision.meeting)
    before = _decision_snapshot(decision)
    for key, value in _decision_values(data).items():
        setattr(decision, key, value)
    decision.save()
    audit_log(
        actor=actor,
        action="decision.update",
        obj=decision,
        chapter=decision.meeting.chapter,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_remove(*, actor, decision: Decision) -> Decision:
    """Take the decision off the decisions page and the minutes. It is only
    marked removed, so that it can be restored (decision_restore) for
    DECISION_RESTORE_DAYS; removing it twice changes nothing."""
    decision = (
        Decision.all_objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    if decision.removed_at is not None:
        return decision
    decision.removed_at = timezone.now()
    decision.removed_by = actor
    decision.save(update_fields=["removed_at", "removed_by"])
    audit_log(
        actor=actor,
        action="decision.remove",
        obj=decision,
        chapter=decision.meeting.chapter,
        before=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_restore(*, actor, decision: Decision) -> Decision:
    """Put a removed decision back where it was, within DECISION_RESTORE_DAYS
    of its removal."""
    decision = (
        Decision.all_objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    if decision.removed_at is None:
        return decision
    check_not_cancelled(decision.meeting)
    if not Decision.all_objects.restorable().filter(pk=decision.pk).exists():
        raise MeetingError(_("This decision was removed too long ago to be restored."))
    decision.removed_at = None
    decision.removed_by = None
    decision.save(update_fields=["removed_at", "removed_by"])
    audit_log(
        actor=actor,
        action="decision.restore",
        obj=decision,
        chapter=decision.meeting.chapter,
        after=_decision_snapshot(decision),
    )
    return decision
