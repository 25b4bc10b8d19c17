"""Every page of the demo that an invitee, a representative or an organiser
opens, on a phone 360 px wide, in Arabic and in English: the page does not
scroll sideways, a table stacked into cards does not either, and the page's
primary action (the element marked `data-primary-action`), the statuses and
the buttons of its tables are on the screen, not hidden, clipped by a
scrolling box or pushed off its side.

The pages are the demo walk's (tests/demo/test_walk.py): the same seeded
demo, the same starting points and links, so a new page is covered as soon
as the walk reaches it. Screenshots of every page go to PHONE_SHOTS_DIR when
it is set (for a person to look at)."""

import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.demo.test_walk import USERS, _walk
from tests.demo.test_walk import demo as demo  # the walk's fixture, reused
from tests.e2e.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("invitee", "representative", "organiser")
PHONE = {"width": 360, "height": 740}

# What is wrong with the page as laid out. An element counts as shown when
# it has a box and lies, without any sideways scrolling, within the screen
# and within every ancestor that clips or scrolls its content.
INSPECT = """() => {
    const screen = document.documentElement.clientWidth;
    const problems = [];
    function describe(el) {
        const id = el.id ? '#' + el.id : '';
        const cls = typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        return el.tagName.toLowerCase() + id + cls;
    }
    function clipper(el) {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return up;
        }
        return null;
    }
    function unseen(el) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) return 'hidden';
        if (getComputedStyle(el).visibility !== 'visible') return 'hidden';
        if (box.left < -1 || box.right > screen + 1) return 'off the screen';
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX === 'visible') continue;
            const frame = up.getBoundingClientRect();
            if (box.left < frame.left - 1 || box.right > frame.right + 1) {
                return 'clipped by ' + describe(up);
            }
        }
        return null;
    }
    const overflow = document.documentElement.scrollWidth - screen;
    if (overflow > 0) {
        // The widest boxes that stick out and that nothing clips: the cause.
        const wide = [...document.querySelectorAll('body *')].filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width && (box.right > screen + 1 || box.left < -1) && !clipper(el);
        }).slice(0, 3).map(describe);
        problems.push(`overflows by ${overflow} px (${wide.join(', ')})`);
    }
    for (const table of document.querySelectorAll('.table-stack')) {
        const box = table.closest('.table-responsive') || table.parentElement;
        if (box.scrollWidth > box.clientWidth + 1) {
            problems.push(`${describe(table)} scrolls sideways by ${box.scrollWidth - box.clientWidth} px`);
        }
    }
    const primary = document.querySelectorAll('[data-primary-action]');
    if (primary.length > 1) problems.push(`${primary.length} primary actions`);
    for (const el of primary) {
        const why = unseen(el);
        if (why) problems.push(`primary action ${describe(el)} ${why}`);
    }
    // A status is never wider than the box it sits in (a name squeezed to
    // one word per line beside it is the usual cause).
    for (const badge of document.querySelectorAll('.status-badge')) {
        let holder = badge.parentElement;
        while (holder && getComputedStyle(holder).display.startsWith('inline')) {
            holder = holder.parentElement;
        }
        const box = badge.getBoundingClientRect();
        const frame = holder.getBoundingClientRect();
        if (box.width && (box.left < frame.left - 1 || box.right > frame.right + 1)) {
            problems.push(`${describe(badge)} sticks out of ${describe(holder)}`);
        }
    }
    // Statuses and buttons of tables; those folded into a closed menu are
    // not asked for.
    for (const el of document.querySelectorAll('table .status-badge, table .btn')) {
        if (el.closest('.dropdown-menu')) continue;
        const why = unseen(el);
        if (why) problems.push(`${describe(el)} ${why}`);
    }
    return {problems, primary: primary.length};
}"""


def _pages(role: str, language: str, links: list[str]) -> list[str]:
    walk = _walk(role, language, links, None)
    return [
        visit.url
        for visit in walk.visits
        if visit.status == 200
        and "text/html" in visit.content_type
        # Django's admin lays out its own pages (tests/e2e/test_admin_pages.py).
        and "/admin/" not in visit.url
    ]


def _shot(page, role: str, url: str) -> None:
    folder = os.environ.get("PHONE_SHOTS_DIR")
    if folder:
        name = re.sub(r"[^a-z0-9]+", "-", f"{role} {url}".lower()).strip("-")
        page.screenshot(path=Path(folder) / f"{name[:120]}.png", full_page=True)


@pytest.mark.parametrize("language", ["ar", "en", "fr"])
def test_every_page_of_the_demo_fits_a_phone(
    demo, browser, live_server, django_user_model, language
):
    started = time.monotonic()
    # One browser for the walk; each person signs in in turn.
    context = browser.new_context(
        base_url=live_server.url, locale=language, viewport=PHONE
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    seen = with_primary = 0
    for role in ROLES:
        context.clear_cookies()
        if USERS[role]:
            user = django_user_model.objects.get(email=USERS[role])
            sign_in(context, user, live_server)
        for url in _pages(role, language, demo):
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language, url
            found = page.evaluate(INSPECT)
            seen += 1
            with_primary += bool(found["primary"])
            problems += [
                f"{role} {url}: {what}" + (f" (x{count})" if count > 1 else "")
                for what, count in Counter(found["problems"]).items()
            ]
            _shot(page, role, url)
    context.close()
    took = time.monotonic() - started
    print(
        f"phone walk {language}: {seen} pages, {with_primary} with a primary "
        f"action, in {took:.0f} s"
    )
    assert seen >= 100, seen
    assert with_primary >= 40, with_primary
    assert not problems, "\n".join(problems)
