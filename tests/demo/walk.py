"""Walk the seeded demo as a person would: open a page, follow every
same-site link on it (GET only), and note what went wrong on the way.

What counts as wrong:
- a server error (5xx, or an exception raised by a view);
- on an Arabic page, visible text in English that the reader did not type:
  an untranslated interface string (any msgid of the project's, Django's or
  allauth's catalogues), a model field name or a status code, or any other
  Latin word that is neither content typed into the demo (organisation
  names written in English, e-mail addresses, file names, check-in codes)
  nor on the commented allow-list below.

The walk is bounded: at most VISITS_PER_ROUTE addresses of one URL pattern
(pagination, filters and one page per object are sampled, not exhausted).
"""

import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import polib
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve
from django.utils import translation

from chapters.models import AuditEntry
from chapters.tokens import checkin_code_read

VISITS_PER_ROUTE = 4

# Links that are not pages to read: signing out ends the walk's session,
# the admin is Django's own (its index is visited), static files are files.
ADMIN = re.compile(r"^/(?:[a-z]{2}/)?admin/")
SKIPPED_PATHS = (
    re.compile(r"^/[a-z]{2}/accounts/logout/"),
    re.compile(r"^/(?:[a-z]{2}/)?admin/."),
    re.compile(r"^/static/"),
)

# Latin words that are legitimately Latin on an Arabic page, with the reason.
ALLOWED_LATIN = {
    # Names of the movement and of bodies as the source document writes them.
    "CLD": "the movement's acronym, used as is in the source document",
    "SDG": "the Sustainable Development Goals' acronym, as in the source document",
    "SDGs": "the same, plural",
    "MDGs": "the Millennium Development Goals' acronym, as in the source document",
    "UNDP": "the acronym of the UN Development Programme",
    # File formats and services, named as their makers write them.
    "CSV": "a file format",
    "XLSX": "a file format",
    "xlsx": "a file extension",
    "csv": "a file extension",
    "Excel": "a product name",
    "PDF": "a file format",
    "pdf": "a file extension",
    "docx": "a file extension",
    "WhatsApp": "a product name",
    "API": "the open-data interface's technical name",
    "JSON": "a data format",
    "JPEG": "an image format",
    "GIF": "an image format",
    "PNG": "an image format",
    "WebP": "an image format",
    "Word": "a product name (Microsoft Word documents)",
    "PowerPoint": "a product name",
    "OpenAPI": "the name of the interface description standard",
    "YAML": "a data format",
    "ics": "the calendar file extension",
    "iCalendar": "the calendar format's name",
    "UTC": "the name of the universal time zone",
    "GMT": "the same",
    "ISO": "the standards body, in the date format hint",
    "UTF-8": "a text encoding's name, in the import help",
    "BOM": "the byte-order mark, in the import help",
    "https": "a URL scheme",
    "http": "a URL scheme",
    "www": "a host name",
    "English": "the language switcher names each language in itself",
    "Français": "the language switcher names each language in itself",
}

FILE_NAME = re.compile(r"\b[\w\-]+\.(?:ics|pdf|docx|xlsx|csv|eml)\b")
# A check-in code as printed (ABCD-EFGH-…, chapters.tokens.checkin_code): a
# code to show or type, like an address, in an e-mail as the outbox shows it.
CHECKIN_CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}\b")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
URL = re.compile(r"(?:https?://|www\.)\S+|(?:^|(?<=\s))/[\w\-./?=&%]+")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")

# Text of these elements is not prose for the reader.
HIDDEN_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class PageParser(HTMLParser):
    """The links of a page and its visible text, as text nodes. Text inside
    an element that declares another language (lang="en" on a fallback, an
    English name) is content marked as such, not an interface leak."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        # Text of <code>: a value to type as it is (an import file's codes).
        self.codes: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its text)

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        hides = (
            tag in HIDDEN_ELEMENTS
            or (tag != "html" and lang not in ("", "ar"))
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
        )
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not self._hidden() and not hides:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, hides))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self._stack:
            self._stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            text = " ".join(data.split())
            in_code = any(tag == "code" for tag, _hides in self._stack)
            (self.codes if in_code else self.texts).append(text)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# The English of the interface: every msgid of the catalogues in use.
def _catalogue_paths() -> list[Path]:
    import allauth
    import django

    paths = [Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"]
    for package in (django, allauth):
        root = Path(package.__file__).parent
        paths += sorted(root.glob("**/locale/ar/LC_MESSAGES/django.po"))
    return paths


def interface_strings() -> set[str]:
    """Whole English interface strings worth matching in a text node: at
    least two words or a word of four letters or more."""
    found = set()
    for path in _catalogue_paths():
        for entry in polib.pofile(str(path)):
            for msgid in (entry.msgid, entry.msgid_plural):
                text = " ".join(msgid.split())
                if "%" in text or "{" in text or not re.search("[A-Za-z]{4}", text):
                    continue
                found.add(text.rstrip(":.").strip())
    return found


def choice_codes() -> set[str]:
    """The stored values of every choice field of the portal's own models:
    'sent', 'confirmed', 'ar_en'... Shown raw, they are a leak."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("chapters", "members", "meetings"):
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch("[a-z_]{3,}", value):
                    codes.add(value)
    return codes


