"""The public side at the movement's scale: a country page whose size does not
grow with its members, "show all" pages, answers kept compressed, and no
stampede of rebuilds after a change."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chapters import cache as public_cache
from chapters.cache import country_page_invalidate
from members.models import Membership, Organisation
from members.public import FIRST_VIEW
from tests.factories import ChapterFactory, StaffFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

NGO = Organisation.Kind.NATIONAL_NGO
NETWORK = Organisation.Kind.NETWORK


def members(chapter, count, *, kind=NGO, prefix="Member"):
    """`count` listed members of one type, named "<prefix> 000" onwards."""
    organisations = []
    for number in range(count):
        organisation = Organisation(
            name_en=f"{prefix} {number:03d}",
            name_ar=f"منظمة {prefix} {number:03d}",
            kind=kind,
            country=chapter.country,
        )
        organisation.refresh_keys()
        organisations.append(organisation)
    organisations = Organisation.objects.bulk_create(organisations)
    Membership.objects.bulk_create(
        Membership(
            chapter=chapter,
            organisation=organisation,
            state=Membership.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for organisation in organisations
    )
    country_page_invalidate(chapter)


@pytest.fixture
def chapter():
    return ChapterFactory(country="JO", name_en="Jordan chapter")


def test_country_page_shows_the_first_of_each_type_and_links_to_all(client, chapter):
    members(chapter, FIRST_VIEW + 10, prefix="NGO")
    members(chapter, 3, kind=NETWORK, prefix="Network")
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert f"NGO {FIRST_VIEW - 1:03d}" in body
    assert f"NGO {FIRST_VIEW:03d}" not in body
    assert "Network 002" in body
    assert f"({FIRST_VIEW + 10})" in body
    assert f"{FIRST_VIEW + 13} organisations" in body
    show_all = url("chapters:country_members", "jo") + f"?type={NGO}"
    assert show_all in body
    # Only the type with more than the first view gets the link.
    assert f"?type={NETWORK}" not in body


def test_country_page_size_does_not_grow_with_the_members(client, chapter):
    members(chapter, FIRST_VIEW)
    small = len(client.get(url("chapters:country", "jo")).content)
    members(chapter, 400, prefix="More")
    large = len(client.get(url("chapters:country", "jo")).content)
    # The same cards, longer names and the "show all" link.
    assert large < small * 1.05


def test_show_all_pages_list_every_member_of_the_type_a_page_at_a_time(client, chapter):
    members(chapter, 60, prefix="NGO")
    members(chapter, 2, kind=NETWORK, prefix="Network")
    first = client.get(url("chapters:country_members", "jo"), {"type": NGO})
    second = client.get(url("chapters:country_members", "jo"), {"type": NGO, "page": 2})
    first_body, second_body = first.content.decode(), second.content.decode()
    assert "NGO 000" in first_body and "NGO 049" in first_body
    assert "NGO 050" not in first_body and "Network 000" not in first_body
    assert "NGO 050" in second_body and "NGO 059" in second_body
    assert f"type={NGO}&amp;page=2" in first_body
    assert "60 organisations" in first_body


def test_show_all_page_searches_in_either_language(client, chapter):
    members(chapter, 30, prefix="NGO")
    english = client.get(url("chapters:country_members", "jo"), {"q": "ngo 017"})
    arabic = client.get(
        url("chapters:country_members", "jo", language="ar"), {"q": "منظمة NGO 021"}
    )
    assert "NGO 017" in english.content.decode()
    assert "NGO 016" not in english.content.decode()
    assert "NGO 021" in arabic.content.decode()
    assert 'name="robots" content="noindex"' in english.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e3", ""])
def test_show_all_page_answers_any_page_number_with_a_page(client, chapter, page):
    members(chapter, 3)
    response = client.get(url("chapters:country_members", "jo"), {"page": page})
    assert response.status_code == 200
    assert "Member 000" in response.content.decode()


def test_show_all_page_ignores_an_unknown_type(client, chapter):
    members(chapter, 2)
    response = client.get(url("chapters:country_members", "jo"), {"type": "nope"})
    assert response.status_code == 200
    assert "Member 001" in response.content.decode()


def test_show_all_page_of_an_unknown_country_is_a_404(client):
    assert client.get(url("chapters:country_members", "zz")).status_code == 404


def test_show_all_page_makes_as_many_queries_for_200_members_as_for_10(client, chapter):
    members(chapter, 10)
    with CaptureQueriesContext(connection) as ten:
        client.get(url("chapters:country_members", "jo"), {"q": "member"})
    members(chapter, 190, prefix="Other")
    with CaptureQueriesContext(connection) as more:
        client.get(url("chapters:country_members", "jo"), {"q": "other"})
    assert len(more) == len(ten)


def test_cached_show_all_page_costs_one_query(client, chapter):
    members(chapter, 60)
    client.get(url("chapters:country_members", "jo"), {"type": NGO, "page": 2})
    with CaptureQueriesContext(connection) as hit:
        client.get(url("chapters:country_members", "jo"), {"type": NGO, "page": 2})
    assert len(hit) == 1


def test_withdrawal_leaves_the_show_all_pages_at_once(client, chapter):
    members(chapter, 3)
    assert (
        "Member 001"
        in client.get(url("chapters:country_members", "jo")).content.decode()
    )
    membership = Membership.objects.get(organisation__name_en="Member 001")
    membership.state = Membership.State.WITHDRAWN
    membership.save()
    body = client.get(url("chapters:country_members", "jo")).content.decode()
    assert "Member 001" not in body and "Member 002" in body


# Compressed answers ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        url("chapters:country", "jo"),
        url("chapters:country_members", "jo"),
        url("chapters:members_csv", "jo"),
        url("api:country", "jo"),
        url("api:countries"),
    ],
)
def test_public_answers_are_sent_in_brotli_to_clients_that_accept_it(
    client, chapter, path
):
    members(chapter, 3)
    plain = client.get(path, headers={"accept-encoding": "identity"})
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "br"
    assert brotli.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"]
    # One weak ETag for every encoding: a copy of either revalidates either.
    assert packed["ETag"] == plain["ETag"] and packed["ETag"].startswith("W/")


def test_a_client_refusing_brotli_gets_gzip(client, chapter):
    response = client.get(
        url("chapters:country", "jo"), headers={"accept-encoding": "br;q=0, gzip"}
    )
    assert response["Content-Encoding"] == "gzip"
    assert b"Jordan chapter" in gzip.decompress(response.content)


def test_pages_for_signed_in_visitors_are_compressed_too(client, chapter):
    client.force_login(StaffFactory())
    response = client.get(url("chapters:home"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)


def test_home_page_gzipped_keeps_one_etag_and_revalidates(client):
    first = client.get(url("chapters:home"), headers={"accept-encoding": "gzip"})
    second = client.get(url("chapters:home"), headers={"accept-encoding": "gzip"})
    assert first["ETag"] == second["ETag"]
    again = client.get(
        url("chapters:home"),
        headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]},
    )
    assert again.status_code == 304
    assert again["Vary"] == first["Vary"]


# The per-process layer and the stampede --------------------------------------


def test_a_hit_is_served_from_the_process_without_the_shared_cache(client, chapter):
    members(chapter, 3)
    first = client.get(url("chapters:country", "jo"))
    cache.clear()  # the shared cache only: this process still has the page
    with CaptureQueriesContext(connection) as hit:
        again = client.get(url("chapters:country", "jo"))
    assert again.content == first.content
    assert len(hit) == 1  # the chapter's version, nothing else


def test_during_a_rebuild_visitors_get_the_previous_page_then_the_new_one(
    client, chapter
):
    members(chapter, 2, prefix="Before")
    client.get(url("chapters:country", "jo"))
    members(chapter, 1, prefix="After")
    family = public_cache.public_key("country-page", "en", chapter.pk)
    # Another request is rebuilding the page for the new version.
    assert cache.add(f"{family}:lock", "elsewhere", 30)
    with CaptureQueriesContext(connection) as meanwhile:
        body = client.get(url("chapters:country", "jo")).content.decode()
    assert "Before 001" in body and "After 000" not in body
    assert len(meanwhile) == 1
    cache.delete(f"{family}:lock")
    assert "After 000" in client.get(url("chapters:country", "jo")).content.decode()


def test_with_no_previous_page_a_visitor_waits_for_the_rebuild_then_builds(
    client, chapter, monkeypatch
):
    monkeypatch.setattr(public_cache, "COLD_WAIT_SECONDS", 0.2)
    members(chapter, 1)
    family = public_cache.public_key("country-page", "en", chapter.pk)
    assert cache.add(f"{family}:lock", "elsewhere", 30)
    response = client.get(url("chapters:country", "jo"))
    assert response.status_code == 200
    assert "Member 000" in response.content.decode()


def test_a_withdrawal_is_never_hidden_by_a_previous_page_once_rebuilt(client, chapter):
    members(chapter, 2)
    client.get(url("chapters:country", "jo"))
    membership = Membership.objects.get(organisation__name_en="Member 000")
    membership.state = Membership.State.WITHDRAWN
    membership.save()
    for _ in range(3):
        assert "Member 000" not in (
            client.get(url("chapters:country", "jo")).content.decode()
        )


def test_local_layer_keeps_within_its_budget():
    layer = public_cache.LocalAnswers(budget=1000)
    answer = public_cache.StoredAnswer("text/plain", b"x" * 200, 'W/"a"', ())
    for number in range(10):
        layer.set(f"key-{number}", answer)
    assert layer.size <= 1000
    assert layer.get("key-9") is answer and layer.get("key-0") is None
    # An answer larger than a quarter of the budget is not kept at all.
    layer.set("big", public_cache.StoredAnswer("text/plain", b"x" * 300, "", ()))
    assert layer.get("big") is None
