"""The country detail's `engagements`: only what the organisers published,
as the OpenAPI description says, with a champion named only with consent
(tests/meetings/test_champions_consent.py has the consent rules)."""

from datetime import date

import pytest

from meetings.services.engagements import (
    contact_create,
    engagement_create,
    engagement_publish,
)
from tests.api.test_openapi import assert_valid
from tests.factories import OrganiserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_data):
    chapter = open_data
    organiser = OrganiserFactory(chapter=chapter).user
    champion = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Rania Haddad",
            "institution": "Ministry of Planning",
            "position": "Director",
            "is_champion": True,
            "record_consent": True,
            "consent_note": "In writing",
        },
    )
    visit = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": "parliamentary_visit",
            "happened_on": date(2026, 10, 1),
            "title_ar": "زيارة برلمانية",
            "title_en": "Parliamentary visit",
            "summary_en": "They visited.",
            "institutions": "House of Representatives",
            "contacts": [champion],
            "is_public": True,
        },
    )
    draft = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": "letter",
            "happened_on": date(2026, 11, 1),
            "title_en": "Draft letter",
        },
    )
    return {"chapter": chapter, "organiser": organiser, "visit": visit, "draft": draft}


def test_the_detail_lists_published_engagements_as_described(client, published):
    data = client.get("/api/v1/countries/jo/").json()
    assert_valid("CountryDetail", data)
    (visit,) = data["engagements"]
    assert visit["date"] == "2026-10-01"
    assert visit["kind"] == "parliamentary_visit"
    assert visit["title"]["ar"] == "زيارة برلمانية"
    assert visit["summary"]["en"] == "They visited."
    assert visit["kind_label"]["en"] == "Parliamentary visit to a successful project"
    assert visit["institutions"] == ["House of Representatives", "Ministry of Planning"]
    assert visit["champions"][0]["name"] == "Rania Haddad"


def test_publishing_changes_the_cached_answer(client, published):
    first = client.get("/api/v1/countries/jo/").json()
    assert len(first["engagements"]) == 1
    engagement_publish(actor=published["organiser"], engagement=published["draft"])
    again = client.get("/api/v1/countries/jo/").json()
    assert [e["title"]["en"] for e in again["engagements"]] == [
        "Draft letter",
        "Parliamentary visit",
    ]


def test_a_chapter_without_engagements_has_an_empty_list(client, open_data):
    for code in ("jo", "eg"):
        data = client.get(f"/api/v1/countries/{code}/").json()
        assert data["engagements"] == []
        assert_valid("CountryDetail", data)


def test_the_answer_costs_the_same_queries_for_many_engagements(
    client, published, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(40) as few:
        client.get("/api/v1/countries/jo/")
    for n in range(5):
        engagement_create(
            actor=published["organiser"],
            chapter=published["chapter"],
            data={
                "kind": "memorandum",
                "happened_on": date(2026, 9, n + 1),
                "title_en": f"Memorandum {n}",
                "is_public": True,
            },
        )
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/countries/jo/")
