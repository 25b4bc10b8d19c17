"""Personal links: whatever follows the address, a wrong token always gets
the same "this link does not work" answer for its kind of link, in the
page's language, and never a server error."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from chapters.tokens import token_digest, token_matches, token_new
from tests.factories import UserFactory

from .strategies import ARABIC_RE, clean_example, examples, token_path, token_text


def token_routes(resolver=None, prefix="") -> list[str]:
    """Every route of the project that takes a personal-link token, with
    its other parameters filled in ("<id:...>" as 1)."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").removeprefix("ar/")
        if isinstance(entry, URLResolver):
            routes.extend(token_routes(entry, route))
        elif isinstance(entry, URLPattern) and "<str:token>" in route:
            routes.append(re.sub(r"<id:\w+>", "1", route))
    return sorted(set(routes))


ROUTES = token_routes()


def test_the_known_kinds_of_personal_link_are_all_covered():
    """A new kind of personal link joins the tests below by itself; these
    must always be among them."""
    assert {
        "invitation/<str:token>/",
        "opt-out/<str:token>/",
        "manage/invitations/<str:token>/",
    } <= set(ROUTES)


def answer_of(response) -> tuple:
    """What a visitor sees, without what legitimately varies per request
    (nonces, CSRF tokens and the token itself, which the language switcher
    repeats): status, redirect target, templates and headline."""
    body = response.content.decode()
    headline = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    location = response.get("Location", "").split("?", 1)[0]
    templates = tuple(t.name for t in response.templates if t.name)
    return (
        response.status_code,
        location,
        templates,
        headline.group(1).strip() if headline else "",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=examples(15))
@given(language=st.sampled_from(["ar", "en"]), token=token_text)
def test_any_wrong_token_gets_the_same_invalid_link_answer(
    db, route, signed_in, language, token
):
    with clean_example():
        client = Client()
        if signed_in:
            client.force_login(UserFactory())
        url = f"/{language}/{route}"
        expected = answer_of(client.get(url.replace("<str:token>", "not-a-token")))
        response = client.get(url.replace("<str:token>", token_path(token)))
        assert response.status_code < 500
        assert answer_of(response) == expected
        assert response.status_code in (302, 404, 429)
        body = response.content.decode()
        if token == "<script>":
            assert token not in body  # reflected only escaped
        if language == "ar" and response.status_code != 302:
            assert ARABIC_RE.search(expected[3]), expected
        posted = client.post(url.replace("<str:token>", token_path(token)), {})
        assert posted.status_code < 500


@settings(max_examples=examples(300))
@given(
    raw=st.text(max_size=300)
    | st.binary(max_size=100).map(lambda b: b.decode("utf-8", "surrogateescape"))
)
def test_token_digest_takes_any_text_and_only_its_own_token_matches(raw):
    digest = token_digest(raw)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token_matches(raw, digest)
    assert not token_matches(raw + "x", digest)


def test_new_tokens_are_long_url_safe_and_distinct():
    tokens = {token_new()[0] for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43,}", token) for token in tokens)
