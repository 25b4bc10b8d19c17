"""Checking in by code at the door: the check-in page's camera (static/js/
checkin-scan.js) and its "type the code" form post here. Asked for JSON (the
script), it answers with the outcome and a sentence already in the page's
language; otherwise (the form without JavaScript) it says the same as a
message on the check-in page it sends the organiser back to."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters import ratelimit
from chapters.audit_trail import person_name
from chapters.bidi import isolated
from chapters.times import format_clock, local_day

from .. import selectors
from ..checkin_codes import link_by_code
from ..services.attendance import CodeCheckIn, attendance_check_in_by_code
from .base import OrganiserActionView

# outcome -> (HTTP status of the JSON answer, level of the page's message)
ANSWERS = {
    CodeCheckIn.CHECKED_IN: (200, messages.SUCCESS),
    CodeCheckIn.ALREADY: (200, messages.INFO),
    CodeCheckIn.OTHER_MEETING: (409, messages.WARNING),
    CodeCheckIn.OTHER_CHAPTER: (409, messages.WARNING),
    "unknown": (404, messages.ERROR),
    "throttled": (429, messages.ERROR),
}


class CheckInScanView(OrganiserActionView):
    """POST `code`: check in its invitee at this meeting (organisers of the
    meeting's chapter only; another chapter's meeting is a 404). Codes are
    looked up through the gate of every personal link (chapters.ratelimit),
    so a network that keeps missing is slowed."""

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        typed = request.POST.get("code", "")[:100]
        link, status = ratelimit.personal_link_lookup(
            request, "checkin", typed, lambda: link_by_code(typed)
        )
        if status == 429:
            outcome, text, invitation = "throttled", _throttled(), None
        elif link is None:
            outcome, text, invitation = "unknown", _unknown(), None
        else:
            done = attendance_check_in_by_code(
                actor=request.user, meeting=meeting, link=link
            )
            outcome, text = done.outcome, self._say(done)
            invitation = done.attendance.invitation_id if done.attendance else None
        http_status, level = ANSWERS[outcome]
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {"outcome": outcome, "message": text, "invitation": invitation},
                status=http_status,
            )
        messages.add_message(request, level, text)
        url = self.meeting_url(meeting, "meetings:checkin")
        return redirect(f"{url}#invitation-{invitation}" if invitation else url)

    def _say(self, done: CodeCheckIn) -> str:
        zone = selectors.chapter_zone(self.chapter)
        if done.outcome == CodeCheckIn.OTHER_CHAPTER:
            return _(
                "This code is for a meeting of another chapter. Nobody was checked in."
            )
        if done.outcome == CodeCheckIn.OTHER_MEETING:
            return _(
                "This code is for another meeting: %(meeting)s, %(day)s. Nobody "
                "was checked in."
            ) % {
                "meeting": isolated(done.meeting.title),
                "day": local_day(done.meeting.starts_at, zone),
            }
        attendance = done.attendance
        who = {
            "name": isolated(attendance.name),
            "organisation": isolated(attendance.organisation_name),
        }
        if done.outcome == CodeCheckIn.CHECKED_IN:
            return _("%(name)s (%(organisation)s) was checked in.") % who
        at = format_clock(timezone.localtime(attendance.checked_in_at, zone))
        if attendance.checked_in_by is not None:
            return _(
                "%(name)s (%(organisation)s) was already checked in, at %(time)s "
                "by %(organiser)s."
            ) % {
                **who,
                "time": at,
                "organiser": isolated(person_name(attendance.checked_in_by)),
            }
        return _("%(name)s (%(organisation)s) was already checked in, at %(time)s.") % {
            **who,
            "time": at,
        }


def _unknown() -> str:
    return _(
        "This code is unknown or no longer valid. Nobody was checked in: find "
        "the person in the list instead."
    )


def _throttled() -> str:
    return _("Too many codes were tried. Wait a minute and try again.")
