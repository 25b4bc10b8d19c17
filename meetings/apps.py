from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The worker's tasks register with meetings.services.handover, where
        # the services find the tasks they queue (they never import tasks).
        from . import tasks  # noqa: F401

        self.register_chapter_extensions()

    def register_chapter_extensions(self):
        """What the pages of chapters show of this app, registered upward at
        chapters' extension points (chapters never imports meetings)."""
        from . import registrations

        registrations.register()
