"""Accessibility in the browser: axe-core (vendored for tests only, see
tests/vendor/README.md) finds no serious or critical problem on the public
pages and the main organiser and representative pages, in Arabic and
English; the pages a representative or an organiser at the door uses can be
completed with the keyboard alone and read on a 360 px wide phone."""

import json
from pathlib import Path

import pytest

from meetings.models import Attendance, Invitation
from members.models import Membership
from tests.e2e.session import sign_in
from tests.meetings.conftest import ensure_default_agenda
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
LANGUAGES = ("ar", "en")
BLOCKING = {"serious", "critical"}


@pytest.fixture
def world(transactional_db):
    ensure_default_agenda()
    return build_world()


def _context(browser, live_server, user=None, **options):
    # The portal's policy allows only its own scripts; axe is injected by the
    # test, so this context alone bypasses the policy.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **options)
    if user is not None:
        sign_in(context, user, live_server)
    return context


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: '
                    + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 200)),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def _audit(browser, live_server, paths, user=None) -> list[str]:
    context = _context(browser, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    try:
        for path in paths:
            response = page.goto(path)
            expected = 404 if "no-such-page" in path else 200
            assert response is not None and response.status == expected, path
            for violation in _violations(page):
                problems.append(f"{path}: {json.dumps(violation, ensure_ascii=False)}")
    finally:
        context.close()
    return problems


def _public_paths(language: str) -> list[str]:
    return [
        f"/{language}/",
        f"/{language}/countries/",
        f"/{language}/countries/jo/",
        f"/{language}/countries/jo/interest/",
        f"/{language}/accounts/login/",
        f"/{language}/accounts/login/code/",
        f"/{language}/no-such-page/",
    ]


def _organiser_paths(language: str, world) -> list[str]:
    meeting = world.objects["meeting"].pk
    return [
        f"/{language}/manage/jo/",
        f"/{language}/manage/jo/edit/",
        f"/{language}/manage/jo/outreach/",
        f"/{language}/manage/jo/meetings/",
        f"/{language}/manage/jo/meetings/{meeting}/",
        f"/{language}/manage/jo/meetings/{meeting}/checkin/",
    ]


def _representative_paths(language: str, world) -> list[str]:
    membership = world.objects["membership"].pk
    return [
        f"/{language}/invitation/{world.objects['invitation_token']}/",
        f"/{language}/membership/{membership}/{world.objects['answer_token']}/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_serious_accessibility_problem(
    browser, live_server, world, language
):
    problems = _audit(browser, live_server, _public_paths(language))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_pages_have_no_serious_accessibility_problem(
    browser, live_server, world, language
):
    Invitation.objects.filter(pk=world.objects["invitation"].pk).update(
        status="accepted", attendees="Salma"
    )
    problems = _audit(
        browser,
        live_server,
        _organiser_paths(language, world),
        user=world.users["organiser"],
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_representative_pages_have_no_serious_accessibility_problem(
    browser, live_server, world, language
):
    problems = _audit(browser, live_server, _representative_paths(language, world))
    assert not problems, "\n".join(problems)


# Keyboard alone ----------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return {
        tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
        value: el.getAttribute('value'), type: el.getAttribute('type'),
        text: (el.innerText || '').trim().slice(0, 60), visible: outline || shadow,
    };
}"""


def _tab_to(page, wanted, limit=120) -> dict:
    """Press Tab until the focused element matches `wanted`; every element
    passed on the way must show where the focus is."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"focus is not visible on {focused}"
        if all(focused.get(key) == value for key, value in wanted.items()):
            return focused
    raise AssertionError(f"{wanted} cannot be reached with Tab")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invitee_answers_with_the_keyboard_alone(
    browser, live_server, world, language
):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/{language}/invitation/{world.objects['invitation_token']}/")
        _tab_to(page, {"name": "answer", "value": "accept"})
        page.keyboard.press("Space")
        _tab_to(page, {"tag": "button", "type": "submit"})
        with page.expect_navigation():
            page.keyboard.press("Enter")
        invitation = Invitation.objects.get(pk=world.objects["invitation"].pk)
        assert invitation.status == "accepted"
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_representative_confirms_membership_with_the_keyboard_alone(
    browser, live_server, world, language
):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    membership = world.objects["membership"]
    try:
        page.goto(
            f"/{language}/membership/{membership.pk}/{world.objects['answer_token']}/"
        )
        _tab_to(page, {"name": "consent"})
        page.keyboard.press("Space")
        _tab_to(page, {"name": "role"})
        page.keyboard.type("Director")
        _tab_to(page, {"name": "action", "value": "confirm"})
        with page.expect_navigation():
            page.keyboard.press("Enter")
        membership.refresh_from_db()
        assert membership.state == Membership.State.CONFIRMED
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organiser_checks_a_guest_in_with_the_keyboard_alone(
    browser, live_server, world, language
):
    invitation = world.objects["invitation"]
    Invitation.objects.filter(pk=invitation.pk).update(status="accepted")
    meeting = world.objects["meeting"].pk
    context = _context(browser, live_server, world.users["organiser"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/{language}/manage/jo/meetings/{meeting}/checkin/")
        _tab_to(page, {"name": "action", "value": "check_in"})
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert Attendance.objects.filter(invitation=invitation).exists()
    finally:
        context.close()


# A 360 px wide phone ---------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_representative_and_check_in_pages_fit_a_360_px_screen(
    browser, live_server, world, language
):
    meeting = world.objects["meeting"].pk
    Invitation.objects.filter(pk=world.objects["invitation"].pk).update(
        status="accepted", attendees="Salma Haddad, Omar Khalil", needs="Step-free"
    )
    pages = [(None, path) for path in _representative_paths(language, world)] + [
        (world.users["organiser"], f"/{language}/manage/jo/meetings/{meeting}/checkin/")
    ]
    too_wide = []
    for user, path in pages:
        context = _context(
            browser, live_server, user, viewport={"width": 360, "height": 740}
        )
        page = context.new_page()
        try:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide.append(f"{path}: {width} px")
        finally:
            context.close()
    assert not too_wide, "\n".join(too_wide)