# Columns whose text is technical, not typed content: their values may not
# excuse an English word on an Arabic page.
TECHNICAL_COLUMNS = {
    "action",
    "object_type",
    "failure_reason",
    "status",
    "state",
    "digest",
    "token_digest",
    "purpose",
    "language",
    "pending_message",
    "actor_label",
    "message_id",
    "time_zone",
}


TYPED_KEY = re.compile(r"^(?:name|title|text|description|notes|summary|city)")


def typed_content() -> list[str]:
    """Everything people typed into the demo (names, addresses, notes), the
    longest first, so that an English name on an Arabic page is not taken
    for an untranslated interface."""
    values = set()
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in ("chapters", "members", "meetings", "auth", "account"):
            continue
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if (
                isinstance(f, models.CharField | models.TextField | models.FileField)
                and not f.choices
                and f.attname not in TECHNICAL_COLUMNS
            )
            # An import's preview keeps the rows people typed in their file;
            # the audit trail's values are recorded, not typed, and stay out.
            or (
                isinstance(f, models.JSONField)
                and model._meta.model_name != "auditentry"
            )
        ]
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            for value in _strings(row):
                if re.search("[A-Za-z]", value):
                    values.add(" ".join(value.split()))
                    values.add(Path(value).name)
    # What the trail recorded of names and texts since changed or removed
    # (an organisation renamed, a material deleted) was typed too.
    for data in AuditEntry.objects.values_list("before", "after"):
        for recorded in data:
            for key, value in (recorded or {}).items():
                if TYPED_KEY.match(key):
                    values.update(" ".join(v.split()) for v in _strings(value))
    return sorted(values)


