"""The interest form's acknowledgement goes to an address anyone can type,
so it says nothing else that was typed: only a generic thank-you naming the
chapter. Otherwise a stranger could send their own words, under the
portal's name, to any inbox."""

import pytest
from django.core import mail

from tests.factories import ChapterFactory, OrganiserFactory, UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

TYPED = {
    "organisation_name": "Click https://phish.example/win Prize Office",
    "kind": "cbo",
    "contact_name": "Dear customer, your account is locked",
    "email": "victim@example.org",
    "message": "Call +1 555 0100 now to claim your refund.",
    "homepage": "",
}


@pytest.fixture
def chapter():
    chapter = ChapterFactory(country="JO", contact_email="jordan@cld.example")
    OrganiserFactory(chapter=chapter, user=UserFactory(email="organiser@example.org"))
    return chapter


def _acknowledgement(client, path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, TYPED).status_code == 302
    return next(m for m in mail.outbox if m.to == ["victim@example.org"])


def _everything(message) -> str:
    html = "".join(str(content) for content, _type in message.alternatives)
    return message.subject + message.body + html


@pytest.mark.parametrize(
    ("path", "thanks", "country"),
    [
        (url("chapters:interest", "jo"), "Thank you for your interest", "Jordan"),
        (url("chapters:interest", "jo", language="ar"), "شكراً لاهتمامكم", "الأردن"),
    ],
)
def test_the_acknowledgement_names_the_chapter_and_echoes_nothing_typed(
    client, chapter, django_capture_on_commit_callbacks, path, thanks, country
):
    message = _acknowledgement(client, path, django_capture_on_commit_callbacks)
    text = _everything(message)
    assert thanks in message.body
    assert country in message.subject and country in message.body
    assert "jordan@cld.example" in message.body
    for typed in ("phish.example", "Prize Office", "account is locked", "555 0100"):
        assert typed not in text


def test_the_organisers_still_see_what_was_typed(
    client, chapter, django_capture_on_commit_callbacks
):
    _acknowledgement(
        client, url("chapters:interest", "jo"), django_capture_on_commit_callbacks
    )
    notice = next(m for m in mail.outbox if m.to == ["organiser@example.org"])
    assert "Prize Office" in notice.body
    assert "claim your refund" in notice.body
