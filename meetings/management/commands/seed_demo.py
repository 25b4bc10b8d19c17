"""Creates (or refreshes) the demo chapter. It lives in meetings, the app that
may depend on both others, and asks each app for its own part."""

from django.core.management.base import BaseCommand
from django.db import transaction

from chapters.demo import (
    DEMO_PASSWORD,
    ORGANISER_EMAIL,
    REPRESENTATIVE_EMAIL,
    STAFF_EMAIL,
    seed_chapter,
)
from meetings.demo import seed_meetings
from members.demo import seed_organisations


class Command(BaseCommand):
    help = "Create or refresh the demo chapter, its organisations and demo accounts."

    def handle(self, *args, **options):
        with transaction.atomic():
            chapter = seed_chapter()
            organisations = seed_organisations()
            seed_meetings(chapter, organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: chapter {chapter.country.code} with "
                f"{len(organisations)} organisations."
            )
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/ar/accounts/login/ with:")
        for role, email in [
            ("staff", STAFF_EMAIL),
            ("organiser", ORGANISER_EMAIL),
            ("representative", REPRESENTATIVE_EMAIL),
        ]:
            self.stdout.write(f"  {role:15} {email}  password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Or ask for a sign-in code; e-mails are kept at "
            "http://127.0.0.1:8000/ar/dev/outbox/ (staff only)."
        )
