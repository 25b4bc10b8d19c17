"""The organisers' exports of a chapter: the outreach list with contacts,
invitations and answers, attendance, and members with their consent
records, as CSV (streamed, row by row) or Excel (.xlsx).

They hold personal data: the views serve them only to the chapter's
organisers and staff (ChapterOrganiserMixin; anyone else gets a 404).
Every cell goes through members.imports.neutralise, the one rule of the
portal against formula injection: a cell starting with = + - @, a tab or a
carriage return gets a leading apostrophe, so a spreadsheet shows it as text
and never runs it."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings import reports as meetings_reports
from members import reports as members_reports
from members.imports import neutralise

from . import times
from .models import Chapter

CHUNK = 500


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    description: str


DATASETS = {
    "outreach": Dataset(
        "outreach",
        _("Outreach list with contacts"),
        _(
            "Every organisation on the list with its stage and each "
            "representative's contact details."
        ),
    ),
    "invitations": Dataset(
        "invitations",
        _("Invitations and answers"),
        _("Every invitation of the chapter's meetings, its status and answer."),
    ),
    "attendance": Dataset(
        "attendance",
        _("Attendance"),
        _("Who was checked in at each meeting, invited or walk-in."),
    ),
    "members": Dataset(
        "members",
        _("Members with consent dates"),
        _("Every membership, its state and the consent record of its confirmation."),
    ),
}
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dated(label: str, zone: ZoneInfo) -> str:
    """A date column's header names the zone its times are in: "Sent on
    (Amman time)"."""
    return gettext("%(column)s (%(city)s time)") % {
        "column": label,
        "city": times.zone_city(zone),
    }


def _when(value, zone: ZoneInfo) -> str:
    """Dates as the chapter's local time, in a form every spreadsheet sorts
    (the column's header names the zone: _dated)."""
    if value is None:
        return ""
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")


