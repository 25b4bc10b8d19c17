"""The organisation's own representatives see its contacts (whichever chapter
collected them) on their profile and correct their own; nobody else sees
them there. Existing contacts were given the chapter that brought them in."""

import importlib

import pytest
from django.apps import apps

from chapters.audit import audit_log
from chapters.models import AuditEntry
from members.models import Representative
from members.services import organisations, representatives
from members.services.interest import Interest, interest_submit
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    """An organisation on two chapters' lists, one contact each; the first
    contact has an account."""
    jordan, egypt = ChapterFactory(country="JO"), ChapterFactory(country="EG")
    organisation = OrganisationFactory(name_en="International Relief")
    for chapter in (jordan, egypt):
        ProspectFactory(chapter=chapter, organisation=organisation)
    user = UserFactory(email="amal@ngo.example")
    own = RepresentativeFactory(
        organisation=organisation,
        chapter=jordan,
        user=user,
        name="Amal Haddad",
        email="amal@ngo.example",
        role="Director",
    )
    colleague = RepresentativeFactory(
        organisation=organisation,
        chapter=egypt,
        name="Basma Nour",
        email="basma@ngo.example",
        role="Programme officer",
        language="en",
        is_primary=False,
    )
    return {
        "jordan": jordan,
        "egypt": egypt,
        "organisation": organisation,
        "own": own,
        "colleague": colleague,
        "url": f"/en/my/organisations/{organisation.pk}/",
    }


def test_representative_sees_the_contacts_of_the_chapter_that_linked_them(
    client, shared
):
    RepresentativeFactory(
        organisation=shared["organisation"],
        chapter=shared["jordan"],
        name="Hala Saleh",
        email="hala@ngo.example",
        role="Programme officer",
        is_primary=False,
    )
    client.force_login(shared["own"].user)
    html = client.get(shared["url"]).content.decode()
    assert "Contacts of your organisation" in html
    for text in (
        "Amal Haddad",
        "amal@ngo.example",
        "Director",
        "Hala Saleh",
        "hala@ngo.example",
        "Programme officer",
        "Alternate contact",
        "Primary contact",
    ):
        assert text in html, text
    # Egypt's contact is Egypt's: this account was linked in Jordan only.
    assert "Basma Nour" not in html and "basma@ngo.example" not in html


def test_an_account_linked_in_another_chapter_sees_only_that_chapters_contacts(
    client, shared
):
    user = UserFactory()
    shared["colleague"].user = user
    shared["colleague"].save()
    client.force_login(user)
    html = client.get(shared["url"]).content.decode()
    assert "basma@ngo.example" in html
    assert "amal@ngo.example" not in html and "Amal Haddad" not in html


