"""The public country page: what it shows, to whom, in which language, and
what it never shows."""

import pytest
from django.utils import timezone

from members.models import Membership
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    RepresentativeFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

CONFIRMED = Membership.State.CONFIRMED


def listed(chapter, **organisation):
    return MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(**organisation),
        state=CONFIRMED,
        confirmed_at=timezone.now(),
    )


def test_country_page_shows_the_chapter_in_the_page_language(client):
    ChapterFactory(
        country="JO",
        name_ar="الفرع الأردني",
        name_en="Jordan chapter",
        introduction_ar="مقدمة بالعربية",
        introduction_en="An English introduction",
        contact_email="chapter@example.org",
        host_organisation_en="Host network",
        host_organisation_ar="الشبكة المضيفة",
    )
    arabic = client.get(url("chapters:country", "jo", language="ar")).content.decode()
    english = client.get(url("chapters:country", "jo")).content.decode()
    assert "الفرع الأردني" in arabic and "مقدمة بالعربية" in arabic
    assert "الأردن" in arabic  # the country name from django-countries, in Arabic
    assert "Jordan chapter" in english and "An English introduction" in english
    assert "chapter@example.org" in english and "Host network" in english


@pytest.mark.parametrize(
    "state",
    [s for s in Membership.State.values if s != Membership.State.CONFIRMED],
)
def test_unconfirmed_organisation_never_appears_on_page_api_or_csv(client, state):
    chapter = ChapterFactory(country="JO")
    listed(chapter, name_en="Listed Org", name_ar="منظمة مدرجة")
    MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Hidden Org", name_ar="منظمة مخفية"),
        state=state,
    )
    for address in [
        url("chapters:country", "jo"),
        url("chapters:country", "jo", language="ar"),
        url("chapters:members_csv", "jo"),
        url("api:country", "jo"),
    ]:
        body = client.get(address).content.decode()
        assert "Listed Org" in body or "منظمة مدرجة" in body, address
        assert "Hidden Org" not in body and "منظمة مخفية" not in body, address
    directory = client.get(url("api:countries")).json()
    assert directory["results"][0]["listed_members"] == 1


def test_no_personal_data_of_representatives_on_public_pages_api_or_csv(client):
    chapter = ChapterFactory(country="JO")
    membership = listed(chapter, name_en="Open Org")
    RepresentativeFactory(
        organisation=membership.organisation,
        name="Private Person",
        email="private.person@example.org",
        phone="+962790000000",
        role="Secret role",
    )
    for address in [
        url("chapters:country", "jo"),
        url("chapters:country", "jo", language="ar"),
        url("chapters:members_csv", "jo"),
        url("api:country", "jo"),
        url("api:countries"),
        url("chapters:directory"),
    ]:
        body = client.get(address).content.decode()
        for secret in [
            "Private Person",
            "private.person",
            "+962790000000",
            "Secret role",
        ]:
            assert secret not in body, (address, secret)


def test_members_are_grouped_by_type_with_the_date_of_the_list(client):
    chapter = ChapterFactory(country="JO")
    listed(chapter, name_en="Think Org", kind="think_tank")
    listed(chapter, name_en="Network Org", kind="network")
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert body.index("Network or coalition") < body.index("Network Org")
    assert body.index("Think tank") < body.index("Think Org")
    assert "member list as of" in body


def test_member_missing_in_page_language_falls_back_and_is_marked(client):
    chapter = ChapterFactory(country="JO", name_en="", name_ar="الفرع")
    listed(chapter, name_en="Only English Org", name_ar="")
    arabic = client.get(url("chapters:country", "jo", language="ar")).content.decode()
    assert '<span lang="en" dir="auto">Only English Org</span>' in arabic
    assert "fallback-mark" in arabic
    english = client.get(url("chapters:country", "jo")).content.decode()
    # The chapter's own name falls back to Arabic on the English page.
    assert '<span lang="ar" dir="auto">الفرع</span>' in english


def test_script_in_content_is_escaped(client):
    chapter = ChapterFactory(country="JO", introduction_en="<script>alert(1)</script>")
    listed(chapter, name_en="<b>Bold</b> org")
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>Bold</b>" not in body


