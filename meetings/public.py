"""What the public pages and the open-data API read of the meetings app
(registered at chapters' extension points by meetings/registrations.py;
nothing here writes)."""

from datetime import date

from django.db.models import Min
from django.utils import timezone

from chapters.models import zone_or_utc

from .models import Meeting


def first_meetings_held(*, chapter_ids: list[int] | None = None) -> dict[int, date]:
    """chapter id -> the day of its first exploratory meeting held, in the
    chapter's time zone (one query for any number of chapters). A meeting
    recorded as held, or marked held, is what dates a chapter's first
    meeting; cancelled, upcoming and follow-up meetings do not."""
    meetings = Meeting.objects.filter(
        kind=Meeting.Kind.EXPLORATORY, status=Meeting.Status.HELD
    )
    if chapter_ids is not None:
        meetings = meetings.filter(chapter_id__in=chapter_ids)
    rows = meetings.values("chapter_id", "chapter__time_zone").annotate(
        first=Min("starts_at")
    )
    return {
        row["chapter_id"]: timezone.localtime(
            row["first"], zone_or_utc(row["chapter__time_zone"])
        ).date()
        for row in rows
    }
