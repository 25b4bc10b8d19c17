"""The open-data API: its shape, its headers and its consent rule."""

import pytest
from django.utils import timezone

from members.models import Membership
from tests.factories import ChapterFactory, MembershipFactory, OrganisationFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter():
    chapter = ChapterFactory(
        country="JO",
        name_ar="الفرع",
        name_en="Chapter",
        introduction_en="Intro",
        contact_email="c@example.org",
    )
    MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(
            name_en="Org",
            name_ar="منظمة",
            kind="network",
            website="https://org.example",
        ),
        state=Membership.State.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    return chapter


def test_country_list_has_every_language_status_and_counts(client, chapter):
    response = client.get(url("api:countries"))
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["code"] == "JO"
    assert item["country"] == {"ar": "الأردن", "en": "Jordan", "fr": "Jordanie"}
    assert item["name"] == {"ar": "الفرع", "en": "Chapter", "fr": ""}
    assert item["status"] == "interest"
    assert item["status_label"]["ar"] == "إبداء اهتمام"
    assert item["listed_members"] == 1
    assert item["page"]["ar"].endswith(url("chapters:country", "jo", language="ar"))
    assert item["api"].endswith(url("api:country", "jo"))


def test_country_detail_lists_members_in_every_language(client, chapter):
    data = client.get(url("api:country", "jo")).json()
    assert data["introduction"] == {"ar": "", "en": "Intro", "fr": ""}
    assert data["contact_email"] == "c@example.org"
    assert data["listed_members"] == 1
    assert data["members_as_of"]
    member = data["members"][0]
    assert member["name"] == {"ar": "منظمة", "en": "Org", "fr": ""}
    assert member["type"] == "network"
    assert member["type_label"]["en"] == "Network or coalition"
    assert member["website"] == "https://org.example"
    assert set(member) == {
        "name",
        "acronym",
        "type",
        "type_label",
        "city",
        "website",
        "description",
        "logo",
    }


def test_api_has_caching_headers_and_answers_not_modified(client, chapter):
    response = client.get(url("api:country", "jo"))
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get(
        url("api:country", "jo"), headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


def test_api_unknown_country_is_a_json_404(client, chapter):
    response = client.get(url("api:country", "zz"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_api_accepts_upper_case_codes(client, chapter):
    # Literal: the upper-case code as a caller types it is what is tested.
    assert client.get("/api/v1/countries/JO/").json()["code"] == "JO"


def test_api_is_read_only(client, chapter):
    assert client.post(url("api:country", "jo")).status_code == 405
