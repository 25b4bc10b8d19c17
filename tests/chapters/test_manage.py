"""Organiser pages: who may open them, editing both languages, and inviting
a co-organiser through a personal link."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from chapters.models import AuditEntry, Chapter, Organiser, OrganiserInvitation
from chapters.services import organiser_grant
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

PAGES = [
    url("chapters:manage", "jo"),
    url("chapters:edit", "jo"),
    url("chapters:organisers", "jo"),
]


@pytest.fixture
def chapter():
    return ChapterFactory(country="JO", name_en="Jordan", name_ar="")


@pytest.fixture
def organiser(chapter):
    user = UserFactory(email="org@example.org")
    organiser_grant(actor=StaffFactory(), chapter=chapter, user=user)
    return user


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, chapter, path):
    response = client.get(path)
    assert response.status_code == 302
    assert url("account_login") in response["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_organiser_of_other_chapter_gets_404(client, chapter, path):
    other = ChapterFactory(country="EG")
    user = UserFactory()
    organiser_grant(actor=StaffFactory(), chapter=other, user=user)
    client.force_login(user)
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code in (404, 405)


@pytest.mark.parametrize("path", PAGES)
def test_representative_gets_404(client, chapter, path):
    user = UserFactory()
    RepresentativeFactory(organisation=OrganisationFactory(), user=user)
    client.force_login(user)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_organiser_and_staff_open_every_page(client, organiser, path):
    client.force_login(organiser)
    assert client.get(path).status_code == 200
    client.force_login(StaffFactory())
    assert client.get(path).status_code == 200


def test_edit_page_marks_each_field_missing_in_one_language(client, chapter, organiser):
    chapter.introduction_ar = "مقدمة"
    chapter.save()
    client.force_login(organiser)
    body = client.get(url("chapters:edit", "jo")).content.decode()
    # Name in Arabic and introduction in English are missing; the other
    # fields are empty in both and carry no mark.
    assert body.count('data-testid="missing-mark"') == 2
    assert "Missing in Arabic" in body and "Missing in English" in body
    overview = client.get(url("chapters:manage", "jo")).content.decode()
    assert "Chapter name" in overview and "Short introduction" in overview


def form_data(chapter, **changes):
    data = {
        f"{field}_{code}": getattr(chapter, f"{field}_{code}") or ""
        for field in (
            "name",
            "introduction",
            "why_cld",
            "host_organisation",
            "co_chairs",
            "membership_expectations",
        )
        for code in ("ar", "en")
    }
    data.update(
        contact_email=chapter.contact_email,
        status=chapter.status,
        first_meeting_on="",
        launched_on="",
        time_zone="Asia/Amman",
        languages=chapter.languages,
        default_language=chapter.default_language,
    )
    data.update(changes)
    return data


def test_the_chapter_chooses_its_languages_and_the_choice_is_audited(
    client, chapter, organiser
):
    client.force_login(organiser)
    response = client.post(
        url("chapters:edit", "jo"), form_data(chapter, languages=["fr", "ar"])
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.languages == ["ar", "fr"]
    entry = AuditEntry.objects.get(action="chapter.update")
    assert entry.before["languages"] == ["ar", "en"]
    assert entry.after["languages"] == ["ar", "fr"]


def test_a_chapter_without_a_language_is_refused_and_keeps_its_own(
    client, chapter, organiser
):
    client.force_login(organiser)
    data = form_data(chapter)
    del data["languages"]
    response = client.post(url("chapters:edit", "jo"), data)
    assert response.status_code == 200
    assert (
        "Choose at least one of the site&#x27;s languages." in response.content.decode()
    )
    chapter.refresh_from_db()
    assert chapter.languages == ["ar", "en"]


def test_organiser_edits_both_languages_and_the_change_is_audited(
    client, chapter, organiser
):
    client.force_login(organiser)
    response = client.post(
        url("chapters:edit", "jo"),
        form_data(
            chapter,
            name_ar="الفرع الأردني",
            introduction_en="Hello",
            status="exploring",
            first_meeting_on="2026-03-18",
        ),
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.name_ar == "الفرع الأردني" and chapter.introduction_en == "Hello"
    assert chapter.status == Chapter.Status.EXPLORING
    entry = AuditEntry.objects.get(action="chapter.update")
    assert entry.actor == organiser
    assert entry.before["name_ar"] == "" and entry.after["name_ar"] == "الفرع الأردني"
    arabic = client.get(url("chapters:country", "jo", language="ar"))
    assert "الفرع الأردني" in arabic.content.decode()


def test_launched_without_launch_date_is_refused_with_a_clear_error(
    client, chapter, organiser
):
    client.force_login(organiser)
    response = client.post(
        url("chapters:edit", "jo"), form_data(chapter, status="launched")
    )
    assert response.status_code == 200
    assert "needs its launch date" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.status == Chapter.Status.INTEREST


def test_chapter_needs_a_name_in_one_language(client, chapter, organiser):
    client.force_login(organiser)
    response = client.post(url("chapters:edit", "jo"), form_data(chapter, name_en=""))
    assert "at least one language" in response.content.decode()


def invite(client, email="co@example.org", language="ar"):
    return client.post(
        url("chapters:organisers", "jo"), {"email": email, "language": language}
    )


def test_organiser_invites_a_co_organiser_who_accepts_with_that_address(
    client, chapter, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client).status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["co@example.org"]
    assert "الأردن" in message.subject
    # Literal: the link as the e-mail must carry it, in the invitee's language.
    link = re.search(r"http://\S+/ar/manage/invitations/\S+/", message.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    invitation = OrganiserInvitation.objects.get()
    assert path.split("/")[-2] not in invitation.token_digest  # only a digest stored

    newcomer = UserFactory(email="co@example.org")
    client.force_login(newcomer)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response["Location"] == url("chapters:manage", "jo", language="ar")
    role = Organiser.objects.get(chapter=chapter, user=newcomer)
    assert role.granted_by == organiser
    assert AuditEntry.objects.filter(action="organiser.invitation_accept").exists()
    assert client.get(url("chapters:manage", "jo")).status_code == 200
    # The link works once.
    client.post(path)
    assert Organiser.objects.filter(chapter=chapter, user=newcomer).count() == 1


def test_invitation_cannot_be_accepted_with_another_address(
    client, chapter, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    path = "/" + mail.outbox[-1].body.split("/", 3)[3].split()[0]
    stranger = UserFactory(email="stranger@example.org")
    client.force_login(stranger)
    english = url("chapters:invitation", path.split("/")[-2])  # the same token
    assert "Sign out and sign in" in client.get(english).content.decode()
    client.post(path)
    assert not Organiser.objects.filter(user=stranger).exists()


def test_an_invitee_without_an_account_opens_it_and_becomes_organiser_in_one_step(
    client, chapter, organiser, django_capture_on_commit_callbacks
):
    """The link names the chapter and who invited them; accepting opens the
    account for the invited address (the link proves the mailbox), signs
    them in and lands on the chapter's overview."""
    organiser.first_name, organiser.last_name = "Laila", "Haddad"
    organiser.save()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, email="Co@Example.org", language="en")
    path = "/" + mail.outbox[-1].body.split("/", 3)[3].split()[0]
    client.logout()
    page = client.get(path).content.decode()
    assert "Chapter" in page and "Laila Haddad" in page
    assert "Open my account and accept" in page
    response = client.post(path)
    assert response["Location"] == url("chapters:manage", "jo")
    newcomer = Organiser.objects.get(chapter=chapter, user__email="co@example.org").user
    assert not newcomer.has_usable_password()
    assert EmailAddress.objects.get(user=newcomer).verified
    assert client.get(url("chapters:manage", "jo")).status_code == 200
    assert AuditEntry.objects.filter(action="organiser.invitation_accept").exists()


