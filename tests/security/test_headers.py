"""Security headers on every response, production transport settings, and
proof that no page needs the inline code the Content-Security-Policy
blocks."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from tests.security.test_permission_matrix import EXPECTED
from tests.security.urlwalk import project_routes, route_urls
from tests.security.world import ROLES, build_world
from tests.urls import url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_send_a_content_security_policy_of_our_origin_only(client):
    policy = _policy(client.get(url("chapters:home", language="ar")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_policy_never_allows_inline_code_or_eval(client):
    header = client.get(url("chapters:directory"))["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header


def test_error_pages_carry_the_same_headers(client):
    # Literal: a made-up address, for the 404 page.
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_forbid_framing_sniffing_and_cross_site_referrers(client):
    response = client.get(url("chapters:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_out_of_reach_of_scripts(client):
    from tests.factories import UserFactory

    user = UserFactory()
    response = client.post(
        url("account_login"), {"login": user.email, "password": "correct-horse-9"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# Production ------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "kV3-only-for-the-deploy-check-7fQ2pX9zL4mN8rT1wY6uB0cD5eG",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
}

TRANSPORT = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


def _production(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    """Runs under production settings on SQLite in `var_dir`, so the check
    leaves no database file in the working tree."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env={**environment, **PRODUCTION_ENV, "PORTAL_VAR_DIR": str(var_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    result = _production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", var_dir=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secret():
    environment = dict(PRODUCTION_ENV)
    del environment["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture
def production_transport(settings, tmp_path):
    """The transport settings of config.settings.production, read in a
    separate interpreter, applied to this test's settings."""
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{k: getattr(settings, k) for k in {TRANSPORT!r}}}))"
    )
    result = _production("-c", script, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    for key, value in values.items():
        setattr(settings, key, value)
    return values


def test_production_sends_hsts_for_a_year_with_subdomains(client, production_transport):
    assert production_transport["SECURE_HSTS_SECONDS"] >= 31_536_000
    response = client.get(url("chapters:home"), secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts and "preload" in hsts


def test_production_redirects_plain_http_to_https(client, production_transport):
    response = client.get(url("chapters:directory"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # Behind the proxy, its X-Forwarded-Proto header says the request was HTTPS.
    forwarded = client.get(url("chapters:directory"), HTTP_X_FORWARDED_PROTO="https")
    assert forwarded.status_code == 200


def test_production_cookies_are_secure_only(client, production_transport):
    from tests.factories import UserFactory

    user = UserFactory()
    form = client.get(url("account_login"), secure=True)
    assert form.cookies["csrftoken"]["secure"]
    signed_in = client.post(
        url("account_login"),
        {"login": user.email, "password": "correct-horse-9"},
        secure=True,
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"]
    assert signed_in.cookies["sessionid"]["httponly"]


# No inline code --------------------------------------------------------------


DATA_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what style-src 'self' and script-src 'self' would block."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        # A data block (JSON) is never run, so the policy does not apply.
        data = names.get("type", "").lower() in DATA_TYPES
        if tag == "script" and not names.get("src") and not data:
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")


def _inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_catches_each_kind_of_inline_code():
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:x()">a</a><style>p{}</style><script src="/s.js"></script>'
        '<script type="application/json">{}</script>'
    )
    assert len(_inline_code(html)) == 5


def test_no_page_carries_inline_script_style_or_event_handlers(settings):
    """Every HTML page of the matrix, for every role that may open it, in
    both languages, plus pages with form errors."""
    world = build_world()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    problems, pages = [], 0
    for route in project_routes():
        row = EXPECTED.get(route.name)
        if row is None:
            continue
        if route.name not in world.kwargs and "<" in route.route:
            continue
        for address in route_urls(route, world.kwargs.get(route.name)):
            for role in (r for r in ROLES if row[r] == "200"):
                cache.clear()
                response = clients[role].get(address)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                pages += 1
                problems += [
                    f"{address} ({role}): {p}"
                    for p in _inline_code(response.content.decode())
                ]
    for address, data in [
        (url("chapters:interest", "jo"), {"email": "not an address"}),
        (url("chapters:interest", "jo", language="ar"), {}),
        (url("account_login"), {"login": "x@example.org", "password": "wrong"}),
        (url("account_request_login_code", language="ar"), {"email": "bad"}),
    ]:
        response = Client().post(address, data)
        pages += 1
        problems += [
            f"POST {address}: {p}" for p in _inline_code(response.content.decode())
        ]
    # Literal: a made-up address, for the 404 page.
    not_found = Client().get("/ar/no-such-page/")
    problems += _inline_code(not_found.content.decode())
    assert pages > 150
    assert not problems, "\n".join(sorted(set(problems)))
