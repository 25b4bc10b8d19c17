"""Writes of attendance: checking in invitees and walk-ins (a walk-in's
organisation joins the outreach list), undoing a check-in, and the
organisation's outreach stage moved to "attended" and back through the
members app's services."""

from dataclasses import dataclass
from typing import ClassVar

from django.db import transaction
from django.utils.translation import gettext as _

from chapters import languages
from chapters.audit import audit_log
from members.models import Organisation, Prospect
from members.selectors import organisation_duplicates
from members.services.organisations import organisation_add
from members.services.outreach import prospect_update

from ..models import Attendance, Invitation, Meeting
from ..selectors import attendances, organisation_by_name
from .errors import MeetingError
from .texts import detect_language


def _prospect_attended(*, actor, chapter, organisation) -> None:
    """Attendance moves the organisation's outreach stage to "attended"
    (never backwards from "member"), through the members app's service,
    which records the audit entry."""
    if organisation is None:
        return
    prospect = Prospect.objects.filter(
        chapter=chapter, organisation=organisation
    ).first()
    earlier = (
        Prospect.Stage.IDENTIFIED,
        Prospect.Stage.INVITED,
        Prospect.Stage.RESPONDED,
        Prospect.Stage.DECLINED,
    )
    if prospect is None or prospect.stage not in earlier:
        return
    prospect_update(
        actor=actor,
        prospect=prospect,
        stage=Prospect.Stage.ATTENDED,
        owner=prospect.owner,
        notes=prospect.notes,
    )


def _prospect_not_attended(*, actor, chapter, organisation) -> None:
    """Undoing the organisation's last check-in in the chapter takes its
    outreach stage back from "attended" to the stage its invitations show,
    so that the membership board never proposes an organisation that did
    not come. A stage past "attended" (member) is left alone."""
    if (
        organisation is None
        or attendances(chapter=chapter).filter(organisation=organisation).exists()
    ):
        return
    prospect = Prospect.objects.filter(
        chapter=chapter, organisation=organisation, stage=Prospect.Stage.ATTENDED
    ).first()
    if prospect is None:
        return
    answers = set(
        Invitation.objects.invited()
        .filter(meeting__chapter=chapter, organisation=organisation)
        .values_list("status", flat=True)
    )
    if Invitation.Status.ACCEPTED in answers:
        stage = Prospect.Stage.RESPONDED
    elif Invitation.Status.DECLINED in answers:
        stage = Prospect.Stage.DECLINED
    elif answers:
        stage = Prospect.Stage.INVITED
    else:
        stage = Prospect.Stage.IDENTIFIED
    prospect_update(
        actor=actor,
        prospect=prospect,
        stage=stage,
        owner=prospect.owner,
        notes=prospect.notes,
    )


@transaction.atomic
def attendance_check_in(
    *, actor, invitation: Invitation, name_in_minutes: bool | None = None
) -> Attendance:
    """Check in an invitee, whatever their answer: someone who never
    answered, or declined, and came anyway attended. The invitation keeps
    its answer. Their consent to be named in the minutes comes from their
    answer unless the organiser records it at the door."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__chapter")
        .get(pk=invitation.pk)
    )
    if name_in_minutes is None:
        name_in_minutes = invitation.name_in_minutes
    existing = Attendance.objects.filter(invitation=invitation).first()
    if existing:
        return existing
    attendance = Attendance.objects.create(
        meeting=invitation.meeting,
        invitation=invitation,
        organisation=invitation.organisation,
        name=invitation.name,
        organisation_name=invitation.organisation_name,
        name_in_minutes=name_in_minutes,
        checked_in_by=actor,
    )
    audit_log(
        actor=actor,
        action="attendance.check_in",
        obj=attendance,
        chapter=invitation.meeting.chapter,
        after={
            "name": attendance.name,
            "organisation": attendance.organisation_name,
            "name_in_minutes": attendance.name_in_minutes,
        },
    )
    _prospect_attended(
        actor=actor,
        chapter=invitation.meeting.chapter,
        organisation=invitation.organisation,
    )
    return attendance


def _walk_in_organisation(
    *,
    actor,
    chapter,
    organisation_name: str,
    name: str,
    email: str,
    kind: str,
    language: str,
) -> Organisation:
    """The organisation a walk-in named: the one on the outreach list with
    that name (members.normalise.name_key), or else a new entry on the list
    through the members app's service, with the person as its representative.
    An organisation the portal already knows (another chapter's list, an
    import) is put on this chapter's list rather than created twice."""
    organisation = organisation_by_name(chapter=chapter, name=organisation_name)
    if organisation is not None:
        return organisation
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise MeetingError(
            _("Name the walk-in's organisation."), field="organisation_name"
        )
    # Stored as the organisation's name in the language it is written in.
    field = f"name_{detect_language(organisation_name)}"
    known = organisation_duplicates(**{field: organisation_name}).first()
    prospect = organisation_add(
        actor=actor,
        chapter=chapter,
        values={field: organisation_name, "kind": kind or Organisation.Kind.OTHER},
        representative={"name": name, "email": email, "language": language},
        merge_into=known,
    )
    return prospect.organisation


