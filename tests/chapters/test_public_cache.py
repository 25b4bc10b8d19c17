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

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/en/countries/jo/",
    "/ar/countries/jo/",
    "/en/countries/",
    "/en/countries/jo/members.csv",
    "/api/v1/countries/jo/",
    "/api/v1/countries/",
]


def warm(client):
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200


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
    for url in [
        "/en/countries/jo/",
        "/en/countries/jo/members.csv",
        "/api/v1/countries/jo/",
    ]:
        assert "Newcomer" in client.get(url).content.decode(), url
    assert "القادم الجديد" in client.get("/ar/countries/jo/").content.decode()
    assert (
        '<td class="text-end">1</td>' in client.get("/en/countries/").content.decode()
    )
    assert client.get("/api/v1/countries/").json()["results"][0]["listed_members"] == 1


def test_withdrawn_member_disappears_from_country_page(client):
    chapter = ChapterFactory(country="JO")
    membership = MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Leaving Org"),
        state=Membership.State.CONFIRMED,
    )
    warm(client)
    assert "Leaving Org" in client.get("/en/countries/jo/").content.decode()
    membership.state = Membership.State.WITHDRAWN
    membership.save()
    for url in PUBLIC_URLS:
        assert "Leaving Org" not in client.get(url).content.decode(), url


def test_deleted_membership_disappears(client):
    chapter = ChapterFactory(country="JO")
    membership = MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Gone Org"),
        state=Membership.State.CONFIRMED,
    )
    warm(client)
    membership.delete()
    assert "Gone Org" not in client.get("/en/countries/jo/").content.decode()


def test_renamed_listed_organisation_shows_its_new_name(client):
    chapter = ChapterFactory(country="JO")
    organisation = OrganisationFactory(name_en="Old Name")
    MembershipFactory(
        chapter=chapter, organisation=organisation, state=Membership.State.CONFIRMED
    )
    warm(client)
    organisation.name_en = "New Name"
    organisation.save()
    body = client.get("/en/countries/jo/").content.decode()
    assert "New Name" in body and "Old Name" not in body


def test_edited_chapter_shows_its_new_content_and_status(client):
    chapter = ChapterFactory(country="JO", introduction_en="Before")
    warm(client)
    chapter_update(
        actor=StaffFactory(),
        chapter=chapter,
        data={"introduction_en": "After", "status": Chapter.Status.FORMING},
    )
    body = client.get("/en/countries/jo/").content.decode()
    assert "After" in body and "Before" not in body
    assert "Forming" in client.get("/en/countries/?status=forming").content.decode()
    assert client.get("/api/v1/countries/").json()["results"][0]["status"] == "forming"


def test_new_chapter_appears_in_the_cached_directory(client):
    ChapterFactory(country="JO")
    warm(client)
    ChapterFactory(country="EG")
    assert "Egypt" in client.get("/en/countries/").content.decode()
    assert client.get("/api/v1/countries/").json()["count"] == 2


def test_invalidate_is_what_other_apps_call_for_what_they_show(client):
    chapter = ChapterFactory(country="JO")
    warm(client)
    before = Chapter.objects.get(pk=chapter.pk).public_version
    country_page_invalidate(chapter)
    assert Chapter.objects.get(pk=chapter.pk).public_version == before + 1


def test_signed_in_visitor_sees_their_own_header_not_a_shared_one(client):
    from tests.factories import UserFactory

    ChapterFactory(country="JO")
    client.get("/en/countries/jo/")  # an anonymous visit fills the shared cache
    user = UserFactory()
    client.force_login(user)
    body = client.get("/en/countries/jo/").content.decode()
    assert "Sign out" in body
    client.logout()
    assert "Sign out" not in client.get("/en/countries/jo/").content.decode()


def test_shared_page_is_served_compressed_to_browsers_that_accept_it(client):
    import gzip

    ChapterFactory(country="JO", name_en="Compressed chapter")
    client.get("/en/countries/jo/")
    response = client.get("/en/countries/jo/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Compressed chapter" in gzip.decompress(response.content)
