"""A stale public page is a bug: every change a page shows makes it fresh."""

import pytest
from django.utils import timezone

from chapters.cache import country_page_invalidate
from chapters.models import Chapter
from chapters.services import chapter_update
from members.models import Membership
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    url("chapters:country", "jo"),
    url("chapters:country", "jo", language="ar"),
    url("chapters:directory"),
    url("chapters:members_csv", "jo"),
    url("api:country", "jo"),
    url("api:countries"),
]


def warm(client):
    for path in PUBLIC_URLS:
        assert client.get(path).status_code == 200


def test_confirmed_member_appears_at_once_on_every_cached_page(client):
    chapter = ChapterFactory(country="JO")
    membership = MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Newcomer", name_ar="القادم الجديد"),
    )
    warm(client)
    membership.state = Membership.State.CONFIRMED
    membership.confirmed_at = timezone.now()
    membership.save()
    for path in [
        url("chapters:country", "jo"),
        url("chapters:members_csv", "jo"),
        url("api:country", "jo"),
    ]:
        assert "Newcomer" in client.get(path).content.decode(), path
    arabic = client.get(url("chapters:country", "jo", language="ar"))
    assert "القادم الجديد" in arabic.content.decode()
    directory = client.get(url("chapters:directory")).content.decode()
    assert '<td class="text-end">1</td>' in directory
    api = client.get(url("api:countries")).json()
    assert api["results"][0]["listed_members"] == 1


def test_withdrawn_member_disappears_from_country_page(client):
    chapter = ChapterFactory(country="JO")
    membership = MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Leaving Org"),
        state=Membership.State.CONFIRMED,
    )
    warm(client)
    assert "Leaving Org" in client.get(url("chapters:country", "jo")).content.decode()
    membership.state = Membership.State.WITHDRAWN
    membership.save()
    for path in PUBLIC_URLS:
        assert "Leaving Org" not in client.get(path).content.decode(), path


def test_deleted_membership_disappears(client):
    chapter = ChapterFactory(country="JO")
    membership = MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Gone Org"),
        state=Membership.State.CONFIRMED,
    )
    warm(client)
    membership.delete()
    assert "Gone Org" not in client.get(url("chapters:country", "jo")).content.decode()


def test_renamed_listed_organisation_shows_its_new_name(client):
    chapter = ChapterFactory(country="JO")
    organisation = OrganisationFactory(name_en="Old Name")
    MembershipFactory(
        chapter=chapter, organisation=organisation, state=Membership.State.CONFIRMED
    )
    warm(client)
    organisation.name_en = "New Name"
    organisation.save()
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert "New Name" in body and "Old Name" not in body


def test_edited_chapter_shows_its_new_content_and_status(client):
    chapter = ChapterFactory(country="JO", introduction_en="Before")
    warm(client)
    chapter_update(
        actor=StaffFactory(),
        chapter=chapter,
        data={"introduction_en": "After", "status": Chapter.Status.FORMING},
    )
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert "After" in body and "Before" not in body
    forming = client.get(url("chapters:directory") + "?status=forming")
    assert "Forming" in forming.content.decode()
    assert client.get(url("api:countries")).json()["results"][0]["status"] == "forming"


def test_new_chapter_appears_in_the_cached_directory(client):
    ChapterFactory(country="JO")
    warm(client)
    ChapterFactory(country="EG")
    assert "Egypt" in client.get(url("chapters:directory")).content.decode()
    assert client.get(url("api:countries")).json()["count"] == 2


def test_invalidate_is_what_other_apps_call_for_what_they_show(client):
    chapter = ChapterFactory(country="JO")
    warm(client)
    before = Chapter.objects.get(pk=chapter.pk).public_version
    country_page_invalidate(chapter)
    assert Chapter.objects.get(pk=chapter.pk).public_version == before + 1


def test_signed_in_visitor_sees_their_own_header_not_a_shared_one(client):
    from tests.factories import UserFactory

    ChapterFactory(country="JO")
    client.get(
        url("chapters:country", "jo")
    )  # an anonymous visit fills the shared cache
    user = UserFactory()
    client.force_login(user)
    body = client.get(url("chapters:country", "jo")).content.decode()
    assert "Sign out" in body
    client.logout()
    assert "Sign out" not in client.get(url("chapters:country", "jo")).content.decode()


def test_shared_page_is_served_compressed_to_browsers_that_accept_it(client):
    import gzip

    ChapterFactory(country="JO", name_en="Compressed chapter")
    client.get(url("chapters:country", "jo"))
    response = client.get(
        url("chapters:country", "jo"), headers={"accept-encoding": "gzip"}
    )
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Compressed chapter" in gzip.decompress(response.content)
