"""The API's country detail as of a past day (`?as_of=YYYY-MM-DD`), echoed
in `members_as_of`, from the consent history."""

import pytest
import time_machine

from tests.api.test_openapi import assert_valid
from tests.factories import ChapterFactory
from tests.members.test_members_as_of import (
    NOW,
    confirmed_members,
    member_who_left,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(db):
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


@pytest.fixture
def history(chapter, organiser, sent):
    left, stayed = member_who_left(chapter, organiser, sent)
    with time_machine.travel(NOW, tick=False):
        yield left, stayed


def names(data) -> list[str]:
    return [member["name"]["en"] for member in data["members"]]


def test_the_member_who_left_is_in_the_answer_as_of_a_past_day(client, history):
    response = client.get(url("api:country", "jo") + "?as_of=2026-10-01")
    assert response.status_code == 200
    data = response.json()
    assert data["members_as_of"] == "2026-10-01"
    assert names(data) == ["Left Network", "Staying Association"]
    assert data["listed_members"] == 2
    assert_valid("CountryDetail", data)


def test_todays_answer_echoes_today_in_the_chapters_zone(client, history):
    data = client.get(url("api:country", "jo")).json()
    assert data["members_as_of"] == "2026-12-03"
    assert names(data) == ["Staying Association"]
    assert_valid("CountryDetail", data)


@pytest.mark.parametrize("value", ["2026-02-30", "1 October", "2027-01-01", "20261001"])
def test_a_bad_day_is_a_json_400_in_the_apis_error_shape(client, history, value):
    response = client.get(url("api:country", "jo") + f"?as_of={value}")
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["error"] == "bad_date"
    assert data["detail"]
    assert_valid("Error", data)


def test_each_day_has_its_own_etag_and_answers_not_modified(client, history):
    address = url("api:country", "jo") + "?as_of=2026-10-01"
    first = client.get(address)
    today = client.get(url("api:country", "jo"))
    assert first["ETag"] != today["ETag"]
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_as_of_answer_takes_the_same_queries_for_more_members(
    client,
    chapter,
    organiser,
    sent,
    history,
    django_assert_max_num_queries,
):
    address = url("api:country", "jo") + "?as_of=2026-10-01"
    with django_assert_max_num_queries(10) as few:
        client.get(address)
    confirmed_members(chapter, organiser, sent, ["C", "D", "E"])
    with (
        time_machine.travel(NOW, tick=False),
        django_assert_max_num_queries(len(few.captured_queries)),
    ):
        assert client.get(address).json()["listed_members"] == 5
