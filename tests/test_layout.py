"""Every page in both languages, in our layout, with the right direction."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "chapters:home",
    "account_login",
    "account_request_login_code",
    "account_signup",
    "account_reset_password",
]
SIGNED_IN_PAGES = ["chapters:my_chapters"]


def assert_layout(response, lang: str):
    html = response.content.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    stylesheet = "bootstrap.rtl.min.css" if lang == "ar" else "bootstrap.min.css"
    assert stylesheet in html
    assert 'class="portal-header' in html


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_language_with_direction(client, name, lang):
    response = client.get(url(name, language=lang))
    assert response.status_code == 200
    assert_layout(response, lang)


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_renders_in_language_with_direction(client, name, lang):
    client.force_login(UserFactory())
    response = client.get(url(name, language=lang))
    assert response.status_code == 200
    assert_layout(response, lang)


def test_arabic_home_page_is_in_arabic(client):
    html = client.get(url("chapters:home", language="ar")).content.decode()
    assert "نحو فرع وطني" in html
    assert "Towards a national chapter" not in html


def test_root_redirects_to_the_visitors_preferred_language(client):
    # Literal: the bare root and the language prefix it redirects to are what
    # is tested.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").url == "/ar/"


def test_language_switch_keeps_the_visitor_on_the_same_page(client):
    html = client.get(url("account_login", language="ar")).content.decode()
    match = re.search(
        r'href="([^"]+)" hreflang="en"[^>]*data-testid="language-switch"', html
    )
    assert match and match.group(1) == url("account_login", language="en")


def test_pages_announce_both_language_versions(client):
    html = client.get(url("chapters:home")).content.decode()
    arabic = "http://127.0.0.1:8000" + url("chapters:home", language="ar")
    english = "http://127.0.0.1:8000" + url("chapters:home", language="en")
    assert f'hreflang="ar" href="{arabic}"' in html
    assert f'hreflang="en" href="{english}"' in html


# Literal: made-up addresses (and an unknown language prefix), for the 404 page.
@pytest.mark.parametrize(
    ("path", "accept", "phrase"),
    [
        ("/ar/no-such-page/", "ar", "الصفحة غير موجودة"),
        ("/en/no-such-page/", "en", "Page not found"),
        ("/xx/accounts/login/", "ar", "الصفحة غير موجودة"),
    ],
)
def test_unknown_url_gets_a_translated_page_in_our_layout(client, path, accept, phrase):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    html = response.content.decode()
    assert phrase in html
    assert 'class="portal-header' in html
    assert "Traceback" not in html


def test_bad_csrf_token_gets_a_translated_page_and_saves_nothing(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url("account_login", language="ar"), {"login": "a@example.org", "password": "x"}
    )
    assert response.status_code == 403
    assert "انتهت صلاحية النموذج" in response.content.decode()


def test_healthz_answers_when_the_database_is_reachable(client):
    # Literal: the address the deployment's health check calls.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_security_headers_are_sent(client):
    response = client.get(url("chapters:home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
