"""A champion in government is named on the public pages only while their
recorded consent stands: without it, or once withdrawn, only their
institution shows, on the country page in every language, in the API, and
never in the public member CSV. Their e-mail and phone never show."""

from datetime import date

import pytest
from django.core.cache import cache

from meetings.services.engagements import (
    champion_consent_record,
    champion_consent_withdraw,
    contact_create,
    contact_update,
    engagement_create,
)
from meetings.services.errors import MeetingError
from tests.factories import MembershipFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "en", "fr")


@pytest.fixture
def world(organiser, chapter):
    listed = MembershipFactory(chapter=chapter, state="confirmed").organisation
    candidate = MembershipFactory(chapter=chapter, state="candidate").organisation
    named = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Rania Consenting",
            "institution": "Ministry of Planning",
            "email": "rania@ministry.example",
            "phone": "+962 6 111 1111",
            "is_champion": True,
            "record_consent": True,
            "consent_note": "In writing",
        },
    )
    silent = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Omar Silent",
            "institution": "Ministry of Local Administration",
            "email": "omar@ministry.example",
            "is_champion": True,
        },
    )
    public = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": "champion_meeting",
            "happened_on": date(2026, 11, 2),
            "title_en": "Meeting with champions",
            "title_ar": "لقاء مع المناصرين",
            "summary_en": "We met two champions.",
            "contacts": [named, silent],
            "organisations": [listed, candidate],
            "outcome": "Secret outcome",
            "next_step": "Secret next step",
            "is_public": True,
        },
    )
    hidden = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": "letter",
            "happened_on": date(2026, 11, 3),
            "title_en": "Private letter",
        },
    )
    return {
        "named": named,
        "silent": silent,
        "listed": listed,
        "candidate": candidate,
        "public": public,
        "hidden": hidden,
    }


def country_page(client, language):
    cache.clear()
    response = client.get(url("chapters:country", "jo", language=language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_country_page_names_only_the_consenting_champion(client, world, language):
    html = country_page(client, language)
    assert "Rania Consenting" in html
    assert "Omar Silent" not in html
    assert "Ministry of Local Administration" in html  # the institution stays
    for private in (
        "rania@ministry.example",
        "omar@ministry.example",
        "+962 6 111 1111",
        "Secret outcome",
        "Secret next step",
        "Private letter",
    ):
        assert private not in html
    assert str(world["candidate"].name_en) not in html
    assert str(world["listed"].name_en) in html or str(world["listed"].name_ar) in html


def test_the_api_names_only_the_consenting_champion(client, world):
    data = client.get("/api/v1/countries/jo/").json()
    (engagement,) = data["engagements"]
    assert engagement["champions"] == [
        {
            "name": "Rania Consenting",
            "institution": "Ministry of Planning",
            "position": "",
        }
    ]
    assert "Ministry of Local Administration" in engagement["institutions"]
    text = str(data)
    assert "Omar Silent" not in text
    assert "omar@ministry.example" not in text and "rania@ministry" not in text
    assert "Secret" not in text and "Private letter" not in text
    assert [o["name"]["en"] for o in engagement["organisations"]] == [
        world["listed"].name_en
    ]


def test_withdrawn_consent_removes_the_name_everywhere_at_once(
    client, organiser, world
):
    assert "Rania Consenting" in country_page(client, "en")
    champion_consent_withdraw(actor=organiser, contact=world["named"])
    # No cache clearing: the withdrawal itself makes the cached pages stale.
    assert (
        "Rania Consenting"
        not in client.get(url("chapters:country", "jo")).content.decode()
    )
    assert "Rania Consenting" not in str(client.get("/api/v1/countries/jo/").json())
    assert "Ministry of Planning" in country_page(client, "en")


def test_recording_consent_later_names_the_champion(client, organiser, world):
    assert "Omar Silent" not in country_page(client, "en")
    champion_consent_record(actor=organiser, contact=world["silent"], note="By e-mail")
    assert "Omar Silent" in client.get(url("chapters:country", "jo")).content.decode()


def test_consent_needs_to_say_how_it_was_given(organiser, world):
    with pytest.raises(MeetingError):
        champion_consent_record(actor=organiser, contact=world["silent"], note=" ")
    world["silent"].refresh_from_db()
    assert not world["silent"].may_be_named


def test_the_contact_form_records_and_withdraws_consent(organiser_client, world):
    address = url("meetings:government_contact", "jo", world["silent"].pk)
    base = {"name": "Omar Silent", "institution": "Ministry of Local Administration"}
    refused = organiser_client.post(address, {**base, "record_consent": "on"})
    assert refused.status_code == 400
    organiser_client.post(
        address, {**base, "record_consent": "on", "consent_note": "At the meeting"}
    )
    world["silent"].refresh_from_db()
    assert world["silent"].may_be_named
    assert world["silent"].consent_note == "At the meeting"
    organiser_client.post(address, {**base, "withdraw_consent": "on"})
    world["silent"].refresh_from_db()
    assert not world["silent"].may_be_named


def test_a_contact_who_is_no_champion_is_never_named(client, organiser, world):
    contact_update(
        actor=organiser,
        contact=world["named"],
        data={"name": "Rania Consenting", "institution": "Ministry of Planning"},
    )
    assert "Rania Consenting" not in country_page(client, "en")


def test_the_public_member_csv_is_unaffected(client, world):
    response = client.get(url("chapters:members_csv", "jo"))
    text = (
        b"".join(response.streaming_content).decode("utf-8")
        if response.streaming
        else response.content.decode()
    )
    assert "Rania" not in text and "Omar" not in text
    assert "Ministry" not in text


def test_the_audit_trail_keeps_no_contact_details(organiser, world):
    from chapters.models import AuditEntry

    entries = AuditEntry.objects.filter(action__startswith="government_contact")
    assert entries.count() == 3  # two created, one consent recorded
    assert "ministry.example" not in str(list(entries.values("before", "after")))
