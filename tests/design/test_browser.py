"""In a real browser: the palette is in effect and Bootstrap's default blue
is nowhere (colours, borders, focus rings), on the home page and on the
design page, in Arabic and English; icons that point a way are mirrored in
right-to-left text only; the pages have no serious accessibility problem.

Screenshots of both pages, both languages, at 1280 and 360 px go to
DESIGN_SHOTS_DIR when it is set (for a person to look at), else to a
temporary folder."""

import json
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.e2e.session import sign_in
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
GREEN = "#0b6e4f"
# Bootstrap 5.3's blues (primary, its hover and active shades, the focus
# border, the subtle background) and its default info cyan.
BOOTSTRAP_BLUES = [
    (13, 110, 253),
    (11, 94, 215),
    (10, 88, 202),
    (10, 83, 190),
    (134, 183, 254),
    (158, 197, 254),
    (207, 226, 255),
    (5, 44, 101),
    (13, 202, 240),
    (49, 132, 253),
]

BLUE_SCAN = """(blues) => {
    const props = ['color', 'background-color', 'border-top-color',
        'border-right-color', 'border-bottom-color', 'border-left-color',
        'outline-color', 'box-shadow', 'fill', 'stroke', 'accent-color',
        'text-decoration-color', 'background-image'];
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        for (const prop of props) {
            const value = style.getPropertyValue(prop);
            for (const [r, g, b] of blues) {
                if (value.includes(`${r}, ${g}, ${b}`)) {
                    found.push(`${el.tagName.toLowerCase()}.${el.className}: ${prop} ${value}`);
                }
            }
        }
    }
    return found.slice(0, 10);
}"""


def _url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def staff(transactional_db):
    return StaffFactory()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("DESIGN_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _context(browser, live_server, user=None, **options):
    # axe is injected by the test, so this context alone bypasses the policy.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **options)
    if user is not None:
        sign_in(context, user, live_server)
    return context


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_palette_green_is_bootstraps_primary_on_the_home_page(
    browser, live_server, language
):
    context = _context(browser, live_server)
    page = context.new_page()
    try:
        page.goto(f"/{language}/")
        root = "getComputedStyle(document.documentElement)"
        assert (
            page.evaluate(f"{root}.getPropertyValue('--bs-primary')").strip() == GREEN
        )
        assert page.evaluate(
            f"{root}.getPropertyValue('--bs-primary-rgb')"
        ).strip() == ("11, 110, 79")
        button = page.locator(".hero .btn-primary").first
        assert button.evaluate("e => getComputedStyle(e).backgroundColor") == (
            "rgb(11, 110, 79)"
        )
        link = page.locator("main a:not(.btn)").first
        if link.count():
            assert link.evaluate("e => getComputedStyle(e).color") == "rgb(11, 110, 79)"
        assert page.evaluate(BLUE_SCAN, BOOTSTRAP_BLUES) == []
        # The mark beside the brand name, drawn.
        mark = page.locator(".navbar-brand img.brand-mark")
        assert mark.evaluate("e => e.complete && e.naturalWidth > 0")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_bootstrap_blue_on_the_design_page_even_when_focused(
    browser, live_server, staff, language
):
    context = _context(browser, live_server, staff)
    page = context.new_page()
    try:
        page.goto(_url("chapters:staff_design", language))
        assert page.evaluate(BLUE_SCAN, BOOTSTRAP_BLUES) == []
        # Focus rings and checked states are where Bootstrap writes its blue
        # into component rules rather than variables.
        for selector in (
            "[data-testid=design-form-here] input[type=email]",
            "[data-testid=design-form-here] select",
            ".staff-nav .nav-link",
            "[data-testid=design-here] .btn-outline-secondary",
        ):
            page.locator(selector).first.focus()
            assert page.evaluate(BLUE_SCAN, BOOTSTRAP_BLUES) == [], selector
        active = page.locator(".staff-nav .nav-link.active")
        assert active.evaluate("e => getComputedStyle(e).backgroundColor") == (
            "rgb(11, 110, 79)"
        )
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_directional_icons_turn_round_in_right_to_left_text_only(
    browser, live_server, staff, language
):
    context = _context(browser, live_server, staff)
    page = context.new_page()
    try:
        page.goto(_url("chapters:staff_design", language))
        transforms = page.evaluate(
            """() => Object.fromEntries(['here', 'other'].map(prefix => {
                const block = document.querySelector(`[data-testid=design-${prefix}]`);
                const arrow = block.querySelector('.icon-directional');
                const plain = block.querySelector('.icon:not(.icon-directional)');
                return [getComputedStyle(block).direction, [
                    getComputedStyle(arrow).transform,
                    getComputedStyle(plain).transform]];
            }))"""
        )
        mirrored = "matrix(-1, 0, 0, 1, 0, 0)"
        assert transforms["rtl"] == [mirrored, "none"]
        assert transforms["ltr"] == ["none", "none"]
    finally:
        context.close()


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_home_and_design_pages_read_well_and_are_photographed(
    browser, live_server, staff, shots, language, width
):
    context = _context(
        browser, live_server, staff, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        for name, path in (
            ("home", f"/{language}/"),
            ("design", _url("chapters:staff_design", language)),
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200
            page.evaluate("document.fonts.ready")
            # Nothing wider than the window (no sideways scrolling on a phone).
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{path} is {overflow} px too wide at {width} px"
            page.screenshot(
                path=shots / f"{name}-{language}-{width}.png", full_page=True
            )
            problems = _violations(page)
            assert not problems, json.dumps(problems, ensure_ascii=False)
    finally:
        context.close()
