"""Every page in both languages, in our layout, with the right direction."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/login/code/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
]
SIGNED_IN_PAGES = ["/{lang}/my/"]


def assert_layout(response, lang: str):
    html = response.content.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    stylesheet = "bootstrap.rtl.min.css" if lang == "ar" else "bootstrap.min.css"
    assert stylesheet in html
    assert 'class="portal-header' in html


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_in_language_with_direction(client, url, lang):
    response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    assert_layout(response, lang)


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_page_renders_in_language_with_direction(client, url, lang):
    client.force_login(UserFactory())
    response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    assert_layout(response, lang)


def test_arabic_home_page_is_in_arabic(client):
    html = client.get("/ar/").content.decode()
    assert "نحو فرع وطني" in html
    assert "Towards a national chapter" not in html


def test_root_redirects_to_the_visitors_preferred_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").url == "/ar/"


def test_language_switch_keeps_the_visitor_on_the_same_page(client):
    html = client.get("/ar/accounts/login/").content.decode()
    match = re.search(
        r'href="([^"]+)" hreflang="en"[^>]*data-testid="language-switch"', html
    )
    assert match and match.group(1) == "/en/accounts/login/"


def test_pages_announce_both_language_versions(client):
    html = client.get("/en/").content.decode()
    assert 'hreflang="ar" href="http://127.0.0.1:8000/ar/"' in html
    assert 'hreflang="en" href="http://127.0.0.1:8000/en/"' in html


@pytest.mark.parametrize(
    ("url", "accept", "phrase"),
    [
        ("/ar/no-such-page/", "ar", "الصفحة غير موجودة"),
        ("/en/no-such-page/", "en", "Page not found"),
        ("/xx/accounts/login/", "ar", "الصفحة غير موجودة"),
    ],
)
def test_unknown_url_gets_a_translated_page_in_our_layout(client, url, accept, phrase):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    html = response.content.decode()
    assert phrase in html
    assert 'class="portal-header' in html
    assert "Traceback" not in html


def test_bad_csrf_token_gets_a_translated_page_and_saves_nothing(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/ar/accounts/login/", {"login": "a@example.org", "password": "x"}
    )
    assert response.status_code == 403
    assert "انتهت صلاحية النموذج" in response.content.decode()


def test_healthz_answers_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_security_headers_are_sent(client):
    response = client.get("/en/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
