"""The organiser's dashboard of one chapter and the staff overview of all
chapters: figures from the apps that own the data (the extension points
`member_figures` and `meeting_figures`, filled by members/dashboard.py and
meetings/dashboard.py), each with the address of the list behind it, and
the funnel chart's geometry. Reads only; a constant number of queries whatever
the size of the chapter."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit_trail, extensions, languages
from .models import AuditEntry, Chapter, Organiser

FUNNEL_LABELS = {
    "identified": _("Identified"),
    "invited": _("Invited"),
    "delivered": _("E-mail delivered"),
    "bounced": _("E-mail bounced or failed"),
    "opened": _("Link opened"),
    "accepted": _("Accepted"),
    "attended": _("Attended"),
    "confirmed": _("Confirmed as members"),
    "volunteered": _("Volunteered for a task"),
}
COVERAGE_LABELS = {
    "civil_society": _("Civil-society organisations"),
    "networks": _("Networks"),
    "academics": _("Academics"),
    "think_tanks": _("Think tanks"),
}
MEMBERSHIP_LABELS = {
    "requested": _("Confirmation requested, no answer yet"),
    "consulting": _("Still consulting their organisation"),
    "overdue": _("Consulting past the reminder date"),
    "confirmed": _("Confirmed (listed)"),
    "withdrawn": _("Withdrawn"),
}
MEETING_LABELS = {
    "invited": _("Invited"),
    "delivered": _("E-mail delivered"),
    "bounced": _("E-mail bounced or failed"),
    "waiting": _("Waiting for an answer"),
    "queued": _("Not sent yet"),
    "accepted": _("Accepted"),
    "declined": _("Declined"),
    "no_reply": _("No reply"),
    "attended": _("Attended"),
    "opened_materials": _("Opened a material before the meeting"),
}
# The seed's exploratory meeting gathers 10 to 20 organisations: an outreach
# list starts to be enough for a first meeting at the lower bound.
OUTREACH_FIRST_GOAL = 10
# The staff overview calls a chapter quiet after this many days without any
# recorded change (the page lets staff choose another number).
QUIET_DAYS = 30


def figure_url(chapter: Chapter, key: str) -> str:
    path = reverse("chapters:figure", kwargs={"iso2": chapter.iso2})
    return f"{path}?{urlencode({'figure': key})}"


# The funnel chart ------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    url: str
    y: int
    text_y: int
    bar_x: int
    bar_width: int
    label_x: int
    value_x: int


CHART_WIDTH = 640
ROW_HEIGHT = 36
BAR_HEIGHT = 22
LABEL_WIDTH = 200
VALUE_WIDTH = 64


def funnel_chart(steps: list[dict], *, rtl: bool) -> dict:
    """Coordinates of a horizontal bar chart drawn on the server. Left to
    right: labels on the left, bars growing to the right. Right to left:
    the mirror image. The SVG's direction attribute makes text-anchor
    "start" mean the right edge in Arabic, so every text uses "start"."""
    largest = max((step["count"] for step in steps), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, step in enumerate(steps):
        width = round(room * step["count"] / largest)
        if step["count"] and width < 2:
            width = 2
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        if rtl:
            bar_x = CHART_WIDTH - LABEL_WIDTH - width
            label_x = CHART_WIDTH - 4
            value_x = bar_x - 6
        else:
            bar_x = LABEL_WIDTH
            label_x = 4
            value_x = LABEL_WIDTH + width + 6
        bars.append(
            Bar(
                label=str(step["label"]),
                count=step["count"],
                url=step["url"],
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                bar_x=bar_x,
                bar_width=width,
                label_x=label_x,
                value_x=value_x,
            )
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": len(steps) * ROW_HEIGHT,
        "direction": "rtl" if rtl else "ltr",
    }


# The dashboard ---------------------------------------------------------------


def chapter_dashboard(*, chapter: Chapter, rtl: bool, now=None) -> dict:
    """Everything the organiser's overview shows besides the public-page
    cards, in a constant number of queries."""
    now = now or timezone.now()
    meeting_data = extensions.meeting_figures.get()
    member_data = extensions.member_figures.get()
    counts = meeting_data.funnel(chapter=chapter)
    steps = [
        {
            "key": step,
            "label": FUNNEL_LABELS[step],
            "count": counts[step],
            "url": figure_url(chapter, f"funnel:{step}"),
        }
        for step in meeting_data.funnel_steps
    ]
    bounced = {
        "label": FUNNEL_LABELS["bounced"],
        "count": counts["bounced"],
        "url": figure_url(chapter, "funnel:bounced"),
    }

    coverage = member_data.coverage(chapter=chapter)
    for group in coverage["groups"]:
        group["label"] = COVERAGE_LABELS[group["key"]]
        group["listed_url"] = figure_url(chapter, f"coverage:{group['key']}:listed")
        group["engaged_url"] = figure_url(chapter, f"coverage:{group['key']}:engaged")

    first = meeting_data.first_exploratory_meeting(chapter=chapter)
    upcoming = meeting_data.next_meeting(chapter=chapter, now=now)
    first_figures = meeting_data.meeting_figures(meeting=first) if first else None
    if upcoming and first and upcoming.pk == first.pk:
        next_figures = first_figures
    else:
        next_figures = (
            meeting_data.meeting_figures(meeting=upcoming) if upcoming else None
        )

    membership = member_data.membership_figures(chapter=chapter, now=now)
    tasks = member_data.task_figures(chapter=chapter)
    return {
        "funnel_steps": steps,
        "funnel_bounced": bounced,
        "listed": counts["identified"],
        "funnel_chart": funnel_chart(steps, rtl=rtl),
        "coverage": coverage,
        "first_meeting": _meeting_block(chapter, first, first_figures),
        "next_meeting": _meeting_block(chapter, upcoming, next_figures),
        "membership": membership,
        "membership_urls": {
            key: figure_url(chapter, f"membership:{key}")
            for key in member_data.membership_figure_keys
        },
        "tasks": tasks,
        "tasks_without_volunteers": (
            member_data.tasks_without_volunteers(chapter=chapter)
            if tasks["without_volunteers"]
            else []
        ),
        "meetings_untranslated": meeting_data.meetings_untranslated(chapter=chapter),
        "recent_activity": audit_trail.labelled(
            AuditEntry.objects.filter(chapter=chapter).select_related("actor")[:5],
            time_zone=chapter.time_zone,
        ),
    }


def first_steps(*, texts_complete: bool, listed: int, first_meeting) -> dict | None:
    """The new chapter's checklist: the public texts in every language of the
    chapter, an outreach list big enough for a first meeting, and that
    meeting planned. None once all three are done."""
    steps = [
        {"key": "texts", "done": texts_complete},
        {"key": "outreach", "done": listed >= OUTREACH_FIRST_GOAL, "listed": listed},
        {"key": "meeting", "done": first_meeting is not None},
    ]
    if all(step["done"] for step in steps):
        return None
    return {
        "steps": steps,
        "done": sum(step["done"] for step in steps),
        "total": len(steps),
        "goal": OUTREACH_FIRST_GOAL,
    }


def _meeting_block(chapter: Chapter, meeting, figures) -> dict | None:
    if meeting is None:
        return None
    accepted = figures["accepted_organisations"]
    present = figures["attended_organisations"]
    # Once the meeting has taken place, who came is what counts.
    counted = present if meeting.status == meeting.Status.HELD else accepted
    return {
        "meeting": meeting,
        "figures": figures,
        "counted": counted,
        "held": meeting.status == meeting.Status.HELD,
        "in_target": figures["target_min"] <= counted <= figures["target_max"],
        "meter_max": max(figures["target_max"], counted, 1),
        "urls": {
            key: figure_url(chapter, f"meeting:{meeting.pk}:{key}")
            for key in MEETING_LABELS
        },
    }


# The organisations behind a figure ---------------------------------------------


def figure_organisations(*, chapter: Chapter, key: str) -> tuple[str, QuerySet] | None:
    """(title, organisations) of a dashboard figure, or None when the key
    names no figure of this chapter (the view answers 404)."""
    meeting_data = extensions.meeting_figures.get()
    member_data = extensions.member_figures.get()
    parts = (key or "").split(":")
    kind = parts[0]
    organisations = None
    title = ""
    if kind == "funnel" and len(parts) == 2 and parts[1] in FUNNEL_LABELS:
        organisations = meeting_data.funnel_organisations(
            chapter=chapter, step=parts[1]
        )
        title = str(FUNNEL_LABELS[parts[1]])
    elif (
        kind == "coverage"
        and len(parts) == 3
        and parts[1] in COVERAGE_LABELS
        and parts[2] in ("listed", "engaged")
    ):
        organisations = member_data.coverage_organisations(
            chapter=chapter, group=parts[1], engaged=parts[2] == "engaged"
        )
        sentence = (
            gettext("%(group)s that responded or went further")
            if parts[2] == "engaged"
            else gettext("%(group)s on the outreach list")
        )
        title = sentence % {"group": COVERAGE_LABELS[parts[1]]}
    elif kind == "membership" and len(parts) == 2 and parts[1] in MEMBERSHIP_LABELS:
        organisations = member_data.membership_organisations(
            chapter=chapter, figure=parts[1]
        )
        title = str(MEMBERSHIP_LABELS[parts[1]])
    elif kind == "meeting" and len(parts) == 3 and parts[2] in MEETING_LABELS:
        meeting = (
            meeting_data.meeting_for_chapter(chapter=chapter, pk=parts[1])
            if parts[1].isdigit()
            else None
        )
        if meeting is not None:
            organisations = meeting_data.meeting_organisations(
                meeting=meeting, figure=parts[2]
            )
            title = gettext("%(meeting)s: %(figure)s") % {
                "meeting": meeting.title,
                "figure": MEETING_LABELS[parts[2]],
            }
    if organisations is None:
        return None
    return title, member_data.with_standing(organisations, chapter=chapter).order_by(
        *languages.localized("name"), "pk"
    )


# The staff overview -------------------------------------------------------------


def staff_overview(*, now=None, quiet_days: int = QUIET_DAYS) -> list[Chapter]:
    """Every chapter with its listed members, outreach list, organisers and
    last recorded change, in one query; `is_quiet` when nothing changed for
    quiet_days."""
    now = now or timezone.now()
    latest = AuditEntry.objects.filter(chapter=OuterRef("pk")).order_by("-created_at")
    organisers = (
        Organiser.objects.filter(chapter=OuterRef("pk"), revoked_at__isnull=True)
        .order_by()
        .values("chapter")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    chapters = list(
        Chapter.objects.annotate(
            last_activity=Subquery(latest.values("created_at")[:1]),
            organiser_count=Coalesce(
                Subquery(organisers, output_field=IntegerField()), Value(0)
            ),
            **extensions.member_figures.get().chapter_member_counts(),
        ).order_by("country")
    )
    since = now - timedelta(days=quiet_days)
    for chapter in chapters:
        chapter.is_quiet = (
            chapter.last_activity is None or chapter.last_activity < since
        )
    return chapters
