"""Creates (or refreshes) the demo chapters: the Jordanian one (Arabic and
English) and the Moroccan one (Arabic and French). It lives in meetings, the
app that may depend on both others, and asks each app for its own part."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from chapters import languages
from chapters.demo import (
    DEMO_PASSWORD,
    MOROCCAN_ORGANISER_EMAIL,
    ORGANISER_EMAIL,
    REPRESENTATIVE_EMAIL,
    STAFF_EMAIL,
    seed_chapter,
    seed_moroccan_chapter,
)
from meetings.demo import seed_activity, seed_meetings, seed_moroccan_meeting
from members.demo import (
    seed_moroccan_outreach,
    seed_organisations,
    seed_ugandan_members,
)


class Command(BaseCommand):
    help = "Create or refresh the demo chapters, their organisations and demo accounts."

    def handle(self, *args, **options):
        with transaction.atomic():
            chapter = seed_chapter()
            # The other apps' demo data is written next, partly without
            # going through the services; the dashboard's trail retells it
            # once it is all committed.
            transaction.on_commit(lambda: seed_activity(chapter))
            organisations = seed_organisations()
            seed_meetings(chapter, organisations)
            # The launched chapter of the directory, with more members than
            # its country page shows at first.
            seed_ugandan_members()
            # The Moroccan chapter goes through the services only: its
            # invitations are e-mailed by the worker once this commits. Its
            # organiser works in French, so what their pages would have
            # written down in the reader's language (an invitation's
            # organisation name) is French, as the Jordanian's is Arabic.
            with translation.override("fr"):
                morocco = seed_moroccan_chapter()
                moroccan = seed_moroccan_outreach(morocco)
                seed_moroccan_meeting(morocco, moroccan)
            # The admin's "View on site" goes to the sites framework's domain,
            # example.com until set: the demo's address instead.
            Site.objects.update_or_create(
                pk=settings.SITE_ID,
                defaults={
                    "domain": urlsplit(settings.SITE_URL).netloc,
                    "name": "CLD chapters",
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: chapter {chapter.country.code} with "
                f"{len(organisations)} organisations, chapter "
                f"{morocco.country.code} with {len(moroccan)}."
            )
        )
        with translation.override(languages.default()):
            sign_in = settings.SITE_URL + reverse("account_login")
            outbox = settings.SITE_URL + reverse("outbox_list")
        self.stdout.write(f"Sign in at {sign_in} with:")
        for role, email in [
            ("staff", STAFF_EMAIL),
            ("organiser (JO)", ORGANISER_EMAIL),
            ("organiser (MA)", MOROCCAN_ORGANISER_EMAIL),
            ("representative", REPRESENTATIVE_EMAIL),
        ]:
            self.stdout.write(f"  {role:15} {email}  password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Or ask for a sign-in code; e-mails are kept at {outbox} (staff only)."
        )
