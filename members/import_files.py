"""Reading an import file (CSV or Excel) and checking its rows: nothing here
writes. The import job's steps that write (members.services.imports) use
it, and so do the import template and the outreach export.

Reading uses the standard csv module (with encoding and separator detection)
and openpyxl for .xlsx; see docs/import.md for why. Problems are stored as
codes with parameters and rendered in the language of whoever looks at the
preview, so the same job reads right in each of the site's languages.
"""

import csv
import datetime
import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree  # nosec B405 # see _sheet_lines

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chapters import languages, spreadsheets
from chapters.languages import is_filled
from chapters.spreadsheets import FORMULA_STARTS
from chapters.spreadsheets import neutralise as neutralise  # import_files.neutralise

from .models import ImportJob, Organisation
from .normalise import fold
from .validation import phone_normalise

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Lines read, blank ones included: a file stops being read past this, so
# 400,000 tiny rows cost no more than a full import.
MAX_LINES = MAX_ROWS + 1_000

# No column of the import needs more; notes are the longest.
MAX_CELL_CHARS = 5_000

# Cells in one spreadsheet row; the import has 14 columns.
MAX_CELLS_PER_ROW = 100

# An .xlsx is a zip archive, and MAX_BYTES counts its packed bytes. What it
# unpacks to is checked from the archive's directory before anything is
# parsed: a real 20,000-row list unpacks to about 10-30 MB at a ratio below
# 10, while a file made to exhaust memory packs hundreds of MB into a few KB.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

# openpyxl holds every part but the sheets in memory as objects; shared
# strings (the cells' text) may be large, styles, themes and the rest not.
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024
MAX_OTHER_PART_BYTES = 5 * 1024 * 1024
MAX_PARTS = 100
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024

# C0 controls and DEL, except tab and line breaks.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _in_language(field: str, code: str) -> str:
    # Translators: an import file's column header, e.g. "Name in Arabic".
    return gettext("%(field)s in %(language)s") % {
        "field": field,
        "language": languages.name(code),
    }


in_language = lazy(_in_language, str)


@dataclass(frozen=True)
class Column:
    """One column of the file: `key` is what the code uses, `title` its
    header, translated: the file's headers may be in any site language."""

    key: str
    title: Promise

    def label(self, language: str | None = None) -> str:
        """The header in the given language (else the active one)."""
        with translation.override(language or get_language()):
            return str(self.title)


def _in_languages(field: str, title) -> list[Column]:
    """A translated field's columns, one per site language."""
    return [
        Column(f"{field}_{code}", in_language(title, code))
        for code in languages.codes()
    ]


# The file's columns. Headers in any site language are accepted, and the
# template can be downloaded in each; the keys are what the code uses.
COLUMNS = [
    *_in_languages("name", _("Name")),
    Column("acronym", _("Acronym")),
    Column("kind", _("Type")),
    *_in_languages("city", _("City")),
    Column("website", _("Website")),
    Column("public_email", _("Public e-mail")),
    Column("contact_name", _("Representative")),
    Column("contact_email", _("Representative e-mail")),
    Column("contact_phone", _("Representative phone")),
    Column("contact_role", _("Representative role")),
    Column("contact_language", _("Preferred language")),
    Column("notes", pgettext_lazy("import column", "Notes")),
]

COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_KEYS = ["kind"]
NAME_KEYS = languages.localized("name")

