from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChaptersConfig(AppConfig):
    """The lowest app. What its pages show of the apps above it, those apps
    register at the extension points of chapters/extensions.py in their own
    ready()."""

    name = "chapters"
    verbose_name = _("Chapters")
