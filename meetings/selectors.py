"""Reads of the meetings app: the querysets views and other apps use, with
their select_related/prefetch_related done here so query counts stay flat."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from chapters.tokens import token_digest
from members.models import DoNotContact, Prospect
from members.services import contact_allowed as members_contact_allowed

from .models import (
    AgendaItem,
    Attendance,
    Invitation,
    InvitationBatch,
    Material,
    MaterialOpening,
    Meeting,
)


def contact_allowed(email: str) -> bool:
    """The do-not-contact rule, asked before every e-mail; the members app
    owns it."""
    return members_contact_allowed(email)


def contact_blocked(emails: list[str]) -> set[str]:
    """The addresses (lower-cased) among these that must not be e-mailed, in
    one query, for screening a large batch; the worker still asks
    contact_allowed() right before each send."""
    lowered = {email.strip().lower() for email in emails}
    return set(
        DoNotContact.objects.filter(email__in=lowered).values_list("email", flat=True)
    )


def chapter_zone(chapter) -> ZoneInfo:
    try:
        return ZoneInfo(chapter.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def meeting_local(meeting: Meeting, moment: datetime) -> datetime:
    return timezone.localtime(moment, chapter_zone(meeting.chapter))


def meeting_list(*, chapter) -> QuerySet[Meeting]:
    return (
        Meeting.objects.for_chapter(chapter)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            accepted_count=Count(
                "invitations",
                filter=Q(invitations__status=Invitation.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("-starts_at")
    )


def meeting_for_organiser(*, chapter, pk: int) -> Meeting:
    """The meeting of this chapter (404 for any other) with what its page
    shows loaded in a constant number of queries."""
    return (
        Meeting.objects.for_chapter(chapter)
        .select_related("chapter", "created_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order"))
        )
        .get(pk=pk)
    )


def meeting_invitations(*, meeting: Meeting) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(meeting=meeting)
        .select_related("organisation", "attendance")
        .order_by("organisation_name", "name", "id")
    )


def invitation_status_counts(*, meeting: Meeting) -> dict[str, int]:
    rows = (
        Invitation.objects.filter(meeting=meeting)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {status: 0 for status in Invitation.Status.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def organisations_invited(*, meeting: Meeting) -> int:
    return (
        Invitation.objects.filter(meeting=meeting)
        .exclude(status__in=[Invitation.Status.DECLINED])
        .values("organisation_name")
        .distinct()
        .count()
    )


def target_warning(*, meeting: Meeting, count: int) -> str | None:
    """'below' or 'above' when the number of organisations is outside the
    meeting's target range, else None."""
    if count < meeting.target_min:
        return "below"
    if count > meeting.target_max:
        return "above"
    return None


def meeting_materials(*, meeting: Meeting) -> QuerySet[Material]:
    return Material.objects.for_meeting(meeting).order_by("meeting_id", "title", "id")


def materials_with_openings(*, meeting: Meeting) -> QuerySet[Material]:
    """Materials with the invitations (of this meeting) that opened each."""
    openings = MaterialOpening.objects.filter(
        invitation__meeting=meeting
    ).select_related("invitation")
    return meeting_materials(meeting=meeting).prefetch_related(
        Prefetch("openings", queryset=openings, to_attr="meeting_openings")
    )


def chapter_materials(*, chapter) -> QuerySet[Material]:
    return Material.objects.filter(chapter=chapter, meeting__isnull=True).order_by(
        "title", "id"
    )


def batch_progress(*, batch: InvitationBatch) -> dict:
    counts = {
        row["status"]: row["n"]
        for row in batch.invitations.values("status").annotate(n=Count("id")).order_by()
    }
    total = sum(counts.values())
    queued = counts.get(Invitation.Status.QUEUED, 0)
    failed = counts.get(Invitation.Status.FAILED, 0)
    return {
        "total": total,
        "queued": queued,
        "failed": failed,
        "done": total - queued,
        "sent": total - queued - failed,
        "finished": queued == 0,
    }


