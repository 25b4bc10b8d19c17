"""Organisers correcting an idea's wording, kind and proposer. Kept apart
from views.py, which holds the ideas list and its moderation actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import selectors
from .forms import IdeaForm
from .models import Idea
from .services import MeetingError
from .services import minutes as minutes_services
from .views import OrganiserView, _error_to_form


class IdeaEditView(OrganiserView):
    template_name = "meetings/idea_form.html"

    def get_idea(self, meeting) -> Idea:
        idea = (
            Idea.objects.filter(meeting=meeting, pk=self.kwargs["idea"])
            .select_related("organisation", "invitation")
            .first()
        )
        if idea is None:  # also an idea of another chapter's meeting
            raise Http404
        return idea

    def get_form(self, meeting, idea, data=None) -> IdeaForm:
        organisations = selectors.meeting_organisations(meeting=meeting)
        # The proposer stays choosable even if no longer on the outreach list.
        if idea.organisation and idea.organisation not in organisations:
            organisations.append(idea.organisation)
        typed = "" if idea.organisation else idea.organisation_name
        return IdeaForm(
            data,
            organisations=organisations,
            initial={
                "kind": f"{idea.category}:{idea.topic}",
                "text": idea.text,
                "organisation": idea.organisation,
                "organisation_name": typed,
            },
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # Not kwargs["idea"]: TemplateView passes the URL's id under that name.
        idea = kwargs["idea"] if isinstance(kwargs.get("idea"), Idea) else None
        idea = idea or self.get_idea(meeting)
        minutes = selectors.minutes_of(meeting)
        context.update(
            meeting=meeting,
            idea=idea,
            subtab="ideas",
            # The minutes are generated from the record each time they are
            # opened, so an approved idea's new wording shows there at once.
            in_published_minutes=bool(minutes and minutes.is_published)
            and idea.status == Idea.Status.APPROVED,
        )
        context.setdefault("form", self.get_form(meeting, idea))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        idea = self.get_idea(meeting)
        form = self.get_form(meeting, idea, request.POST)
        if form.is_valid():
            try:
                minutes_services.idea_edit(
                    actor=request.user, idea=idea, **form.idea_values()
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The idea's wording was saved."))
                return redirect(
                    self.meeting_url(meeting, "meetings:ideas") + f"#idea-{idea.pk}"
                )
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting, idea=idea), status=400
        )
