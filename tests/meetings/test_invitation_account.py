"""The optional account from the invitation page: it carries the invited
address over as already verified, because the personal link proves it."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from meetings.services.invitations import invitation_link_new
from tests.factories import InvitationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def invited(meeting, email="salma@example.org"):
    representative = RepresentativeFactory(email=email, chapter=meeting.chapter)
    invitation = InvitationFactory(
        meeting=meeting,
        organisation=representative.organisation,
        representative=representative,
        email=email,
        language="en",
    )
    token = invitation_link_new(invitation=invitation, channel="email")
    return representative, f"/en/invitation/{token}/"


def test_invitee_opens_an_account_with_the_invited_address_verified(client, meeting):
    representative, url = invited(meeting)
    assert 'data-testid="open-account"' in client.get(url).content.decode()
    response = client.post(url, {"form": "account"})
    assert response["Location"] == "/en/my/"
    user = get_user_model().objects.get(email="salma@example.org")
    assert EmailAddress.objects.get(user=user).verified
    representative.refresh_from_db()
    assert representative.user == user
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_existing_account_is_linked_but_its_owner_signs_in_as_usual(client, meeting):
    existing = UserFactory(email="salma@example.org")
    representative, url = invited(meeting)
    response = client.post(url, {"form": "account"})
    assert "/accounts/login/" in response["Location"]
    representative.refresh_from_db()
    assert representative.user == existing
    assert "_auth_user_id" not in client.session


def test_no_account_offer_when_the_link_went_to_another_address(client, meeting):
    representative, url = invited(meeting)
    representative.email = "changed@example.org"
    representative.save()
    assert 'data-testid="open-account"' not in client.get(url).content.decode()
    client.post(url, {"form": "account"})
    assert not get_user_model().objects.filter(email="changed@example.org").exists()
    assert not get_user_model().objects.filter(email="salma@example.org").exists()


def test_no_account_offer_to_someone_already_signed_in(client, meeting):
    _representative, url = invited(meeting)
    client.force_login(UserFactory())
    assert 'data-testid="open-account"' not in client.get(url).content.decode()


def test_an_invitation_cannot_open_an_account_for_another_chapters_contact(
    client, meeting
):
    """The account a link opens is a role in the link's chapter only: a
    contact row another chapter wrote is refused, and no account is made."""
    from tests.factories import ChapterFactory

    other = ChapterFactory(country="EG")
    representative = RepresentativeFactory(email="omar@example.org", chapter=other)
    invitation = InvitationFactory(
        meeting=meeting,
        organisation=representative.organisation,
        representative=representative,
        email=representative.email,
        language="en",
    )
    token = invitation_link_new(invitation=invitation, channel="email")
    response = client.post(f"/en/invitation/{token}/", {"form": "account"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="omar@example.org").exists()
    representative.refresh_from_db()
    assert representative.user_id is None
