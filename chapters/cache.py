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

from datetime import UTC
from hashlib import md5

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Sum
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGet
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import quote_etag
from django.utils.text import compress_string

from .models import Chapter

# An hour bounds what a deployment with changed templates can serve from a
# shared cache; the versions, not this timeout, keep the data fresh.
PAGE_TIMEOUT = 60 * 60
# 2: page entries carry their ETag.
KEY_PREFIX = "public:2"


def country_page_invalidate(chapter: Chapter | int) -> None:
    """Make every cached public view of the chapter stale. Call it in the same
    transaction as the change, so a rolled-back change bumps nothing."""
    pk = chapter if isinstance(chapter, int) else chapter.pk
    Chapter.objects.filter(pk=pk).update(public_version=F("public_version") + 1)


def chapter_stamp(chapter: Chapter) -> str:
    return _stamp(chapter.pk, chapter.public_version, chapter.updated_at)


def _stamp(pk, version, updated_at) -> str:
    return f"{pk}.{version}.{updated_at.timestamp()}"


def country_stamp(code: str) -> tuple[int, str] | None:
    """(chapter id, version stamp) of the chapter with this ISO code, or None.

    One fixed, indexed statement without the ORM's query compilation, so a
    page served from the cache costs about what /healthz's SELECT 1 costs."""
    table = connection.ops.quote_name(Chapter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, public_version, updated_at FROM {table} "  # noqa: S608 # nosec B608 # table name from the model
            "WHERE country = %s",
            [code.upper()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    updated_at = row[2]
    if isinstance(updated_at, str):  # SQLite hands back text
        updated_at = parse_datetime(updated_at)
        if timezone.is_naive(updated_at):
            updated_at = timezone.make_aware(updated_at, UTC)
    return row[0], _stamp(row[0], row[1], updated_at)


def directory_stamp() -> str:
    """One cheap aggregate that changes whenever any chapter's public data
    does, including a chapter added or removed."""
    facts = Chapter.objects.aggregate(
        count=Count("id"),
        versions=Sum("public_version"),
        updated=Max("updated_at"),
        last=Max("id"),
    )
    updated = facts["updated"].timestamp() if facts["updated"] else 0
    return f"{facts['count']}.{facts['versions'] or 0}.{updated}.{facts['last']}"


def public_key(*parts) -> str:
    return ":".join([KEY_PREFIX, *(str(part) for part in parts)])


def cached(key: str, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PAGE_TIMEOUT)
    return value


def weak_etag(tag: str) -> str:
    """The ETag of a public answer. Weak, because one answer is sent both
    gzipped and plain (RFC 9110 8.8.1: a strong ETag names exact bytes);
    the same string for both, so a copy of either revalidates either."""
    return f"W/{quote_etag(tag)}"


def content_etag(content: bytes) -> str:
    """A weak ETag from the uncompressed body."""
    return weak_etag(md5(content, usedforsecurity=False).hexdigest())


class ConditionalGetMiddleware(DjangoConditionalGet):
    """The one place that answers conditional GETs (If-None-Match,
    If-Modified-Since) for every page and API response.

    The 304 is made from the finished 200, after every layer that changes
    its validators and Vary (gzip_page, the session, locale and CSRF
    middleware), so it carries the very ETag, Vary and Cache-Control the 200
    carries (RFC 9110 15.4.5). A 304 built inside a view, before gzip_page
    ran, could not: it had a strong ETag and no Vary: Accept-Encoding while
    its 200 had a weak ETag and both.

    Django's version keeps the validators, Vary and Cache-Control; the open
    data's CORS header is kept as well, so that a script sending
    If-None-Match itself may read the 304. Responses without an ETag of
    their own get Django's (an MD5 of the body) unless they are no-store."""

    KEPT_ON_304 = ("Access-Control-Allow-Origin",)

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is not response and answer.status_code == 304:
            for header in self.KEPT_ON_304:
                if header in response:
                    answer.headers[header] = response.headers[header]
        return answer


def is_shareable(request) -> bool:
    """A visitor without a session sees exactly what every other such visitor
    sees (no name, no messages, no CSRF token), so the whole response can be
    shared between them."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not (
        request.user.is_authenticated
    )


def shared_page(request, key: str, render) -> HttpResponse:
    """Serve the page from the cache for shareable requests, compressed once
    when it is stored, with one ETag for both encodings (ConditionalGet
    middleware answers If-None-Match with it); others get a fresh `render()`
    (whose own heavy parts may be cached)."""
    if not is_shareable(request):
        response = render()
        if response.status_code == 200:
            response["ETag"] = content_etag(response.content)
        patch_vary_headers(response, ("Cookie",))
        return response
    # The two encodings are stored apart, so a hit reads (and unpickles) only
    # the one it sends.
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    variant = f"{key}:{'gzip' if gzipped else 'plain'}"
    entry = cache.get(variant)
    if entry is None:
        response = render()
        if response.status_code != 200:
            return response
        content_type = response["Content-Type"]
        etag = content_etag(response.content)
        plain = (content_type, response.content, etag)
        packed = (content_type, compress_string(response.content), etag)
        cache.set_many({f"{key}:plain": plain, f"{key}:gzip": packed}, PAGE_TIMEOUT)
        entry = packed if gzipped else plain
    content_type, content, etag = entry
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
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