MESSAGES = {
    # The file as a whole.
    "too_large": _(
        "The file is larger than %(limit)s MB. Split it into smaller files "
        "and import them one by one."
    ),
    "wrong_type": _(
        "This is not a CSV or Excel (.xlsx) file. Save the list as .csv or "
        ".xlsx and upload it again."
    ),
    "old_excel": _(
        "Old Excel files (.xls) cannot be read. Save the list as .xlsx or .csv "
        "and upload it again."
    ),
    "empty": _("The file is empty."),
    "no_rows": _("The file has column headers but no rows of organisations."),
    "too_many_rows": _(
        "The file has more than %(limit)s rows. Split it into smaller files."
    ),
    "too_many_parts": _(
        "This spreadsheet holds more than %(limit)s parts (sheets, images and "
        "other files). Keep only the list of organisations in it, or save it "
        "as .csv, and upload it again."
    ),
    "unpacked_too_large": _(
        "Unpacked, this spreadsheet would take more than %(limit)s MB. Keep "
        "only the list of organisations in it, or save it as .csv, and upload "
        "it again."
    ),
    "packed_too_tightly": _(
        "This spreadsheet is packed far more tightly than a list of "
        "organisations can be, as files made to overload servers are, so it "
        "is not opened. Save the list as .csv and upload it again."
    ),
    "row_too_wide": _(
        "Row %(row)s has more than %(limit)s cells. Keep only the columns of "
        "the template and upload the file again."
    ),
    "cell_too_long": _(
        "A cell in row %(row)s is longer than %(limit)s characters, more than "
        "any column of the import takes. Shorten it and upload the file again."
    ),
    "missing_columns": _(
        "These columns are missing: %(columns)s. Start from the template, "
        "whose headers may be in any of the site's languages (%(languages)s)."
    ),
    "unreadable": _(
        "The file could not be read. Check that it is a valid CSV or .xlsx "
        "file and upload it again."
    ),
    "import_failed": _(
        "The import stopped because of an unexpected problem and nothing was "
        "imported. Try again; if it happens again, tell the portal staff."
    ),
    # One row.
    "name_missing": _("The organisation has no name in any language."),
    "kind_missing": _("The type of organisation is missing."),
    "kind_unknown": _("“%(value)s” is not a type of organisation we know."),
    "email_invalid": _(
        "“%(value)s” in the column “%(column)s” is not an e-mail address."
    ),
    "phone_invalid": _("“%(value)s” is not a phone number."),
    "website_invalid": _("“%(value)s” is not a website address."),
    "language_unknown": _(
        "“%(value)s” is not one of the site's languages (%(languages)s)."
    ),
    "contact_name_missing": _(
        "The representative's e-mail or phone is given but not their name."
    ),
    "too_long": _("The column “%(column)s” is longer than %(limit)s characters."),
    "duplicate_in_file": _(
        "This organisation is already in row %(row)s of this file. Keep one "
        "row per organisation; add further representatives on its page later."
    ),
}

MAX_LENGTHS = {
    **dict.fromkeys(languages.localized("name"), 200),
    "acronym": 30,
    **dict.fromkeys(languages.localized("city"), 100),
    "contact_name": 200,
    "contact_role": 120,
    "website": 200,
}


class ImportProblem(Exception):
    """The file as a whole cannot be imported; code is a MESSAGES key."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params}


def message_text(problem: dict) -> str:
    """A stored problem rendered in the active language; column keys become
    the column's header in that language, and %(languages)s names the
    site's languages."""
    params = {
        "languages": languages.names_list(languages.codes()),
        **(problem.get("params") or {}),
    }
    if params.get("column") in COLUMNS_BY_KEY:
        params["column"] = COLUMNS_BY_KEY[params["column"]].label()
    if "columns" in params:
        # Translators: the separator between the items of a list.
        params["columns"] = gettext(", ").join(
            COLUMNS_BY_KEY[key].label() for key in params["columns"]
        )
    template = MESSAGES.get(problem.get("code"), MESSAGES["unreadable"])
    return str(template) % params


