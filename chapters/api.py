"""Open data: the chapters and their listed members as JSON, in both
languages. Documented in docs/api.md. Read-only, anonymous, cached."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from . import cache as public_cache
from . import extensions, selectors
from .models import Chapter

MAX_AGE = 300
# The API's OpenAPI description, served as written (tests check the real
# responses against it).
OPENAPI = Path(__file__).with_name("openapi.yaml")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _open(response, *, etag: str = ""):
    """Open data: any site may read it; shared caches may keep it briefly.
    The ETag comes from the data's version, so it is known before the data
    is built; If-None-Match is answered by chapters.cache's middleware."""
    if etag:
        response["ETag"] = public_cache.weak_etag(etag)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _json(request, data: dict, *, etag: str) -> JsonResponse:
    return _open(
        JsonResponse(data, json_dumps_params={"ensure_ascii": False}), etag=etag
    )


@gzip_page
@require_safe
def country_list(request):
    stamp = public_cache.directory_stamp()
    base_url = _base_url(request)
    etag = f"countries-{stamp}"

    def build():
        chapters = list(Chapter.objects.order_by("country"))
        counts = extensions.public_members.get().listed_member_counts()
        held = selectors.first_meetings_held()
        items = []
        for chapter in chapters:
            item = selectors.chapter_open_data(chapter, base_url=base_url, held=held)
            item["listed_members"] = counts.get(chapter.pk, 0)
            items.append(item)
        return {"count": len(items), "results": items}

    data = public_cache.cached(
        public_cache.public_key("api-countries", base_url, stamp), build
    )
    return _json(request, data, etag=etag)


@gzip_page
@require_safe
def country_detail(request, iso2: str):
    chapter = selectors.chapter_public_get(iso2.lower())
    if chapter is None:
        response = JsonResponse(
            {"error": "not_found", "detail": "No chapter has this country code."},
            status=404,
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    try:
        as_of = selectors.as_of_day(chapter, request.GET.get("as_of"))
    except selectors.AsOfError as error:
        response = JsonResponse(
            {"error": "bad_date", "detail": str(error)},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    stamp = public_cache.chapter_stamp(chapter)
    base_url = _base_url(request)
    # The answer names the day its members are as of: today's answer is
    # kept for the day, a past day's is built each time (docs/history.md).
    day = as_of or selectors.chapter_today(chapter)
    etag = f"country-{stamp}-{day.isoformat()}"

    def build():
        members = extensions.public_members.get()
        # One order for every client: by name as the default language sorts.
        with translation.override(settings.LANGUAGE_CODE):
            if as_of is None:
                listed = members.listed_members(chapter)
            else:
                listed = members.listed_members_as_of(chapter, as_of)
        data = selectors.chapter_open_data(
            chapter, base_url=base_url, members=listed, as_of=day
        )
        data["listed_members"] = len(listed)
        # The engagements with government the organisers published (a
        # champion named only with their consent): today's, whatever the day.
        data["engagements"] = extensions.engagements.get().public_summary(
            chapter=chapter, language=settings.LANGUAGE_CODE
        )
        return data

    if as_of is not None:
        return _json(request, build(), etag=etag)
    data = public_cache.cached(
        public_cache.public_key("api-country", base_url, stamp, day.isoformat()), build
    )
    return _json(request, data, etag=etag)


@require_safe
def openapi_description(request):
    return _open(
        HttpResponse(
            OPENAPI.read_bytes(), content_type="application/yaml; charset=utf-8"
        )
    )
