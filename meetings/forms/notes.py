"""The form of the notes taken on an agenda item."""

from django import forms

from members.models import Language

from ..services.notes import NOTE_MAX_CHARS


class NoteForm(forms.Form):
    """One language of one agenda item's notes. The length limit is the
    service's (with its own message), so the form does not repeat it."""

    language = forms.ChoiceField(choices=Language.choices)
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_CHARS}),
    )
    version = forms.IntegerField(min_value=0)