def test_an_invitee_with_an_account_signs_in_before_accepting(
    client, chapter, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    path = "/" + mail.outbox[-1].body.split("/", 3)[3].split()[0]
    client.logout()
    existing = UserFactory(email="co@example.org")
    response = client.post(path)
    assert url("account_login", language="ar") in response["Location"]
    assert not Organiser.objects.filter(user=existing).exists()


def test_an_expired_invitation_opens_no_account_and_grants_nothing(
    client, chapter, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, language="en")
    path = "/" + mail.outbox[-1].body.split("/", 3)[3].split()[0]
    client.logout()
    OrganiserInvitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    assert "has expired" in client.get(path).content.decode()
    client.post(path)
    assert not EmailAddress.objects.filter(email="co@example.org").exists()
    client.force_login(UserFactory(email="co@example.org"))
    client.post(path)
    assert Organiser.objects.filter(chapter=chapter).count() == 1
    assert client.get(url("chapters:invitation", "not-a-token")).status_code == 404


def test_inviting_a_current_organiser_is_a_clear_error(client, chapter, organiser):
    client.force_login(organiser)
    response = invite(client, email="ORG@example.org")
    assert response.status_code == 400
    assert "already an organiser" in response.content.decode()


def test_staff_grant_and_revoke_through_the_audited_services(client, chapter):
    staff = StaffFactory()
    target = UserFactory(email="target@example.org")
    client.force_login(staff)
    assert "grant-form" in client.get(url("chapters:organisers", "jo")).content.decode()
    client.post(url("chapters:organiser_grant", "jo"), {"email": "target@example.org"})
    role = Organiser.objects.get(chapter=chapter, user=target)
    assert role.granted_by == staff
    client.post(url("chapters:organiser_revoke", "jo", role.pk))
    role.refresh_from_db()
    assert role.revoked_by == staff
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"organiser.grant", "organiser.revoke"} <= actions


def test_staff_grant_to_unknown_address_is_a_clear_error(client, chapter):
    client.force_login(StaffFactory())
    response = client.post(
        url("chapters:organiser_grant", "jo"), {"email": "x@example.org"}
    )
    assert response.status_code == 400
    assert "No account uses this e-mail address" in response.content.decode()


def test_organiser_may_not_grant_or_revoke_roles(client, chapter, organiser):
    client.force_login(organiser)
    target = UserFactory(email="target@example.org")
    response = client.post(
        url("chapters:organiser_grant", "jo"), {"email": "target@example.org"}
    )
    assert response.status_code == 403
    assert not Organiser.objects.filter(user=target).exists()
    role = Organiser.objects.get(user=organiser)
    revoke = url("chapters:organiser_revoke", "jo", role.pk)
    assert client.post(revoke).status_code == 403
    organisers = client.get(url("chapters:organisers", "jo")).content.decode()
    assert "grant-form" not in organisers
