"""The interest form: a prospect for the organisers, an acknowledgement for
the submitter, and no way for a bot or a typo to lose or spam anything."""

import pytest
from django.core import mail

from chapters.models import AuditEntry
from chapters.views import public
from members.models import Organisation, Prospect, Representative
from tests.factories import ChapterFactory, OrganiserFactory, UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

URL = url("chapters:interest", "jo", language="ar")


def valid(**overrides):
    data = {
        "organisation_name": "جمعية النور Al-Nour",
        "kind": "cbo",
        "contact_name": "Layla Haddad",
        "email": "layla@example.org",
        "message": "نود الانضمام.",
        "homepage": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def chapter():
    chapter = ChapterFactory(country="JO")
    OrganiserFactory(chapter=chapter, user=UserFactory(email="organiser@example.org"))
    return chapter


def test_interest_creates_a_prospect_notifies_organisers_and_acknowledges_in_arabic(
    client, chapter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid())
    assert response.status_code == 302
    assert response["Location"] == url("chapters:interest_thanks", "jo", language="ar")
    prospect = Prospect.objects.get(chapter=chapter)
    assert prospect.source == Prospect.Source.INTEREST_FORM
    assert prospect.notes == "نود الانضمام."
    assert prospect.organisation.name_ar == "جمعية النور Al-Nour"
    assert prospect.organisation.kind == Organisation.Kind.COMMUNITY_BASED
    contact = Representative.objects.get(organisation=prospect.organisation)
    assert (contact.name, contact.email, contact.language) == (
        "Layla Haddad",
        "layla@example.org",
        "ar",
    )
    assert AuditEntry.objects.filter(
        action="prospect.interest", chapter=chapter
    ).exists()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"organiser@example.org", "layla@example.org"}
    organiser_mail = by_recipient["organiser@example.org"]
    assert organiser_mail.reply_to == ["layla@example.org"]
    assert "جمعية النور Al-Nour" in organiser_mail.body
    acknowledgement = by_recipient["layla@example.org"]
    assert "الأردن" in acknowledgement.subject
    assert "Layla Haddad" not in acknowledgement.body
    assert "Thank you" not in acknowledgement.body
    assert client.get(response["Location"]).status_code == 200


def test_acknowledgement_is_in_english_when_the_form_was_in_english(
    client, chapter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("chapters:interest", "jo"), valid())
    acknowledgement = next(m for m in mail.outbox if m.to == ["layla@example.org"])
    assert (
        acknowledgement.subject == "We received your interest in the chapter in Jordan"
    )
    assert Representative.objects.get(email="layla@example.org").language == "en"
    assert Prospect.objects.get().organisation.name_en == "جمعية النور Al-Nour"


def test_chapter_without_organisers_notifies_its_public_address(
    client, django_capture_on_commit_callbacks
):
    ChapterFactory(country="JO", contact_email="chapter@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid())
    assert {m.to[0] for m in mail.outbox} == {
        "chapter@example.org",
        "layla@example.org",
    }


def test_honeypot_submission_looks_successful_but_stores_and_sends_nothing(
    client, chapter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Prospect.objects.exists()
    assert mail.outbox == []


def test_honeypot_is_hidden_from_people(client, chapter):
    body = client.get(URL).content.decode()
    assert '<div class="d-none" aria-hidden="true">' in body
    assert 'name="homepage"' in body


def test_rate_limit_keeps_the_text_and_explains_in_arabic(client, chapter, settings):
    for index in range(public.INTEREST_LIMIT):
        assert client.post(URL, valid(email=f"p{index}@example.org")).status_code == 302
    response = client.post(URL, valid(organisation_name="المنظمة السادسة"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "المنظمة السادسة" in body  # nothing lost
    assert "محاولة" in body or "الساعة" in body
    assert Prospect.objects.count() == public.INTEREST_LIMIT


def test_rate_limit_counts_per_address(client, chapter):
    for index in range(public.INTEREST_LIMIT):
        client.post(URL, valid(email=f"p{index}@example.org"))
    other = client.post(URL, valid(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_name", ""),
        ("organisation_name", "x" * 201),
        ("contact_name", ""),
        ("email", "not-an-email"),
        ("email", ""),
        ("kind", "spaceship"),
        ("message", "m" * 3001),
        ("contact_name", "Bad\x00name"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(
    client, chapter, field, value
):
    response = client.post(URL, valid(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "is-invalid" in body
    assert "جمعية النور Al-Nour" in body or field == "organisation_name"
    assert not Prospect.objects.exists()


def test_script_tags_are_stored_as_text_and_escaped_in_e_mails(
    client, chapter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid(organisation_name="<script>alert(1)</script> منظمة"))
    assert Prospect.objects.get().organisation.name_ar.startswith("<script>")
    organiser_mail = next(m for m in mail.outbox if m.to == ["organiser@example.org"])
    html = organiser_mail.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_interest_form_for_unknown_country_is_a_404(client):
    unknown = url("chapters:interest", "zz", language="ar")
    assert client.get(unknown).status_code == 404
    assert client.post(unknown, valid()).status_code == 404


def test_thanks_page_with_an_upper_case_code_redirects_like_the_form(client, chapter):
    # Literal: the upper-case address and the lower-case one it redirects to
    # are what is tested.
    response = client.get("/en/countries/JO/interest/thanks/")
    assert response.status_code == 301
    assert response["Location"] == "/en/countries/jo/interest/thanks/"
