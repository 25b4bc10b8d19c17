"""The check-in page on the meeting day: invitees and walk-ins."""

import contextlib

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
from ..services.device_actions import AlreadyApplied, client_id_of, once
from ..services.errors import MeetingError
from .base import MeetingDayPage, OrganiserView, error_to_form, posted_pk


class CheckInView(MeetingDayPage, OrganiserView):
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
        if action not in ("check_in", "undo", "walk_in"):
            raise Http404
        if action == "walk_in":
            return self._walk_in(request, meeting)
        # A phone that was offline sends its actions later, with their ids:
        # each is applied once however often it is sent.
        apply = self._check_in if action == "check_in" else self._undo
        with contextlib.suppress(AlreadyApplied):  # applied before: done
            once(
                client_id=client_id_of(request.POST.get("client_id")),
                meeting=meeting,
                kind=action,
                actor=request.user,
                apply=lambda: apply(request, meeting),
            )
        return redirect(self.meeting_url(meeting, "meetings:checkin"))

    def _check_in(self, request, meeting):
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

    def _undo(self, request, meeting):
        # By the attendance, or by the invitation when the page that sent it
        # was drawn before the check-in (on a phone that was offline).
        if "attendance" in request.POST:
            attendance = get_object_or_404(
                Attendance, meeting=meeting, pk=posted_pk(request, "attendance")
            )
        else:
            attendance = Attendance.objects.filter(
                meeting=meeting, invitation_id=posted_pk(request, "invitation")
            ).first()
            if attendance is None:  # undone already, on another phone
                return
        attendance_remove(actor=request.user, attendance=attendance)

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
                    once(
                        client_id=client_id_of(request.POST.get("client_id")),
                        meeting=meeting,
                        kind="walk_in",
                        actor=request.user,
                        apply=lambda: attendance_add_walk_in(
                            actor=request.user,
                            meeting=meeting,
                            name=data["name"],
                            organisation_name=data["organisation_name"],
                            organisation=organisation,
                            email=data["email"],
                            kind=data["kind"],
                            language=data["language"] or get_language(),
                            name_in_minutes=data["name_in_minutes"],
                        ),
                    )
                except AlreadyApplied:
                    return redirect(self.meeting_url(meeting, "meetings:checkin"))
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
