"""Forms of invitations: the organiser's invite form (representatives
and one extra address) and the invitee's answer on their personal page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters import languages
from chapters.ids import DatabaseIdMultipleChoiceField
from members.models import Language, Representative


class InviteForm(forms.Form):
    """Organisations picked from the outreach list (by representative id) and
    up to three people added directly."""

    # Validated against the invitable contacts in one query, whatever the
    # length of the list; the page renders its own boxes, a page at a time.
    representatives = DatabaseIdMultipleChoiceField(
        queryset=Representative.objects.none(), required=False
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
    extra_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    extra_language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=Language.choices,
        required=False,
    )

    def __init__(
        self, *args, contacts, everyone=list, chapter_languages=None, **kwargs
    ):
        """`contacts`: the representatives that may be picked (see
        meetings.selectors.invitable_contacts); `everyone`: called for those
        "everyone" invites (those the list's filters match)."""
        super().__init__(*args, **kwargs)
        self.everyone = everyone
        self.fields["extra_language"].choices = languages.choices(chapter_languages)
        self.fields["representatives"].queryset = contacts.select_related(
            "organisation"
        )

    def clean(self):
        data = super().clean()
        if data.get("everyone"):
            data["representatives"] = self.everyone()
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
