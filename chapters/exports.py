"""The organisers' exports of a chapter: the outreach list with contacts,
invitations and answers, attendance, and members with their consent
records, as CSV (streamed, row by row) or Excel (.xlsx).

They hold personal data: the views serve them only to the chapter's
organisers and staff (ChapterOrganiserMixin; anyone else gets a 404).
The datasets are the apps' own (members/exports.py, meetings/exports.py),
registered at the extension point `export_datasets`; the files are written
by chapters/spreadsheets.py, where every cell goes through `neutralise`, the
one rule of the portal against formula injection."""

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext

from . import extensions, times
from .extensions import ExportDataset
from .models import Chapter

CHUNK = 500
FORMATS = ("csv", "xlsx")


def datasets() -> dict[str, ExportDataset]:
    """key -> dataset, in the order of the exports page."""
    return {dataset.key: dataset for dataset in extensions.export_datasets.all()}


def dated(label: str, zone: ZoneInfo) -> str:
    """A date column's header names the zone its times are in: "Sent on
    (Amman time)"."""
    return gettext("%(column)s (%(city)s time)") % {
        "column": label,
        "city": times.zone_city(zone),
    }


def local_time(value, zone: ZoneInfo) -> str:
    """Dates as the chapter's local time, in a form every spreadsheet sorts
    (the column's header names the zone: dated)."""
    if value is None:
        return ""
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def rows(*, chapter: Chapter, dataset: str) -> tuple[list[str], Iterator[list]]:
    """(header, rows) of a dataset, in the active language. The rows are a
    generator over the database in chunks, so a large chapter is never held
    in memory at once."""
    return datasets()[dataset].build(chapter, chapter.zone)
