from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member organisations")

    def ready(self):
        # What the pages of chapters show of this app, registered upward at
        # chapters' extension points (chapters never imports members).
        from . import registrations

        registrations.register()
