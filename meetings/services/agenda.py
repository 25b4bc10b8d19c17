"""Writes of a meeting's agenda: add, change, remove and move items, each
audited; the order stays a gapless 1..n."""

from django.db import transaction
from django.db.models import Max

from chapters.audit import audit_log
from chapters.languages import localized

from ..models import AgendaItem, Meeting

AGENDA_FIELDS = [*localized("title", "notes"), "duration_minutes", "presenter"]


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, data: dict) -> AgendaItem:
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    values = {key: data[key] for key in AGENDA_FIELDS if key in data}
    item = AgendaItem.objects.create(meeting=meeting, order=last + 1, **values)
    audit_log(
        actor=actor,
        action="agenda_item.add",
        obj=item,
        chapter=meeting.chapter,
        after={"title": str(item.title), "order": item.order},
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, data: dict) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = {key: getattr(item, key) for key in AGENDA_FIELDS}
    for key in AGENDA_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    item.save()
    audit_log(
        actor=actor,
        action="agenda_item.update",
        obj=item,
        chapter=item.meeting.chapter,
        before=before,
        after={key: getattr(item, key) for key in AGENDA_FIELDS},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    audit_log(
        actor=actor,
        action="agenda_item.remove",
        obj=item,
        chapter=meeting.chapter,
        before={"title": str(item.title), "order": item.order},
    )
    item.delete()
    _renumber(meeting)


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down"); at
    either end nothing changes."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    items = list(meeting.agenda_items.order_by("order", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(items, ["order"])
    audit_log(
        actor=actor,
        action="agenda_item.move",
        obj=item,
        chapter=meeting.chapter,
        before={"position": index + 1},
        after={"position": target + 1},
    )


def _renumber(meeting: Meeting) -> None:
    items = list(meeting.agenda_items.order_by("order", "id"))
    for position, other in enumerate(items, start=1):
        other.order = position
    AgendaItem.objects.bulk_update(items, ["order"])
