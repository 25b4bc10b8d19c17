"""The organisers' exports: what each file holds, that formula-looking cells
are neutralised in CSV and in Excel, that large CSVs stream, and that only
the chapter's organisers and staff get them."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from meetings.models import Attendance
from meetings.services.attendance import attendance_add_walk_in
from members.models import DoNotContact, MembershipEvent
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

DATASETS = ["outreach", "invitations", "attendance", "members"]
NASTY = ['=HYPERLINK("http://evil")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rcmd"]


@pytest.fixture
def chapter():
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


@pytest.fixture
def filled(chapter):
    """One organisation of each kind of trouble: an Arabic name, formula
    names, a contact who opted out, an invitation, a check-in and a
    confirmed membership with its consent record."""
    dew = OrganisationFactory(name_ar="جمعية الندى", name_en="Dew Association")
    ProspectFactory(chapter=chapter, organisation=dew, notes="=1+1")
    RepresentativeFactory(
        organisation=dew, name="Layla", email="layla@dew.example", phone="+962790000000"
    )
    RepresentativeFactory(
        organisation=dew, name="@Omar", email="omar@dew.example", is_primary=False
    )
    DoNotContact.objects.create(email="omar@dew.example")
    for name in NASTY:
        ProspectFactory(chapter=chapter, organisation=OrganisationFactory(name_en=name))
    meeting = MeetingFactory(
        chapter=chapter,
        title_en="First session",
        title_ar="الجلسة الأولى",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        status="held",
    )
    invitation = InvitationFactory(
        meeting=meeting,
        organisation=dew,
        organisation_name="جمعية الندى",
        name="Layla",
        email="layla@dew.example",
        status="accepted",
        note="=cmd|' /C calc'!A0",
    )
    Attendance.objects.create(
        meeting=meeting,
        invitation=invitation,
        organisation=dew,
        name="Layla",
        organisation_name="جمعية الندى",
    )
    membership = MembershipFactory(
        chapter=chapter,
        organisation=dew,
        state="confirmed",
        confirmed_at=timezone.now(),
    )
    MembershipEvent.objects.create(
        membership=membership,
        action="confirm",
        from_state="requested",
        to_state="confirmed",
        via="link",
        representative_name="Layla",
        representative_email="layla@dew.example",
        role="Director",
        consent_version="2026-1",
        consent_language="ar",
    )
    # Another chapter's data never appears.
    other = ChapterFactory(country="EG")
    ProspectFactory(chapter=other, organisation=OrganisationFactory(name_en="Nile"))
    return dew


def csv_rows(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_the_outreach_csv_has_one_row_per_representative_with_contacts(
    organiser_client, filled
):
    response = organiser_client.get(url("chapters:export", "jo", "outreach", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "outreach-jo-" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Organisation (Arabic)", "Organisation (English)"]
    dew = [row for row in body if row[1] == "Dew Association"]
    assert len(dew) == 2
    by_name = {row[header.index("Representative")]: row for row in dew}
    layla = by_name["Layla"]
    assert layla[0] == "جمعية الندى"
    assert layla[header.index("E-mail")] == "layla@dew.example"
    assert layla[header.index("Asked not to be e-mailed")] == "no"
    assert by_name["'@Omar"][header.index("Asked not to be e-mailed")] == "yes"
    assert layla[header.index("Notes")] == "'=1+1"
    assert not any("Nile" in row for row in body)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_cell_that_could_run_as_a_formula_is_neutralised(
    organiser_client, filled, file_format
):
    response = organiser_client.get(
        url("chapters:export", "jo", "outreach", file_format)
    )
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    # XML keeps a carriage return as a line feed; the apostrophe stays first.
    cells = [cell.replace("\r", "\n") for row in rows for cell in row]
    for nasty in NASTY:
        assert f"'{nasty}".replace("\r", "\n") in cells, nasty
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_workbook_holds_strings_never_formulas(organiser_client, filled):
    response = organiser_client.get(url("chapters:export", "jo", "invitations", "xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    rows = xlsx_rows(response)
    assert "'=cmd|' /C calc'!A0" in rows[1]


def test_the_arabic_workbook_reads_right_to_left_with_arabic_headers(
    organiser_client, filled
):
    response = organiser_client.get(
        url("chapters:export", "jo", "members", "xlsx", language="ar")
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0].sheet_view.rightToLeft is True
    header = xlsx_rows(response)[0]
    assert all(not cell.isascii() for cell in header[:4])


def test_invitations_export_holds_answers_and_materials(organiser_client, filled):
    rows = csv_rows(
        organiser_client.get(url("chapters:export", "jo", "invitations", "csv"))
    )
    header, row = rows[0], rows[1]
    assert row[header.index("Meeting")] == "First session"
    assert row[header.index("Status")] == "Accepted"
    assert row[header.index("Organisation")] == "جمعية الندى"
    assert row[header.index("Materials opened")] == "0"
    assert len(rows) == 2


def test_attendance_export_lists_who_was_checked_in(organiser_client, filled):
    meeting = filled.prospects.first().chapter.meetings.get()
    # A walk-in who left an address has a record of their own, and was
    # still not invited.
    attendance_add_walk_in(
        actor=meeting.chapter.organisers.first().user,
        meeting=meeting,
        name="Sami",
        organisation_name="Dew Association",
        email="sami@dew.example",
    )
    rows = csv_rows(
        organiser_client.get(url("chapters:export", "jo", "attendance", "csv"))
    )
    header = rows[0]
    invited = {
        row[header.index("Name")]: row[header.index("Invited")] for row in rows[1:]
    }
    assert invited == {"Layla": "yes", "Sami": "no"}


def test_members_export_carries_the_consent_record(organiser_client, filled):
    rows = csv_rows(
        organiser_client.get(url("chapters:export", "jo", "members", "csv"))
    )
    header, row = rows[0], rows[1]
    assert row[header.index("State")] == "Confirmed (listed)"
    assert row[header.index("Consent statement version")] == "2026-1"
    assert row[header.index("Confirmed by")] == "Layla"
    assert row[header.index("Role")] == "Director"
    assert row[header.index("Consent given on (Amman time)")][:2] == "20"


def test_dates_are_in_the_chapters_time_zone(organiser_client, filled):
    rows = csv_rows(
        organiser_client.get(url("chapters:export", "jo", "invitations", "csv"))
    )
    header, row = rows[0], rows[1]
    meeting = filled.prospects.get().chapter.meetings.get()
    local = timezone.localtime(
        meeting.starts_at, timezone.get_fixed_timezone(180)
    ).strftime("%Y-%m-%d %H:%M")
    assert row[header.index("Meeting date (Amman time)")] == local
    arabic = csv_rows(
        organiser_client.get(
            url("chapters:export", "jo", "invitations", "csv", language="ar")
        )
    )
    assert "تاريخ الاجتماع (بتوقيت عمّان)" in arabic[0]


def test_a_large_outreach_list_streams_every_row(organiser_client, chapter):
    for _ in range(120):
        RepresentativeFactory(
            organisation=ProspectFactory(chapter=chapter).organisation
        )
    response = organiser_client.get(url("chapters:export", "jo", "outreach", "csv"))
    assert len(csv_rows(response)) == 121


@pytest.mark.parametrize("dataset", DATASETS)
def test_an_empty_chapter_exports_just_the_header(organiser_client, dataset):
    rows = csv_rows(organiser_client.get(url("chapters:export", "jo", dataset, "csv")))
    assert len(rows) == 1


@pytest.mark.parametrize(
    "path",
    [
        url("chapters:export", "jo", "everything", "csv"),
        url("chapters:export", "jo", "outreach", "pdf"),
        # Literal: a format left empty, which no route can be reversed to.
        "/en/manage/jo/exports/outreach.",
    ],
)
def test_unknown_datasets_and_formats_are_404(organiser_client, path):
    assert organiser_client.get(path).status_code == 404


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_organiser_of_another_chapter_gets_404(client, chapter, dataset):
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    assert client.get(url("chapters:export", "jo", dataset, "csv")).status_code == 404
    assert client.get(url("chapters:exports", "jo")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, chapter):
    response = client.get(url("chapters:export", "jo", "outreach", "csv"))
    assert response.status_code == 302
    assert url("account_login") in response["Location"]


def test_a_representative_gets_404(client, chapter, filled):
    user = UserFactory()
    RepresentativeFactory(organisation=filled, user=user)
    client.force_login(user)
    assert client.get(url("chapters:export", "jo", "members", "csv")).status_code == 404


def test_staff_may_export_any_chapter(client, chapter, filled):
    client.force_login(StaffFactory())
    response = client.get(url("chapters:export", "jo", "members", "xlsx"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_exports_page_lists_each_dataset_in_both_formats(organiser_client):
    body = organiser_client.get(url("chapters:exports", "jo")).content.decode()
    for dataset in DATASETS:
        assert url("chapters:export", "jo", dataset, "csv") in body
        assert url("chapters:export", "jo", dataset, "xlsx") in body