def _yes(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def rows(*, chapter: Chapter, dataset: str) -> tuple[list[str], Iterator[list]]:
    """(header, rows) of a dataset, in the active language. The rows are a
    generator over the database in chunks, so a large chapter is never held
    in memory at once."""
    builders = {
        "outreach": _outreach,
        "invitations": _invitations,
        "attendance": _attendance,
        "members": _members,
    }
    return builders[dataset](chapter, chapter.zone)


def _outreach(chapter, zone):
    header = [
        gettext("Organisation (Arabic)"),
        gettext("Organisation (English)"),
        gettext("Acronym"),
        gettext("Type"),
        gettext("City"),
        gettext("Website"),
        gettext("Public e-mail"),
        gettext("Stage"),
        gettext("Source"),
        gettext("Followed up by"),
        _dated(gettext("Added on"), zone),
        gettext("Notes"),
        gettext("Representative"),
        gettext("Role"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Preferred language"),
        gettext("Primary contact"),
        gettext("Asked not to be e-mailed"),
    ]

    def generate():
        prospects = members_reports.outreach_export(chapter=chapter)
        for prospect in prospects.iterator(chunk_size=CHUNK):
            organisation = prospect.organisation
            common = [
                organisation.name_ar or "",
                organisation.name_en or "",
                organisation.acronym,
                organisation.get_kind_display(),
                organisation.city or "",
                organisation.website,
                organisation.public_email,
                prospect.get_stage_display(),
                prospect.get_source_display(),
                prospect.owner.email if prospect.owner else "",
                _when(prospect.created_at, zone),
                prospect.notes,
            ]
            # Only this chapter's contacts (members.reports.outreach_export).
            contacts = organisation.chapter_contacts
            if not contacts:
                yield common + [""] * 7
            for contact in contacts:
                yield [
                    *common,
                    contact.name,
                    contact.role,
                    contact.email,
                    contact.phone,
                    contact.get_language_display(),
                    _yes(contact.is_primary),
                    _yes(contact.opted_out),
                ]

    return header, generate()


def _invitations(chapter, zone):
    header = [
        gettext("Meeting"),
        _dated(gettext("Meeting date"), zone),
        gettext("Organisation"),
        gettext("Invitee"),
        gettext("E-mail"),
        gettext("Language"),
        gettext("Status"),
        _dated(gettext("Sent on"), zone),
        _dated(gettext("Opened on"), zone),
        _dated(gettext("Answered on"), zone),
        gettext("Who will attend"),
        gettext("Dietary or access needs"),
        gettext("Note to the organisers"),
        gettext("Materials opened"),
        gettext("Name may appear in the minutes"),
    ]

    def generate():
        invitations = meetings_reports.invitations_export(chapter=chapter)
        for invitation in invitations.iterator(chunk_size=CHUNK):
            yield [
                invitation.meeting.title,
                _when(invitation.meeting.starts_at, zone),
                invitation.organisation_name,
                invitation.name,
                invitation.email,
                invitation.get_language_display(),
                invitation.get_status_display(),
                _when(invitation.sent_at, zone),
                _when(invitation.opened_at, zone),
                _when(invitation.answered_at, zone),
                invitation.attendees,
                invitation.needs,
                invitation.note,
                invitation.materials_opened,
                _yes(invitation.name_in_minutes),
            ]

    return header, generate()


def _attendance(chapter, zone):
    header = [
        gettext("Meeting"),
        _dated(gettext("Meeting date"), zone),
        gettext("Organisation"),
        gettext("Name"),
        _dated(gettext("Checked in at"), zone),
        gettext("Invited"),
        gettext("Name may appear in the minutes"),
    ]

    def generate():
        attendances = meetings_reports.attendance_export(chapter=chapter)
        for attendance in attendances.iterator(chunk_size=CHUNK):
            yield [
                attendance.meeting.title,
                _when(attendance.meeting.starts_at, zone),
                attendance.organisation_name,
                attendance.name,
                _when(attendance.checked_in_at, zone),
                _yes(attendance.invited),
                _yes(attendance.name_in_minutes),
            ]

    return header, generate()


def _members(chapter, zone):
    header = [
        gettext("Organisation (Arabic)"),
        gettext("Organisation (English)"),
        gettext("Type"),
        gettext("State"),
        _dated(gettext("Confirmation requested on"), zone),
        _dated(gettext("Confirmed on"), zone),
        _dated(gettext("Consent given on"), zone),
        gettext("Consent statement version"),
        gettext("Consent language"),
        gettext("Confirmed by"),
        gettext("Confirmed by (e-mail)"),
        gettext("Role"),
        _dated(gettext("Withdrawn on"), zone),
    ]

    def generate():
        memberships = members_reports.members_export(chapter=chapter)
        for membership in memberships.iterator(chunk_size=CHUNK):
            organisation = membership.organisation
            yield [
                organisation.name_ar or "",
                organisation.name_en or "",
                organisation.get_kind_display(),
                membership.get_state_display(),
                _when(membership.requested_at, zone),
                _when(membership.confirmed_at, zone),
                _when(membership.consent_at, zone),
                membership.consent_version or "",
                membership.consent_language or "",
                membership.consent_by or "",
                membership.consent_email or "",
                membership.consent_role or "",
                _when(membership.withdrawn_at, zone),
            ]

    return header, generate()


# Formats ----------------------------------------------------------------------


def safe_cells(row: Iterable) -> list[str]:
    return [neutralise(cell) for cell in row]


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], body: Iterable[list]) -> Iterator[str]:
    """The CSV one line at a time, after a byte-order mark so that
    spreadsheet programs read the Arabic as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(safe_cells(header))
    for row in body:
        yield writer.writerow(safe_cells(row))


def xlsx_bytes(
    header: list[str], body: Iterable[list], *, right_to_left: bool
) -> bytes:
    """A workbook written row by row (openpyxl's write-only mode); every
    cell a string, never a formula; the sheet right to left in Arabic."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.sheet_view.rightToLeft = right_to_left
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in safe_cells(header)])
    for row in body:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in safe_cells(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