def invitation_for_token(raw: str) -> Invitation | None:
    """The invitation a personal link opens, or None when the link is
    unknown, revoked or its meeting is over: callers show the same page for
    all three, so the answer leaks nothing."""
    if not raw or len(raw) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("meeting", "meeting__chapter")
        .filter(
            links__digest=token_digest(raw),
            links__revoked_at__isnull=True,
        )
        .first()
    )
    if invitation is None or invitation.meeting.ends_at <= timezone.now():
        return None
    return invitation


def checkin_list(*, meeting: Meeting) -> tuple[QuerySet, QuerySet]:
    """(accepted invitations with their attendance, walk-ins)."""
    accepted = (
        Invitation.objects.filter(meeting=meeting, status=Invitation.Status.ACCEPTED)
        .select_related("attendance")
        .order_by("organisation_name", "name")
    )
    walk_ins = Attendance.objects.filter(meeting=meeting, invitation__isnull=True)
    return accepted, walk_ins


def outreach_candidates(*, chapter, meeting: Meeting) -> list[dict]:
    """Organisations of the chapter's outreach list with the representative
    an invitation would go to, and whether they are already invited."""
    invited = set(
        Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)
    )
    prospects = (
        Prospect.objects.filter(chapter=chapter)
        .select_related("organisation")
        .prefetch_related("organisation__representatives")
        .order_by("organisation__name")
    )
    rows = []
    for prospect in prospects:
        representatives = [
            rep for rep in prospect.organisation.representatives.all() if rep.email
        ]
        representative = next(
            (rep for rep in representatives if rep.is_primary),
            representatives[0] if representatives else None,
        )
        rows.append(
            {
                "prospect": prospect,
                "organisation": prospect.organisation,
                "representative": representative,
                "invited": bool(representative and representative.email in invited),
            }
        )
    return rows


def meetings_for_country_page(*, chapter, now: datetime | None = None) -> dict:
    """Public meetings of a chapter for its country page: title, date and
    city only (the template shows nothing else: no link, no attendees)."""
    now = now or timezone.now()
    public = Meeting.objects.for_chapter(chapter).public()
    return {
        "upcoming": list(public.filter(ends_at__gt=now).order_by("starts_at")[:10]),
        "past": list(public.filter(ends_at__lte=now).order_by("-starts_at")[:10]),
    }


def reminders_due(*, now: datetime | None = None) -> QuerySet[Invitation]:
    """Invitations that get the automatic reminder now: the meeting is open,
    has not started, reminders are on and its reminder day has come; the
    invitee was reached, has not answered and has not been reminded."""
    now = now or timezone.now()
    candidates = Invitation.objects.filter(
        meeting__status=Meeting.Status.OPEN,
        meeting__reminder_days__gt=0,
        meeting__starts_at__gt=now,
        status__in=Invitation.AWAITING,
        reminded_at__isnull=True,
        pending_message="",
    ).select_related("meeting")
    due = [
        invitation.pk
        for invitation in candidates
        if invitation.meeting.starts_at
        - timedelta(days=invitation.meeting.reminder_days)
        <= now
    ]
    return Invitation.objects.filter(pk__in=due)


def outreach_organisation_names(*, chapter) -> list[str]:
    """Names offered while typing a walk-in's organisation."""
    prospects = Prospect.objects.filter(chapter=chapter).select_related("organisation")
    return sorted({str(p.organisation) for p in prospects})


def organisation_by_name(*, chapter, name: str):
    """The outreach-list organisation a walk-in named, when it is one."""
    name = name.strip()
    for prospect in Prospect.objects.filter(chapter=chapter).select_related(
        "organisation"
    ):
        organisation = prospect.organisation
        names = {organisation.name_ar, organisation.name_en, str(organisation)}
        if name in {n.strip() for n in names if n}:
            return organisation
    return None
