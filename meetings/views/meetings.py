"""Organiser pages of meetings themselves: the list, create, change,
detail, and the status actions (cancel, mark held)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .. import selectors
from ..forms.filters import InvitationFilterForm
from ..forms.materials import MaterialForm
from ..forms.meetings import MeetingForm
from ..models import Invitation
from ..services.errors import MeetingError
from ..services.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_has_invitees_to_tell,
    meeting_mark_held,
    meeting_update,
)
from .base import OrganiserActionView, OrganiserView, error_to_form

PAGE_SIZE = 25


class MeetingListView(OrganiserView):
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = selectors.meeting_list(chapter=self.chapter)
        context["chapter_materials"] = selectors.chapter_materials(chapter=self.chapter)
        context["material_form"] = MaterialForm()
        return context


class MeetingCreateView(OrganiserView):
    template_name = "meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A new meeting is held in the chapter's languages until changed.
        context.setdefault(
            "form",
            MeetingForm(initial={"working_languages": self.chapter.language_codes}),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = MeetingForm(request.POST)
        if form.is_valid():
            already_held = form.cleaned_data["already_held"]
            try:
                meeting = meeting_create(
                    actor=request.user,
                    chapter=self.chapter,
                    data=form.cleaned_data,
                    already_held=already_held,
                )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The meeting was recorded as held. Enter the attendance, "
                        "notes, ideas and decisions, then publish the minutes."
                    )
                    if already_held
                    else _("The meeting was created as a draft."),
                )
                return redirect(self.meeting_url(meeting))
        return self.render_to_response(self.get_context_data(form=form))


class MeetingUpdateView(OrganiserView):
    template_name = "meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault(
            "form",
            MeetingForm(
                instance=meeting,
                can_notify=meeting_has_invitees_to_tell(meeting),
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = MeetingForm(
            request.POST,
            instance=meeting,
            can_notify=meeting_has_invitees_to_tell(meeting),
        )
        if form.is_valid():
            try:
                meeting_update(
                    actor=request.user,
                    meeting=self.get_meeting(),
                    data=form.cleaned_data,
                    notify_invitees=form.cleaned_data.get("notify_invitees", False),
                )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect(self.meeting_url(meeting))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=self.get_meeting())
        )


class MeetingDetailView(OrganiserView):
    """The meeting's page. Its invitations are filtered and shown a page at
    a time; the totals by status are counted by the database."""

    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        counts = selectors.invitation_status_counts(meeting=meeting)
        organisations = selectors.organisations_invited(meeting=meeting)
        filter_form = InvitationFilterForm(self.request.GET)
        page = Paginator(
            selectors.meeting_invitations(meeting=meeting, **filter_form.filters()),
            PAGE_SIZE,
        ).get_page(self.request.GET.get("page"))
        context.update(
            meeting=meeting,
            agenda=list(meeting.agenda_items.all()),
            invitations=page.object_list,
            page_obj=page,
            invitation_filters=filter_form,
            filtered=filter_form.filtered,
            query_string=urlencode(filter_form.chosen),
            # Where an action on one invitation brings the organiser back.
            list_query=urlencode(
                [*filter_form.chosen, ("page", page.number)]
                if page.number > 1
                else filter_form.chosen
            ),
            any_invitation=any(counts.values()),
            counts=counts,
            organisations_count=organisations,
            target_warning=selectors.target_warning(
                meeting=meeting, count=organisations
            ),
            materials=selectors.materials_with_openings(meeting=meeting),
            material_form=MaterialForm(),
            statuses=[
                (value, label, counts.get(value, 0))
                for value, label in Invitation.Status.choices
            ],
        )
        return context


class MeetingStatusView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        actions = {
            "cancel": (
                meeting_cancel,
                _("The meeting was cancelled; invitees are being told."),
            ),
            "held": (meeting_mark_held, _("The meeting is marked as held.")),
        }
        if action not in actions:
            raise Http404
        service, done = actions[action]
        try:
            service(actor=request.user, meeting=meeting)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(self.meeting_url(meeting))
