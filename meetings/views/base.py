"""What every organiser page of the meetings app shares: OrganiserView
(ChapterOrganiserMixin: another chapter's meeting is a 404), form-only
OrganiserActionView, the chapter's time zone (InChapterZone), and small
helpers for posted ids and service errors shown on a form."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from chapters.permissions import ChapterOrganiserMixin

from .. import selectors
from ..models import Meeting
from ..services.errors import MeetingError


class InChapterZone:
    """Dates on the page, and those typed into forms, are in the chapter's
    time zone; the response is rendered inside the override too."""

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(selectors.chapter_zone(self.chapter)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


class OrganiserView(ChapterOrganiserMixin, InChapterZone, TemplateView):
    manage_tab = "meetings"

    def get_meeting(self):
        try:
            return selectors.meeting_for_organiser(
                chapter=self.chapter, pk=self.kwargs["pk"]
            )
        except Meeting.DoesNotExist as error:  # also another chapter's meeting
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = self.manage_tab
        context["zone"] = selectors.chapter_zone(self.chapter).key
        return context

    def meeting_url(self, meeting, name="meetings:detail"):
        return reverse(name, kwargs={"iso2": self.chapter.iso2, "pk": meeting.pk})


class MeetingDayPage:
    """A page of the meeting day (check-in, notes, ideas) that an
    organiser's phone keeps for use without the network: the response says
    until when it may be kept (milliseconds since the epoch, read by the
    service worker, templates/meetings/meeting_day_sw.js), and the page
    carries the status of what waits to be sent
    (templates/meetings/partials/meeting_day.html)."""

    meeting_day = True

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        until = context["meeting"].offline_until
        response["X-Offline-Until"] = str(int(until.timestamp() * 1000))
        return response


class OrganiserActionView(OrganiserView):
    """A form target only: GET answers 405 (after the chapter check, so
    another chapter's URL is still a 404)."""

    http_method_names = ["post"]


def posted_pk(request, name: str) -> int:
    """The id of a row a form names; anything but a number names no row, so
    a tampered form gets a 404 rather than a server error."""
    value = request.POST.get(name, "")
    return int(value) if value.isdecimal() else 0


def error_to_form(form, error: MeetingError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
