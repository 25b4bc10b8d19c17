"""The meetings app's datasets of the organisers' exports: invitations with
their answers, and attendance. chapters/exports.py writes the files (every
cell neutralised, chapters/spreadsheets.py); the datasets are registered in
meetings/registrations.py."""

from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapters.exports import CHUNK, dated, local_time, yes_no
from chapters.extensions import ExportDataset
from chapters.models import Chapter

from . import reports


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
