"""Sign-in with e-mail as the identity: password, one-time code, verification."""

import re

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail

from tests.factories import UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


def code_from(message) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_sign_in_by_emailed_code(client):
    user = UserFactory(email="organiser@example.org")
    response = client.post(url("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    code = code_from(mail.outbox[0])
    response = client.post(
        url("account_confirm_login_code"), {"code": code}, follow=True
    )
    assert response.context["user"] == user


def test_wrong_sign_in_code_gets_a_translated_error(client):
    user = UserFactory(email="organiser@example.org")
    client.post(url("account_request_login_code", language="ar"), {"email": user.email})
    response = client.post(
        url("account_confirm_login_code", language="ar"), {"code": "XXXXXX"}
    )
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "Incorrect code" not in html


def test_sign_in_with_password_by_email(client):
    user = UserFactory(email="rep@example.org")
    response = client.post(
        url("account_login"),
        {"login": "rep@example.org", "password": "correct-horse-9"},
        follow=True,
    )
    assert response.context["user"] == user
    assert response.redirect_chain[-1][0] == url("chapters:my_chapters")


def test_sign_up_requires_verifying_the_email_first(client):
    response = client.post(
        url("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
        follow=True,
    )
    assert not response.context["user"].is_authenticated
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    code_from(mail.outbox[0])


@pytest.mark.parametrize(
    ("language", "portal"),
    [
        ("en", "an account on the CLD chapters portal"),
        ("ar", "بوابة فروع حراك التنمية التي تقودها المجتمعات المحلية"),
        ("fr", "portail des Chapitres du mouvement CLD"),
    ],
)
def test_the_verification_email_names_the_portal_not_an_empty_site(
    client, language, portal
):
    """allauth's own text names the sites framework's domain, which reads
    "…an account on ." until someone sets it."""
    Site.objects.filter(pk=settings.SITE_ID).update(domain="", name="")
    client.post(
        url("account_signup", language=language),
        {
            "email": "new@example.org",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    (message,) = mail.outbox
    assert portal in message.body
    assert " ." not in message.body
    code_from(message)


def test_account_email_has_a_plain_text_part_in_the_visitors_language(client):
    UserFactory(email="organiser@example.org")
    client.post(
        url("account_request_login_code", language="ar"),
        {"email": "organiser@example.org"},
    )
    message = mail.outbox[0]
    assert message.body.strip()
    assert re.search(r"[\u0600-\u06FF]", message.subject + message.body)


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client):
    user = UserFactory(email="organiser@example.org")
    for attempt in range(6):
        client.post(
            url("account_login"),
            {"login": "organiser@example.org", "password": f"wrong-{attempt}"},
        )
    response = client.post(
        url("account_login"),
        {"login": "organiser@example.org", "password": "correct-horse-9"},
    )
    assert response.context["user"] != user
    assert "Too many failed" in response.content.decode()


def test_arabic_sign_in_pages_say_code_as_the_glossary_does(client):
    html = client.get(url("account_request_login_code", language="ar")).content.decode()
    assert "اطلب الرمز" in html
    assert "كود" not in html