def _strings(value):
    """Every string inside a value, a JSON document's included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@dataclass
class Leak:
    url: str
    text: str
    words: list[str]
    kind: str


# A stretch of Latin text: words with the spaces and punctuation between them.
LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’_\-.,:;&()/+ ]*")
ZONES = zoneinfo.available_timezones()
ZONE_ID = re.compile(r"[A-Za-z][\w\-+]*(?:/[\w\-+]+)*")


@dataclass
class LeakFinder:
    interface: set[str]
    codes: set[str]
    values: list[str]  # everything typed into the demo, the longest first

    def __post_init__(self):
        self.content = "\n".join(self.values)

    @classmethod
    def for_demo(cls) -> "LeakFinder":
        typed = sorted(typed_content(), key=len, reverse=True)
        return cls(interface_strings(), choice_codes(), typed)

    def leaks(
        self, url: str, texts: list[str], *, codes_allowed: bool = False
    ) -> list[Leak]:
        found = []
        for text in texts:
            if not re.search("[A-Za-z]", text):
                continue
            if codes_allowed and text in self.codes:
                continue
            leak = self._judge(text)
            if leak:
                found.append(Leak(url, text, *leak))
        return found

    def _typed(self, latin: str) -> bool:
        """The stretch is, as whole words, part of something typed."""
        for candidate in (latin, latin.strip("()")):
            if candidate and candidate in self.content:
                pattern = rf"(?<![A-Za-z]){re.escape(candidate)}(?![A-Za-z])"
                if re.search(pattern, self.content):
                    return True
        return False

    def _without_content(self, latin: str) -> str:
        """The stretch less every typed value found in it as whole words
        (an English name beside another: "Guest (Horizon Think Tank)")."""
        for value in self.values:
            if len(value) >= 2 and value in latin:
                latin = re.sub(
                    rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", " ", latin
                )
        return latin

    def _judge(self, text: str):
        stripped = text.strip().rstrip(":.").strip()
        if stripped in self.interface:
            return [stripped], "interface string"
        rest = FILE_NAME.sub(" ", URL.sub(" ", EMAIL.sub(" ", text)))
        rest = CHECKIN_CODE.sub(
            lambda m: " " if checkin_code_read(m.group()) else m.group(), rest
        )
        # A time zone's identifier (Asia/Amman, UTC) is a code, not a word.
        rest = ZONE_ID.sub(lambda m: " " if m.group() in ZONES else m.group(), rest)
        words = []
        for run in LATIN_RUN.finditer(rest):
            latin = run.group().strip(" .,:;-/")
            if not re.search("[A-Za-z]", latin) or self._typed(latin):
                continue  # typed by a person: an English name is Latin by right
            latin = self._without_content(latin)
            words += [
                word
                for word in re.findall(
                    r"[A-Za-z][A-Za-z0-9'’_\-]*(?:/[\w\-+]+)*", latin
                )
                if word not in ALLOWED_LATIN
            ]
        if not words:
            return None
        if any(SNAKE_CASE.fullmatch(word) for word in words):
            return words, "field name or code"
        if any(word in self.codes for word in words):
            return words, "status value"
        return words, "English word"


def untranslated_strings(language: str) -> set[str]:
    """The English interface strings that read otherwise in `language`
    (ours, Django's and allauth's catalogues): met on one of its pages,
    they were left untranslated."""
    import allauth
    import django

    paths = [
        Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    ]
    for package in (django, allauth):
        root = Path(package.__file__).parent
        paths += sorted(root.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))
    found, words_of_the_language = set(), set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            translations = [entry.msgstr, *entry.msgstr_plural.values()]
            words_of_the_language |= {
                " ".join(t.split()).rstrip(":.").strip() for t in translations if t
            }
            text = " ".join(entry.msgid.split())
            if not any(translations) or entry.msgstr.strip() == entry.msgid.strip():
                continue
            if "%" in text or "{" in text or not re.search("[A-Za-z]{4}", text):
                continue
            found.add(text.rstrip(":.").strip())
    # "Date", "Action", "Note": English words that are also the language's.
    return found - words_of_the_language


class UntranslatedFinder(LeakFinder):
    """For a language written in Latin letters (French), where an English
    word cannot be told by its script: a whole text that is an English
    interface string (not one typed into the demo), or a stored status
    value shown raw."""

    @classmethod
    def for_language(cls, language: str) -> "UntranslatedFinder":
        typed = sorted(typed_content(), key=len, reverse=True)
        return cls(untranslated_strings(language), choice_codes(), typed)

    def leaks(self, url, texts, *, codes_allowed=False):
        found = []
        for text in texts:
            stripped = " ".join(text.split()).rstrip(":.").strip()
            if not stripped or self._typed(stripped):
                continue
            if stripped in self.interface:
                found.append(Leak(url, text, [stripped], "interface string"))
            elif not codes_allowed and stripped in self.codes:
                found.append(Leak(url, text, [stripped], "status value"))
        return found


@dataclass
class Visit:
    url: str
    route: str
    status: int
    content_type: str


@dataclass
class Walk:
    """One person's walk in one language."""

    client: object
    language: str
    finder: LeakFinder | None
    same_hosts: set = field(default_factory=lambda: {"", "testserver"})
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)
    before_each: object = None
    # Every HTML page answered 200, by URL, for the HTML checker (nu.py).
    documents: dict[str, str] = field(default_factory=dict)

    def run(self, starts: list[str]) -> "Walk":
        queue = list(starts)
        seen = set()
        per_route = Counter()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            route = route_name(url)
            if route is None or per_route[route] >= VISITS_PER_ROUTE:
                continue
            per_route[route] += 1
            queue += self.visit(url, route)
        return self

    def visit(self, url: str, route: str) -> list[str]:
        if self.before_each:
            self.before_each()
        try:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=self.language)
        except Exception as error:  # the test client re-raises a view's exception
            self.errors.append(f"GET {url}: {type(error).__name__}: {error}")
            return []
        content_type = response.get("Content-Type", "")
        self.visits.append(Visit(url, route, response.status_code, content_type))
        if response.status_code >= 500:
            self.errors.append(f"GET {url}: {response.status_code}")
            return []
        if response.status_code in (301, 302, 303, 307, 308):
            return (
                [self._same_site(url, response["Location"])]
                if self._same_site(url, response["Location"])
                else []
            )
        if "text/html" not in content_type or response.status_code != 200:
            return []
        html = response.content.decode()
        self.documents[url] = html
        page = parse(html)
        # Django's admin speaks its own and third-party apps' words; it is
        # walked for errors only.
        if self.finder and not ADMIN.match(url):
            self.leaks += self.finder.leaks(url, page.texts)
            self.leaks += self.finder.leaks(url, page.codes, codes_allowed=True)
        found = []
        for href in page.links:
            target = self._same_site(url, href)
            if target:
                found.append(target)
        return found

    def _same_site(self, base: str, href: str) -> str | None:
        href = urldefrag(urljoin(base, href.strip()))[0]
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https"):
            return None
        if parts.netloc not in self.same_hosts:
            return None
        path = parts.path
        if any(pattern.match(path) for pattern in SKIPPED_PATHS):
            return None
        prefix = re.match(r"^/([a-z]{2})/", path)
        if prefix and prefix.group(1) != self.language:
            return None  # the other language is walked in its own pass
        return path + (f"?{parts.query}" if parts.query else "")


def route_name(url: str) -> str | None:
    """The URL pattern's name; the language prefix only resolves while its
    language is active."""
    path = urlsplit(url).path
    prefix = re.match(r"^/([a-z]{2})/", path)
    language = prefix.group(1) if prefix else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    return match.view_name