def detect_format(filename: str, content: bytes) -> str:
    """ "csv" or "xlsx" from the name and the first bytes, or ImportProblem."""
    if not content:
        raise ImportProblem("empty")
    name = filename.lower()
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ImportProblem("old_excel")
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise ImportProblem("wrong_type")
        return ImportJob.Format.XLSX
    if name.endswith((".csv", ".txt")):
        # A spreadsheet renamed .csv, or a binary file. UTF-16 text has NUL
        # bytes too, but announces itself with a byte-order mark.
        utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
        if content.startswith(b"PK\x03\x04") or (
            b"\x00" in content[:4096] and not utf16
        ):
            raise ImportProblem("wrong_type")
        return ImportJob.Format.CSV
    raise ImportProblem("wrong_type")


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the legacy code
    page Excel saved "CSV" in: Windows-1256 on Arabic Windows, Windows-1252
    on French or English Windows. The two share the accented small letters
    but not the capitals (É, À, Ç read as Arabic letters in 1256), so the
    one whose reading mixes Arabic and Latin letters inside fewer words is
    taken, Windows-1256 when they tie."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        arabic = content.decode("cp1256", errors="replace")
        western = content.decode("cp1252", errors="replace")
        if _mixed_script_words(western) < _mixed_script_words(arabic):
            return western
        return arabic


WORD = re.compile(r"\w+")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def _mixed_script_words(text: str) -> int:
    return sum(
        1
        for word in WORD.findall(text)
        if ARABIC_LETTER.search(word) and LATIN_LETTER.search(word)
    )


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _cell_text(value) -> str:
    """An Excel cell as text: whole numbers without ".0", dates as ISO
    dates, formulas as the text of the formula (never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".")
    return str(value)


def _xlsx_mb(limit: int) -> int:
    return limit // (1024 * 1024)


def inspect_archive(content: bytes) -> None:
    """Refuse an .xlsx whose parts would unpack beyond the limits, from the
    zip directory alone (sizes as declared; Python's zip reader never
    unpacks a part beyond its declared size, so they cannot lie upwards)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise ImportProblem("unreadable") from error
    if len(parts) > MAX_PARTS:
        raise ImportProblem("too_many_parts", limit=MAX_PARTS)
    total = 0
    for part in parts:
        size, name = part.file_size, part.filename.lower()
        if name.startswith("xl/worksheets/"):
            limit = MAX_UNPACKED_BYTES
        elif name == "xl/sharedstrings.xml":
            limit = MAX_SHARED_STRINGS_BYTES
        else:
            limit = MAX_OTHER_PART_BYTES
        if size > limit:
            raise ImportProblem("unpacked_too_large", limit=_xlsx_mb(limit))
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(part.compress_size, 1):
            raise ImportProblem("packed_too_tightly")
        total += size
    if total > MAX_UNPACKED_BYTES:
        raise ImportProblem("unpacked_too_large", limit=_xlsx_mb(MAX_UNPACKED_BYTES))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_lines(source, parser) -> list[list[str]]:
    """Every line of the sheet as text, in one streaming pass that refuses a
    row too wide or a cell too long before its cells are converted, and
    stops past MAX_LINES (so the lines held are bounded, and their count is
    the progress bar's total). Cells read as openpyxl's `iter_rows` gives
    them (see _sheet_cell), in less than half its time, which parsed the
    sheet a second time. Missing rows are empty lines, as openpyxl fills
    them in; cells past MAX_CELLS_PER_ROW columns are ignored."""
    lines: list[list[str]] = []
    elements = cells = 0
    # Expat 2.4 and later refuse entity expansion bombs ("billion laughs").
    events = ElementTree.iterparse(source, events=("end",))  # noqa: S314 # nosec B314 # see above
    for _event, element in events:
        tag = _local(element.tag)
        if tag == "c":
            cells += 1
            if cells > MAX_CELLS_PER_ROW:
                raise ImportProblem(
                    "row_too_wide", row=elements + 1, limit=MAX_CELLS_PER_ROW
                )
        elif tag in ("t", "v", "f"):
            if len(element.text or "") > MAX_CELL_CHARS:
                raise ImportProblem(
                    "cell_too_long", row=elements + 1, limit=MAX_CELL_CHARS
                )
        elif tag == "row":
            elements, cells = elements + 1, 0
            number = element.get("r")
            parser.row_counter = (
                int(float(number)) if number else parser.row_counter + 1
            )
            parser.col_counter = 0
            if elements > MAX_LINES or parser.row_counter > MAX_LINES:
                raise ImportProblem("too_many_rows", limit=MAX_ROWS)
            while len(lines) < parser.row_counter - 1:
                lines.append([])
            if len(lines) < parser.row_counter:
                lines.append(_sheet_line(element, parser))
            element.clear()  # finished rows are not kept
    return lines


