"""A chapter's timeline for staff: its status changes (from chapters' own
audit entries), and what the apps above tell of it through the extension
point `chapter_timeline` (meetings held, members joining and leaving,
engagements with government), newest first and grouped by month in the
chapter's time zone. See docs/history.md."""

import datetime
from dataclasses import dataclass, field

from babel.dates import format_skeleton
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import extensions, times
from .models import AuditEntry, Chapter

# How each kind of line is labelled; a kind not named here (a source added
# later) shows without a label.
KIND_LABELS = {
    "status": gettext_lazy("Status"),
    "meeting": gettext_lazy("Meeting held"),
    "joined": gettext_lazy("Member joined"),
    "left": gettext_lazy("Member left"),
    "engagement": gettext_lazy("Engagement with government"),
}
STATUS_ACTIONS = ("chapter.create", "chapter.update")


@dataclass
class Line:
    when: datetime.datetime  # in the chapter's zone
    kind: str
    label: str
    text: str
    url: str


@dataclass
class Month:
    title: str
    lines: list[Line] = field(default_factory=list)


def status_changes(*, chapter: Chapter) -> list[extensions.TimelineEvent]:
    """The chapter's opening and each change of its status, from its audit
    entries (one query)."""
    entries = AuditEntry.objects.filter(
        chapter=chapter, action__in=STATUS_ACTIONS, after__has_key="status"
    ).order_by()
    events = []
    for entry in entries:
        status = entry.after.get("status")
        if status not in Chapter.Status.values:
            continue
        label = Chapter.Status(status).label
        if entry.action == "chapter.create":
            text = _("The chapter was opened with the status “%(status)s”.")
        else:
            text = _("The chapter's status became “%(status)s”.")
        events.append(
            extensions.TimelineEvent(
                when=entry.created_at, kind="status", text=text % {"status": label}
            )
        )
    return events


def _moment(when, zone) -> datetime.datetime:
    if isinstance(when, datetime.datetime):
        return when.astimezone(zone)
    return datetime.datetime.combine(when, datetime.time.min, tzinfo=zone)


def chapter_timeline(chapter: Chapter) -> list[Month]:
    """Every line of the chapter's timeline, newest first, by month."""
    events = status_changes(chapter=chapter)
    for source in extensions.chapter_timeline.all():
        events += source.events(chapter=chapter)
    zone = chapter.zone
    lines = sorted(
        (
            Line(
                when=_moment(event.when, zone),
                kind=event.kind,
                label=str(KIND_LABELS.get(event.kind, "")),
                text=event.text,
                url=event.url,
            )
            for event in events
        ),
        key=lambda line: line.when,
        reverse=True,
    )
    locale = times.cldr_locale(translation.get_language())
    months: list[Month] = []
    for line in lines:
        title = format_skeleton("yMMMM", line.when.date(), locale=locale)
        if not months or months[-1].title != title:
            months.append(Month(title))
        months[-1].lines.append(line)
    return months
