"""Organiser pages of a meeting's agenda: add, change and move items."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from ..forms.agenda import AgendaItemForm
from ..models import AgendaItem
from ..services.agenda import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
)
from .base import OrganiserActionView, OrganiserView


class AgendaItemMixin:
    def get_item(self, meeting):
        return get_object_or_404(AgendaItem, meeting=meeting, pk=self.kwargs["item"])


class AgendaItemFormView(AgendaItemMixin, OrganiserView):
    template_name = "meetings/agenda_item_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        item = self.get_item(meeting) if "item" in self.kwargs else None
        context.update(meeting=meeting, item=item)
        context.setdefault("form", AgendaItemForm(instance=item))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = self.get_item(meeting) if "item" in self.kwargs else None
        form = AgendaItemForm(request.POST, instance=item)
        if form.is_valid():
            if item is None:
                agenda_item_add(
                    actor=request.user, meeting=meeting, data=form.cleaned_data
                )
            else:
                agenda_item_update(
                    actor=request.user, item=item, data=form.cleaned_data
                )
            messages.success(request, _("The agenda was saved."))
            return redirect(self.meeting_url(meeting) + "#agenda")
        return self.render_to_response(self.get_context_data(form=form))


class AgendaItemMoveView(AgendaItemMixin, OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = self.get_item(meeting)
        action = request.POST.get("action")
        if action in ("up", "down"):
            agenda_item_move(actor=request.user, item=item, direction=action)
        elif action == "remove":
            agenda_item_remove(actor=request.user, item=item)
            messages.success(request, _("The agenda item was removed."))
        else:
            raise Http404
        return redirect(self.meeting_url(meeting) + "#agenda")
