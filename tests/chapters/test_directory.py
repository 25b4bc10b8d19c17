"""The public chapter directory: filter, search in either language, counts."""

import pytest

from chapters.models import Chapter
from members.models import Membership
from tests.factories import ChapterFactory, MembershipFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapters():
    jordan = ChapterFactory(country="JO", status=Chapter.Status.FORMING)
    ChapterFactory(country="EG", status=Chapter.Status.EXPLORING)
    ChapterFactory(country="MA", status=Chapter.Status.LAUNCHED)
    for _ in range(3):
        MembershipFactory(chapter=jordan, state=Membership.State.CONFIRMED)
    MembershipFactory(chapter=jordan, state=Membership.State.REQUESTED)
    return jordan


def shown(client, path):
    """Countries in the result table, in order."""
    body = client.get(path).content.decode()
    table = body.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in body else ""
    return [name for name in ("Egypt", "Jordan", "Morocco") if name in table]


def test_directory_lists_every_chapter_with_status_and_listed_count(client, chapters):
    body = client.get(url("chapters:directory")).content.decode()
    assert shown(client, url("chapters:directory")) == ["Egypt", "Jordan", "Morocco"]
    assert "Forming" in body and "Exploring" in body and "Launched" in body
    assert '<td class="text-end">3</td>' in body  # the requested one is not counted


def test_directory_filters_by_status(client, chapters):
    assert shown(client, url("chapters:directory") + "?status=launched") == ["Morocco"]
    # An unknown status shows everything rather than an error.
    assert len(shown(client, url("chapters:directory") + "?status=bogus")) == 3


@pytest.mark.parametrize(
    "query",
    ["jordan", "JOR", "الأردن", "الاردن", "اردن", "jo"],
)
def test_directory_search_finds_a_country_in_either_language(client, chapters, query):
    assert shown(client, url("chapters:directory") + f"?q={query}") == ["Jordan"]


def test_directory_search_without_match_says_so_in_arabic(client, chapters):
    body = client.get(
        url("chapters:directory", language="ar") + "?q=xyz"
    ).content.decode()
    assert "<tbody>" not in body
    assert "لا يوجد فرع يطابق" in body


def test_arabic_directory_uses_arabic_country_names(client, chapters):
    body = client.get(url("chapters:directory", language="ar")).content.decode()
    assert "الأردن" in body and "مصر" in body and "المغرب" in body


def test_search_text_is_escaped(client, chapters):
    body = client.get(
        url("chapters:directory") + '?q="><script>x</script>'
    ).content.decode()
    assert "<script>x</script>" not in body
