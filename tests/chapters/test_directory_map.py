"""The directory's world map: every chapter the table shows, drawn on the
vendored map (static/vendor/world-map/, Natural Earth) in its status's tone
and linking to its page; a picture of the table, hidden from screen readers,
light, and not mirrored in Arabic. Palestine is drawn as its own country."""

import gzip
import re
import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext

from chapters import badges
from chapters.demo import seed_chapter, seed_directory
from chapters.models import Chapter
from tests.factories import COUNTRIES, ChapterFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

MAP = "vendor/world-map/world-map.svg"
VIEW_BOX = "0 0 800 357"
BLOCK = re.compile(r'<div class="directory-map".*?</p>\s*</div>', re.DOTALL)
SVG = re.compile(r"<svg [^>]*>.*?</svg>", re.DOTALL)
COUNTRY = re.compile(
    r'<a href="([^"]+)" tabindex="-1" class="tone-([a-z]*)">'
    r'<use href="([^"#]+)#([a-z]{2})"></use></a>'
)
LEGEND = re.compile(
    r'<li><span class="directory-map-key tone-([a-z]+)"></span>([^<]+)</li>'
)


@pytest.fixture
def chapters():
    """A chapter in each of four statuses (Morocco's and Lebanon's set the way
    staff set them, through the chapter's status field)."""
    ChapterFactory(country="JO", status=Chapter.Status.FORMING)
    ChapterFactory(country="EG", status=Chapter.Status.EXPLORING)
    ChapterFactory(country="MA", status=Chapter.Status.LAUNCHED)
    ChapterFactory(country="LB", status=Chapter.Status.DORMANT)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def drawn(body: str) -> dict[str, tuple[str, str]]:
    """Country code -> (link, tone) of each country drawn on the map."""
    svg = map_svg(body)
    found = {code: (href, tone) for href, tone, _, code in COUNTRY.findall(svg)}
    # Nothing else is drawn: every link on the map has the one expected shape.
    assert svg.count("<a ") == len(found)
    return found


def map_svg(body: str) -> str:
    block = BLOCK.search(body)
    return SVG.search(block.group()).group() if block else ""


def test_map_draws_every_chapter_linking_to_its_page_in_its_status_tone(
    client, chapters
):
    body = page(client, url("chapters:directory"))
    expected = {
        chapter.iso2: (
            url("chapters:country", chapter.iso2),
            badges.tone("chapter_status", chapter.status),
        )
        for chapter in Chapter.objects.all()
    }
    assert drawn(body) == expected
    assert drawn(body)["jo"][1] == "primary"  # forming: the one solid tone
    # Every shape is drawn from the one static file, the land first.
    svg = map_svg(body)
    assert {href for _, _, href, _ in COUNTRY.findall(svg)} == {static(MAP)}
    assert svg.index(f'<use class="directory-map-land" href="{static(MAP)}#world">') < (
        svg.index("<a ")
    )


def test_arabic_and_french_maps_link_to_the_pages_in_their_language(client, chapters):
    for language in ("ar", "fr"):
        body = page(client, url("chapters:directory", language=language))
        assert drawn(body)["jo"][0] == url("chapters:country", "jo", language=language)


def test_filtered_directory_draws_only_the_chapters_it_shows(client, chapters):
    launched = page(client, url("chapters:directory") + "?status=launched")
    assert set(drawn(launched)) == {"ma"}
    searched = page(client, url("chapters:directory") + "?q=jordan")
    assert set(drawn(searched)) == {"jo"}
    nothing = page(client, url("chapters:directory") + "?q=xyz")
    assert 'data-testid="directory-map"' not in nothing


def test_empty_directory_has_no_map(client):
    assert 'data-testid="directory-map"' not in page(client, url("chapters:directory"))


