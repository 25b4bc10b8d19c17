"""The first journey: the Arabic home page reads right to left, the visitor
switches to English and signs in with a code read from the e-mail outbox."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_home_is_rtl_then_english_sign_in_by_emailed_code(
    page, live_server, screenshot_dir
):
    UserFactory(email="organiser@example.org")
    page.goto("/ar/")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.screenshot(path=screenshot_dir / "home-ar.png", full_page=True)

    page.get_by_test_id("language-switch").and_(page.locator("[hreflang=en]")).click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.screenshot(path=screenshot_dir / "home-en.png", full_page=True)

    page.get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_role("link", name="Send me a sign-in code").click()
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_role("button", name="Request Code").click()
    page.wait_for_url(re.compile(r"/en/accounts/login/code/confirm/"))

    body = mail.outbox[-1].body
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/en/my/$"))
    assert page.get_by_role("heading", name="My chapters").is_visible()
