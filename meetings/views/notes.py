"""Organiser pages of the notes taken per agenda item, with the merge of
two organisers writing at once."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chapters import languages

from .. import selectors
from ..forms.notes import NoteForm
from ..models import AgendaItem, Meeting
from ..services.errors import MeetingError
from ..services.notes import NoteConflict, note_save
from .base import MeetingDayPage, OrganiserActionView, OrganiserView


def _note_languages(meeting: Meeting) -> tuple[list[str], list[str]]:
    """(languages written during the meeting, languages offered as a
    translation), the page's language first among the working ones."""
    every = languages.codes()
    working = languages.in_order(meeting.working_languages) or every
    current = get_language()
    working.sort(key=lambda code: code != current)
    return working, [code for code in every if code not in working]


class NotesView(MeetingDayPage, OrganiserView):
    """Notes per agenda item: autosaved by static/js/meetings-notes.js, and a
    plain form per text when JavaScript is off."""

    template_name = "meetings/notes.html"
    manage_subtab = "notes"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # {(item pk, language): {"text", "version", "error", "conflict"}} for a
        # form sent without JavaScript that could not be saved.
        overrides = kwargs.get("overrides", {})
        working, translations = _note_languages(meeting)
        agenda = selectors.agenda_with_notes(meeting=meeting)
        for item in agenda:
            item.fields = [
                self._field(item, code, code in translations, overrides)
                for code in working + translations
            ]
        context.update(meeting=meeting, agenda=agenda, subtab=self.manage_subtab)
        return context

    @staticmethod
    def _field(item, code, is_translation, overrides) -> dict:
        note = item.recorded_note
        field = {
            "language": code,
            "name": languages.Language(code).label,
            "dir": languages.direction(code),
            "text": (getattr(note, f"text_{code}", "") or "") if note else "",
            "version": note.version_in(code) if note else 0,
            "is_translation": is_translation,
            "error": "",
            "conflict": None,
        }
        field.update(overrides.get((item.pk, code), {}))
        return field


class NoteSaveView(OrganiserActionView):
    """POST one language of one item's notes. JavaScript asks for JSON
    (Accept: application/json): 200 with the new version, 409 with the
    stored text when the version is stale, 400 with a message. A plain form
    gets a redirect, or the page again with the text kept and the problem
    shown."""

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=self.kwargs["item"])
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = NoteForm(request.POST)
        if not form.is_valid():
            message = _("These notes could not be read. Reload the page and try again.")
            if wants_json:
                return JsonResponse({"error": message}, status=400)
            messages.error(request, message)
            return redirect(self.meeting_url(meeting, "meetings:notes"))
        language = form.cleaned_data["language"]
        text = form.cleaned_data["text"]
        try:
            note = note_save(
                actor=request.user,
                item=item,
                language=language,
                text=text,
                version=form.cleaned_data["version"],
            )
        except NoteConflict as conflict:
            editor = conflict.note.updated_by
            payload = {
                "error": conflict.message,
                "text": conflict.text,
                "version": conflict.version,
                "by": (editor.get_full_name() or editor.email) if editor else "",
                "at": date_format(timezone.localtime(conflict.note.updated_at), "H:i"),
            }
            if wants_json:
                return JsonResponse(payload, status=409)
            return self._again(
                meeting, item, language, text, conflict.version, conflict=payload
            )
        except MeetingError as error:
            if wants_json:
                return JsonResponse({"error": error.message}, status=400)
            return self._again(
                meeting,
                item,
                language,
                text,
                form.cleaned_data["version"],
                error=error.message,
            )
        saved_at = date_format(timezone.localtime(note.updated_at), "H:i")
        if wants_json:
            return JsonResponse(
                {"version": note.version_in(language), "saved_at": saved_at}
            )
        messages.success(request, _("Saved at %(time)s.") % {"time": saved_at})
        return redirect(
            self.meeting_url(meeting, "meetings:notes") + f"#item-{item.pk}"
        )

    def _again(self, meeting, item, language, text, version, **problem):
        view = NotesView()
        view.setup(self.request, *self.args, **self.kwargs)
        view.chapter = self.chapter
        context = view.get_context_data(
            meeting=meeting,
            overrides={
                (item.pk, language): {"text": text, "version": version, **problem}
            },
        )
        status = 409 if problem.get("conflict") else 400
        return render(self.request, NotesView.template_name, context, status=status)
