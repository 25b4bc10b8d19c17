"""Importing organisations: every row previewed first, then all valid rows
written together or nothing; any encoding a spreadsheet saves; each bad
input a translated message on the right row."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from chapters.models import AuditEntry
from members import import_files
from members.models import ImportJob, Organisation, Prospect, Representative
from members.services import imports
from tests.factories import (
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

IMPORT = "/{lang}/manage/jo/outreach/import/"
EN_HEADER = [
    "Name in Arabic",
    "Name in English",
    "Type",
    "City in English",
    "Website",
    "Representative",
    "Representative e-mail",
    "Representative phone",
    "Preferred language",
    "Notes",
]
AR_HEADER = [
    "الاسم بالعربية",
    "الاسم بالإنجليزية",
    "النوع",
    "المدينة بالإنجليزية",
    "الموقع الإلكتروني",
    "ممثل المنظمة",
    "البريد الإلكتروني لممثل المنظمة",
    "هاتف ممثل المنظمة",
    "اللغة المفضلة",
    "ملاحظات",
]
GOOD_ROWS = [
    [
        "جمعية الأمل",
        "Hope Society",
        "ngo",
        "Amman",
        "hope.example.org",
        "أمل",
        "amal@example.org",
        "0791234567",
        "ar",
        "",
    ],
    [
        "شبكة النور",
        "Light Network",
        "Network or coalition",
        "Irbid",
        "",
        "Basel",
        "basel@example.org",
        "+962 79 765 4321",
        "English",
        "",
    ],
    [
        "مركز الأفق",
        "Horizon Centre",
        "دوائر الفكر",
        "Aqaba",
        "",
        "",
        "",
        "",
        "",
        "=1+2",
    ],
]


def csv_bytes(rows, *, header=EN_HEADER, delimiter=",", encoding="utf-8", bom=False):
    lines = [delimiter.join(f'"{cell}"' for cell in row) for row in [header, *rows]]
    data = "\r\n".join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=EN_HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="organisations.csv", lang="en"):
    return client.post(
        IMPORT.format(lang=lang), {"file": SimpleUploadedFile(name, content)}
    )


def preview(client, content, name="organisations.csv", lang="en") -> ImportJob:
    response = upload(client, content, name, lang)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.latest("pk")


def statuses(job):
    return [(row["row"], row["status"]) for row in job.rows]


def row_messages(client, job, lang="en"):
    response = client.get(IMPORT.format(lang=lang) + f"{job.pk}/")
    return {row["row"]: row["messages"] for row in response.context["preview_rows"]}


def test_preview_writes_nothing_then_commit_imports_every_valid_row(
    organiser_client, organiser, chapter
):
    job = preview(organiser_client, csv_bytes(GOOD_ROWS))
    assert job.status == "previewed"
    assert statuses(job) == [(2, "new"), (3, "new"), (4, "new")]
    assert not Organisation.objects.exists() and not Prospect.objects.exists()

    response = organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count, job.merged_count) == ("imported", 3, 0)
    assert job.content == b""
    hope = Organisation.objects.get(name_en="Hope Society")
    assert hope.kind == "ngo" and hope.country == "JO"
    assert hope.website == "https://hope.example.org"
    assert hope.name_key_ar == "الامل" and hope.website_domain == "hope.example.org"
    amal = hope.representatives.get()
    assert (amal.phone, amal.language, amal.is_primary) == ("+962791234567", "ar", True)
    light = Organisation.objects.get(name_en="Light Network")
    assert light.kind == "network"
    assert light.representatives.get().language == "en"
    horizon = Organisation.objects.get(name_en="Horizon Centre")
    assert horizon.kind == "think_tank"
    prospects = Prospect.objects.filter(chapter=chapter)
    assert prospects.count() == 3
    assert {p.source for p in prospects} == {"import"}
    assert {p.owner for p in prospects} == {organiser}
    # A formula-looking cell is stored as the text it is, never evaluated.
    assert prospects.get(organisation=horizon).notes == "=1+2"
    assert AuditEntry.objects.get(action="import.commit").after["created"] == 3


def test_committing_twice_imports_once(organiser_client, chapter):
    job = preview(organiser_client, csv_bytes(GOOD_ROWS))
    url = IMPORT.format(lang="en") + f"{job.pk}/commit/"
    organiser_client.post(url)
    organiser_client.post(url)
    assert Organisation.objects.count() == 3


def test_commit_is_all_or_nothing(organiser_client, chapter, monkeypatch):
    """A failure in the last batch leaves nothing of the earlier batches."""
    rows = [
        [f"منظمة {n}", f"Organisation {n}", "ngo", "", "", "", "", "", "", ""]
        for n in range(12)
    ]
    job = preview(organiser_client, csv_bytes(rows))
    monkeypatch.setattr(imports, "BATCH_SIZE", 5)
    original = imports._commit_batch
    calls = []

    def failing_third_batch(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return original(**kwargs)

    monkeypatch.setattr(imports, "_commit_batch", failing_third_batch)
    response = organiser_client.post(IMPORT.format(lang="ar") + f"{job.pk}/commit/")
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert not Prospect.objects.exists()
    job.refresh_from_db()
    assert job.status == "previewed"
    assert job.problem["code"] == "import_failed"
    failed = AuditEntry.objects.get(action="import.fail", object_id=str(job.pk))
    assert failed.actor == job.created_by and failed.chapter == job.chapter


def test_existing_organisation_is_a_duplicate_merged_not_created(
    organiser_client, chapter
):
    known = OrganisationFactory(name_ar="الأمل", name_en="Hope", kind="ngo")
    RepresentativeFactory(organisation=known, email="amal@example.org", chapter=chapter)
    by_domain = OrganisationFactory(name_en="Lights", website="https://www.light.org")
    rows = [
        ["جمعية الامل", "", "ngo", "", "", "أمل", "amal@example.org", "", "", ""],
        [
            "",
            "Light",
            "network",
            "",
            "http://light.org/about",
            "Basel",
            "basel@example.org",
            "",
            "",
            "",
        ],
    ]
    job = preview(organiser_client, csv_bytes(rows))
    assert statuses(job) == [(2, "duplicate"), (3, "duplicate")]
    assert job.rows[0]["duplicate_of"] == known.pk
    assert job.rows[1]["duplicate_of"] == by_domain.pk
    html = organiser_client.get(
        IMPORT.format(lang="en") + f"{job.pk}/"
    ).content.decode()
    assert "Already known as" in html

    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert Organisation.objects.count() == 2
    assert known.representatives.count() == 1  # same address: not added twice
    assert by_domain.representatives.get().email == "basel@example.org"
    assert Prospect.objects.filter(chapter=chapter).count() == 2


def test_organisation_already_on_the_list_is_not_listed_twice(
    organiser_client, chapter
):
    prospect = ProspectFactory(
        chapter=chapter, organisation=OrganisationFactory(name_en="Hope Society")
    )
    job = preview(organiser_client, csv_bytes(GOOD_ROWS[:1]))
    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert Prospect.objects.filter(chapter=chapter).get() == prospect


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(GOOD_ROWS, bom=True),
        csv_bytes(GOOD_ROWS),
        csv_bytes(GOOD_ROWS, delimiter=";"),
        csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1256", header=AR_HEADER),
        csv_bytes(GOOD_ROWS, delimiter="\t", encoding="utf-16"),
    ],
    ids=["utf8-bom", "utf8", "semicolon", "windows-1256-arabic-headers", "utf16-tab"],
)
def test_csv_encodings_and_separators_read_the_same(organiser_client, chapter, content):
    job = preview(organiser_client, content)
    assert statuses(job) == [(2, "new"), (3, "new"), (4, "new")]
    assert job.rows[0]["values"]["name_ar"] == "جمعية الأمل"
    assert job.rows[1]["values"]["name_en"] == "Light Network"


def test_xlsx_with_arabic_headers_numbers_dates_and_formulas(organiser_client, chapter):
    rows = [
        [
            "جمعية الأمل",
            "Hope Society",
            "ngo",
            "Amman",
            "",
            "أمل",
            "",
            962791234567,
            "",
            datetime.date(2026, 3, 3),
        ],
        ["شبكة النور", "", "network", "", "", "", "", "", "", '=HYPERLINK("http://x")'],
    ]
    job = preview(organiser_client, xlsx_bytes(rows, header=AR_HEADER), "list.xlsx")
    assert statuses(job) == [(2, "new"), (3, "new")]
    first, second = (row["values"] for row in job.rows)
    assert first["contact_phone"] == "+962791234567"
    assert first["notes"] == "2026-03-03"
    assert first["contact_language"] == "ar"  # Arabic headers: Arabic by default
    assert second["notes"] == '=HYPERLINK("http://x")'


def test_each_bad_row_gets_its_translated_reason_and_is_left_out(
    organiser_client, chapter
):
    rows = [
        GOOD_ROWS[0],
        ["", "", "ngo", "", "", "", "", "", "", ""],
        ["جمعية ب", "", "", "", "", "", "", "", "", ""],
        ["جمعية ج", "", "bakery", "", "", "", "", "", "", ""],
        ["جمعية د", "", "ngo", "", "", "د", "not-an-email", "", "", ""],
        ["جمعية هـ", "", "ngo", "", "", "هـ", "", "12", "", ""],
        ["جمعية و", "", "ngo", "", "", "و", "", "", "Klingon", ""],
        ["جمعية ز", "", "ngo", "", "", "", "z@example.org", "", "", ""],
        ["جمعيه الامل", "", "ngo", "", "", "", "", "", "", ""],
        ["جمعية ح", "", "ngo", "", "not a website", "", "", "", "", ""],
    ]
    job = preview(organiser_client, csv_bytes(rows))
    assert statuses(job) == [(2, "new")] + [(n, "error") for n in range(3, 12)]
    arabic = row_messages(organiser_client, job, lang="ar")
    assert "ليس للمنظمة اسم" in arabic[3][0]
    assert "نوع المنظمة غير مذكور" in arabic[4][0]
    assert "bakery" in arabic[5][0]
    assert (
        "not-an-email" in arabic[6][0]
        and "البريد الإلكتروني لممثل المنظمة" in arabic[6][0]
    )
    assert "ليس رقم هاتف" in arabic[7][0]
    assert "Klingon" in arabic[8][0]
    assert "اسم" in arabic[9][0]
    assert "الصف 2" in arabic[10][0]
    assert "not a website" in arabic[11][0]
    english = row_messages(organiser_client, job, lang="en")
    assert "already in row 2 of this file" in english[10][0]
    assert "“not-an-email” in the column “Representative e-mail”" in english[6][0]

    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert list(Organisation.objects.values_list("name_en", flat=True)) == [
        "Hope Society"
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", b"", "empty"),
        ("list.pdf", b"%PDF-1.4", "wrong_type"),
        ("list.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old_excel"),
        ("renamed.csv", b"PK\x03\x04 zip data", "wrong_type"),
        ("fake.xlsx", b"Name,Type\nA,ngo", "wrong_type"),
    ],
)
def test_files_that_cannot_be_imports_are_refused_at_upload(
    organiser_client, chapter, name, content, code
):
    response = upload(organiser_client, content, name, lang="ar")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    with_language = {"ar"}
    assert errors and with_language
    assert not ImportJob.objects.exists()


def test_a_50_megabyte_upload_is_refused_before_parsing(organiser_client, chapter):
    content = b"a" * (50 * 1024 * 1024)
    response = upload(organiser_client, content, "huge.csv", lang="en")
    assert response.status_code == 200
    assert "larger than 5 MB" in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "text"),
    [
        (b"\n\n", "blank.csv", "The file is empty."),
        (csv_bytes([]), "headers.csv", "no rows"),
        (
            b"Website,City\nx.org,Amman\n",
            "columns.csv",
            "Name in Arabic, Name in English, Name in French, Type",
        ),
        (b"\xd8\xa7\xd9\x84\xd9\x86\xd9\x88\xd8\xb9\n", "arabic.csv", "Name in Arabic"),
        (b"PK\x03\x04broken zip", "broken.xlsx", "could not be read"),
    ],
)
def test_file_level_problems_are_explained(
    organiser_client, chapter, content, name, text
):
    job = preview(organiser_client, content, name)
    assert job.status == "failed"
    html = organiser_client.get(
        IMPORT.format(lang="en") + f"{job.pk}/"
    ).content.decode()
    assert text in html
    arabic = organiser_client.get(IMPORT.format(lang="ar") + f"{job.pk}/")
    assert arabic.context["problem_text"] != html


def test_missing_columns_message_names_them_in_arabic(organiser_client, chapter):
    job = preview(organiser_client, b"Website\nx.org\n")
    response = organiser_client.get(IMPORT.format(lang="ar") + f"{job.pk}/")
    assert (
        "الاسم بالعربية، الاسم بالإنجليزية، الاسم بالفرنسية، النوع"
        in response.context["problem_text"]
    )


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_downloads_with_headers_that_import_back(
    organiser_client, chapter, language, file_format
):
    response = organiser_client.get(
        IMPORT.format(lang="en") + f"template-{language}.{file_format}"
    )
    assert response.status_code == 200
    if file_format == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
    assert header == [column.label(language) for column in import_files.COLUMNS]
    positions, header_language = import_files.match_headers(header)
    assert header_language == language
    assert len(positions) == len(import_files.COLUMNS)


def test_export_imports_back_unchanged(organiser_client, chapter):
    job = preview(organiser_client, csv_bytes(GOOD_ROWS))
    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    exported = organiser_client.get("/en/manage/jo/outreach/export.csv").content
    assert "'=1+2" in exported.decode("utf-8-sig")
    job = preview(organiser_client, exported, "export.csv")
    assert [row["status"] for row in job.rows] == ["duplicate"] * 3
    notes = {row["values"]["name_en"]: row["values"]["notes"] for row in job.rows}
    assert notes["Horizon Centre"] == "=1+2"


def test_large_file_is_checked_and_imported_by_the_worker_with_progress(
    organiser_client, chapter, django_assert_max_num_queries
):
    rows = [
        [
            f"منظمة رقم {n}",
            f"Organisation number {n}",
            "cbo",
            "Zarqa",
            "",
            f"Person {n}",
            f"p{n}@example.org",
            "",
            "",
            "x" * 40,
        ]
        for n in range(1200)
    ]
    content = csv_bytes(rows)
    job = preview(organiser_client, content)  # the immediate backend runs the task
    assert job.status == "previewed" and job.processed_rows == 1200
    status = organiser_client.get(IMPORT.format(lang="en") + f"{job.pk}/status/").json()
    assert status == {
        "status": "previewed",
        "status_label": "Ready to import",
        "percent": 100,
        "running": False,
    }
    # 1200 rows in three batches: the queries stay bounded per batch.
    with django_assert_max_num_queries(40):
        organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "imported" and job.created_count == 1200
    assert Representative.objects.count() == 1200


def test_running_job_page_polls_with_an_external_script(organiser_client, chapter):
    job = ImportJob.objects.create(
        chapter=chapter,
        filename="x.csv",
        file_format="csv",
        content=b"",
        status="checking",
    )
    html = organiser_client.get(
        IMPORT.format(lang="ar") + f"{job.pk}/"
    ).content.decode()
    assert "js/job-progress" in html and "<progress" in html
    assert "<script>" not in html


def test_other_chapters_organiser_cannot_see_or_commit_an_import(
    other_chapter_client, organiser, chapter
):
    job = imports.import_job_create(
        actor=organiser, chapter=chapter, filename="a.csv", content=csv_bytes(GOOD_ROWS)
    )
    imports.import_job_check(actor=job.created_by, job=job)
    for path in ["", f"{job.pk}/", f"{job.pk}/status/"]:
        assert (
            other_chapter_client.get(IMPORT.format(lang="en") + path).status_code == 404
        )
    for action in ["commit", "cancel"]:
        response = other_chapter_client.post(
            IMPORT.format(lang="en") + f"{job.pk}/{action}/"
        )
        assert response.status_code == 404
    assert not Organisation.objects.exists()
    job.refresh_from_db()
    assert job.status == "previewed"


def test_anonymous_visitor_cannot_upload(client, chapter):
    response = upload(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ImportJob.objects.exists()


def test_cancelled_import_writes_nothing(organiser_client, chapter):
    job = preview(organiser_client, csv_bytes(GOOD_ROWS))
    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == "cancelled" and job.content == b""
    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert not Organisation.objects.exists()


def test_upload_still_requires_the_csrf_token(organiser):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = upload(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_every_step_of_an_import_is_audited_with_its_actor(
    organiser_client, organiser, chapter
):
    """Upload, check (by the worker, for the uploader), claim and commit,
    and the cancel of another file, each leave an entry naming who did it."""

    def trail(job):
        entries = AuditEntry.objects.filter(
            object_type="members.importjob", object_id=str(job.pk)
        ).order_by("pk")
        return [(entry.action, entry.actor, entry.chapter) for entry in entries]

    job = preview(organiser_client, csv_bytes(GOOD_ROWS))
    organiser_client.post(IMPORT.format(lang="en") + f"{job.pk}/commit/")
    assert trail(job) == [
        (action, organiser, chapter)
        for action in ("import.upload", "import.check", "import.start", "import.commit")
    ]
    check = AuditEntry.objects.get(action="import.check", object_id=str(job.pk))
    assert check.after["status"] == "previewed" and check.after["new"] == 3

    dropped = preview(organiser_client, csv_bytes(GOOD_ROWS))
    organiser_client.post(IMPORT.format(lang="en") + f"{dropped.pk}/cancel/")
    assert [action for action, _actor, _chapter in trail(dropped)] == [
        "import.upload",
        "import.check",
        "import.cancel",
    ]
    # The trail reads in Arabic: labelled actions and keys, no raw codes.
    page = organiser_client.get("/ar/manage/jo/audit/").content.decode()
    for raw in ("import.upload", "import.check", "import.start", "previewed"):
        assert f">{raw}<" not in page
    assert "رُفع ملف للاستيراد" in page and "جاهز للاستيراد" in page


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Nom;Ville\nÉCOLE DES ÉLÈVES;Salé\nRÉSEAU ÀGIR;Fès\n", "cp1252"),
        ("الاسم;المدينة\nجمعية الندى;عمّان\nشبكة Eco;Irbid\n", "cp1256"),
        ("Name;City\nRéseau des élèves;Rabat\n", "cp1252"),
    ],
)
def test_a_csv_saved_by_excel_in_a_legacy_code_page_reads_as_typed(text, encoding):
    """Excel saves "CSV" in the Windows code page of its language: Arabic
    (1256) or French and English (1252). French capitals must not turn
    into Arabic letters, nor Arabic into accented Latin."""
    assert import_files.decode_csv(text.encode(encoding)) == text
