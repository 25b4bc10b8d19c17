"""The organiser's minutes page: summary, preview and publication."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapters.languages import localized

from .. import selectors
from ..forms.minutes import SummaryForm
from ..services.errors import MeetingError
from ..services.minutes import minutes_publish, minutes_summary_save
from .base import OrganiserView, error_to_form


class MinutesView(OrganiserView):
    """The minutes as attendees will read them, with the public summary and
    the publishing controls."""

    template_name = "meetings/minutes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        minutes = selectors.minutes_of(meeting)
        recipients = selectors.minutes_recipient_counts(meeting=meeting)
        recipient_list = selectors.minutes_recipient_list(meeting=meeting)
        context.update(
            meeting=meeting,
            minutes=minutes,
            recipients_total=recipients["total"],
            recipients_sent=recipients["sent"],
            recipient_list=recipient_list,
            unsent_no_shows=[
                i for i in recipient_list["no_shows"] if not i.minutes_sent_at
            ],
            subtab="minutes",
            **selectors.minutes_context(meeting=meeting),
        )
        context.setdefault(
            "summary_form",
            SummaryForm(
                initial={
                    **{
                        column: getattr(minutes, column)
                        for column in localized("summary")
                    },
                    "summary_is_public": minutes.summary_is_public,
                }
                if minutes
                else None
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action == "summary":
            form = SummaryForm(request.POST)
            if form.is_valid():
                try:
                    minutes_summary_save(
                        actor=request.user, meeting=meeting, **form.cleaned_data
                    )
                except MeetingError as error:
                    error_to_form(form, error)
                else:
                    messages.success(request, _("The summary was saved."))
                    return redirect(self.meeting_url(meeting, "meetings:minutes"))
            return self.render_to_response(
                self.get_context_data(summary_form=form, meeting=meeting), status=400
            )
        if action != "publish":
            raise Http404
        # The accepted invitees who did not come, ticked by the organiser;
        # the selector keeps only this meeting's accepted invitations.
        also = [
            int(v)
            for v in request.POST.getlist("also")
            if v.isdecimal() and len(v) < 10
        ]
        try:
            _minutes, queued = minutes_publish(
                actor=request.user, meeting=meeting, also=also
            )
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The minutes are published; %(count)s attendee is being e-mailed.",
                    "The minutes are published; %(count)s attendees are being e-mailed.",
                    queued,
                )
                % {"count": queued},
            )
        return redirect(self.meeting_url(meeting, "meetings:minutes"))
