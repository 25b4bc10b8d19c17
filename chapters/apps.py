from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ChaptersConfig(AppConfig):
    name = "chapters"
    verbose_name = _("Chapters")

    def ready(self):
        from . import cache

        # Cache invalidation only; see chapters/cache.py.
        for signal in (post_save, post_delete):
            signal.connect(
                cache.membership_changed,
                sender="members.Membership",
                dispatch_uid=f"chapters-cache-membership-{signal is post_save}",
            )
            signal.connect(
                cache.organisation_changed,
                sender="members.Organisation",
                dispatch_uid=f"chapters-cache-organisation-{signal is post_save}",
            )
