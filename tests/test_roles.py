"""The permissions module decides; services record every role change."""

import pytest

from chapters.models import AuditEntry, Organiser
from chapters.permissions import (
    can_manage_chapter,
    can_represent,
    chapters_managed_by,
    organisations_represented_by,
)
from chapters.services import organiser_grant, organiser_revoke
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


def test_organiser_manages_only_their_own_chapter():
    staff = StaffFactory()
    own, other = ChapterFactory(), ChapterFactory()
    user = UserFactory()
    organiser_grant(actor=staff, chapter=own, user=user)
    assert can_manage_chapter(user, own)
    assert not can_manage_chapter(user, other)
    assert list(chapters_managed_by(user)) == [own]


def test_staff_manage_every_chapter_and_visitors_none(client):
    from django.contrib.auth.models import AnonymousUser

    chapters = [ChapterFactory(), ChapterFactory()]
    assert set(chapters_managed_by(StaffFactory())) == set(chapters)
    assert not can_manage_chapter(AnonymousUser(), chapters[0])
    assert not chapters_managed_by(AnonymousUser()).exists()


def test_granting_twice_is_one_role_and_one_audit_entry():
    staff, user, chapter = StaffFactory(), UserFactory(), ChapterFactory()
    organiser_grant(actor=staff, chapter=chapter, user=user)
    organiser_grant(actor=staff, chapter=chapter, user=user)
    assert Organiser.objects.filter(chapter=chapter, user=user).count() == 1
    entries = AuditEntry.objects.filter(action="organiser.grant", chapter=chapter)
    assert entries.count() == 1
    assert entries.get().actor == staff


def test_revoked_organiser_loses_access_and_history_is_kept():
    staff, user, chapter = StaffFactory(), UserFactory(), ChapterFactory()
    role = organiser_grant(actor=staff, chapter=chapter, user=user)
    organiser_revoke(actor=staff, role=role)
    assert not can_manage_chapter(user, chapter)
    role.refresh_from_db()
    assert role.revoked_by == staff and role.revoked_at is not None
    assert AuditEntry.objects.filter(action="organiser.revoke").count() == 1
    # Granted again later: a new role beside the revoked one.
    organiser_grant(actor=staff, chapter=chapter, user=user)
    assert Organiser.objects.filter(chapter=chapter, user=user).count() == 2


def test_representative_represents_only_their_own_organisation():
    user = UserFactory()
    own = RepresentativeFactory(user=user).organisation
    other = OrganisationFactory()
    assert can_represent(user, own)
    assert not can_represent(user, other)
    assert list(organisations_represented_by(user)) == [own]


def test_my_chapters_page_lists_only_the_viewers_chapters(client):
    staff, user = StaffFactory(), UserFactory()
    own = ChapterFactory(name_en="Own chapter")
    ChapterFactory(name_en="Someone else's chapter")
    organiser_grant(actor=staff, chapter=own, user=user)
    client.force_login(user)
    html = client.get(url("chapters:my_chapters")).content.decode()
    assert "Own chapter" in html
    assert "Someone else" not in html


def test_my_chapters_page_requires_sign_in(client):
    response = client.get(url("chapters:my_chapters"))
    assert response.status_code == 302
    assert response.url.startswith(url("account_login"))
