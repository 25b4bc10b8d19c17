"""Forms of the meetings app: they check the shape of the input; the rules
(dates in the future, what may be sent to whom) live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Language, Organisation

from .files import max_upload_bytes
from .models import CATEGORY_TOPICS, AgendaItem, Material, Meeting
from .services.minutes import (
    ANSWER_MAX_CHARS,
    DECISION_MAX_CHARS,
    IDEA_MAX_CHARS,
    NOTE_MAX_CHARS,
    SUMMARY_MAX_CHARS,
)

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
            "title_ar",
            "title_en",
            "description_ar",
            "description_en",
            "starts_at",
            "ends_at",
            "city_ar",
            "city_en",
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
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "venue_address": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "title_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "city_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "city_en": forms.TextInput(attrs={"dir": "ltr"}),
        }
        labels = {
            "title_ar": _("Title (Arabic)"),
            "title_en": _("Title (English)"),
            "description_ar": _("Description (Arabic)"),
            "description_en": _("Description (English)"),
            "city_ar": _("City (Arabic)"),
            "city_en": _("City (English)"),
        }

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
        if not (data.get("title_ar") or data.get("title_en")):
            self.add_error("title_ar", _("Give a title in at least one language."))
        if not (data.get("venue_address") or data.get("online_url")):
            self.add_error(
                "venue_address", _("Give a venue address, an online link or both.")
            )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title_ar",
            "title_en",
            "notes_ar",
            "notes_en",
            "duration_minutes",
            "presenter",
        ]
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "notes_ar": forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
            "notes_en": forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
            "presenter": forms.TextInput(attrs={"dir": "auto"}),
        }
        labels = {
            "title_ar": _("Title (Arabic)"),
            "title_en": _("Title (English)"),
            "notes_ar": _("Notes (Arabic)"),
            "notes_en": _("Notes (English)"),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("title_ar") or data.get("title_en")):
            self.add_error("title_ar", _("Give a title in at least one language."))
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Material.MaterialLanguage.choices,
        initial=Material.MaterialLanguage.BOTH,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, PowerPoint or an image."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,.ppt,.pptx,.png,.jpg,.jpeg,.gif,.webp",
            }
        ),
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        upload, url = data.get("file"), data.get("url")
        if bool(upload) == bool(url):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        if upload and upload.size > max_upload_bytes():
            # Checked again (with the content) by the service; saying it here
            # keeps the other fields' values on the form.
            from django.template.defaultfilters import filesizeformat

            self.add_error(
                "file",
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(max_upload_bytes())},
            )
        return data


class InviteForm(forms.Form):
    """Organisations picked from the outreach list (by representative id) and
    up to three people added directly."""

    representatives = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )
    # A long outreach list is invited in one go, without a thousand boxes
    # (and form fields) to tick.
    everyone = forms.BooleanField(
        label=_("Invite every organisation of the list not invited yet"),
        required=False,
    )
    extra_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    extra_organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    extra_email = forms.EmailField(label=_("E-mail"), required=False)
    extra_language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=Language.choices,
        required=False,
    )

    def __init__(self, *args, candidates: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["representatives"].choices = [
            (str(row["representative"].pk), str(row["organisation"]))
            for row in candidates
            if row["representative"] and not row["invited"]
        ]

    def clean(self):
        data = super().clean()
        if data.get("everyone"):
            data["representatives"] = [
                value for value, _label in self.fields["representatives"].choices
            ]
        if data.get("extra_email") and not data.get("extra_name"):
            self.add_error("extra_name", _("Give the name of the person you add."))
        if data.get("extra_name") and not data.get("extra_email"):
            self.add_error("extra_email", _("Give the e-mail of the person you add."))
        if not data.get("representatives") and not data.get("extra_email"):
            raise forms.ValidationError(
                _("Pick at least one organisation or add a person.")
            )
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I will attend")), ("decline", _("I cannot attend"))],
        widget=forms.RadioSelect,
    )
    attendees = forms.CharField(
        label=_("Who will attend for your organisation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    needs = forms.CharField(
        label=_("Dietary or access needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    note = forms.CharField(
        label=_("A note to the organisers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    name_in_minutes = forms.BooleanField(
        label=_("My name may appear in the minutes of the meeting"),
        help_text=_("Otherwise the minutes name only your organisation."),
        required=False,
    )


class WalkInForm(forms.Form):
    """Someone who came without an invitation. The organisation is searched
    among the outreach list while typing (a datalist); one that is not on
    the list is added to it only when the organiser says so."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"dir": "auto", "list": "organisation-names", "autocomplete": "off"}
        ),
    )
    new_organisation = forms.BooleanField(
        label=_("It is not on the outreach list: add it"), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of the new organisation"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.NATIONAL_NGO,
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("With an address, the minutes reach them too."),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=Language.choices, required=False
    )
    name_in_minutes = forms.BooleanField(
        label=_("Agrees to be named in the minutes"), required=False
    )


