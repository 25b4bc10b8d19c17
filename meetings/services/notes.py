"""Writes of the notes taken per agenda item, in each language, with a
version check so that two organisers writing at once never lose a text
(NoteConflict carries the stored one for merging)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AgendaItem, AgendaNote
from .errors import MeetingError, check_not_cancelled
from .texts import LANGUAGES, check_length, clean_text

NOTE_MAX_CHARS = 20_000


class NoteConflict(MeetingError):
    """The note changed since the version the writer started from; carries
    the text now stored so the writer can merge rather than lose it."""

    def __init__(self, *, note: AgendaNote, language: str):
        super().__init__(
            _(
                "Another organiser changed these notes while you were writing. "
                "Both texts are shown: keep yours, take theirs or merge them."
            )
        )
        self.note = note
        self.language = language
        self.text = getattr(note, f"text_{language}") or ""
        self.version = note.version_in(language)


@transaction.atomic
def note_save(
    *, actor, item: AgendaItem, language: str, text: str, version: int
) -> AgendaNote:
    """Save the notes of an agenda item in one language, if `version` is the
    one stored (optimistic locking). A repeated save of the text already
    stored succeeds whatever its version, so a save whose answer was lost
    on a dropped connection is not reported as a conflict when retried.

    Not audited: autosave writes every few seconds; the note keeps who wrote
    it last and when."""
    if language not in LANGUAGES:
        raise MeetingError(_("Unknown language."))
    text = clean_text(text)
    check_length(text, NOTE_MAX_CHARS, "text")
    # Lock the item so two first saves cannot both create the note row.
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    )
    check_not_cancelled(item.meeting)
    note, _created = AgendaNote.objects.get_or_create(item=item)
    note = AgendaNote.objects.select_for_update().get(pk=note.pk)
    stored = getattr(note, f"text_{language}") or ""
    if stored == text:
        return note
    if note.version_in(language) != version:
        raise NoteConflict(note=note, language=language)
    setattr(note, f"text_{language}", text)
    setattr(note, f"version_{language}", note.version_in(language) + 1)
    note.updated_by = actor
    note.save()
    return note
