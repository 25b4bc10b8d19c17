"""Organiser pages of decisions and next steps: the list with add and
change, and remove/restore."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapters.languages import localized

from .. import selectors
from ..forms.decisions import DecisionForm
from ..models import DECISION_RESTORE_DAYS, Decision
from ..services.decisions import (
    decision_add,
    decision_remove,
    decision_restore,
    decision_update,
)
from ..services.errors import MeetingError
from .base import OrganiserView, error_to_form


def _meeting_decision(meeting, pk) -> Decision:
    """One of the meeting's decisions (another meeting's is a 404)."""
    return get_object_or_404(
        Decision.objects.select_related("meeting__chapter", "owner"),
        meeting=meeting,
        pk=pk,
    )


class DecisionsView(OrganiserView):
    template_name = "meetings/decisions.html"

    def get_decision(self, meeting):
        return _meeting_decision(meeting, self.kwargs["decision"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # Not kwargs["decision"]: TemplateView passes the URL's id under that
        # name.
        decision = kwargs.get("editing")
        if decision is None and "decision" in self.kwargs:
            decision = self.get_decision(meeting)
        organisations = selectors.meeting_organisations(meeting=meeting)
        initial = (
            {
                **{column: getattr(decision, column) for column in localized("text")},
                "owner": decision.owner_id,
                "due_date": decision.due_date,
            }
            if decision
            else None
        )
        context.update(
            meeting=meeting,
            decision=decision,
            decisions=selectors.meeting_decisions(meeting=meeting),
            removed_decisions=Decision.all_objects.restorable()
            .filter(meeting=meeting)
            .order_by("-removed_at"),
            restore_days=DECISION_RESTORE_DAYS,
            subtab="decisions",
        )
        context.setdefault(
            "form", DecisionForm(initial=initial, organisations=organisations)
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        if "decision" in self.kwargs and request.POST.get("action") == "restore":
            return self._restore(meeting)
        decision = self.get_decision(meeting) if "decision" in self.kwargs else None
        form = DecisionForm(
            request.POST,
            organisations=selectors.meeting_organisations(meeting=meeting),
        )
        if form.is_valid():
            try:
                if decision:
                    decision_update(
                        actor=request.user, decision=decision, data=form.cleaned_data
                    )
                else:
                    decision_add(
                        actor=request.user, meeting=meeting, data=form.cleaned_data
                    )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The decision was saved."))
                return redirect(self.meeting_url(meeting, "meetings:decisions"))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting, editing=decision),
            status=400,
        )

    def _restore(self, meeting):
        decision = get_object_or_404(
            Decision.all_objects.removed(), meeting=meeting, pk=self.kwargs["decision"]
        )
        try:
            decision_restore(actor=self.request.user, decision=decision)
        except MeetingError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, _("The decision was restored."))
        return redirect(
            self.meeting_url(meeting, "meetings:decisions") + f"#decision-{decision.pk}"
        )


class DecisionRemoveView(OrganiserView):
    """Removing a decision asks first, on a page of its own (no JavaScript
    needed); the decision can then be restored from the decisions page."""

    template_name = "meetings/decision_remove.html"

    def get_decision(self, meeting):
        return _meeting_decision(meeting, self.kwargs["decision"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context.update(
            meeting=meeting,
            decision=self.get_decision(meeting),
            restore_days=DECISION_RESTORE_DAYS,
            subtab="decisions",
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        decision = self.get_decision(meeting)
        decision_remove(actor=request.user, decision=decision)
        messages.success(
            request,
            ngettext(
                "The decision was removed. You can restore it from this page "
                "for %(days)s day.",
                "The decision was removed. You can restore it from this page "
                "for %(days)s days.",
                DECISION_RESTORE_DAYS,
            )
            % {"days": DECISION_RESTORE_DAYS},
        )
        return redirect(self.meeting_url(meeting, "meetings:decisions"))
