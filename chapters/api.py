"""Open data: the chapters and their listed members as JSON, in every
language. Documented in docs/api.md and openapi.yaml. Read-only, anonymous.

Lists come a page at a time (`?page=`, `?page_size=` up to MAX_PAGE_SIZE),
in a stable order, with the total and the addresses of the pages before and
after. Answers at the default page size are kept whole and compressed
(chapters.cache.shared_answer), keyed on the data's version, with an ETag
known before the answer is built."""

from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from . import cache as public_cache
from . import extensions, selectors
from .models import Chapter

MAX_AGE = 300
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# The API's OpenAPI description, served as written (tests check the real
# responses against it).
OPENAPI = Path(__file__).with_name("openapi.yaml")


class BadRequest(Exception):
    def __init__(self, status: int, error: str, detail: str):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _open(response, *, etag: str = ""):
    """Open data: any site may read it; shared caches may keep it briefly.
    If-None-Match is answered by chapters.cache's middleware."""
    if etag:
        response["ETag"] = public_cache.weak_etag(etag)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _json(data: dict, *, etag: str) -> JsonResponse:
    return _open(
        JsonResponse(data, json_dumps_params={"ensure_ascii": False}), etag=etag
    )


def _error(status: int, error: str, detail: str) -> JsonResponse:
    response = JsonResponse(
        {"error": error, "detail": detail},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _positive(request, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(
            400,
            "bad_page",
            f"{name} must be a whole number from 1 to {maximum}.",
        )
    return int(raw)


def _paging(request) -> tuple[int, int]:
    return (
        _positive(request, "page", 1, 10**9),
        _positive(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    )


def _page_of(items, *, page: int, page_size: int):
    paginator = Paginator(items, page_size)
    if page > paginator.num_pages:
        raise BadRequest(404, "page_not_found", "There is no page with this number.")
    return paginator.page(page)


def _pagination(request, page_obj, *, page_size: int, keep: dict) -> dict:
    """The page's place in the list, with the addresses of its neighbours
    (the same query, another page)."""
    base = request.build_absolute_uri(request.path)

    def address(number: int) -> str:
        query = {**keep, "page": number}
        if page_size != DEFAULT_PAGE_SIZE:
            query["page_size"] = page_size
        return f"{base}?{urlencode(query)}"

    return {
        "page": page_obj.number,
        "page_size": page_size,
        "pages": page_obj.paginator.num_pages,
        "count": page_obj.paginator.count,
        "next": address(page_obj.next_page_number()) if page_obj.has_next() else None,
        "previous": address(page_obj.previous_page_number())
        if page_obj.has_previous()
        else None,
    }


def _cacheable(request, page_size: int) -> bool:
    """Only the default page size is kept: other sizes are built each time,
    so that no one can fill the cache with every size and page."""
    return page_size == DEFAULT_PAGE_SIZE and set(request.GET) <= {"page"}


@require_safe
def country_list(request):
    try:
        page, page_size = _paging(request)
    except BadRequest as bad:
        return _error(bad.status, bad.error, bad.detail)
    stamp = public_cache.directory_stamp()
    base_url = _base_url(request)
    etag = f"countries-{stamp}-{page}-{page_size}"

    def build():
        try:
            page_obj = _page_of(
                Chapter.objects.order_by("country"), page=page, page_size=page_size
            )
        except BadRequest as bad:
            return _error(bad.status, bad.error, bad.detail)
        chapters = list(page_obj.object_list)
        counts = extensions.public_members.get().listed_member_counts()
        held = selectors.first_meetings_held(
            chapter_ids=[chapter.pk for chapter in chapters]
        )
        items = []
        for chapter in chapters:
            item = selectors.chapter_open_data(chapter, base_url=base_url, held=held)
            item["listed_members"] = counts.get(chapter.pk, 0)
            items.append(item)
        data = {
            "count": page_obj.paginator.count,
            "pagination": _pagination(request, page_obj, page_size=page_size, keep={}),
            "results": items,
        }
        return _json(data, etag=etag)

    if not _cacheable(request, page_size):
        return build()
    return public_cache.shared_answer(
        request,
        family=public_cache.public_key("api-countries", base_url, page),
        version=stamp,
        build=build,
        etag=etag,
    )


@require_safe
def country_detail(request, iso2: str):
    facts = (
        public_cache.country_facts(iso2.lower())
        if selectors.ISO2.match(iso2.lower())
        else None
    )
    if facts is None:
        return _error(404, "not_found", "No chapter has this country code.")
    try:
        page, page_size = _paging(request)
    except BadRequest as bad:
        return _error(bad.status, bad.error, bad.detail)
    base_url = _base_url(request)
    if request.GET.get("as_of") or not _cacheable(request, page_size):
        # A past day (docs/history.md) or another page size: built each time.
        chapter = Chapter.objects.get(pk=facts.pk)
        try:
            as_of = selectors.as_of_day(chapter, request.GET.get("as_of"))
        except selectors.AsOfError as error:
            return _error(400, "bad_date", str(error))
        return _country_answer(
            request, chapter, facts, as_of=as_of, page=page, page_size=page_size
        )
    # Today's answer is kept for the day: it names the day its members are as of.
    day = facts.today()
    return public_cache.shared_answer(
        request,
        family=public_cache.public_key("api-country", base_url, facts.pk, page),
        version=f"{facts.stamp}.{day.isoformat()}",
        build=lambda: _country_answer(
            request,
            Chapter.objects.get(pk=facts.pk),
            facts,
            as_of=None,
            page=page,
            page_size=page_size,
        ),
        etag=_country_etag(facts, day, page, page_size),
    )


def _country_etag(facts, day, page: int, page_size: int) -> str:
    return f"country-{facts.stamp}-{day.isoformat()}-{page}-{page_size}"


def _country_answer(request, chapter, facts, *, as_of, page, page_size):
    base_url = _base_url(request)
    day = as_of or selectors.chapter_today(chapter)
    members = extensions.public_members.get()
    # One order for every client: by type, then by name as the default
    # language sorts, then by id.
    with translation.override(settings.LANGUAGE_CODE):
        if as_of is None:
            listed = members.listed_in_page_order(chapter)
        else:
            listed = members.listed_members_as_of(chapter, as_of)
        try:
            page_obj = _page_of(listed, page=page, page_size=page_size)
        except BadRequest as bad:
            return _error(bad.status, bad.error, bad.detail)
        memberships = list(page_obj.object_list)
    data = selectors.chapter_open_data(
        chapter, base_url=base_url, members=memberships, as_of=day
    )
    data["listed_members"] = page_obj.paginator.count
    keep = {"as_of": as_of.isoformat()} if as_of else {}
    data["pagination"] = _pagination(request, page_obj, page_size=page_size, keep=keep)
    # The engagements with government the organisers published (a champion
    # named only with their consent): today's, whatever the day.
    data["engagements"] = extensions.engagements.get().public_summary(
        chapter=chapter, language=settings.LANGUAGE_CODE
    )
    return _json(data, etag=_country_etag(facts, day, page, page_size))


@require_safe
def openapi_description(request):
    return _open(
        HttpResponse(
            OPENAPI.read_bytes(), content_type="application/yaml; charset=utf-8"
        )
    )
