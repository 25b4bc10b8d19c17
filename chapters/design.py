"""The design tokens as the stylesheet defines them, for the staff design
page and the tests: static/css/portal.css is their one home (docs/design.md),
so they are read from it, never copied here. Also the contrast of the text
and background pairs the components use, computed with WCAG 2's formula."""

import re
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders

STYLESHEET = "css/portal.css"
TOKEN = re.compile(r"--portal-([a-z0-9-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;")

# Swatch groups, by the token's first word.
BRAND = ("green", "gold")
TONES = ("success", "warning", "danger", "info", "neutral")

# (text, background) as the components pair them; every one must reach AA
# for body text (4.5:1), tests/design/test_tokens.py checks it.
TEXT_PAIRS = (
    ("ink", "white"),
    ("ink-muted", "white"),
    ("ink-muted", "surface"),
    ("green-700", "white"),
    ("green-700", "surface"),
    ("white", "green-700"),
    ("white", "green-800"),
    ("green-900", "green-100"),
    ("ink", "gold-100"),
    ("ink", "warning"),
    ("white", "success"),
    ("white", "danger"),
    ("white", "info"),
    ("white", "neutral"),
    ("success-emphasis", "success-subtle"),
    ("warning-emphasis", "warning-subtle"),
    ("danger-emphasis", "danger-subtle"),
    ("info-emphasis", "info-subtle"),
    ("neutral-emphasis", "neutral-subtle"),
)
AA = 4.5


@cache
def tokens() -> dict[str, str]:
    """Colour tokens with a literal value: name (without --portal-) -> #rrggbb."""
    with open(finders.find(STYLESHEET), encoding="utf-8") as stylesheet:
        found = TOKEN.findall(stylesheet.read())
    return {name: _six_digits(value) for name, value in found}


def _six_digits(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Swatch:
    name: str
    value: str

    @property
    def css_class(self) -> str:
        return f"swatch-{self.name}"

    @property
    def token(self) -> str:
        return f"--portal-{self.name}"


@dataclass(frozen=True)
class Pair:
    text: Swatch
    background: Swatch
    ratio: float

    @property
    def passes(self) -> bool:
        return self.ratio >= AA


def palette() -> dict[str, list[list[Swatch]]]:
    """The colour tokens in three groups (brand, neutrals, tones), each in
    rows: one per family (green, gold; success, warning...)."""
    families: dict[str, list[Swatch]] = {}
    for name, value in tokens().items():
        families.setdefault(name.split("-")[0], []).append(Swatch(name, value))
    groups: dict[str, list[list[Swatch]]] = {"brand": [], "neutrals": [], "tones": []}
    neutrals: list[Swatch] = []
    for family, swatches in families.items():
        if family in BRAND:
            groups["brand"].append(swatches)
        elif family in TONES:
            groups["tones"].append(swatches)
        else:
            neutrals += swatches
    groups["neutrals"].append(neutrals)
    return groups


def text_pairs() -> list[Pair]:
    found = tokens()
    return [
        Pair(
            Swatch(text, found[text]),
            Swatch(background, found[background]),
            round(contrast(found[text], found[background]), 2),
        )
        for text, background in TEXT_PAIRS
    ]
