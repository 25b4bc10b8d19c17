"""The meetings app's datasets of the organisers' exports: invitations with
their answers, attendance, and engagements with government. chapters/exports.py writes the files (every
cell neutralised, chapters/spreadsheets.py); the datasets are registered in
meetings/registrations.py."""

from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapters.exports import CHUNK, dated, local_time, yes_no
from chapters.extensions import ExportDataset
from chapters.languages import field_in_language
from chapters.models import Chapter

from . import reports
from .models import Engagement


def invitations(chapter: Chapter, zone: ZoneInfo):
    header = [
        gettext("Meeting"),
        dated(gettext("Meeting date"), zone),
        gettext("Organisation"),
        gettext("Invitee"),
        gettext("E-mail"),
        gettext("Language"),
        gettext("Status"),
        dated(gettext("Sent on"), zone),
        dated(gettext("Opened on"), zone),
        dated(gettext("Answered on"), zone),
        gettext("Who will attend"),
        gettext("Dietary or access needs"),
        gettext("Note to the organisers"),
        gettext("Materials opened"),
        gettext("Name may appear in the minutes"),
    ]

    def generate():
        invitations = reports.invitations_export(chapter=chapter)
        for invitation in invitations.iterator(chunk_size=CHUNK):
            yield [
                invitation.meeting.title,
                local_time(invitation.meeting.starts_at, zone),
                invitation.organisation_name,
                invitation.name,
                invitation.email,
                invitation.get_language_display(),
                invitation.get_status_display(),
                local_time(invitation.sent_at, zone),
                local_time(invitation.opened_at, zone),
                local_time(invitation.answered_at, zone),
                invitation.attendees,
                invitation.needs,
                invitation.note,
                invitation.materials_opened,
                yes_no(invitation.name_in_minutes),
            ]

    return header, generate()


def attendance(chapter: Chapter, zone: ZoneInfo):
    header = [
        gettext("Meeting"),
        dated(gettext("Meeting date"), zone),
        gettext("Organisation"),
        gettext("Name"),
        dated(gettext("Checked in at"), zone),
        gettext("Invited"),
        gettext("Name may appear in the minutes"),
    ]

    def generate():
        attendances = reports.attendance_export(chapter=chapter)
        for attendance in attendances.iterator(chunk_size=CHUNK):
            yield [
                attendance.meeting.title,
                local_time(attendance.meeting.starts_at, zone),
                attendance.organisation_name,
                attendance.name,
                local_time(attendance.checked_in_at, zone),
                yes_no(attendance.invited),
                yes_no(attendance.name_in_minutes),
            ]

    return header, generate()


INVITATIONS = ExportDataset(
    key="invitations",
    label=_("Invitations and answers"),
    description=_("Every invitation of the chapter's meetings, its status and answer."),
    position=20,
    build=invitations,
)
ATTENDANCE = ExportDataset(
    key="attendance",
    label=_("Attendance"),
    description=_("Who was checked in at each meeting, invited or walk-in."),
    position=30,
    build=attendance,
)


def engagements(chapter: Chapter, zone: ZoneInfo):
    """Every engagement of the chapter, newest first, with the contacts'
    names and institutions: the exports page is for organisers only, like
    the contacts themselves."""
    header = [
        gettext("Date"),
        gettext("Kind"),
        gettext("Title"),
        gettext("Public summary"),
        gettext("Institutions involved"),
        gettext("Government contacts"),
        gettext("Member organisations taking part"),
        gettext("Outcome"),
        gettext("Next step"),
        gettext("From the meeting"),
        gettext("Shown on the country page"),
    ]

    def generate():
        rows = (
            Engagement.objects.for_chapter(chapter)
            .select_related("chapter", "idea__meeting", "decision__meeting")
            .prefetch_related("contacts", "organisations")
            .order_by("-happened_on", "-id")
        )
        for engagement in rows.iterator(chunk_size=CHUNK):
            source = engagement.idea or engagement.decision
            yield [
                engagement.happened_on.isoformat(),
                engagement.get_kind_display(),
                field_in_language(engagement, "title")[0],
                field_in_language(engagement, "summary")[0],
                engagement.institutions,
                "; ".join(
                    f"{contact.name} ({contact.institution})"
                    for contact in engagement.contacts.all()
                ),
                "; ".join(
                    field_in_language(organisation, "name")[0]
                    for organisation in engagement.organisations.all()
                ),
                engagement.outcome,
                engagement.next_step,
                field_in_language(source.meeting, "title")[0] if source else "",
                yes_no(engagement.is_public),
            ]

    return header, generate()


ENGAGEMENTS = ExportDataset(
    key="engagements",
    label=_("Engagements with government"),
    description=_(
        "Every engagement with government: date, kind, institutions, contacts, "
        "organisations taking part, outcome and next step."
    ),
    position=50,
    build=engagements,
)