# Notes, ideas, decisions and minutes -------------------------------------


def idea_kind_choices() -> list:
    """Grouped "category:topic" choices: one <select> with an <optgroup> per
    category of the seed, which works without JavaScript."""
    return [
        (
            category.label,
            [(f"{category.value}:{topic.value}", topic.label) for topic in topics],
        )
        for category, topics in CATEGORY_TOPICS.items()
    ]


def split_kind(value: str) -> tuple[str, str]:
    category, _sep, topic = (value or "").partition(":")
    return category, topic


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


class IdeaKindField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Category"), choices=idea_kind_choices, **kwargs)


class InviteeIdeaForm(forms.Form):
    kind = IdeaKindField()
    text = forms.CharField(
        label=_("Your idea or question"),
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "auto", "maxlength": IDEA_MAX_CHARS}
        ),
    )

    def idea_values(self) -> dict:
        """The cleaned form as the idea services take it."""
        category, topic = split_kind(self.cleaned_data["kind"])
        return {"category": category, "topic": topic, "text": self.cleaned_data["text"]}


class IdeaForm(InviteeIdeaForm):
    organisation = forms.ModelChoiceField(
        label=_("Proposed by"),
        queryset=None,
        required=False,
        empty_label=_("(no organisation or another one)"),
    )
    organisation_name = forms.CharField(
        label=_("or the name of another organisation"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Idea or question")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name_ar", "name_en")

    def idea_values(self) -> dict:
        return {
            **super().idea_values(),
            "organisation": self.cleaned_data["organisation"],
            "organisation_name": self.cleaned_data["organisation_name"],
        }


class IdeaUpdateForm(forms.Form):
    kind = IdeaKindField()
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "auto", "maxlength": ANSWER_MAX_CHARS}
        ),
    )
    is_next_step = forms.BooleanField(label=_("Agreed next step"), required=False)


class DecisionForm(forms.Form):
    text_ar = forms.CharField(
        label=_("Decision or next step (Arabic)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "rtl", "maxlength": DECISION_MAX_CHARS}
        ),
    )
    text_en = forms.CharField(
        label=_("Decision or next step (English)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "ltr", "maxlength": DECISION_MAX_CHARS}
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"),
        queryset=None,
        required=False,
        empty_label=_("(not decided yet)"),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name_ar", "name_en")

    def clean(self):
        data = super().clean()
        if not (data.get("text_ar", "").strip() or data.get("text_en", "").strip()):
            self.add_error("text_ar", _("Write the decision in at least one language."))
        return data


class SummaryForm(forms.Form):
    summary_ar = forms.CharField(
        label=_("Public summary (Arabic)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "rtl", "maxlength": SUMMARY_MAX_CHARS}
        ),
    )
    summary_en = forms.CharField(
        label=_("Public summary (English)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "ltr", "maxlength": SUMMARY_MAX_CHARS}
        ),
    )
    summary_is_public = forms.BooleanField(
        label=_("Show the summary on the country page once the minutes are published"),
        required=False,
    )