def test_unknown_country_code_is_a_translated_404_pointing_to_the_directory(client):
    ChapterFactory(country="JO")
    for address, text in [
        (url("chapters:country", "zz", language="ar"), "الفروع"),
        (url("chapters:country", "ke"), "Kenya"),
        (url("chapters:country", "not-a-code"), "two-letter code"),
    ]:
        response = client.get(address)
        assert response.status_code == 404
        body = response.content.decode()
        assert text in body
        # Literal: a fragment of the directory's address, in either language.
        assert "/countries/" in body
    directory = url("chapters:directory", language="ar")
    unknown = client.get(url("chapters:country", "zz", language="ar"))
    assert f'href="{directory}"' in unknown.content.decode()


def test_upper_case_code_redirects_to_the_lower_case_address(client):
    ChapterFactory(country="JO")
    # Literal: the upper-case address and the lower-case one it redirects to
    # are what is tested.
    response = client.get("/en/countries/JO/")
    assert response.status_code == 301
    assert response["Location"] == "/en/countries/jo/"


def test_page_is_shareable_with_canonical_hreflang_and_open_graph(client, settings):
    settings.SITE_URL = "https://chapters.example"
    ChapterFactory(country="JO", name_en="Jordan chapter")
    english = "https://chapters.example" + url("chapters:country", "jo")
    arabic = "https://chapters.example" + url("chapters:country", "jo", language="ar")
    body = client.get(url("chapters:country", "jo") + "?utm_source=x").content.decode()
    assert f'<link rel="canonical" href="{english}">' in body
    assert f'hreflang="ar" href="{arabic}"' in body
    assert f'hreflang="en" href="{english}"' in body
    assert "utm_source" not in body
    assert '<meta property="og:title" content="Jordan chapter">' in body
    assert f'<meta property="og:url" content="{english}">' in body
    assert '<meta property="og:locale" content="en_US">' in body
    for other in ("ar_EG", "fr_FR"):
        assert f'<meta property="og:locale:alternate" content="{other}">' in body


def test_sitemap_lists_directory_and_country_pages_in_both_languages(client, settings):
    settings.SITE_URL = "https://chapters.example"
    ChapterFactory(country="JO")
    body = client.get(url("sitemap")).content.decode()
    for path in [
        url("chapters:directory", language="ar"),
        url("chapters:directory", language="en"),
        url("chapters:country", "jo", language="ar"),
        url("chapters:country", "jo", language="en"),
    ]:
        assert f"<loc>https://chapters.example{path}</loc>" in body
    english = "https://chapters.example" + url("chapters:country", "jo")
    assert f'hreflang="en" href="{english}"' in body


def test_csv_lists_members_in_both_languages_and_defuses_formulas(client):
    chapter = ChapterFactory(country="JO")
    listed(chapter, name_en="=HYPERLINK(1)", name_ar="منظمة")
    response = client.get(url("chapters:members_csv", "jo", language="ar"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK(1)" in text and "منظمة" in text


@pytest.mark.parametrize(
    "path", [url("chapters:country", "jo"), url("chapters:directory")]
)
def test_public_pages_make_as_many_queries_for_100_members_as_for_10(
    client, django_assert_max_num_queries, path
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chapter = ChapterFactory(country="JO")
    ChapterFactory(country="EG")
    for _ in range(10):
        listed(chapter)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(path).status_code == 200
    # The chapter, its members' count per type and the first members of each
    # type (plus the meetings section's own fixed queries, the governance
    # section's roles, the published engagements and the first meeting
    # held), or the directory's version, chapters, member counts and first
    # meetings held.
    assert len(ten) <= 9
    cache.clear()
    for _ in range(90):
        listed(chapter)
    with django_assert_max_num_queries(len(ten)):
        body = client.get(path).content.decode()
    assert "100" in body


def test_cached_page_costs_one_query(client, django_assert_num_queries):
    chapter = ChapterFactory(country="JO")
    listed(chapter)
    client.get(url("chapters:country", "jo"))
    with django_assert_num_queries(1):
        client.get(url("chapters:country", "jo"))


def test_csv_has_a_name_column_per_language_of_the_chapter(client):
    chapter = ChapterFactory(country="MA", languages=["fr", "ar"])
    listed(chapter, name_ar="جمعية الأطلس", name_fr="Association Atlas", name_en="")
    text = client.get(url("chapters:members_csv", "ma", language="en")).content.decode()
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    assert header.split(",")[:3] == ["Name", "Name (Arabic)", "Name (French)"]
    # Asked in English, which the chapter does not publish: its default, French.
    assert row.split(",")[:3] == [
        "Association Atlas",
        "جمعية الأطلس",
        "Association Atlas",
    ]
