"""The palette is defined once, in portal.css, as tokens that set
Bootstrap's own variables; every text pair the components use reaches AA;
Bootstrap's default blue is not written anywhere of ours."""

import re
from pathlib import Path

from chapters import design

ROOT = Path(__file__).resolve().parent.parent.parent
CSS = ROOT / "static" / "css"
PORTAL = (CSS / "portal.css").read_text()
GREEN = "#0b6e4f"


def declared(name: str, css: str = PORTAL) -> list[str]:
    return [
        v.strip() for v in re.findall(rf"(?<![\w-]){re.escape(name)}:\s*([^;]+);", css)
    ]


def test_the_portal_green_is_bootstraps_primary_and_link_colour():
    assert design.tokens()["green-700"] == GREEN
    assert declared("--bs-primary") == [GREEN]
    assert declared("--bs-primary-rgb") == ["11, 110, 79"]
    assert declared("--bs-link-color") == [GREEN]
    assert declared("--bs-link-color-rgb") == ["11, 110, 79"]
    assert "var(--portal-green-700)" in declared("--bs-progress-bar-bg")
    assert "var(--portal-green-700)" in declared("--bs-nav-pills-link-active-bg")
    assert declared("--bs-focus-ring-color") == ["var(--portal-focus-ring)"]


def test_the_rgb_twins_match_their_colours():
    for name in ("primary", "secondary", "success", "info", "warning", "danger"):
        (colour,) = declared(f"--bs-{name}")
        (rgb,) = declared(f"--bs-{name}-rgb")
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb == f"{red}, {green}, {blue}", name


def test_no_bootstrap_blue_is_written_in_our_styles_or_templates():
    blues = re.compile(r"#0d6efd|13,\s*110,\s*253|#86b7fe|#0a58ca", re.IGNORECASE)
    for path in [*CSS.glob("*.css"), *(ROOT / "templates").rglob("*.html")]:
        assert not blues.search(path.read_text()), path


def test_every_text_pair_reaches_aa():
    failing = [
        f"{pair.text.token} on {pair.background.token}: {pair.ratio}"
        for pair in design.text_pairs()
        if not pair.passes
    ]
    assert not failing, failing
    assert design.contrast("#ffffff", "#000000") == 21
    assert round(design.contrast(GREEN, "#ffffff"), 2) == 6.25


def test_every_colour_token_has_its_swatch_classes_on_the_design_page():
    page_css = (CSS / "design.css").read_text()
    for name in design.tokens():
        assert f".swatch-{name} {{ background: var(--portal-{name}); }}" in page_css
        assert f".fg-{name} {{ color: var(--portal-{name}); }}" in page_css


def test_every_tone_of_the_badges_has_its_class():
    from chapters.badges import Tone

    for tone in Tone:
        if tone != Tone.NEUTRAL:  # the badge's default
            assert f".tone-{tone} {{" in PORTAL
        for part in ("", "-subtle", "-emphasis", "-border"):
            if tone != Tone.PRIMARY:
                assert f"--portal-{tone}{part}:" in PORTAL
