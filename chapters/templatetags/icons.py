"""{% icon "name" %}: one icon of the vendored Bootstrap Icons sprite
(static/vendor/bootstrap-icons/sprite.svg, built by build_sprite.py beside it
from the names written in the templates), as

    <svg class="icon" aria-hidden="true"><use href="…/sprite.svg#name"></use></svg>

The icon is decoration beside a visible label, so hidden from screen
readers; an icon that stands alone takes a label: {% icon "x" label=text %}.
Icons that point a way (a name with "left" or "right" in it: arrows,
chevrons, box-arrows) get .icon-directional and are mirrored in right-to-left
text (static/css/portal.css). Write the name as a literal string, so that
the sprite's build script finds it."""

import re
from functools import cache
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "vendor/bootstrap-icons/sprite.svg"
DIRECTIONAL = re.compile(r"(?:^|-)(?:left|right)(?:-|$)")


def is_directional(name: str) -> bool:
    return bool(DIRECTIONAL.search(name))


@cache
def sprite_names() -> tuple[str, ...]:
    """The icons in the sprite, in its order (for the design page)."""
    text = Path(finders.find(SPRITE)).read_text(encoding="utf-8")
    return tuple(re.findall(r'<symbol id="([^"]+)"', text))


@register.simple_tag
def icon(name: str, label: str = ""):
    classes = "icon icon-directional" if is_directional(name) else "icon"
    href = f"{static(SPRITE)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true"><use href="{}"></use></svg>',
        classes,
        href,
    )
