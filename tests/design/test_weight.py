"""The first load of the Arabic home page stays small with the design pass:
HTML, CSS, JS, the mark, the favicons, the icon sprite and every font face
the stylesheets declare, compressed as a server sends them."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024


def compressed_size(content: bytes, name: str) -> int:
    # woff2 and PNG are compressed already; servers do not gzip them again.
    if name.endswith((".woff2", ".png", ".ico")):
        return len(content)
    return len(gzip.compress(content, 6))


def first_load(html: bytes) -> dict[str, int]:
    sizes = {"page": compressed_size(html, "page.html")}
    # An icon's address ends in #name: one file, the sprite, for every icon.
    assets = {
        url.decode().split("#")[0]
        for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    }
    for url in assets:
        path = Path(finders.find(url.removeprefix(settings.STATIC_URL)))
        sizes[path.name] = compressed_size(path.read_bytes(), path.name)
        if path.suffix == ".css":
            for font in re.findall(r'url\("([^"]+\.woff2)"\)', path.read_text()):
                font_path = path.parent / font
                sizes[font_path.name] = font_path.stat().st_size
    return sizes


def test_first_load_of_the_arabic_home_page_is_under_150_kb(client):
    sizes = first_load(client.get("/ar/").content)
    for name in ("sprite.svg", "logo.svg", "favicon.svg", "portal.css"):
        assert name in sizes, sizes
    assert sizes["sprite.svg"] < 5 * 1024
    assert sum(sizes.values()) < BUDGET, sizes
    print(sorted(sizes.items(), key=lambda item: -item[1]), sum(sizes.values()))
