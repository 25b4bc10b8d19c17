"""What the meetings app tells of a chapter's history on the staff timeline
(chapters' `chapter_timeline` extension point, registered in
meetings/registrations.py): the meetings held, and the engagements with
government by their date. Read-only; two queries per source."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from chapters.bidi import isolated
from chapters.extensions import TimelineEvent
from chapters.languages import field_in_language

from .models import Engagement, Meeting


def meetings_held(*, chapter) -> list[TimelineEvent]:
    """Each meeting held, at its start: kind, city (or online) and how many
    organisations attended."""
    meetings = (
        Meeting.objects.filter(chapter=chapter, status=Meeting.Status.HELD)
        .select_related("chapter")
        .annotate(attended=Count("attendances__organisation", distinct=True))
    )
    events = []
    for meeting in meetings:
        city = field_in_language(meeting, "city")[0]
        title = isolated(field_in_language(meeting, "title")[0])
        if city:
            text = ngettext(
                "Meeting held in %(city)s, %(title)s: %(count)s organisation attended.",
                "Meeting held in %(city)s, %(title)s: %(count)s organisations "
                "attended.",
                meeting.attended,
            ) % {"city": isolated(city), "title": title, "count": meeting.attended}
        else:
            text = ngettext(
                "Meeting held, %(title)s: %(count)s organisation attended.",
                "Meeting held, %(title)s: %(count)s organisations attended.",
                meeting.attended,
            ) % {"title": title, "count": meeting.attended}
        url = reverse(
            "meetings:detail", kwargs={"iso2": chapter.iso2, "pk": meeting.pk}
        )
        events.append(
            TimelineEvent(when=meeting.starts_at, kind="meeting", text=text, url=url)
        )
    return events


def engagements(*, chapter) -> list[TimelineEvent]:
    """Each engagement with government on its day: its kind and title."""
    events = []
    for engagement in Engagement.objects.for_chapter(chapter).select_related("chapter"):
        text = gettext("%(kind)s: %(title)s") % {
            "kind": engagement.get_kind_display(),
            "title": isolated(field_in_language(engagement, "title")[0]),
        }
        url = reverse(
            "meetings:engagement",
            kwargs={"iso2": chapter.iso2, "engagement": engagement.pk},
        )
        events.append(
            TimelineEvent(
                when=engagement.happened_on, kind="engagement", text=text, url=url
            )
        )
    return events
