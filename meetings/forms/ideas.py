"""Forms of ideas and questions: the kind (category and topic) field, the
invitee's form, the organiser's form and the answer/next-step form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.languages import localized
from members.models import Organisation

from ..models import CATEGORY_TOPICS
from ..services.ideas import ANSWER_MAX_CHARS, IDEA_MAX_CHARS


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
        ).order_by(*localized("name"))

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
