"""The Django admin has no password form of its own: it sends everyone to
the portal's sign-in, whose rate limits lock out a guessed staff password
for the admin too."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"
ADDRESS = "198.51.100.21"
ADMIN = url("admin:index")
ADMIN_LOGIN = url("admin:login")
LOGIN = url("account_login")


def _admin_sign_in(client, user, password):
    return client.post(
        f"{ADMIN_LOGIN}?next={ADMIN}",
        {"username": user.username, "password": password, "next": ADMIN},
        REMOTE_ADDR=ADDRESS,
    )


def test_the_admin_sign_in_sends_visitors_to_the_portal_sign_in(client):
    response = client.get(ADMIN, follow=True)
    first, _status = response.redirect_chain[0]
    assert urlsplit(first).path == ADMIN_LOGIN
    last, _status = response.redirect_chain[-1]
    assert urlsplit(last).path == LOGIN
    assert parse_qs(urlsplit(last).query)["next"] == [ADMIN]


def test_a_password_posted_to_the_admin_sign_in_is_never_checked(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _attempt in range(12):
        response = _admin_sign_in(client, staff, "wrong-password")
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == LOGIN
    response = _admin_sign_in(client, staff, PASSWORD)
    assert urlsplit(response["Location"]).path == LOGIN
    assert "_auth_user_id" not in client.session


def test_guessing_a_staff_password_for_the_admin_is_refused_after_the_limit(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    login_url = client.get(f"{ADMIN_LOGIN}?next={ADMIN}")["Location"]
    for _attempt in range(12):
        client.post(
            login_url,
            {"login": staff.email, "password": "wrong-password"},
            REMOTE_ADDR=ADDRESS,
        )
    response = client.post(
        login_url, {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_staff_reach_the_admin_after_signing_in_through_the_portal(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    login_url = client.get(ADMIN)["Location"]
    login_url = client.get(login_url)["Location"]
    response = client.post(
        login_url, {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    # Signed in, the admin's sign-in address goes straight on.
    assert client.get(ADMIN_LOGIN)["Location"] == ADMIN


def test_a_signed_in_non_staff_user_gets_404_from_the_admin_sign_in(client):
    client.force_login(UserFactory())
    assert client.get(f"{ADMIN_LOGIN}?next={ADMIN}").status_code == 404


def test_the_admin_sign_in_ignores_a_next_address_on_another_site(client):
    response = client.get(f"{ADMIN_LOGIN}?next=https://evil.example/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [ADMIN]