def test_profile_query_count_does_not_grow_with_contacts(
    client, shared, django_assert_max_num_queries
):
    client.force_login(shared["own"].user)
    with django_assert_max_num_queries(30) as few:
        client.get(shared["url"])
    for _ in range(10):
        RepresentativeFactory(
            organisation=shared["organisation"], chapter=shared["egypt"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(shared["url"])


def test_visitor_other_representative_and_organisers_never_see_the_profile(
    client, shared
):
    response = client.get(shared["url"])
    assert response.status_code == 302 and "/accounts/login/" in response.url
    stranger = RepresentativeFactory(
        organisation=OrganisationFactory(), user=UserFactory()
    )
    for user in (stranger.user, OrganiserFactory(chapter=shared["jordan"]).user):
        client.force_login(user)
        response = client.get(shared["url"])
        assert response.status_code == 404
        assert "basma@ngo.example" not in response.content.decode()


def test_representative_corrects_their_own_contact_details(client, shared):
    own = shared["own"]
    # The same person, known to the other chapter too, with the same account.
    own_in_egypt = RepresentativeFactory(
        organisation=own.organisation,
        chapter=shared["egypt"],
        user=own.user,
        name="A. Haddad",
        email="amal@ngo.example",
        is_primary=False,
    )
    client.force_login(own.user)
    response = client.post(
        shared["url"] + "contact/",
        {
            "name": "Amal Haddad-Nasser",
            "phone": "07 9123 4567",
            "role": "Executive director",
            "language": "en",
            "email": "hijack@evil.example",
        },
    )
    assert response.status_code == 302
    for row in (own, own_in_egypt):
        row.refresh_from_db()
        assert (row.name, row.phone, row.role, row.language, row.email) == (
            "Amal Haddad-Nasser",
            "+962791234567",
            "Executive director",
            "en",
            "amal@ngo.example",
        )
    own_in_egypt.refresh_from_db()
    assert own.is_primary and not own_in_egypt.is_primary
    colleague = shared["colleague"]
    colleague.refresh_from_db()
    assert colleague.name == "Basma Nour"
    entries = AuditEntry.objects.filter(action="representative.update")
    assert {entry.chapter for entry in entries} == {shared["jordan"], shared["egypt"]}
    assert all(entry.actor == own.user for entry in entries)


def test_bad_own_contact_details_are_refused_and_nothing_changes(client, shared):
    client.force_login(shared["own"].user)
    response = client.post(
        shared["url"] + "contact/",
        {"name": "", "phone": "not a phone", "role": "x", "language": "ar"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Contacts of your organisation" in html
    assert "This field is required." in html
    shared["own"].refresh_from_db()
    assert shared["own"].name == "Amal Haddad"


def test_other_representative_and_visitor_cannot_change_contact_details(client, shared):
    url = shared["url"] + "contact/"
    data = {"name": "Changed", "phone": "", "role": "", "language": "ar"}
    response = client.post(url, data)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    stranger = RepresentativeFactory(
        organisation=OrganisationFactory(), user=UserFactory()
    )
    client.force_login(stranger.user)
    assert client.post(url, data).status_code == 404
    assert not Representative.objects.filter(name="Changed").exists()


def test_existing_contacts_get_the_chapter_that_brought_them_in():
    migration = importlib.import_module(
        "members.migrations.0005_representative_chapter"
    )
    first, second, third = (
        ChapterFactory(country="JO"),
        ChapterFactory(country="EG"),
        ChapterFactory(country="MA"),
    )
    shared = OrganisationFactory()
    ProspectFactory(chapter=first, organisation=shared)
    ProspectFactory(chapter=second, organisation=shared)
    added_by_second = RepresentativeFactory(organisation=shared)
    audit_log(
        actor=None,
        action="representative.create",
        obj=added_by_second,
        chapter=second,
        after={},
    )
    from_the_list = RepresentativeFactory(organisation=shared)
    member_only = OrganisationFactory()
    MembershipFactory(chapter=third, organisation=member_only)
    from_membership = RepresentativeFactory(organisation=member_only)
    orphan = RepresentativeFactory(organisation=OrganisationFactory())
    Representative.objects.update(chapter=None)

    migration.assign_chapters(apps, None)

    expected = {
        added_by_second: second,
        from_the_list: first,
        from_membership: third,
        orphan: None,
    }
    for representative, chapter in expected.items():
        representative.refresh_from_db()
        assert representative.chapter == chapter


def test_every_way_in_gives_the_contact_the_chapter_that_collected_it(
    shared, django_capture_on_commit_callbacks
):
    jordan, egypt = shared["jordan"], shared["egypt"]
    organiser = OrganiserFactory(chapter=egypt).user
    with django_capture_on_commit_callbacks(execute=True):
        prospect = interest_submit(
            chapter=egypt,
            interest=Interest(
                organisation_name="Valley think tank",
                kind="think_tank",
                contact_name="Huda",
                email="huda@example.org",
                message="",
                language="en",
            ),
        )
    assert prospect.organisation.representatives.get().chapter == egypt
    added = representatives.representative_add(
        actor=organiser,
        chapter=egypt,
        organisation=shared["organisation"],
        values={"name": "Omar", "email": "omar@ngo.example", "language": "ar"},
    )
    # Egypt already had a contact there: Omar is an alternate, and Jordan's
    # primary contact is untouched.
    assert (added.chapter, added.is_primary) == (egypt, False)
    listed = organisations.organisation_add(
        actor=organiser,
        chapter=jordan,
        values={"name_en": "Fresh start", "kind": "ngo"},
        representative={"name": "Rana", "email": "rana@example.org"},
    )
    assert listed.organisation.representatives.get().chapter == jordan