def test_legend_names_each_status_drawn_once_in_the_order_of_the_lifecycle(
    client, chapters
):
    ChapterFactory(country="TN", status=Chapter.Status.LAUNCHED)
    body = page(client, url("chapters:directory"))
    assert LEGEND.findall(BLOCK.search(body).group()) == [
        ("info", "Exploring"),
        ("primary", "Forming"),
        ("success", "Launched"),
        ("warning", "Dormant"),
    ]
    filtered = page(client, url("chapters:directory") + "?status=forming")
    assert LEGEND.findall(BLOCK.search(filtered).group()) == [("primary", "Forming")]


def test_map_is_hidden_from_screen_readers_and_the_table_stays_the_content(
    client, chapters
):
    body = page(client, url("chapters:directory"))
    block = BLOCK.search(body).group()
    assert map_svg(body).startswith(f'<svg viewBox="{VIEW_BOX}" aria-hidden="true">')
    assert '<ul class="directory-map-legend" aria-hidden="true">' in block
    # Out of the keyboard's way: each link is reached once, in the table.
    assert block.count("<a ") == block.count('tabindex="-1"') == 4
    table = body.split("<tbody>")[1]
    for code in ("jo", "eg", "ma", "lb"):
        assert f'href="{url("chapters:country", code)}"' in table
    # The map comes before the table, as its picture.
    assert body.index('data-testid="directory-map"') < body.index("<table")


def test_map_credits_its_source_on_the_page(client, chapters):
    block = BLOCK.search(page(client, url("chapters:directory"))).group()
    credit = block.split('class="directory-map-credit">')[1]
    assert re.sub(r"</?bdi[^>]*>", "", credit).startswith(
        "Map: Natural Earth, public domain."
    )
    # The source's name in English on every page: marked as such.
    arabic = BLOCK.search(page(client, url("chapters:directory", language="ar")))
    assert '<bdi lang="en">Natural Earth</bdi>' in arabic.group()


def test_palestine_is_drawn_and_links_to_its_page(client):
    """The source draws Palestine (the West Bank and Gaza) as its own country:
    a chapter there is on the map like any other, in every language."""
    ChapterFactory(country="PS", status=Chapter.Status.FORMING)
    ChapterFactory(country="JO", status=Chapter.Status.EXPLORING)
    for language in ("ar", "en", "fr"):
        body = page(client, url("chapters:directory", language=language))
        assert drawn(body)["ps"] == (
            url("chapters:country", "ps", language=language),
            badges.tone("chapter_status", Chapter.Status.FORMING),
        )
    svg = Path(finders.find(MAP)).read_text(encoding="utf-8")
    # One shape of two parts, the West Bank and Gaza, apart from Israel's.
    palestine = re.search(r'<path id="ps" d="([^"]+)"/>', svg).group(1)
    assert palestine.lower().count("z") == 2
    assert re.search(r'<path id="il" d="[^"]+"/>', svg)


def test_map_file_is_static_with_an_id_per_country_and_its_licence_beside_it():
    found = finders.find(MAP)
    assert found, MAP
    svg = Path(found).read_text(encoding="utf-8")
    folder = Path(found).parent
    # The page's viewBox is the file's, or the countries would be misplaced.
    assert f'viewBox="{VIEW_BOX}"' in svg.split("\n", 1)[0]
    assert '<g id="world">' in svg
    # A country is one path (its parts as subpaths), once, never empty: the
    # Arab world's small states and Palestine and Western Sahara included.
    ids = re.findall(r'<path id="([a-z]{2})" d="[^"]+"/>', svg)
    assert len(ids) == len(set(ids)) == svg.count(" id=") - 1  # and the group's
    for code in (
        *("ps", "lb", "jo", "ma", "eh", "bh", "qa", "kw", "ae", "km", "dj"),
        *("eg", "ug", "br", "in", "mt", "sg", "mv", "va", "mc", "ad"),
    ):
        assert code in ids, code
    # Its source and licence travel with the file.
    assert "Natural Earth" in svg and "public domain" in svg
    assert "public domain" in (folder / "LICENSE").read_text()
    assert "ISC" in (folder / "LICENSE").read_text()  # world-atlas's packaging
    attribution = (folder / "ATTRIBUTION.md").read_text()
    assert "Natural Earth" in attribution and "world-atlas" in attribution
    # Light: the first load of the directory pays for it once, compressed.
    assert len(svg.encode()) <= 60 * 1024
    assert len(gzip.compress(svg.encode(), 6)) <= 25 * 1024


