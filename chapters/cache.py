"""Caching of the public pages (directory, country page, open-data API).

Every cache key carries a version read from the database on each request:
a chapter's `public_version` and `updated_at` for its country page, and an
aggregate of all chapters' for the directory. A change that a public page
shows therefore changes the key, and the old entry is never read again. The
version lives in the database rather than in the cache so that every app
server, whatever its cache backend, sees the same one.

What bumps the version:
- editing the chapter itself changes `updated_at` (auto_now);
- anything else shown on its page (memberships, organisations, meetings)
  calls `country_page_invalidate(chapter)`. Services of other apps call it in
  their transaction; in addition, the receivers at the end of this module
  bump it on every save or delete of a Membership or Organisation. They do
  nothing but that: business rules stay in services.
"""

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC
from hashlib import md5
from time import monotonic, sleep

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGet
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import quote_etag

from .models import Chapter, zone_or_utc

# An hour bounds what a deployment with changed templates can serve from a
# shared cache; the versions, not this timeout, keep the data fresh.
PAGE_TIMEOUT = 60 * 60
# 3: whole answers in three encodings (shared_answer).
KEY_PREFIX = "public:3"


def country_page_invalidate(chapter: Chapter | int) -> None:
    """Make every cached public view of the chapter stale. Call it in the same
    transaction as the change, so a rolled-back change bumps nothing."""
    pk = chapter if isinstance(chapter, int) else chapter.pk
    Chapter.objects.filter(pk=pk).update(public_version=F("public_version") + 1)


def _stamp(pk, version, updated_at) -> str:
    """The one format of a chapter's version stamp, from the model or from
    raw SQL."""
    return f"{pk}.{version}.{_moment(updated_at)}"


@dataclass(frozen=True)
class CountryFacts:
    """What a public answer about a chapter needs before it knows whether
    it must be built: the chapter's id, its version stamp and the local day
    (its time zone's), read in one cheap query."""

    pk: int
    stamp: str
    time_zone: str

    def today(self):
        return timezone.localdate(timezone=zone_or_utc(self.time_zone))


