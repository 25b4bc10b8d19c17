"""Guessing is refused: passwords, sign-in codes, personal links and the
public interest form each have a limit, and the attempt past it fails even
when it would otherwise be right."""

import re

import pytest
from django.core import mail
from django.test import Client

from chapters.ratelimit import (
    PERSONAL_LINK_MISSES_PER_MINUTE as TOKEN_LOOKUPS_PER_MINUTE,
)
from chapters.ratelimit import PERSONAL_LINK_USES_PER_MINUTE
from chapters.tokens import TOKEN_BYTES, token_digest, token_new
from chapters.views.public import INTEREST_LIMIT
from meetings.services.invitations import invitation_link_new
from tests.factories import ChapterFactory, InvitationFactory, UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


def _sign_in(client, email, password, address="198.51.100.7"):
    return client.post(
        url("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_sixth_password_for_one_address_is_refused_even_when_right(client):
    user = UserFactory()
    for _attempt in range(5):
        assert _sign_in(client, user.email, "wrong-password").status_code == 200
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_still_let_the_right_one_in(client):
    user = UserFactory()
    for _attempt in range(4):
        _sign_in(client, user.email, "wrong-password")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_eleventh_failed_sign_in_from_one_network_is_refused(client):
    users = [UserFactory() for _ in range(11)]
    for user in users[:10]:
        _sign_in(client, user.email, "wrong-password")
    response = _sign_in(client, users[10].email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def _request_code(client, email, address="198.51.100.8"):
    return client.post(
        url("account_request_login_code"), {"email": email}, REMOTE_ADDR=address
    )


def _code_from_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)


def test_a_sign_in_code_dies_after_three_wrong_tries(client):
    user = UserFactory()
    assert _request_code(client, user.email).status_code == 302
    code = _code_from_mail()
    for _attempt in range(3):
        wrong = client.post(url("account_confirm_login_code"), {"code": "AAAA-AAAA"})
        assert "_auth_user_id" not in client.session
    response = client.post(url("account_confirm_login_code"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    assert wrong.status_code in (200, 302)


def test_the_right_sign_in_code_signs_in(client):
    user = UserFactory()
    _request_code(client, user.email)
    client.post(url("account_confirm_login_code"), {"code": _code_from_mail()})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_fourth_code_for_one_address_within_a_minute_is_refused():
    """Each request from a new session, as a script would send them."""
    user = UserFactory()
    for _attempt in range(3):
        _request_code(Client(), user.email)
    assert len(mail.outbox) == 3
    _request_code(Client(), user.email)
    assert len(mail.outbox) == 3


@pytest.fixture
def invitation_token(db):
    invitation = InvitationFactory(meeting__chapter__country="JO")
    return invitation_link_new(invitation=invitation, channel="email")


def test_a_network_guessing_invitation_links_is_slowed_but_a_valid_link_still_opens(
    client, invitation_token
):
    """The guesser's misses are counted, never the real invitee who shares
    the guesser's network (a venue's Wi-Fi)."""
    statuses = [
        client.get(url("meetings:invitation", token_new()[0])).status_code
        for _attempt in range(100)
    ]
    assert set(statuses[:TOKEN_LOOKUPS_PER_MINUTE]) == {404}
    assert set(statuses[TOKEN_LOOKUPS_PER_MINUTE:]) == {429}
    assert client.get(url("meetings:invitation", invitation_token)).status_code == 200


def test_one_link_opened_over_and_over_is_slowed(client, invitation_token):
    link = url("meetings:invitation", invitation_token)
    statuses = [
        client.get(link).status_code for _ in range(PERSONAL_LINK_USES_PER_MINUTE + 1)
    ]
    assert set(statuses[:-1]) == {200}
    assert statuses[-1] == 429


def test_sixty_invitees_behind_one_address_open_answer_and_send_ideas_in_a_minute(
    client,
):
    """An NGO office or a venue behind one router: every real invitee gets
    through, whatever the others on the network do."""
    from meetings.models import Idea, Invitation
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(chapter__country="JO", status="open")
    tokens = [
        invitation_link_new(
            invitation=InvitationFactory(meeting=meeting, status="sent"),
            channel="email",
        )
        for _ in range(60)
    ]
    for token in tokens:
        link = url("meetings:invitation", token)
        assert client.get(link).status_code == 200
        assert client.post(link, {"answer": "accept"}).status_code == 302
        idea = {"form": "idea", "kind": "sdgs:undp", "text": "Ask UNDP to convene"}
        assert client.post(link, idea).status_code == 302
    assert meeting.invitations.filter(status=Invitation.Status.ACCEPTED).count() == 60
    assert Idea.objects.filter(meeting=meeting).count() == 60


def test_organiser_invitation_links_past_the_limit_are_refused(client):
    client.force_login(UserFactory())
    for _attempt in range(TOKEN_LOOKUPS_PER_MINUTE):
        forged = token_new()[0]
        assert client.get(url("chapters:invitation", forged)).status_code == 404
    response = client.get(url("chapters:invitation", token_new()[0]))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_the_sixth_interest_form_in_an_hour_is_refused_and_kept_on_screen(client):
    ChapterFactory(country="JO")
    data = {
        "organisation_name": "Women's Cooperative",
        "kind": "cbo",
        "contact_name": "Salma",
        "email": "salma@example.org",
        "message": "We would like to join.",
    }
    for _attempt in range(INTEREST_LIMIT):
        response = client.post(url("chapters:interest", "jo"), data)
        assert response.status_code == 302
    response = client.post(url("chapters:interest", "jo"), data)
    assert response.status_code == 429
    assert "We would like to join." in response.content.decode()


def test_tokens_are_256_bits_and_only_their_digest_is_looked_up():
    raw, digest = token_new()
    assert TOKEN_BYTES == 32
    assert len(raw) == 43
    assert digest == token_digest(raw) and len(digest) == 64
    assert raw not in digest


def _lookups_until_refused(client, path: str) -> list[int]:
    return [client.get(path).status_code for _ in range(TOKEN_LOOKUPS_PER_MINUTE + 1)]


def test_membership_link_lookups_are_limited_per_network(client):
    forged = url("members:membership_answer", 1, "not-a-token", language="ar")
    statuses = _lookups_until_refused(client, forged)
    assert set(statuses[:-1]) == {404}
    assert statuses[-1] == 429


def test_opt_out_link_lookups_are_limited_per_network(client):
    forged = url("members:opt_out", "not-a-token", language="ar")
    statuses = _lookups_until_refused(client, forged)
    assert set(statuses[:-1]) == {404}
    assert statuses[-1] == 429
