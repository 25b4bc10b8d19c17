"""The open-data API a page at a time: every member once, in a stable order,
with the total and the neighbours' addresses; a bad page is a clear 4xx; the
answers at the default size are kept whole, compressed and revalidated."""

import brotli
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chapters.cache import country_page_invalidate
from members.models import Membership, Organisation
from tests.api.test_openapi import assert_valid
from tests.factories import ChapterFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


def members(chapter, names):
    organisations = []
    for name in names:
        organisation = Organisation(name_en=name, name_ar=name, kind="ngo")
        organisation.refresh_keys()
        organisations.append(organisation)
    Membership.objects.bulk_create(
        Membership(
            chapter=chapter,
            organisation=organisation,
            state=Membership.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for organisation in Organisation.objects.bulk_create(organisations)
    )
    country_page_invalidate(chapter)


@pytest.fixture
def jordan(db):
    chapter = ChapterFactory(country="JO")
    # Two with the same name: their order must still be stable.
    members(chapter, ["Echo", "Alpha", "Delta", "Bravo", "Bravo"])
    return chapter


def names(data):
    return [member["name"]["en"] for member in data["members"]]


def test_members_come_a_page_at_a_time_with_the_total_and_the_next_page(client, jordan):
    first = client.get(url("api:country", "jo"), {"page_size": 2}).json()
    assert names(first) == ["Alpha", "Bravo"]
    assert first["listed_members"] == 5
    pagination = first["pagination"]
    assert pagination["count"] == 5 and pagination["pages"] == 3
    assert pagination["previous"] is None
    assert pagination["next"].endswith("/api/v1/countries/jo/?page=2&page_size=2")
    assert_valid("CountryDetail", first)


def test_following_next_reads_every_member_once(client, jordan):
    seen, address = [], url("api:country", "jo") + "?page_size=2"
    for _ in range(10):
        data = client.get(address).json()
        seen.extend(data["members"])
        if data["pagination"]["next"] is None:
            break
        address = data["pagination"]["next"]
    assert [member["name"]["en"] for member in seen] == [
        "Alpha",
        "Bravo",
        "Bravo",
        "Delta",
        "Echo",
    ]


def test_as_of_is_kept_in_the_neighbours_addresses(client, jordan):
    yesterday = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    data = client.get(
        url("api:country", "jo"), {"as_of": yesterday, "page_size": 1}
    ).json()
    assert data["pagination"]["count"] == data["listed_members"]
    if data["pagination"]["next"]:
        assert f"as_of={yesterday}" in data["pagination"]["next"]


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page": "abc"}, {"page_size": "501"}, {"page_size": "0"}]
)
def test_a_page_or_size_out_of_range_is_a_400(client, jordan, query):
    response = client.get(url("api:country", "jo"), query)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_page"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_valid("Error", response.json())


def test_a_page_after_the_last_is_a_404(client, jordan):
    response = client.get(url("api:country", "jo"), {"page": 2})
    assert response.status_code == 404
    assert response.json()["error"] == "page_not_found"


def test_an_empty_chapter_has_a_first_page(client):
    ChapterFactory(country="EG")
    data = client.get(url("api:country", "eg")).json()
    assert data["members"] == [] and data["pagination"]["pages"] == 1


def test_the_chapter_list_is_paginated_too(client):
    for code in ("EG", "JO", "MA"):
        ChapterFactory(country=code)
    data = client.get(url("api:countries"), {"page_size": 2, "page": 2}).json()
    assert [item["code"] for item in data["results"]] == ["MA"]
    assert data["count"] == 3 and data["pagination"]["next"] is None
    assert data["pagination"]["previous"].endswith("?page=1&page_size=2")
    assert_valid("CountryList", data)


def test_a_kept_answer_costs_one_query_and_revalidates(client, jordan):
    first = client.get(url("api:country", "jo"), headers={"accept-encoding": "br"})
    with CaptureQueriesContext(connection) as hit:
        again = client.get(url("api:country", "jo"), headers={"accept-encoding": "br"})
    assert len(hit) == 1
    assert again["Content-Encoding"] == "br"
    assert brotli.decompress(again.content) == brotli.decompress(first.content)
    unchanged = client.get(
        url("api:country", "jo"), headers={"if-none-match": first["ETag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged["Access-Control-Allow-Origin"] == "*"


def test_a_new_member_changes_the_kept_answer_at_once(client, jordan):
    before = client.get(url("api:country", "jo")).json()
    members(jordan, ["Foxtrot"])
    after = client.get(url("api:country", "jo")).json()
    assert "Foxtrot" not in names(before) and "Foxtrot" in names(after)
    assert after["listed_members"] == 6