def test_map_file_is_served_as_svg(live_server):
    with urllib.request.urlopen(live_server.url + static(MAP)) as response:  # noqa: S310
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("image/svg+xml")
        assert b'<g id="world">' in response.read()


def test_directory_makes_as_many_queries_for_twelve_chapters_as_for_two(
    client, django_assert_max_num_queries
):
    for code in COUNTRIES[:2]:
        ChapterFactory(country=code, status=Chapter.Status.EXPLORING)
    with CaptureQueriesContext(connection) as two:
        body = page(client, url("chapters:directory"))
    assert len(drawn(body)) == 2
    cache.clear()
    for code in COUNTRIES[2:]:
        ChapterFactory(country=code, status=Chapter.Status.LAUNCHED)
    with django_assert_max_num_queries(len(two)):
        body = page(client, url("chapters:directory"))
    assert len(drawn(body)) == len(COUNTRIES)


def test_map_adds_little_to_the_demo_directory(client):
    seed_chapter()
    seed_directory()
    assert Chapter.objects.count() >= 3
    for language in ("ar", "en", "fr"):
        body = page(client, url("chapters:directory", language=language))
        block = BLOCK.search(body).group()
        assert len(drawn(body)) == Chapter.objects.count()
        without = body.replace(block, "")
        added = len(gzip.compress(body.encode(), 6)) - len(
            gzip.compress(without.encode(), 6)
        )
        assert len(block.encode()) < 2048, language
        assert added < 600, (language, added)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_draws_in_the_browser_unmirrored_and_fits_a_phone(browser, live_server):
    ChapterFactory(country="MA", status=Chapter.Status.INTEREST)
    ChapterFactory(country="EG", status=Chapter.Status.EXPLORING)
    ChapterFactory(country="JO", status=Chapter.Status.FORMING)
    ChapterFactory(country="PS", status=Chapter.Status.LAUNCHED)
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 360, "height": 740}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(url("chapters:directory", language="ar"))
        svg = tab.locator('[data-testid="directory-map"] svg')
        assert svg.evaluate("el => getComputedStyle(el).direction") == "ltr"
        box = svg.bounding_box()
        assert 300 < box["width"] <= 360
        assert box["height"] == pytest.approx(box["width"] * 357 / 800, abs=1)
        assert tab.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )

        def country(code):
            link = svg.locator(
                f'a[href="{url("chapters:country", code, language="ar")}"]'
            )
            return link, link.bounding_box()

        # Drawn from the static file (a shape with a size), west to east as on
        # any map, though the page reads right to left.
        (_, morocco), (egypt_link, egypt), (jordan_link, jordan) = map(
            country, ("ma", "eg", "jo")
        )
        for shape in (morocco, egypt, jordan):
            assert shape and shape["width"] > 2 and shape["height"] > 2
        assert morocco["x"] < egypt["x"] < jordan["x"]
        # Palestine, a few pixels on a phone (its edge in its tone included),
        # between Egypt and Jordan's east.
        _, palestine = country("ps")
        assert palestine and palestine["width"] > 2.5 and palestine["height"] > 2.5
        assert egypt["x"] < palestine["x"] < jordan["x"] + jordan["width"]
        fill = jordan_link.evaluate("el => getComputedStyle(el).fill")
        assert fill == "rgb(11, 110, 79)"  # the primary green: forming
        egypt_link.click()
        tab.wait_for_url(f"**{url('chapters:country', 'eg', language='ar')}")
    finally:
        context.close()
