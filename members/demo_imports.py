"""Demo data of the members app: the import files an organiser uploads in
the demo chapter, one imported, one waiting in its preview and one uploaded
by mistake and cancelled, through the import job's own steps
(members.services.imports)."""

from chapters.models import Chapter

from .import_files import COLUMNS, csv_bytes, header_row, xlsx_bytes
from .models import ImportJob
from .services.imports import (
    import_job_cancel,
    import_job_check,
    import_job_commit,
    import_job_create,
)

# Imports: files as an organiser fills in the downloaded template, one with
# English headers (CSV) and one with Arabic headers (Excel), in the columns
# of import_files.COLUMNS: names, acronym, type, cities, website, public e-mail,
# representative (name, e-mail, phone, role, language), notes.
IMPORTED_FILE = "demo-partners-north.csv"
# The same first row again, uploaded by mistake and cancelled in its preview.
CANCELLED_FILE = "demo-partners-north-copy.csv"
IMPORTED_ROWS = [
    [
        "جمعية ينابيع الخير (تجريبية)",
        "Springs of Goodness Society (demo)",
        "",
        "Community-based organisation",
        "الزرقاء",
        "Zarqa",
        "https://springs.demo.example",
        "info@springs.demo.example",
        "Rania Haddad",
        "rania@springs.demo.example",
        "0791000101",
        "Coordinator",
        "Arabic",
        "تعرّفنا عليها في معرض التطوع في الزرقاء.",
    ],
    [
        "مبادرة شباب البادية (تجريبية)",
        "Badia Youth Initiative (demo)",
        "BYI",
        "Community-based organisation",
        "المفرق",
        "Mafraq",
        "https://badia-youth.demo.example",
        "",
        "Omar Zoubi",
        "omar@badia-youth.demo.example",
        "",
        "Founder",
        "English",
        "",
    ],
    [
        "مرصد السياسات المحلية (تجريبي)",
        "Local Policy Observatory (demo)",
        "",
        "Think tank",
        "عمّان",
        "Amman",
        "https://policy-observatory.demo.example",
        "",
        "",
        "",
        "",
        "",
        "",
        "ينشر تقريراً سنوياً عن موازنات البلديات.",
    ],
    # Already known: its new contact joins it, nothing else changes.
    [
        "وحدة الشراكات البلدية (تجريبية)",
        "Municipal Partnerships Unit (demo)",
        "",
        "Government body",
        "الكرك",
        "Karak",
        "https://municipal-unit.demo.example",
        "",
        "Huda Tarawneh",
        "huda@municipal-unit.demo.example",
        "",
        "Partnerships officer",
        "Arabic",
        "",
    ],
    # Left out: a type the portal does not know.
    [
        "دكان الخير (تجريبي)",
        "",
        "",
        "محل خيري",
        "مادبا",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]

PREVIEWED_FILE = "demo-partners-south.xlsx"
PREVIEWED_ROWS = [
    [
        "جمعية سيدات الأغوار (تجريبية)",
        "Jordan Valley Women's Society (demo)",
        "",
        "منظمة مجتمعية قاعدية",
        "الشونة الجنوبية",
        "South Shuna",
        "https://valley-women.demo.example",
        "",
        "سناء العدوان",
        "sanaa@valley-women.demo.example",
        "",
        "رئيسة الجمعية",
        "عربي",
        "",
    ],
    [
        "منتدى الكرك الثقافي (تجريبي)",
        "Karak Cultural Forum (demo)",
        "",
        "منظمة غير حكومية",
        "الكرك",
        "Karak",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # Imported already from the other file: a duplicate.
    [
        "مبادرة شباب البادية (تجريبية)",
        "Badia Youth Initiative (demo)",
        "",
        "منظمة مجتمعية قاعدية",
        "المفرق",
        "Mafraq",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # Left out: a name where the e-mail address should be.
    [
        "نادي المطالعة في الطفيلة (تجريبي)",
        "",
        "",
        "منظمة مجتمعية قاعدية",
        "الطفيلة",
        "",
        "",
        "",
        "ليلى العمري",
        "ليلى العمري",
        "",
        "",
        "عربي",
        "",
    ],
]


# The demo files' cells, in this order; a site language the files do not
# have (French) is an empty column, as in a template filled in two languages.
DEMO_COLUMNS = [
    "name_ar",
    "name_en",
    "acronym",
    "kind",
    "city_ar",
    "city_en",
    "website",
    "public_email",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_role",
    "contact_language",
    "notes",
]


def _file(language: str, rows: list[list[str]]) -> list[list[str]]:
    """The header in `language` and the rows in the template's columns."""
    return [
        header_row(language),
        *(
            [dict(zip(DEMO_COLUMNS, row, strict=True)).get(c.key, "") for c in COLUMNS]
            for row in rows
        ),
    ]


def seed_imports(chapter: Chapter, owner) -> None:
    """Two uploads through the import's services, as the upload page makes
    them: one checked and imported, one checked and waiting in its preview
    for the organiser to import or cancel it, and the previewed file's
    earlier copy, uploaded by mistake and cancelled. Each file is uploaded
    once."""
    jobs = ImportJob.objects.filter(chapter=chapter)
    if not jobs.filter(filename=IMPORTED_FILE).exists():
        job = import_job_create(
            actor=owner,
            chapter=chapter,
            filename=IMPORTED_FILE,
            content=csv_bytes(_file("en", IMPORTED_ROWS)),
        )
        import_job_check(actor=owner, job=job)
        import_job_commit(actor=owner, job=job)
    if not jobs.filter(filename=PREVIEWED_FILE).exists():
        job = import_job_create(
            actor=owner,
            chapter=chapter,
            filename=PREVIEWED_FILE,
            content=xlsx_bytes(_file("ar", PREVIEWED_ROWS), right_to_left=True),
        )
        import_job_check(actor=owner, job=job)
    if not jobs.filter(filename=CANCELLED_FILE).exists():
        job = import_job_create(
            actor=owner,
            chapter=chapter,
            filename=CANCELLED_FILE,
            content=csv_bytes(_file("en", IMPORTED_ROWS[:1])),
        )
        import_job_check(actor=owner, job=job)
        import_job_cancel(actor=owner, job=job)
