"""First load of an Arabic country page (HTML, CSS, JS and every font face it
declares; not logos) stays under 150 KB compressed."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from chapters.demo import seed_chapter
from members.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024


def compressed_size(content: bytes, name: str) -> int:
    # woff2 is compressed already; servers do not gzip it again.
    return len(content) if name.endswith(".woff2") else len(gzip.compress(content, 6))


def static_file(url: str) -> Path:
    return Path(finders.find(url.removeprefix(settings.STATIC_URL)))


def test_first_load_of_the_arabic_country_page_is_under_150_kb(client):
    chapter = seed_chapter()
    for index in range(15):
        MembershipFactory(
            chapter=chapter,
            organisation=OrganisationFactory(
                description_ar="منظمة من منظمات المجتمع المدني " * 3,
                website=f"https://org{index}.example",
            ),
            state=Membership.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
    html = client.get(url("chapters:country", "jo", language="ar")).content
    sizes = {"page": compressed_size(html, "page.html")}
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    # An icon is a fragment of the sprite (sprite.svg#name): one file, once.
    for asset in {a.decode().split("#")[0] for a in assets}:
        path = static_file(asset)
        sizes[path.name] = compressed_size(path.read_bytes(), path.name)
        if path.suffix == ".css":
            # Every font face it declares, as if the page used them all.
            for font in re.findall(r'url\("([^"]+\.woff2)"\)', path.read_text()):
                font_path = path.parent / font
                sizes[font_path.name] = font_path.stat().st_size
    total = sum(sizes.values())
    assert any(name.endswith(".woff2") for name in sizes)
    assert total < BUDGET, sizes
