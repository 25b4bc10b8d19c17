"""The form that attaches a file or a link as a material."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import LanguagesField
from chapters.languages import codes

from ..files import max_upload_bytes


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    languages = LanguagesField(
        label=_("Languages"),
        initial=codes,
        error_messages={
            "required": _("Choose at least one language the material is in.")
        },
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
    url = forms.URLField(
        label=_("or a link"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )

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
