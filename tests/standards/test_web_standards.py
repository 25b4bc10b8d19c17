"""What crawlers and HTTP caches read, checked against the standards with
independent readers: robots.txt with Python's urllib.robotparser (RFC 9309),
sitemap.xml with lxml against the sitemaps.org XML Schema, the language
alternates of sitemap and page heads against each other, and conditional
requests against RFC 9110 (a 304 carries the 200's validators, Vary and
Cache-Control). Also: the organiser's invitation preview shows the
placeholder personal links as text, never as links that would answer 404."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree
from lxml import html as lxml_html

from chapters import languages
from members.models import Membership
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    MembershipFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.meetings.builders import invite

pytestmark = pytest.mark.django_db

SITE = "https://chapters.example"
VENDOR = Path(__file__).resolve().parent.parent / "vendor"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NS = {"s": SITEMAP_NS, "x": XHTML_NS}
PERSONAL_LINK = re.compile(r"https?://[^\s<>\"]+/(ar|en)/invitation/[^\s<>\"]+")


@pytest.fixture
def site(settings):
    """Two chapters, one with listed members (so its page and CSV have
    content), under an https site address unlike the test client's host."""
    settings.SITE_URL = SITE
    jordan = ChapterFactory(country="JO", status="forming")
    for _ in range(2):
        MembershipFactory(
            chapter=jordan,
            state=Membership.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
    ChapterFactory(country="EG", status="launched")
    return jordan


def robots(client) -> RobotFileParser:
    response = client.get("/robots.txt")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def private_urls(language: str) -> list[str]:
    """One real address of each kind robots.txt must keep out, reversed from
    the URL names so a moved route shows here."""
    token = "a" * 43
    with translation.override(language):
        paths = [
            reverse("meetings:invitation", kwargs={"token": token}),
            reverse(
                "meetings:invitation_material", kwargs={"token": token, "material": 1}
            ),
            reverse("members:membership_answer", kwargs={"pk": 1, "token": token}),
            reverse("members:opt_out", kwargs={"token": token}),
            reverse("chapters:invitation", kwargs={"token": token}),
            reverse("chapters:manage", kwargs={"iso2": "jo"}),
            reverse("chapters:staff_overview"),
            reverse("chapters:my_chapters"),
            reverse("chapters:notification_settings"),
            reverse("account_login"),
            reverse("admin:index"),
            reverse("outbox_list"),
        ]
    return [SITE + path for path in paths]


def public_urls(language: str) -> list[str]:
    with translation.override(language):
        paths = [
            reverse("chapters:home"),
            reverse("chapters:directory"),
            reverse("chapters:country", kwargs={"iso2": "jo"}),
            reverse("chapters:members_csv", kwargs={"iso2": "jo"}),
        ]
    return [SITE + path for path in paths]


# robots.txt ------------------------------------------------------------------


def test_robots_txt_is_plain_text_naming_the_sitemap_absolutely(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # One text for everyone, which shared caches may keep.
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert robots(client).site_maps() == [f"{SITE}/sitemap.xml"]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_robots_txt_keeps_personal_organiser_and_account_paths_out(
    client, site, language
):
    parser = robots(client)
    for url in private_urls(language):
        assert not parser.can_fetch("*", url), url
    for url in public_urls(language):
        assert parser.can_fetch("*", url), url
    assert parser.can_fetch("*", f"{SITE}/api/v1/countries/")


def test_robots_txt_covers_every_configured_language(client, site, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "French")]
    text = client.get("/robots.txt").content.decode()
    for language in ("ar", "en", "fr"):
        for prefix in ("invitation/", "manage/", "accounts/", "opt-out/"):
            assert f"Disallow: /{language}/{prefix}\n" in text


def test_robots_txt_allows_the_whole_sitemap_and_not_a_real_personal_link(
    client, site, django_capture_on_commit_callbacks
):
    sitemap = sitemap_tree(client)
    listed = sitemap.xpath("//s:loc/text() | //x:link/@href", namespaces=NS)
    assert listed
    parser = robots(client)
    for url in listed:
        assert parser.can_fetch("*", url), url

    # A real invitation, sent as the organiser's invite page sends it.
    organiser = OrganiserFactory(chapter=site, user=UserFactory()).user
    meeting = MeetingFactory(chapter=site, created_by=organiser)
    representative = RepresentativeFactory(
        organisation=ProspectFactory(chapter=site).organisation, language="en"
    )
    invite(organiser, meeting, [representative], django_capture_on_commit_callbacks)
    links = {m.group(0) for m in PERSONAL_LINK.finditer(mail.outbox[0].body)}
    assert links
    for link in links:
        assert client.get(urlsplit(link).path).status_code == 200, link
        assert not parser.can_fetch("*", link), link


# sitemap.xml -----------------------------------------------------------------


def sitemap_tree(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return etree.fromstring(response.content)


def sitemap_schema() -> etree.XMLSchema:
    """The sitemaps.org schema, with the schema for the xhtml:link elements
    it lets each <url> hold (its xsd:any is processContents="strict")."""
    driver = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SITEMAP_NS}"
                  schemaLocation="{(VENDOR / "sitemap.xsd").as_uri()}"/>
      <xsd:import namespace="{XHTML_NS}"
                  schemaLocation="{(VENDOR / "sitemap-xhtml-link.xsd").as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(driver))


def test_sitemap_is_valid_against_the_sitemaps_org_schema(client, site):
    schema = sitemap_schema()
    tree = sitemap_tree(client)
    assert schema.validate(tree), schema.error_log
    # The schema does reject what the protocol forbids.
    tree.find("s:url/s:loc", NS).text = "not a url"
    tree.find("s:url", NS).append(etree.Element(f"{{{XHTML_NS}}}link"))
    assert not schema.validate(tree)


def test_sitemap_lists_the_home_pages_with_their_alternates(client, site):
    tree = sitemap_tree(client)
    locations = tree.xpath("//s:loc/text()", namespaces=NS)
    for language in languages.codes():
        assert f"{SITE}/{language}/" in locations
    home = sitemap_alternates(tree)[f"{SITE}/en/"]
    assert home == {
        *((code, f"{SITE}/{code}/") for code in languages.codes()),
        ("x-default", f"{SITE}/ar/"),
    }


def sitemap_alternates(tree) -> dict[str, set]:
    """loc -> {(hreflang, href)} of its xhtml:link elements."""
    return {
        url.findtext("s:loc", namespaces=NS): {
            (link.get("hreflang"), link.get("href"))
            for link in url.findall("x:link", NS)
        }
        for url in tree.findall("s:url", NS)
    }


def head_alternates(client, url: str) -> set:
    page = client.get(urlsplit(url).path)
    assert page.status_code == 200, url
    document = lxml_html.fromstring(page.content)
    return {
        (link.get("hreflang"), link.get("href"))
        for link in document.xpath("/html/head/link[@rel='alternate'][@hreflang]")
    }


def test_every_page_in_the_sitemap_names_the_same_alternates_in_its_head(client, site):
    alternates = sitemap_alternates(sitemap_tree(client))
    # home, directory, 2 countries; in each language
    assert len(alternates) == (1 + 1 + 2) * len(languages.codes())
    for url, listed in alternates.items():
        assert {code for code, _href in listed} == {*languages.codes(), "x-default"}
        assert head_alternates(client, url) == listed, url


# Conditional requests ----------------------------------------------------------

# Every cached public answer; True where it is also sent gzipped (every
# answer but one too short to gain from it).
CACHED = {
    "/api/v1/countries/": True,
    "/api/v1/countries/jo/": True,
    "/ar/countries/jo/": True,
    "/en/countries/": True,
    "/sitemap.xml": True,
    "/ar/countries/jo/members.csv": True,
    "/robots.txt": True,
}
ENCODINGS = {"gzip": "gzip", "plain": "identity"}


def get(client, url, encoding, **headers):
    return client.get(url, headers={"accept-encoding": ENCODINGS[encoding], **headers})


@pytest.mark.parametrize("url", CACHED)
@pytest.mark.parametrize("first", ENCODINGS)
def test_a_304_carries_the_200s_etag_vary_and_cache_control(client, site, url, first):
    """Whichever encoding the copy came in, its ETag revalidates it in
    either encoding, and each 304 says what the 200 in that encoding says."""
    copy = get(client, url, first)
    assert copy.status_code == 200
    assert copy["ETag"]
    for encoding in ENCODINGS:
        full = get(client, url, encoding)
        assert full["ETag"] == copy["ETag"]
        assert full.has_header("Content-Encoding") == (
            CACHED[url] and encoding == "gzip"
        )
        again = get(client, url, encoding, **{"if-none-match": copy["ETag"]})
        assert again.status_code == 304, (url, encoding)
        assert again.content == b""
        for header in ("ETag", "Vary", "Cache-Control", "Access-Control-Allow-Origin"):
            assert again.get(header) == full.get(header), (url, encoding, header)


@pytest.mark.parametrize("url", CACHED)
def test_an_outdated_etag_gets_the_full_answer(client, site, url):
    stale = get(client, url, "gzip", **{"if-none-match": 'W/"outdated"'})
    assert stale.status_code == 200
    assert stale.content


def test_a_change_on_the_country_page_changes_its_etag(client, site):
    before = get(client, "/ar/countries/jo/", "gzip")["ETag"]
    site.introduction_ar = "مقدمة جديدة"
    site.save()
    after = get(client, "/ar/countries/jo/", "gzip", **{"if-none-match": before})
    assert after.status_code == 200
    assert after["ETag"] != before


# The invitation preview ----------------------------------------------------------


def test_the_invitation_preview_shows_personal_links_as_text(client, site):
    organiser = OrganiserFactory(chapter=site, user=UserFactory()).user
    meeting = MeetingFactory(
        chapter=site,
        created_by=organiser,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
    )
    meeting.materials.create(
        chapter=site, title="Concept note", url="https://docs.example/note"
    )
    representative = RepresentativeFactory(
        organisation=ProspectFactory(chapter=site).organisation, language="en"
    )
    client.force_login(organiser)
    response = client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invite/",
        {"representatives": [str(representative.pk)]},
    )
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    hrefs = document.xpath("//a/@href")
    assert hrefs  # the page has links, just not these
    assert not [href for href in hrefs if "personal-link" in href]
    text = document.text_content()
    for language in ("ar", "en"):
        assert f"{SITE}/{language}/invitation/personal-link/" in text
        assert f"/{language}/invitation/personal-link/materials/" in text
