"""Errors of the meetings services: MeetingError, which every service
raises when a rule is broken, and the rule checks several services share."""

from django.utils.translation import gettext as _

from ..models import Meeting


class MeetingError(Exception):
    """A rule of the meetings app was broken; the message is translated and
    safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def check_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))
