"""Writes of a meeting itself: create, change (telling invitees when the
time or place moved), cancel and mark held. Each runs in one transaction
and records an audit entry; public meetings refresh the country page."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.languages import in_order, localized, validate_codes

from ..models import (
    CANCELLED_BEFORE_SENDING,
    AgendaItem,
    DefaultAgendaItem,
    Invitation,
    Meeting,
)
from .effects import NOTIFIED, country_page_changed, invitees_notify
from .errors import MeetingError

MEETING_FIELDS = [
    "kind",
    *localized("title", "description", "city"),
    "starts_at",
    "ends_at",
    "venue_address",
    "map_url",
    "online_url",
    "working_languages",
    "target_min",
    "target_max",
    "is_public",
    "reminder_days",
]


def _meeting_snapshot(meeting: Meeting) -> dict:
    return {
        "title": str(meeting.title),
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "status": meeting.status,
    }


def _meeting_recorded(
    *,
    actor,
    meeting: Meeting,
    action: str,
    before: dict | None = None,
    was_public: bool = False,
) -> None:
    """The end of every change to a meeting: the cached country page, which
    lists public meetings and dates the chapter's first meeting by its first
    exploratory meeting held, is refreshed, and the change is audited."""
    first_meeting = (
        meeting.kind == Meeting.Kind.EXPLORATORY
        and meeting.status == Meeting.Status.HELD
    )
    if was_public or meeting.is_public or first_meeting:
        country_page_changed(meeting)
    audit_log(
        actor=actor,
        action=action,
        obj=meeting,
        chapter=meeting.chapter,
        before=before,
        after=_meeting_snapshot(meeting),
    )


def _check_times(
    *, starts_at: datetime, ends_at: datetime, now: datetime, held: bool = False
) -> None:
    """An upcoming meeting starts in the future; one that already took place
    (recorded afterwards, or corrected once held) started in the past."""
    if ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."), field="ends_at")
    if held and starts_at > now:
        raise MeetingError(
            _("A meeting that already took place cannot start in the future."),
            field="starts_at",
        )
    if not held and starts_at <= now:
        raise MeetingError(
            _(
                "The meeting cannot start in the past. If it already took place, "
                "tick “This meeting already took place”."
            ),
            field="starts_at",
        )


def _check_working_languages(values: dict) -> None:
    """Some of the site's languages, kept in the settings' order."""
    if "working_languages" not in values:
        return
    try:
        validate_codes(values["working_languages"])
    except ValidationError as error:
        raise MeetingError(error.messages[0], field="working_languages") from error
    values["working_languages"] = in_order(values["working_languages"])


def _check_target(*, target_min: int, target_max: int) -> None:
    if target_min > target_max:
        raise MeetingError(
            _("The minimum number of organisations cannot exceed the maximum."),
            field="target_max",
        )


@transaction.atomic
def meeting_create(
    *, actor, chapter, data: dict, already_held: bool = False
) -> Meeting:
    """Create a draft meeting; an exploratory meeting starts with the default
    agenda (the source document's seven items). A meeting that already took
    place (`already_held`) is recorded as held at once: its start is in the
    past, nobody is invited to it, and attendance, notes, ideas, decisions
    and minutes are entered afterwards."""
    values = {key: data[key] for key in MEETING_FIELDS if key in data}
    _check_times(
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        now=timezone.now(),
        held=already_held,
    )
    _check_target(
        target_min=values.get("target_min", 10), target_max=values.get("target_max", 20)
    )
    _check_working_languages(values)
    if already_held:
        values["status"] = Meeting.Status.HELD
    meeting = Meeting.objects.create(chapter=chapter, created_by=actor, **values)
    if meeting.kind == Meeting.Kind.EXPLORATORY:
        columns = localized("title", "notes")
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=position,
                duration_minutes=item.duration_minutes,
                **{column: getattr(item, column) for column in columns},
            )
            for position, item in enumerate(DefaultAgendaItem.objects.all(), start=1)
        )
    _meeting_recorded(actor=actor, meeting=meeting, action="meeting.create")
    return meeting


# What invitees are told about when it changes: the time (the "moved"
# notice) and the place (the "relocated" notice), each with a calendar file
# that replaces the earlier event.
WHEN_FIELDS = ("starts_at", "ends_at")

WHERE_FIELDS = (*localized("city"), "venue_address", "map_url", "online_url")


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, data: dict, notify_invitees: bool = True
) -> Meeting:
    """Change a meeting. When the time or the place changes, calendar
    programs are told to replace the earlier event (SEQUENCE goes up), and
    if the organiser asks (`notify_invitees`), every reached invitee of an
    upcoming meeting is sent the notice with the new time and calendar
    file. Nobody is ever notified about a meeting that was held: changing it
    corrects the record. A cancelled meeting is not changed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("A meeting that was cancelled cannot be changed."))
    held = meeting.status == Meeting.Status.HELD
    before = _meeting_snapshot(meeting)
    was_public = meeting.is_public
    values = {key: data[key] for key in MEETING_FIELDS if key in data}
    moved = any(
        key in values and values[key] != getattr(meeting, key) for key in WHEN_FIELDS
    )
    relocated = any(
        key in values and (values[key] or "") != (getattr(meeting, key) or "")
        for key in WHERE_FIELDS
    )
    if moved:
        _check_times(
            starts_at=values.get("starts_at", meeting.starts_at),
            ends_at=values.get("ends_at", meeting.ends_at),
            now=timezone.now(),
            held=held,
        )
    _check_target(
        target_min=values.get("target_min", meeting.target_min),
        target_max=values.get("target_max", meeting.target_max),
    )
    _check_working_languages(values)
    for key, value in values.items():
        setattr(meeting, key, value)
    if moved or relocated:
        meeting.sequence += 1
    meeting.save()
    # One notice with the meeting as it now stands: "moved" when the time
    # changed (the place too, perhaps), "relocated" when only the place did.
    if (moved or relocated) and notify_invitees and not held:
        invitees_notify(meeting=meeting, message="moved" if moved else "relocated")
    _meeting_recorded(
        actor=actor,
        meeting=meeting,
        action="meeting.update",
        before=before,
        was_public=was_public,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    """Cancel the meeting and tell everyone who was invited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    if meeting.status == Meeting.Status.HELD:
        raise MeetingError(_("A meeting that was held cannot be cancelled."))
    before = _meeting_snapshot(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    # Invitations not sent yet are simply not sent.
    Invitation.objects.filter(meeting=meeting, status=Invitation.Status.QUEUED).update(
        status=Invitation.Status.FAILED,
        pending_message="",
        next_attempt_at=None,
        failure_reason=CANCELLED_BEFORE_SENDING,
    )
    invitees_notify(meeting=meeting, message="cancelled")
    _meeting_recorded(
        actor=actor, meeting=meeting, action="meeting.cancel", before=before
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, meeting: Meeting) -> Meeting:
    """Record that the meeting took place; invitees who never answered are
    marked "no reply"."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("A cancelled meeting cannot be marked as held."))
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("A meeting can be marked as held once it has started."))
    before = _meeting_snapshot(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    Invitation.objects.filter(meeting=meeting, status__in=Invitation.AWAITING).update(
        status=Invitation.Status.NO_REPLY, pending_message=""
    )
    _meeting_recorded(
        actor=actor, meeting=meeting, action="meeting.held", before=before
    )
    return meeting


def meeting_has_invitees_to_tell(meeting: Meeting) -> bool:
    """Whether a change of time would reach anyone: an upcoming meeting with
    invitations that went out."""
    return (
        meeting.status in (Meeting.Status.DRAFT, Meeting.Status.OPEN)
        and Invitation.objects.filter(meeting=meeting, status__in=NOTIFIED).exists()
    )
