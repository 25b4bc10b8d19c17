"""Reads of the meetings app: the querysets views and other apps use, with
their select_related/prefetch_related done here so query counts stay flat."""

from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from chapters.folding import fold_query
from chapters.languages import localized
from chapters.tokens import token_digest
from members.models import (
    DoNotContact,
    Membership,
    Organisation,
    Prospect,
    Representative,
)
from members.normalise import fold, name_key
from members.search import organisations_matching
from members.selectors import chapter_tasks
from members.services.do_not_contact import (
    contact_allowed as members_contact_allowed,
)

from .models import (
    CATEGORY_TOPICS,
    AgendaItem,
    AgendaNote,
    Attendance,
    Decision,
    Engagement,
    Idea,
    Invitation,
    InvitationBatch,
    Material,
    MaterialOpening,
    Meeting,
    Minutes,
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


def sends_abandoned(*, now: datetime, lease: float) -> QuerySet[Invitation]:
    """Owed messages claimed by a worker longer ago than the lease: that
    worker stopped before recording the outcome."""
    return Invitation.objects.exclude(pending_message="").filter(
        claimed_at__lt=now - timedelta(seconds=lease)
    )


def sends_waiting(*, now: datetime) -> QuerySet[Invitation]:
    """Owed messages nobody is sending that may be tried now."""
    return (
        Invitation.objects.exclude(pending_message="")
        .filter(claimed_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
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


def meeting_invitations(
    *, meeting: Meeting, query: str = "", status: str = ""
) -> QuerySet[Invitation]:
    """The meeting's invitations for its page, filtered: `query` is found in
    the invitee's name, address or organisation (the organisation also as
    members.search folds it), `status` is one of Invitation.Status."""
    invitations = (
        Invitation.objects.filter(meeting=meeting)
        .select_related("organisation", "attendance")
        .order_by("organisation_name", "name", "id")
    )
    if status:
        invitations = invitations.filter(status=status)
    if query := query.strip():
        text = (
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation_name__icontains=query)
        )
        if folded := fold_query(query):
            text |= Q(organisation__search_text__contains=folded)
        invitations = invitations.filter(text)
    return invitations


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
        Invitation.objects.invited()
        .filter(meeting=meeting)
        .exclude(status=Invitation.Status.DECLINED)
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


# The meeting's page names this many of the invitees who opened a material
# and counts the others.
OPENINGS_NAMED = 10


def materials_with_openings(*, meeting: Meeting) -> list[Material]:
    """Materials with how many invitations (of this meeting) opened each
    (`opened_count`), the first OPENINGS_NAMED of them (`meeting_openings`)
    and how many more (`openings_more`), in two queries however many opened
    them."""
    openings = (
        MaterialOpening.objects.filter(invitation__meeting=meeting)
        .select_related("invitation")
        .order_by("first_opened_at", "pk")
    )
    materials = list(
        meeting_materials(meeting=meeting)
        .annotate(
            opened_count=Count(
                "openings", filter=Q(openings__invitation__meeting=meeting)
            )
        )
        .prefetch_related(
            Prefetch(
                "openings",
                queryset=openings[:OPENINGS_NAMED],
                to_attr="meeting_openings",
            )
        )
    )
    for material in materials:
        material.openings_more = material.opened_count - len(material.meeting_openings)
    return materials


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
    if invitation is None or link_expires_at(invitation.meeting) <= timezone.now():
        return None
    return invitation


def link_expires_at(meeting: Meeting) -> datetime:
    """Personal links keep working for a while after the meeting, so that
    invitees can add ideas and read the minutes (MEETINGS_LINK_DAYS_AFTER,
    90 days by default)."""
    days = getattr(settings, "MEETINGS_LINK_DAYS_AFTER", 90)
    return meeting.ends_at + timedelta(days=days)


# Attendance ----------------------------------------------------------------


def attendances(
    *, meeting: Meeting | None = None, chapter=None
) -> QuerySet[Attendance]:
    """The one definition of "attended": checked in on the day (an Attendance
    row), invited or walked in, whatever the invitation said before. For a
    meeting, or for any meeting of a chapter. The dashboard, the funnel, the
    minutes and the minutes' recipients all read this; the members app, which
    may not read meetings, sees it as the outreach stage "attended" that a
    check-in writes and the undoing of the last one takes back
    (services.attendance_check_in, attendance_remove)."""
    queryset = Attendance.objects.all()
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    if chapter is not None:
        queryset = queryset.filter(meeting__chapter=chapter)
    return queryset


def attended_organisation_count(*, meeting: Meeting) -> int:
    """How many organisations attended the meeting: the figure every page
    shows for it."""
    return attendances(meeting=meeting).aggregate(
        n=Count("organisation", distinct=True)
    )["n"]


# Accepted first, then those who have not answered, then those who declined.
CHECKIN_ORDER = {Invitation.Status.ACCEPTED: 0, Invitation.Status.DECLINED: 2}


def checkin_list(*, meeting: Meeting, query: str = "") -> tuple[list, QuerySet]:
    """(every invitee with their attendance, accepted first, then unanswered,
    then declined; walk-ins, with an address or not). `query` keeps the
    invitees whose name or organisation contains it, compared after
    members.normalise.fold (Arabic letter forms, diacritics, tatweel and case
    folded)."""
    invitations = list(
        Invitation.objects.invited()
        .filter(meeting=meeting)
        .select_related("attendance")
        .order_by("organisation_name", "name", "pk")
    )
    folded = fold(query)
    if folded:
        invitations = [
            invitation
            for invitation in invitations
            if folded in fold(f"{invitation.name} {invitation.organisation_name}")
        ]
    invitations.sort(key=lambda invitation: CHECKIN_ORDER.get(invitation.status, 1))
    walk_ins = attendances(meeting=meeting).filter(
        Q(invitation__isnull=True) | Q(invitation__status=Invitation.Status.WALK_IN)
    )
    return invitations, walk_ins


def outreach_candidates(
    *, chapter, meeting: Meeting, query: str = "", kind: str = "", stage: str = ""
) -> QuerySet[Prospect]:
    """Organisations of the chapter's outreach list, filtered, by name. Only
    a page of them is shown (candidate_rows) and "everyone" invites those
    matched (everyone_contacts): neither works out every organisation's
    representative on the way."""
    prospects = (
        Prospect.objects.filter(chapter=chapter)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if kind:
        prospects = prospects.filter(organisation__kind=kind)
    if stage:
        prospects = prospects.filter(stage=stage)
    return organisations_matching(prospects, query, path="organisation")


def _invitation_contacts(*, chapter, organisation_ids) -> dict:
    """{organisation id: the representative an invitation would go to}: the
    primary, or else the first by name, among the contacts with an address
    this chapter collected (never another chapter's)."""
    contacts = (
        Representative.objects.for_chapter(chapter)
        .filter(organisation_id__in=organisation_ids, email__gt="")
        .select_related("organisation")
        .order_by("organisation_id", "-is_primary", "name", "pk")
    )
    chosen = {}
    for contact in contacts:
        chosen.setdefault(contact.organisation_id, contact)
    return chosen


def _invited_emails(meeting: Meeting, emails) -> set[str]:
    return set(
        Invitation.objects.filter(meeting=meeting, email__in=list(emails)).values_list(
            "email", flat=True
        )
    )


def candidate_rows(*, chapter, meeting: Meeting, prospects) -> list[dict]:
    """A page of outreach_candidates() as the invite page's rows: each
    organisation with the representative an invitation would go to and
    whether that address is already invited, in two queries."""
    prospects = list(prospects)
    contacts = _invitation_contacts(
        chapter=chapter,
        organisation_ids=[prospect.organisation_id for prospect in prospects],
    )
    invited = _invited_emails(meeting, (c.email for c in contacts.values()))
    rows = []
    for prospect in prospects:
        representative = contacts.get(prospect.organisation_id)
        rows.append(
            {
                "prospect": prospect,
                "organisation": prospect.organisation,
                "representative": representative,
                "invited": bool(representative and representative.email in invited),
            }
        )
    return rows


def invitable_contacts(*, chapter, meeting: Meeting) -> QuerySet[Representative]:
    """The representatives an organiser may pick on the invite page: the
    contacts with an address this chapter collected for organisations on its
    outreach list, not invited to this meeting yet."""
    return (
        Representative.objects.for_chapter(chapter)
        .filter(
            email__gt="",
            organisation__in=Prospect.objects.filter(chapter=chapter).values(
                "organisation"
            ),
        )
        .exclude(email__in=Invitation.objects.filter(meeting=meeting).values("email"))
    )


def everyone_contacts(*, chapter, meeting: Meeting, candidates) -> list:
    """ "Invite everyone": for each organisation `candidates` (an
    outreach_candidates() queryset) matches, its representative of
    candidate_rows, when not invited yet; in the list's order."""
    organisation_ids = list(candidates.values_list("organisation_id", flat=True))
    contacts = _invitation_contacts(chapter=chapter, organisation_ids=organisation_ids)
    invited = _invited_emails(meeting, (c.email for c in contacts.values()))
    return [
        contacts[pk]
        for pk in organisation_ids
        if pk in contacts and contacts[pk].email not in invited
    ]


def meetings_for_country_page(*, chapter, now: datetime | None = None) -> dict:
    """Public meetings of a chapter for its country page: title, date and
    city only (the template shows nothing else: no link, no attendees)."""
    now = now or timezone.now()
    public = Meeting.objects.for_chapter(chapter).public()
    past = list(public.filter(ends_at__lte=now).order_by("-starts_at")[:10])
    # The public summary of published minutes; never the notes themselves.
    summaries = {
        minutes.meeting_id: minutes
        for minutes in Minutes.objects.filter(
            meeting__in=past, published_at__isnull=False, summary_is_public=True
        )
    }
    for meeting in past:
        meeting.public_summary = summaries.get(meeting.pk)
    return {
        "upcoming": list(public.filter(ends_at__gt=now).order_by("starts_at")[:10]),
        "past": past,
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
    """The outreach-list organisation a walk-in named, when it is one: the
    name compared by members.normalise.name_key, in either language, so
    "جمعية الأمل" finds "جمعيه الامل"."""
    key = name_key(name)
    if not key:
        return None
    return (
        Organisation.objects.filter(prospects__chapter=chapter)
        .filter(reduce(or_, (Q(**{column: key}) for column in localized("name_key"))))
        .order_by("pk")
        .first()
    )


# Notes, ideas, decisions and minutes ---------------------------------------


def agenda_with_notes(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda, each item with `.recorded_note` (its AgendaNote or None),
    in two queries. Not `.notes`: that is the item's own translated
    description field, whose fallback would answer with a string."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
    notes = {
        note.item_id: note
        for note in AgendaNote.objects.filter(item__meeting=meeting).select_related(
            "updated_by"
        )
    }
    for item in items:
        item.recorded_note = notes.get(item.pk)
    return items


def _ideas(meeting: Meeting) -> QuerySet[Idea]:
    duplicates = Idea.objects.select_related("organisation").order_by("created_at")
    return (
        Idea.objects.filter(meeting=meeting, merged_into__isnull=True)
        .select_related("organisation")
        .prefetch_related(Prefetch("duplicates", queryset=duplicates))
        .order_by("created_at", "id")
    )


def group_ideas(ideas) -> list[dict]:
    """Ideas in the seed's order: [{category, label, topics: [{topic,
    label, ideas}]}], empty topics and categories left out."""
    by_kind: dict[tuple[str, str], list[Idea]] = {}
    for idea in ideas:
        by_kind.setdefault((idea.category, idea.topic), []).append(idea)
    groups = []
    for category, topics in CATEGORY_TOPICS.items():
        rows = [
            {"topic": topic.value, "label": topic.label, "ideas": by_kind[key]}
            for topic in topics
            if (key := (category.value, topic.value)) in by_kind
        ]
        if rows:
            groups.append(
                {"category": category.value, "label": category.label, "topics": rows}
            )
    return groups


def ideas_for_organiser(*, meeting: Meeting) -> dict:
    """Every idea not merged away: waiting ones first, then the approved
    grouped by category, then the unpublished; constant queries. Each
    carries the engagements with government it was turned into."""
    ideas = list(_ideas(meeting).prefetch_related(_engagement_ids()))
    return {
        "pending": [i for i in ideas if i.status == Idea.Status.PENDING],
        "approved": [i for i in ideas if i.status == Idea.Status.APPROVED],
        "groups": group_ideas(i for i in ideas if i.status == Idea.Status.APPROVED),
        "rejected": [i for i in ideas if i.status == Idea.Status.REJECTED],
    }


def ideas_for_invitee(*, invitation: Invitation) -> dict:
    """What an invitee sees: everyone's approved ideas, and their own that
    wait for approval. Never another invitee's pending or unpublished idea."""
    approved = _ideas(invitation.meeting).filter(status=Idea.Status.APPROVED)
    mine = Idea.objects.filter(
        invitation=invitation, status=Idea.Status.PENDING
    ).order_by("created_at", "id")
    return {"groups": group_ideas(approved), "mine_pending": list(mine)}


def meeting_decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(meeting=meeting)
        .select_related("owner", "idea")
        .prefetch_related(_engagement_ids())
    )


def _engagement_ids() -> Prefetch:
    """The engagements an idea or a decision was turned into, as ids only
    (its "Turn into an engagement" link opens the one already made)."""
    return Prefetch(
        "engagements", queryset=Engagement.objects.only("id", "idea_id", "decision_id")
    )


def meeting_organisations(*, meeting: Meeting) -> list:
    """Organisations an idea or a decision can name: those invited to the
    meeting and those on the chapter's outreach list, by name."""
    invited = Invitation.objects.filter(
        meeting=meeting, organisation__isnull=False
    ).values("organisation")
    listed = Prospect.objects.filter(chapter_id=meeting.chapter_id).values(
        "organisation"
    )
    return list(
        Organisation.objects.filter(Q(pk__in=invited) | Q(pk__in=listed)).order_by(
            *localized("name")
        )
    )


def minutes_recipients(
    *, meeting: Meeting, also: list[int] | None = None
) -> QuerySet[Invitation]:
    """Who the minutes are e-mailed to: the invitees who attended (checked in;
    an invitation always has an address), those already e-mailed, and the
    accepted invitees who did not come that the organiser adds (`also`, ids).
    A walk-in who left an address has an invitation of their own (status
    "walk_in"), hence a personal link to the minutes; one without has none."""
    condition = Q(attendance__isnull=False) | Q(minutes_sent_at__isnull=False)
    if also:
        condition |= Q(pk__in=also, status=Invitation.Status.ACCEPTED)
    return Invitation.objects.filter(meeting=meeting).filter(condition)


def minutes_recipient_counts(*, meeting: Meeting) -> dict[str, int]:
    """How many people the minutes go to ("total") and how many have been
    e-mailed them ("sent"), in one query."""
    return minutes_recipients(meeting=meeting).aggregate(
        total=Count("pk"), sent=Count("pk", filter=Q(minutes_sent_at__isnull=False))
    )


def minutes_recipient_list(*, meeting: Meeting) -> dict:
    """What the minutes page shows before sending: the attendees with an
    address (invitees and walk-ins who left one, checked in) and whether
    each was e-mailed; the accepted invitees who did not come, which the
    organiser may add; and the walk-ins without an address, who are not
    e-mailed."""
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .filter(Q(attendance__isnull=False) | Q(status=Invitation.Status.ACCEPTED))
        .select_related("attendance")
        .order_by("organisation_name", "name", "pk")
    )
    attended = [i for i in invitations if hasattr(i, "attendance")]
    return {
        "attended": attended,
        "no_shows": [i for i in invitations if not hasattr(i, "attendance")],
        "walk_ins": list(attendances(meeting=meeting).filter(invitation__isnull=True)),
    }


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def _attendance(meeting: Meeting) -> list[dict]:
    """Organisations present (attendances(): one entry per organisation, so
    the list is as long as the dashboard's figure), each with the names of
    those who agreed to be named; nobody else's name."""
    organisations: dict = {}
    for attendance in attendances(meeting=meeting).order_by(
        "organisation_name", "name"
    ):
        # Walk-ins recorded before they were linked to an organisation are
        # told apart by the name typed for them.
        key = attendance.organisation_id or attendance.organisation_name.strip()
        entry = organisations.setdefault(
            key, {"organisation": attendance.organisation_name.strip() or "—"}
        )
        entry.setdefault("names", [])
        if attendance.name_in_minutes:
            entry["names"].append(attendance.name)
    return list(organisations.values())


def minutes_context(*, meeting: Meeting) -> dict:
    """Everything the minutes page shows, in a constant number of queries."""
    ideas = list(_ideas(meeting).filter(status=Idea.Status.APPROVED))
    return {
        "agenda": agenda_with_notes(meeting=meeting),
        "attendance": _attendance(meeting),
        "idea_groups": group_ideas(ideas),
        "next_steps": [idea for idea in ideas if idea.is_next_step],
        "decisions": list(meeting_decisions(meeting=meeting)),
        # The chapter's initial tasks with the organisations that volunteered.
        "volunteer_tasks": list(chapter_tasks(chapter=meeting.chapter)),
    }


# Engagements with government ----------------------------------------------------


def engagement_organisations(*, chapter, engagement=None) -> QuerySet[Organisation]:
    """The organisations an engagement may name as taking part: the
    chapter's members and those on their way to membership (not those that
    declined or withdrew), and those it already names (an organisation that
    left since stays where it took part)."""
    members = Membership.objects.filter(
        chapter=chapter,
        state__in=[
            Membership.State.CANDIDATE,
            Membership.State.REQUESTED,
            Membership.State.CONSULTING,
            Membership.State.CONFIRMED,
        ],
    ).values("organisation_id")
    allowed = Q(pk__in=members)
    if engagement is not None and engagement.pk:
        allowed |= Q(pk__in=engagement.organisations.values("pk"))
    return Organisation.objects.filter(allowed).order_by(*localized("name"))


def engagement_list(
    *,
    chapter,
    kind: str = "",
    year: int | None = None,
    public: bool | None = None,
    query: str = "",
) -> QuerySet:
    """The chapter's engagements, newest first, filtered as the list page
    asks, with what each row shows fetched in a fixed number of queries."""
    engagements = Engagement.objects.for_chapter(chapter)
    if kind:
        engagements = engagements.filter(kind=kind)
    if year:
        engagements = engagements.filter(happened_on__year=year)
    if public is not None:
        engagements = engagements.filter(is_public=public)
    if query:
        engagements = engagements.filter(
            reduce(or_, (Q(**{f"{c}__icontains": query}) for c in localized("title")))
        )
    return engagements.select_related(
        "chapter", "idea__meeting", "decision__meeting"
    ).prefetch_related(
        Prefetch(
            "organisations", queryset=Organisation.objects.order_by(*localized("name"))
        ),
        "contacts",
    )


def engagement_years(*, chapter) -> list[int]:
    return [
        day.year
        for day in Engagement.objects.for_chapter(chapter).dates(
            "happened_on", "year", order="DESC"
        )
    ]
