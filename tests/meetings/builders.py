"""What organisers type and send, for tests that build a meeting the way the
product is used: the new-meeting form of the organisers' page (an exploratory
meeting gets the seed agenda) and invitations sent to outreach contacts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from meetings.services.invitations import Recipient, invitation_batch_create

AMMAN = ZoneInfo("Asia/Amman")


def local_input(moment: datetime, zone: ZoneInfo = AMMAN) -> str:
    """A moment as the form's datetime-local field takes it, in the zone."""
    return timezone.localtime(moment, zone).strftime("%Y-%m-%dT%H:%M")


def meeting_form(starts: datetime | None = None, **overrides) -> dict:
    """The new-meeting form filled in: a three-hour exploratory meeting,
    by default twenty days ahead at 10:00 Amman time."""
    if starts is None:
        starts = timezone.localtime(timezone.now() + timedelta(days=20), AMMAN).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    data = {
        "kind": "exploratory",
        "title_ar": "الاجتماع الاستكشافي الأول",
        "title_en": "First exploratory meeting",
        "starts_at": local_input(starts),
        "ends_at": local_input(starts + timedelta(hours=3)),
        "city_ar": "عمّان",
        "city_en": "Amman",
        "venue_address": "Community hall",
        "working_languages": ["ar", "en"],
        "target_min": 10,
        "target_max": 20,
        "reminder_days": 3,
    }
    data.update(overrides)
    return data


def recipients(representatives) -> list[Recipient]:
    return [
        Recipient(
            name=rep.name,
            email=rep.email,
            language=rep.language,
            organisation=rep.organisation,
            representative=rep,
        )
        for rep in representatives
    ]


def invite(organiser, meeting, representatives, capture):
    """Send the invitations as the organiser's invite page does, running what
    waits for the commit (the e-mails)."""
    with capture(execute=True):
        return invitation_batch_create(
            actor=organiser, meeting=meeting, recipients=recipients(representatives)
        )
