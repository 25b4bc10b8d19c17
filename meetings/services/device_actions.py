"""Actions of the meeting day sent from an organiser's device, applied once.

A phone at the door keeps what the organiser does while the network is gone
and sends it when it returns (static/js/meeting-day.js). It sends each action
with the id it made for it (`client_id`, a UUID), and sends again until it
hears back; the answer may be lost after the action was applied. `once`
applies an action and records its id in one transaction, so a resend of an
applied action does nothing, and two resends racing each other apply it once
(the second waits on the id's unique index, then rolls back)."""

import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction

from ..models import DeviceAction, Meeting


class AlreadyApplied(Exception):
    """The action with this id was applied before: nothing more to do."""


def client_id_of(value: str | None) -> uuid.UUID | None:
    """The device's id of an action, or None for a form sent without one
    (a page without JavaScript) or a malformed one (then applied as sent)."""
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def once[T](
    *,
    client_id: uuid.UUID | None,
    meeting: Meeting,
    kind: str,
    actor,
    apply: Callable[[], T],
) -> T:
    """Apply `apply()` unless the action `client_id` was applied already
    (then raise AlreadyApplied). Without an id, apply it as any form post."""
    if client_id is None:
        return apply()
    if DeviceAction.objects.filter(client_id=client_id).exists():
        raise AlreadyApplied
    try:
        with transaction.atomic():
            result = apply()
            DeviceAction.objects.create(
                client_id=client_id, meeting=meeting, kind=kind, actor=actor
            )
    except IntegrityError:
        if DeviceAction.objects.filter(client_id=client_id).exists():
            raise AlreadyApplied from None
        raise
    return result
