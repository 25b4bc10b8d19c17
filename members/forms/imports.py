"""The import's upload form: one CSV or Excel file within the size limit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..import_files import MAX_BYTES, MESSAGES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("A .csv or .xlsx file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                MESSAGES["too_large"],
                code="too_large",
                params={"limit": MAX_BYTES // (1024 * 1024)},
            )
        return upload
