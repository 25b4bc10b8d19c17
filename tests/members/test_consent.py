"""What a consent record holds: who, when, through which link, and the
statement's version and text in the language it was read in."""

import datetime

import pytest
from django.utils import timezone

from chapters.tokens import token_digest
from members.models import ConfirmationLink, ConsentStatement, MembershipEvent
from members.services import membership
from members.services.consent import SHIPPED_VERSION, consent_statement_current
from tests.members.membership_helpers import (
    ask,
    links_for,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(chapter, organiser, sent):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    return organisation, representative


def confirm(client, representative, organisation, *, language="ar", **extra):
    path = links_for(representative.email)["respond"][0]
    path = path.replace("/ar/", f"/{language}/", 1)
    data = {
        "action": "confirm",
        "consent": "on",
        "role": "Programme manager",
        "consent_version": consent_statement_current().version,
        "name_ar": organisation.name_ar,
        "name_en": organisation.name_en,
        "kind": organisation.kind,
        **extra,
    }
    return client.post(path, data, REMOTE_ADDR="203.0.113.9")


def test_the_first_statement_exists_in_every_language():
    statement = consent_statement_current()
    assert statement.version == SHIPPED_VERSION
    assert "أؤكد" in statement.text_ar and "I confirm" in statement.text_en
    assert "Je confirme" in statement.text_fr


def test_a_database_with_the_older_wording_moves_to_the_shipped_one_once():
    """2026-1's Arabic assumed a man signs; a database that has only it gets
    the shipped version, and the older one stays for the records citing it."""
    old = ConsentStatement.objects.create(
        version="2026-1",
        text_ar="أؤكد أنني مخوَّل بالتحدث باسم هذه المنظمة",
        text_en="I confirm that I may speak for this organisation",
        published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    statement = consent_statement_current()
    assert statement.version == SHIPPED_VERSION
    assert "مخوَّل" not in statement.text_ar
    assert consent_statement_current().pk == statement.pk
    assert ConsentStatement.objects.filter(pk=old.pk).exists()


def test_a_wording_staff_publish_later_is_the_current_one():
    consent_statement_current()
    newer = ConsentStatement.objects.create(
        version="2027-1",
        text_en="A newer wording",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert consent_statement_current().pk == newer.pk


def test_consent_record_holds_who_when_how_and_what_was_read(client, asked, chapter):
    organisation, representative = asked
    before = timezone.now()
    assert confirm(client, representative, organisation).status_code == 302
    record = membership_of(chapter, organisation).events.get(action="confirm")
    statement = consent_statement_current()
    assert record.applied and record.via == MembershipEvent.Via.LINK
    assert record.representative == representative
    assert record.representative_email == representative.email
    assert record.representative_name == representative.name
    assert record.role == "Programme manager"
    assert record.consent == statement
    assert record.consent_version == statement.version
    assert record.consent_language == "ar"
    assert record.consent_text == statement.text_ar
    assert (
        record.link.purpose == "respond" and record.link.email == representative.email
    )
    assert record.created_at >= before
    assert record.ip_hash and "203.0.113.9" not in record.ip_hash
    assert record.actor is None


def test_consent_read_in_english_is_recorded_in_english(client, asked, chapter):
    organisation, representative = asked
    confirm(client, representative, organisation, language="en")
    record = membership_of(chapter, organisation).events.get(action="confirm")
    assert record.consent_language == "en"
    assert record.consent_text == consent_statement_current().text_en


def test_the_version_read_is_the_version_recorded_even_after_a_new_one(
    client, asked, chapter
):
    organisation, representative = asked
    read = consent_statement_current().version
    ConsentStatement.objects.create(
        version="2027-1",
        text_ar="نص جديد",
        text_en="New wording",
        published_at=timezone.now(),
    )
    assert consent_statement_current().version == "2027-1"
    confirm(client, representative, organisation, consent_version=read)
    record = membership_of(chapter, organisation).events.get(action="confirm")
    assert record.consent_version == read
    assert record.consent_text != "نص جديد"


def test_the_page_shows_the_newest_version(client, asked):
    _organisation, representative = asked
    ConsentStatement.objects.create(
        version="2027-1",
        text_ar="نص جديد للموافقة",
        text_en="New wording",
        published_at=timezone.now(),
    )
    html = client.get(links_for(representative.email)["respond"][0]).content.decode()
    assert "نص جديد للموافقة" in html and 'data-version="2027-1"' in html


def test_an_unknown_version_is_refused_without_change(client, asked, chapter):
    organisation, representative = asked
    response = confirm(client, representative, organisation, consent_version="1999-9")
    assert response.status_code == 400
    assert membership_of(chapter, organisation).state == "requested"


def test_links_store_only_the_digest_of_their_token(asked):
    _organisation, representative = asked
    _path, _pk, token = links_for(representative.email)["respond"]
    link = ConfirmationLink.objects.get(digest=token_digest(token))
    values = [
        str(value) for value in ConfirmationLink.objects.values_list().get(pk=link.pk)
    ]
    assert token not in values


def test_withdrawal_from_the_account_is_recorded_as_the_account(
    client, asked, chapter, sent
):
    from tests.factories import UserFactory

    organisation, representative = asked
    confirm(client, representative, organisation)
    user = UserFactory(email=representative.email)
    representative.user = user
    representative.save()
    with sent():
        membership.membership_withdraw(
            membership=membership_of(chapter, organisation), actor=user
        )
    record = membership_of(chapter, organisation).events.get(action="withdraw")
    assert (record.via, record.actor, record.representative) == (
        "account",
        user,
        representative,
    )