def _sheet_line(row, parser) -> list[str]:
    line: list[str] = []
    for element in row:
        if _local(element.tag) != "c":
            continue
        column, text = _sheet_cell(element, parser)
        if column > MAX_CELLS_PER_ROW:
            continue
        if column > len(line):
            line.extend([""] * (column - len(line)))
        line[column - 1] = text
    return line


def _sheet_cell(element, parser) -> tuple[int, str]:
    """(column, text) of one cell. Text cells with a reference, nearly all
    of an import, are read here; anything else goes through openpyxl's own
    `parse_cell` (numbers, dates by their style, booleans, formulas as
    their text, cells without a reference), whose counters are kept."""
    kind = element.get("t")
    reference = element.get("r")
    value = inline = None
    if kind in ("s", "inlineStr") and reference:
        for child in element:
            name = _local(child.tag)
            if name == "v":
                value = child
            elif name == "is":
                inline = child
            elif name == "f":
                kind = None  # a formula: openpyxl's parser keeps its text
    if kind not in ("s", "inlineStr") or not reference:
        cell = parser.parse_cell(element)
        return cell["column"], _cell_text(cell["value"])
    column = _column_number(reference.rstrip("0123456789"))
    parser.col_counter = column
    if kind == "s":
        if value is None or not value.text:
            return column, ""
        return column, str(parser.shared_strings[int(value.text)])
    if inline is None:
        return column, ""
    # The text, or the text of each run; phonetic hints (rPh) are not text.
    parts = []
    for part in inline:
        name = _local(part.tag)
        if name == "t":
            parts.append(part.text or "")
        elif name == "r":
            parts.extend(text.text or "" for text in part if _local(text.tag) == "t")
    return column, "".join(parts)


@functools.lru_cache(maxsize=1024)
def _column_number(reference: str) -> int:
    """The column of a cell reference ("AB12", or its letters): A is 1."""
    column = 0
    for letter in reference:
        if not letter.isalpha():
            break
        column = column * 26 + ord(letter.upper()) - 64
    return column


