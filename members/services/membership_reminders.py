"""Reminders of memberships still consulting: once the organiser's number of
days has passed, each consultation is reminded once (recorded as an event
and audited), under a lock so overlapping runs send nothing twice."""

from django.db import transaction
from django.utils import timezone

from ..models import Membership, MembershipEvent
from .membership_links import membership_request_send, reachable_representatives
from .membership_rules import membership_event_record, membership_lock

State = Membership.State
Action = MembershipEvent.Action
Via = MembershipEvent.Via


def membership_reminders_queue() -> int:
    """Remind the representatives of organisations still consulting once
    their organiser's number of days has passed. Each membership is reminded
    once per consultation, under a lock, so overlapping runs send nothing
    twice. Returns the number of memberships reminded."""
    due = Membership.objects.filter(
        state=State.CONSULTING,
        remind_at__lte=timezone.now(),
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            membership = membership_lock(Membership(pk=pk))
            if (
                membership.state != State.CONSULTING
                or membership.reminder_sent_at is not None
                or membership.remind_at is None
                or membership.remind_at > timezone.now()
            ):
                continue
            membership.reminder_sent_at = timezone.now()
            membership.save(update_fields=["reminder_sent_at", "updated_at"])
            membership_event_record(
                membership=membership,
                action=Action.REMIND,
                from_state=membership.state,
                to_state=membership.state,
                via=Via.SYSTEM,
            )
            for representative in reachable_representatives(
                membership.organisation, membership.chapter
            ):
                membership_request_send(
                    membership=membership,
                    representative=representative,
                    actor=None,
                    reminder=True,
                )
            count += 1
    return count