@transaction.atomic
def attendance_add_walk_in(
    *,
    actor,
    meeting: Meeting,
    name: str,
    organisation_name: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    kind: str = "",
    language: str = "",
    name_in_minutes: bool = False,
) -> Attendance:
    """Check in someone who came without an invitation. Their organisation
    is always one of the chapter's outreach list: the one given, the one
    named, or a new entry (see _walk_in_organisation), which then counts as
    attended like every other. A walk-in who leaves an address is recorded
    with an invitation of their own (status "walk_in", nothing sent) so that
    the minutes reach them; an address already invited to this meeting is
    that invitee, checked in. `language` is the walk-in's (the site's
    default language when not given)."""
    language = language or languages.default()
    email = email.strip().lower()
    if email:
        invited = (
            Invitation.objects.select_for_update()
            .filter(meeting=meeting, email__iexact=email)
            .first()
        )
        if invited is not None:
            return attendance_check_in(
                actor=actor,
                invitation=invited,
                name_in_minutes=name_in_minutes or None,
            )
    if organisation is None:
        organisation = _walk_in_organisation(
            actor=actor,
            chapter=meeting.chapter,
            organisation_name=organisation_name,
            name=name,
            email=email,
            kind=kind,
            language=language,
        )
    invitation = None
    if email:
        invitation = Invitation.objects.create(
            meeting=meeting,
            organisation=organisation,
            name=name,
            organisation_name=str(organisation),
            email=email,
            language=language,
            status=Invitation.Status.WALK_IN,
            pending_message="",
            name_in_minutes=name_in_minutes,
            created_by=actor,
        )
    attendance = Attendance.objects.create(
        meeting=meeting,
        invitation=invitation,
        organisation=organisation,
        name=name,
        name_in_minutes=name_in_minutes,
        organisation_name=str(organisation),
        checked_in_by=actor,
    )
    audit_log(
        actor=actor,
        action="attendance.walk_in",
        obj=attendance,
        chapter=meeting.chapter,
        after={
            "name": name,
            "organisation": attendance.organisation_name,
            "email_given": bool(email),
        },
    )
    _prospect_attended(actor=actor, chapter=meeting.chapter, organisation=organisation)
    return attendance


@transaction.atomic
def attendance_remove(*, actor, attendance: Attendance) -> None:
    """Undo a check-in made by mistake. The organisation's outreach stage
    goes back when it was its only check-in (_prospect_not_attended); a
    walk-in's own record goes with it, unless the minutes already went to
    that address."""
    audit_log(
        actor=actor,
        action="attendance.remove",
        obj=attendance,
        chapter=attendance.meeting.chapter,
        before={"name": attendance.name},
    )
    walk_in = attendance.invitation
    attendance.delete()
    _prospect_not_attended(
        actor=actor,
        chapter=attendance.meeting.chapter,
        organisation=attendance.organisation,
    )
    if walk_in is not None and walk_in.is_walk_in and walk_in.minutes_sent_at is None:
        walk_in.delete()


@dataclass(frozen=True)
class CodeCheckIn:
    """What a check-in code did at the door of a meeting: `outcome` is
    CHECKED_IN or ALREADY (with the `attendance`), or OTHER_MEETING (the
    code's `meeting`, of the same chapter) or OTHER_CHAPTER (nothing said
    about it), when nobody was checked in."""

    CHECKED_IN: ClassVar[str] = "checked_in"
    ALREADY: ClassVar[str] = "already"
    OTHER_MEETING: ClassVar[str] = "other_meeting"
    OTHER_CHAPTER: ClassVar[str] = "other_chapter"

    outcome: str
    attendance: Attendance | None = None
    meeting: Meeting | None = None


@transaction.atomic
def attendance_check_in_by_code(*, actor, meeting: Meeting, link) -> CodeCheckIn:
    """Check in, at `meeting`'s door, the invitee whose check-in code was
    scanned or typed (`link`, the personal link it belongs to,
    meetings.checkin_codes.link_by_code), whatever their answer. Another
    meeting's code checks nobody in. The invitation is locked before its
    attendance is looked at, so two organisers scanning one code at once
    make one attendance, and the second hears it was already done."""
    invitation = link.invitation
    if invitation.meeting_id != meeting.pk:
        if invitation.meeting.chapter_id != meeting.chapter_id:
            return CodeCheckIn(CodeCheckIn.OTHER_CHAPTER)
        return CodeCheckIn(CodeCheckIn.OTHER_MEETING, meeting=invitation.meeting)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    existing = (
        Attendance.objects.filter(invitation=invitation)
        .select_related("checked_in_by")
        .first()
    )
    if existing is not None:
        return CodeCheckIn(CodeCheckIn.ALREADY, attendance=existing)
    attendance = attendance_check_in(actor=actor, invitation=invitation)
    return CodeCheckIn(CodeCheckIn.CHECKED_IN, attendance=attendance)