def _xlsx_rows(content: bytes, *, scanned: list[int] | None) -> Iterator[list[str]]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    inspect_archive(content)
    # openpyxl's own reading steps up to the sheets, without load_workbook's
    # last one: it sizes every sheet, which for a sheet that does not declare
    # its size (openpyxl's write-only mode never does) parses the whole sheet
    # once more. data_only=False keeps formulas as their text, so nothing
    # the file computes ends up in the portal.
    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        # The first worksheet, as load_workbook's `worksheets[0]`: chart
        # sheets and parts missing from the archive are not worksheets.
        path = next(
            (
                relation.target
                for _sheet, relation in reader.parser.find_sheets()
                if relation.target in reader.valid_files
                and "chartsheet" not in relation.Type
            ),
            None,
        )
        if path is None:
            raise ImportProblem("unreadable")
        # The sheet's declared size is not trusted (a sheet can claim 16,384
        # columns): only the cells it holds make a line.
        parser = WorkSheetParser(
            None,
            reader.shared_strings,  # what openpyxl's own row reader uses
            data_only=False,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
        with reader.archive.open(path) as source:
            lines = _sheet_lines(source, parser)
    finally:
        reader.archive.close()
    if scanned is not None:
        scanned.append(len(lines))
    yield from lines


def read_rows(
    file_format: str, content: bytes, *, scanned: list[int] | None = None
) -> Iterator[list[str]]:
    """The file's lines as lists of text, stopping with ImportProblem past
    MAX_LINES lines or at a cell longer than MAX_CELL_CHARS. For an .xlsx,
    `scanned` (a list) receives the sheet's row count before the first row."""
    try:
        if file_format == ImportJob.Format.XLSX:
            lines = _xlsx_rows(content, scanned=scanned)
        else:
            lines = _csv_rows(content)
        for number, cells in enumerate(lines, start=1):
            if number > MAX_LINES:
                raise ImportProblem("too_many_rows", limit=MAX_ROWS)
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                raise ImportProblem("cell_too_long", row=number, limit=MAX_CELL_CHARS)
            yield cells
    except ImportProblem:
        raise
    except Exception as error:  # any malformed file, whatever the library says
        raise ImportProblem("unreadable") from error


def header_aliases() -> dict[str, tuple[str, set[str]]]:
    """{folded header: (key, languages it is the header in)}: each column's
    key, and its header in every site language."""
    aliases = {fold(column.key): (column.key, set()) for column in COLUMNS}
    for code in languages.codes():
        for column in COLUMNS:
            key, found_in = aliases.setdefault(
                fold(column.label(code)), (column.key, set())
            )
            if key == column.key:
                found_in.add(code)
    return aliases


def match_headers(header: list[str]) -> tuple[dict[int, str], str]:
    """{column index: key} and the header language: the site language whose
    headers matched most (the first in the settings' order on a tie)."""
    aliases = header_aliases()
    positions, matched = {}, Counter()
    for index, title in enumerate(header):
        key, found_in = aliases.get(fold(title), (None, set()))
        if key and key not in positions.values():
            positions[index] = key
            matched.update(found_in)
    found = set(positions.values())
    missing = [key for key in REQUIRED_KEYS if key not in found]
    if not found.intersection(NAME_KEYS):
        missing = NAME_KEYS + missing
    if missing:
        raise ImportProblem("missing_columns", columns=missing)
    return positions, max(languages.codes(), key=lambda code: matched[code])


def _aliases(choices, extra: dict[str, str]) -> dict[str, str]:
    aliases = {fold(key): value for key, value in extra.items()}
    for value, label in choices.choices:
        aliases[fold(value)] = value
        for language in languages.codes():
            with translation.override(language):
                aliases[fold(str(label))] = value
    return aliases


def kind_aliases() -> dict[str, str]:
    return _aliases(
        Organisation.Kind,
        {
            "ngo": "ngo",
            "منظمة غير حكومية": "ngo",
            "منظمة مجتمع مدني": "ngo",
            "network": "network",
            "شبكة": "network",
            "ائتلاف": "network",
            "university": "academic",
            "جامعة": "academic",
            "think tank": "think_tank",
            "دائرة فكر": "think_tank",
            "دوائر الفكر": "think_tank",
            "مركز فكر": "think_tank",
            "مراكز الفكر": "think_tank",
        },
    )


def _arabic_forms(name: str) -> set[str]:
    """A language's name as written in Arabic script ("العربية") also
    without its article and as the adjective people type ("عربية", "عربي").
    About the script's grammar, not about any one language: it applies to
    every language's name in Arabic ("الفرنسية": "فرنسية", "فرنسي")."""
    forms = {name}
    if name.startswith("ال") and len(name) > 4:
        forms.add(name[2:])
    for form in list(forms):
        if form.endswith("يه"):  # folded ية
            forms.add(form[:-1])
    return forms


def language_aliases() -> dict[str, str]:
    """{folded value: code}: each site language by its code, its names in
    English and in itself (Django's LANG_INFO), its name in every site
    language, and their Arabic-script forms (_arabic_forms)."""
    aliases = {}
    for code in languages.codes():
        names = {code, LANG_INFO[code]["name"], LANG_INFO[code]["name_local"]}
        for other in languages.codes():
            with translation.override(other):
                names.add(languages.name(code))
        for folded in {fold(name) for name in names}:
            for form in _arabic_forms(folded):
                aliases.setdefault(form, code)
    return aliases


def _text(value: str) -> str:
    """A cell as stored: trimmed, without control characters (a NUL cannot
    even be stored by PostgreSQL), and without the apostrophe our own export
    puts before formula-looking text (so an export imports back as it was)."""
    value = CONTROL_CHARACTERS.sub("", str(value or "")).strip()
    if value.startswith("'") and value.lstrip("'")[:1] in FORMULA_STARTS:
        value = value[1:]
    return value


validate_website = URLValidator(schemes=["http", "https"])


def check_row(
    cells: dict[str, str],
    *,
    region: str,
    default_language: str,
    kinds: dict[str, str],
    languages: dict[str, str],
) -> tuple[dict, list[dict]]:
    """Clean one row's values; (values, problems). Values that look like
    formulas are kept as plain text."""
    values = {key: _text(cells.get(key, "")) for key in COLUMNS_BY_KEY}
    errors: list[dict] = []

    def error(code, **params):
        errors.append({"code": code, "params": params})

    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            error("too_long", column=key, limit=limit)
    if not is_filled(values, "name"):
        error("name_missing")
    if not values["kind"]:
        error("kind_missing")
    elif fold(values["kind"]) in kinds:
        values["kind"] = kinds[fold(values["kind"])]
    else:
        error("kind_unknown", value=values["kind"])
    for key in ("public_email", "contact_email"):
        values[key] = values[key].lower()
        if values[key]:
            try:
                validate_email(values[key])
            except ValidationError:
                error("email_invalid", value=values[key], column=key)
    if values["website"]:
        website = values["website"]
        if "://" not in website:
            website = f"https://{website}"
        try:
            validate_website(website)
            values["website"] = website
        except ValidationError:
            error("website_invalid", value=values["website"])
    if values["contact_phone"]:
        try:
            values["contact_phone"] = phone_normalise(
                values["contact_phone"], region=region
            )
        except ValidationError:
            error("phone_invalid", value=values["contact_phone"])
    if values["contact_language"]:
        folded = fold(values["contact_language"])
        if folded in languages:
            values["contact_language"] = languages[folded]
        else:
            error("language_unknown", value=values["contact_language"])
    else:
        values["contact_language"] = default_language
    if (values["contact_email"] or values["contact_phone"]) and not values[
        "contact_name"
    ]:
        error("contact_name_missing")
    return values, errors


def header_row(language: str) -> list[str]:
    return [column.label(language) for column in COLUMNS]


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM, which Excel needs to show Arabic correctly; every
    cell neutralised (chapters/spreadsheets.py)."""
    return spreadsheets.csv_bytes(rows)


def xlsx_bytes(rows: list[list[str]], *, right_to_left: bool) -> bytes:
    """Written as strings, never formulas (chapters/spreadsheets.py)."""
    return spreadsheets.xlsx_bytes(rows, right_to_left=right_to_left)


def export_rows(prospects, *, language: str) -> list[list[str]]:
    """The outreach list in the import's columns (one row per organisation,
    its primary representative), so an export can be imported elsewhere.
    The prospects come from selectors.outreach_list, which attaches the
    chapter's own contacts only (chapter_contacts)."""
    rows = [header_row(language)]
    for prospect in prospects:
        organisation = prospect.organisation
        contacts = organisation.chapter_contacts
        contact = contacts[0] if contacts else None
        values = {
            **{
                column: getattr(organisation, column) or ""
                for column in languages.localized("name", "city")
            },
            "acronym": organisation.acronym,
            "kind": organisation.kind,
            "website": organisation.website,
            "public_email": organisation.public_email,
            "contact_name": contact.name if contact else "",
            "contact_email": contact.email if contact else "",
            "contact_phone": contact.phone if contact else "",
            "contact_role": contact.role if contact else "",
            "contact_language": contact.language if contact else "",
            "notes": prospect.notes,
        }
        rows.append([values[column.key] for column in COLUMNS])
    return rows
