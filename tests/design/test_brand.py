"""The mark and the favicons: made for the portal, linked from every page,
served; /favicon.ico no longer a 404."""

import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db

LINKS = {
    '<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">': "img/favicon.ico",
    '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">': (
        "img/favicon.svg"
    ),
    '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">': (
        "img/apple-touch-icon.png"
    ),
}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_page_links_the_favicons_and_shows_the_mark(client, language):
    html = client.get(f"/{language}/").content.decode()
    for link in LINKS:
        assert link in html
    assert (
        '<img class="brand-mark" src="/static/img/logo.svg" alt="" width="36" '
        'height="36">'
    ) in html


def test_favicon_ico_is_sent_to_the_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"


def test_the_icon_files_are_what_they_say(client):
    ico = Image.open(finders.find("img/favicon.ico"))
    assert (32, 32) in ico.info["sizes"]
    touch = Image.open(finders.find("img/apple-touch-icon.png"))
    assert touch.size == (180, 180)
    for name in ("img/logo.svg", "img/favicon.svg"):
        svg = Path(finders.find(name)).read_text()
        assert svg.startswith(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"'
        )
        assert "<text" not in svg and "<script" not in svg
        assert "#0b6e4f" in svg
    total = sum(
        Path(finders.find(path)).stat().st_size
        for path in [*LINKS.values(), "img/logo.svg"]
    )
    assert total < 10 * 1024


def test_favicon_and_linked_icons_answer_200_from_the_server(live_server):
    # urllib follows the redirect of /favicon.ico to the static file.
    for path in ["/favicon.ico", *(f"/static/{name}" for name in LINKS.values())]:
        with urllib.request.urlopen(live_server.url + path) as response:  # noqa: S310
            assert response.status == 200, path
            assert response.read(), path
