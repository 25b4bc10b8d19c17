"""The form of a meeting itself (create and change), with the date-time
input typed in the chapter's time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters import languages
from chapters.forms.base import (
    LanguagesField,
    first_column,
    localized_labels,
    localized_widgets,
)
from chapters.languages import is_filled, localized

from ..models import Meeting

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class MeetingForm(forms.ModelForm):
    """Start and end are entered in the chapter's time zone: the view binds
    and renders this form under timezone.override(chapter zone)."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            *localized("title", "description"),
            "starts_at",
            "ends_at",
            *localized("city"),
            "venue_address",
            "map_url",
            "online_url",
            "working_languages",
            "target_min",
            "target_max",
            "reminder_days",
            "is_public",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            **localized_widgets("description", forms.Textarea, rows=3),
            "venue_address": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "map_url": forms.URLInput(attrs={"dir": "ltr"}),
            "online_url": forms.URLInput(attrs={"dir": "ltr"}),
            **localized_widgets("title"),
            **localized_widgets("city"),
        }
        labels = {
            **localized_labels("title", _("Title")),
            **localized_labels("description", _("Description")),
            **localized_labels("city", _("City")),
        }

    working_languages = LanguagesField(
        label=_("Working languages"),
        initial=languages.codes,
        error_messages={"required": _("Choose at least one working language.")},
    )
    # Only on the new-meeting form: recording a meeting held before the
    # chapter used the portal, or entered afterwards.
    already_held = forms.BooleanField(
        label=_("This meeting already took place"),
        required=False,
        help_text=_(
            "Record a past meeting: its start may be in the past, nobody is "
            "invited, and you enter the attendance, notes, ideas, decisions "
            "and minutes afterwards."
        ),
    )
    # Only when editing an upcoming meeting whose invitations went out.
    notify_invitees = forms.BooleanField(
        label=_("Tell the invitees"),
        required=False,
        initial=True,
        help_text=_(
            "If the time or the place changes, everyone already invited "
            "receives a notice with the new details and an updated calendar "
            "entry."
        ),
    )

    def __init__(self, *args, can_notify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            del self.fields["already_held"]
        if not can_notify:
            del self.fields["notify_invitees"]

    def clean(self):
        data = super().clean()
        if not is_filled(data, "title"):
            self.add_error(
                first_column("title"), _("Give a title in at least one language.")
            )
        if not (data.get("venue_address") or data.get("online_url")):
            self.add_error(
                "venue_address", _("Give a venue address, an online link or both.")
            )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data
