"""The check-in page on the meeting day: invitees and walk-ins."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from chapters.bidi import isolated

from .. import selectors
from ..forms.attendance import WalkInForm
from ..models import Attendance, Invitation
from ..services.attendance import (
    attendance_add_walk_in,
    attendance_check_in,
    attendance_remove,
)
from ..services.errors import MeetingError
from .base import OrganiserView, error_to_form, posted_pk


class CheckInView(OrganiserView):
    """Check-in at the door, made for a phone: every invitee (accepted
    first, then those who have not answered, then those who declined),
    searched by person or organisation, one form per row, and walk-ins."""

    template_name = "meetings/checkin.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        query = self.request.GET.get("q", "").strip()[:100]
        invitations, walk_ins = selectors.checkin_list(meeting=meeting, query=query)
        accepted = Invitation.Status.ACCEPTED
        declined = Invitation.Status.DECLINED
        context.update(
            meeting=meeting,
            query=query,
            groups=[
                (
                    "accepted",
                    pgettext("invitation status", "Accepted"),
                    [i for i in invitations if i.status == accepted],
                ),
                (
                    "unanswered",
                    _("Waiting for an answer"),
                    [i for i in invitations if i.status not in (accepted, declined)],
                ),
                (
                    "declined",
                    pgettext("invitation status", "Declined"),
                    [i for i in invitations if i.status == declined],
                ),
            ],
            invitee_count=len(invitations),
            walk_ins=walk_ins,
            present_count=selectors.attended_organisation_count(meeting=meeting),
            organisation_names=selectors.outreach_organisation_names(
                chapter=self.chapter
            ),
        )
        context.setdefault("form", WalkInForm(initial={"language": get_language()}))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action == "check_in":
            invitation = get_object_or_404(
                Invitation, meeting=meeting, pk=posted_pk(request, "invitation")
            )
            attendance_check_in(
                actor=request.user,
                invitation=invitation,
                name_in_minutes=request.POST.get("name_in_minutes") == "on",
            )
            messages.success(
                request,
                _("%(name)s was checked in.") % {"name": isolated(invitation.name)},
            )
        elif action == "undo":
            attendance = get_object_or_404(
                Attendance, meeting=meeting, pk=posted_pk(request, "attendance")
            )
            attendance_remove(actor=request.user, attendance=attendance)
        elif action == "walk_in":
            return self._walk_in(request, meeting)
        else:
            raise Http404
        return redirect(self.meeting_url(meeting, "meetings:checkin"))

    def _walk_in(self, request, meeting):
        form = WalkInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            organisation = selectors.organisation_by_name(
                chapter=self.chapter, name=data["organisation_name"]
            )
            if organisation is None and not data["new_organisation"]:
                form.add_error(
                    "organisation_name",
                    _(
                        "This organisation is not on the outreach list. Choose "
                        "one from the list, or tick the box to add it."
                    ),
                )
            else:
                try:
                    attendance_add_walk_in(
                        actor=request.user,
                        meeting=meeting,
                        name=data["name"],
                        organisation_name=data["organisation_name"],
                        organisation=organisation,
                        email=data["email"],
                        kind=data["kind"],
                        language=data["language"] or get_language(),
                        name_in_minutes=data["name_in_minutes"],
                    )
                except MeetingError as error:
                    error_to_form(form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s was checked in.")
                        % {"name": isolated(data["name"])},
                    )
                    return redirect(self.meeting_url(meeting, "meetings:checkin"))
        return self.render_to_response(self.get_context_data(form=form), status=400)
