"""The vendored icon set: a sprite of exactly the icons the templates use,
with its licence, small; {% icon %} points into it; icons that point a way
are marked to turn round in right-to-left text."""

import gzip
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template import Context, Template

from chapters.templatetags.icons import SPRITE, sprite_names

ROOT = Path(__file__).resolve().parent.parent.parent
VENDOR = ROOT / "static" / "vendor" / "bootstrap-icons"
ICON_TAG = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")


def icons_in_templates() -> set[str]:
    return {
        name
        for path in (ROOT / "templates").rglob("*.html")
        for name in ICON_TAG.findall(path.read_text(encoding="utf-8"))
    }


def render(source: str) -> str:
    return Template("{% load icons %}" + source).render(Context())


def test_the_icon_tag_points_at_a_symbol_of_the_sprite():
    html = render('{% icon "download" %}')
    assert html == (
        '<svg class="icon" aria-hidden="true">'
        '<use href="/static/vendor/bootstrap-icons/sprite.svg#download"></use></svg>'
    )
    href = re.search(r'<use href="/static/([^"#]+)#([^"]+)"', html)
    sprite = Path(finders.find(href.group(1))).read_text(encoding="utf-8")
    assert f'<symbol id="{href.group(2)}" viewBox="0 0 16 16">' in sprite


def test_the_sprite_holds_exactly_the_icons_the_templates_use():
    used = icons_in_templates()
    assert used, "no {% icon %} found: the regular expression is out of date"
    assert set(sprite_names()) == used, (
        "Rebuild the sprite: python static/vendor/bootstrap-icons/build_sprite.py "
        "(see its docstring)"
    )


def test_the_sprite_is_small_and_only_shapes():
    sprite = Path(finders.find(SPRITE)).read_bytes()
    assert len(gzip.compress(sprite)) < 6 * 1024
    text = sprite.decode()
    assert "<script" not in text and "style=" not in text and "href" not in text


def test_the_icon_set_is_vendored_with_its_licence_and_its_recipe():
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
    assert "npm pack" in (VENDOR / "build_sprite.py").read_text()


def test_icons_that_point_a_way_are_marked_to_turn_round():
    assert 'class="icon icon-directional"' in render('{% icon "arrow-right" %}')
    assert 'class="icon icon-directional"' in render('{% icon "box-arrow-in-right" %}')
    assert 'class="icon"' in render('{% icon "download" %}')
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert '[dir="rtl"] .icon-directional {\n  transform: scaleX(-1);' in css


def test_an_icon_alone_takes_a_label_for_screen_readers():
    html = render('{% icon "search" label="Search" %}')
    assert 'role="img" aria-label="Search"' in html
    assert "aria-hidden" not in html