def country_facts(code: str) -> CountryFacts | None:
    """The facts of the chapter with this ISO code, or None.

    One fixed, indexed statement without the ORM's query compilation, so an
    answer served from the cache costs about what /healthz's SELECT 1
    costs."""
    table = connection.ops.quote_name(Chapter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, public_version, updated_at, time_zone FROM {table} "  # noqa: S608 # nosec B608 # table name from the model
            "WHERE country = %s",
            [code.upper()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return CountryFacts(row[0], _stamp(row[0], row[1], row[2]), row[3])


def country_stamp(code: str) -> tuple[int, str] | None:
    """(chapter id, version stamp) of the chapter with this ISO code, or
    None (country_facts)."""
    facts = country_facts(code)
    return None if facts is None else (facts.pk, facts.stamp)


def directory_stamp() -> str:
    """One cheap aggregate that changes whenever any chapter's public data
    does, including a chapter added or removed (one fixed statement, as
    country_facts)."""
    table = connection.ops.quote_name(Chapter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(id), SUM(public_version), MAX(updated_at), MAX(id) "  # noqa: S608 # nosec B608 # table name from the model
            f"FROM {table}"
        )
        count, versions, updated, last = cursor.fetchone()
    return f"{count}.{versions or 0}.{_moment(updated)}.{last}"


def _moment(value) -> float:
    """A timestamp read by raw SQL as a number: PostgreSQL gives a datetime,
    SQLite text."""
    if value is None:
        return 0
    if isinstance(value, str):
        value = parse_datetime(value)
        if timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
    return value.timestamp()


def public_key(*parts) -> str:
    return ":".join([KEY_PREFIX, *(str(part) for part in parts)])


def cached(key: str, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PAGE_TIMEOUT)
    return value


def weak_etag(tag: str) -> str:
    """The ETag of a public answer. Weak, because one answer is sent in
    several encodings (RFC 9110 8.8.1: a strong ETag names exact bytes);
    the same string for all, so a copy of any revalidates any."""
    return f"W/{quote_etag(tag)}"


def content_etag(content: bytes) -> str:
    """A weak ETag from the uncompressed body."""
    return weak_etag(md5(content, usedforsecurity=False).hexdigest())


class ConditionalGetMiddleware(DjangoConditionalGet):
    """The one place that answers conditional GETs (If-None-Match,
    If-Modified-Since) for every page and API response.

    The 304 is made from the finished 200, after every layer that changes
    its validators and Vary (compression, the session, locale and CSRF
    middleware), so it carries the very ETag, Vary and Cache-Control the 200
    carries (RFC 9110 15.4.5). A 304 built inside a view, before compression
    ran, could not: it had a strong ETag and no Vary: Accept-Encoding while
    its 200 had a weak ETag and both.

    Django's version keeps the validators, Vary and Cache-Control; the open
    data's CORS header is kept as well, so that a script sending
    If-None-Match itself may read the 304. Responses without an ETag get
    one from CompressionMiddleware, made from the body before it is
    compressed."""

    KEPT_ON_304 = ("Access-Control-Allow-Origin",)

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is not response and answer.status_code == 304:
            for header in self.KEPT_ON_304:
                if header in response:
                    answer.headers[header] = response.headers[header]
        return answer


class CompressionMiddleware(GZipMiddleware):
    """Every answer the cache below did not compress already (signed-in
    pages, forms, organiser pages) goes out gzipped to a client that
    accepts it. Django's GZipMiddleware pads each answer with random bytes
    against BREACH, which would give every answer a different ETag; so the
    ETag is made first, from the body as written (weak: RFC 9110 8.8.1)."""

    def process_response(self, request, response):
        if (
            not response.streaming
            and response.status_code == 200
            and request.method in ("GET", "HEAD")
            and not response.has_header("ETag")
            and not response.has_header("Content-Encoding")
            and "no-store" not in response.get("Cache-Control", "")
        ):
            response["ETag"] = content_etag(response.content)
        return super().process_response(request, response)


def is_shareable(request) -> bool:
    """A visitor without a session sees exactly what every other such visitor
    sees (no name, no messages, no CSRF token), so the whole response can be
    shared between them."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not (
        request.user.is_authenticated
    )


# Shared answers: whole responses kept as the bytes sent -----------------------
#
# A public answer (a page, an API answer, a CSV file) is kept once per
# encoding, already compressed, under "<family>:<version>:<encoding>", where
# the family names the answer (a country page in one language, say) and the
# version is read from the database on each request (the stamps above). A
# hit therefore costs the version's query and a dictionary lookup: each
# process keeps the answers it served last in memory (LocalAnswers), in
# front of the shared cache, which every process reads on a local miss.
#
# No stampede: when the version changes, the first request takes the
# family's lock and rebuilds; until it is done, the others are served the
# answer of the version before (stale-while-revalidate), whose key the
# family's pointer names. Only when there is no earlier answer at all (a
# cold cache) do they wait for the rebuild, a few seconds at most, before
# building it themselves.

ENCODINGS = ("br", "gzip", "identity")
# Brotli's quality 11 costs seconds on a large body; 9 is within a few per
# cent of it at a fraction of the time (docs/quality.md).
BROTLI_QUALITY = 9
# How long a rebuild may hold its family's lock, and how long a request
# waits for it when there is no earlier answer to serve meanwhile.
REBUILD_LOCK_SECONDS = 30
COLD_WAIT_SECONDS = 5.0
COLD_POLL_SECONDS = 0.05
# Headers of the built answer kept with its bytes.
KEPT_HEADERS = ("Cache-Control", "Content-Disposition", "Access-Control-Allow-Origin")


@dataclass(frozen=True)
class StoredAnswer:
    content_type: str
    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]


class LocalAnswers:
    """The answers a process served last, least recently used first out,
    within a budget of bytes. Keys carry the data's version, so an entry is
    never wrong, only unused; the budget bounds the memory it takes."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, StoredAnswer]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> StoredAnswer | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            expires, answer = found
            if expires < monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return answer

    def set(self, key: str, answer: StoredAnswer) -> None:
        # One answer may take at most a quarter of the budget.
        if len(answer.body) * 4 > self.budget:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (monotonic() + PAGE_TIMEOUT, answer)
            self.size += len(answer.body)
            while self.size > self.budget and self.entries:
                self._drop(next(iter(self.entries)))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        _expires, answer = self.entries.pop(key)
        self.size -= len(answer.body)


local_answers = LocalAnswers(getattr(settings, "PUBLIC_LOCAL_CACHE_BYTES", 32 << 20))


def accepted_encoding(request) -> str:
    """The best encoding the client accepts: brotli, else gzip, else none
    (RFC 9110 12.5.3, with q-values; "*" stands for any not named)."""
    weights = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        token, _sep, params = part.partition(";")
        token = token.strip().lower()
        if not token:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[token] = weight
    for encoding in ("br", "gzip"):
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return "identity"


def encode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=9, mtime=0)
    return body


def shared_answer(
    request, *, family: str, version: str, build, etag: str = "", vary=()
) -> HttpResponse:
    """The answer of `family` at `version` in the client's encoding, from
    this process, else the shared cache, else built by `build()` (an
    HttpResponse; anything but a 200 is returned as is and not kept).
    `etag`, when given, names the answer before it is built; otherwise it
    is made from the body. `vary` adds to Vary: Accept-Encoding."""
    encoding = accepted_encoding(request)
    key = f"{family}:{version}"
    answer = _lookup(key, encoding)
    if answer is None:
        answer = _refresh(family, version, encoding, build, etag)
        if isinstance(answer, HttpResponse):
            return answer
    return _respond(answer, encoding, vary)


def shared_page(request, family: str, render, *, version: str = "") -> HttpResponse:
    """A public page: shared between visitors without a session (see
    shared_answer); a signed-in visitor gets a fresh `render()`, compressed
    on its way out by CompressionMiddleware."""
    if not is_shareable(request):
        response = render()
        patch_vary_headers(response, ("Cookie",))
        return response
    return shared_answer(
        request, family=family, version=version, build=render, vary=("Cookie",)
    )


def _lookup(key: str, encoding: str) -> StoredAnswer | None:
    variant = f"{key}:{encoding}"
    answer = local_answers.get(variant)
    if answer is None:
        answer = cache.get(variant)
        if answer is not None:
            local_answers.set(variant, answer)
    return answer


def _refresh(family, version, encoding, build, etag):
    lock = f"{family}:lock"
    if cache.add(lock, version, REBUILD_LOCK_SECONDS):
        try:
            return _build_and_keep(family, version, encoding, build, etag)
        finally:
            cache.delete(lock)
    # Another request is rebuilding: the answer before it meanwhile.
    previous = cache.get(f"{family}:latest")
    if previous is not None and previous != version:
        answer = _lookup(f"{family}:{previous}", encoding)
        if answer is not None:
            return answer
    deadline = monotonic() + COLD_WAIT_SECONDS
    while monotonic() < deadline:
        sleep(COLD_POLL_SECONDS)
        answer = _lookup(f"{family}:{version}", encoding)
        if answer is not None:
            return answer
    return _build_and_keep(family, version, encoding, build, etag)


def _build_and_keep(family, version, encoding, build, etag) -> StoredAnswer:
    response = build()
    if response.status_code != 200:
        return response
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    content_type = response["Content-Type"]
    tag = weak_etag(etag) if etag else content_etag(body)
    headers = tuple(
        (name, response[name]) for name in KEPT_HEADERS if response.has_header(name)
    )
    answers = {
        f"{family}:{version}:{code}": StoredAnswer(
            content_type, encode(body, code), tag, headers
        )
        for code in ENCODINGS
    }
    cache.set_many(answers, PAGE_TIMEOUT)
    cache.set(f"{family}:latest", version, PAGE_TIMEOUT)
    variant = f"{family}:{version}:{encoding}"
    local_answers.set(variant, answers[variant])
    return answers[variant]


def _respond(answer: StoredAnswer, encoding: str, vary) -> HttpResponse:
    response = HttpResponse(answer.body, content_type=answer.content_type)
    for name, value in answer.headers:
        response[name] = value
    response["ETag"] = answer.etag
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding", *vary))
    return response


# Cache invalidation only (see the module docstring). The members app
# connects these to its Membership and Organisation signals in its own
# ready() (members/registrations.py), so chapters never imports members.


def membership_changed(sender, instance, raw=False, **kwargs):
    # A fixture load (loaddata, restore) writes rows as they were: the page
    # version restored with them is already right.
    if raw:
        return
    country_page_invalidate(instance.chapter_id)


def organisation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    Chapter.objects.filter(memberships__organisation_id=instance.pk).update(
        public_version=F("public_version") + 1
    )
