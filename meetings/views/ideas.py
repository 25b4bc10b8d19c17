"""Organiser pages of ideas and questions: the list with its moderation
actions, and the correction of an idea's wording, kind and proposer."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from .. import selectors
from ..forms.ideas import IdeaForm, IdeaUpdateForm, idea_kind_choices, split_kind
from ..models import Idea
from ..services.device_actions import AlreadyApplied, client_id_of, once
from ..services.errors import MeetingError
from ..services.ideas import (
    idea_add,
    idea_edit,
    idea_merge,
    idea_moderate,
    idea_unmerge,
    idea_update,
)
from .base import (
    MeetingDayPage,
    OrganiserActionView,
    OrganiserView,
    error_to_form,
    posted_pk,
)


class IdeasView(MeetingDayPage, OrganiserView):
    template_name = "meetings/ideas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        organisations = selectors.meeting_organisations(meeting=meeting)
        ideas = selectors.ideas_for_organiser(meeting=meeting)
        # Merge targets: the other ideas of the same category.
        for idea in ideas["pending"] + ideas["approved"]:
            idea.merge_targets = [
                other
                for other in ideas["pending"] + ideas["approved"]
                if other.category == idea.category and other.pk != idea.pk
            ]
            idea.kind = f"{idea.category}:{idea.topic}"
        context.update(
            meeting=meeting,
            ideas=ideas,
            kind_choices=idea_kind_choices(),
            subtab="ideas",
        )
        context.setdefault("form", IdeaForm(organisations=organisations))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = IdeaForm(
            request.POST,
            organisations=selectors.meeting_organisations(meeting=meeting),
        )
        if form.is_valid():
            try:
                once(
                    client_id=client_id_of(request.POST.get("client_id")),
                    meeting=meeting,
                    kind="idea",
                    actor=request.user,
                    apply=lambda: idea_add(
                        actor=request.user, meeting=meeting, **form.idea_values()
                    ),
                )
            except AlreadyApplied:
                return redirect(self.meeting_url(meeting, "meetings:ideas"))
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The idea was added."))
                return redirect(self.meeting_url(meeting, "meetings:ideas"))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting), status=400
        )


class IdeaActionView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        idea = get_object_or_404(Idea, meeting=meeting, pk=self.kwargs["idea"])
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                idea_moderate(
                    actor=request.user, idea=idea, approve=action == "approve"
                )
                messages.success(
                    request,
                    _("The idea is now visible to the participants.")
                    if action == "approve"
                    else _("The idea will not be shown."),
                )
            elif action == "merge":
                into = get_object_or_404(
                    Idea, meeting=meeting, pk=posted_pk(request, "into")
                )
                idea_merge(actor=request.user, idea=idea, into=into)
                messages.success(request, _("The duplicate was merged."))
            elif action == "unmerge":
                idea_unmerge(actor=request.user, idea=idea)
                messages.success(request, _("The idea stands on its own again."))
            elif action == "update":
                form = IdeaUpdateForm(request.POST)
                if not form.is_valid():
                    raise MeetingError(_("Choose a category from the list."))
                category, topic = split_kind(form.cleaned_data["kind"])
                idea_update(
                    actor=request.user,
                    idea=idea,
                    category=category,
                    topic=topic,
                    answer=form.cleaned_data["answer"],
                    is_next_step=form.cleaned_data["is_next_step"],
                )
                messages.success(request, _("The idea was saved."))
            else:
                raise Http404
        except MeetingError as error:
            messages.error(request, error.message)
        return redirect(
            self.meeting_url(meeting, "meetings:ideas") + f"#idea-{idea.pk}"
        )


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
                idea_edit(actor=request.user, idea=idea, **form.idea_values())
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The idea's wording was saved."))
                return redirect(
                    self.meeting_url(meeting, "meetings:ideas") + f"#idea-{idea.pk}"
                )
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting, idea=idea), status=400
        )
