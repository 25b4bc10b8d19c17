"""An address that opted out is never e-mailed again, by any chapter, and
organisers see why."""

import pytest
from django.test import Client

from chapters.models import AuditEntry
from members.models import DoNotContact, OptOutLink
from members.services.do_not_contact import (
    contact_allowed,
    do_not_contact_add,
    opt_out_url,
)
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_opt_out_link_stores_only_a_digest(settings):
    settings.SITE_URL = "https://portal.example"
    url = opt_out_url("Amal@Example.org")
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = OptOutLink.objects.get()
    assert link.email == "amal@example.org"
    assert token not in link.digest and len(link.digest) == 64
    assert url.startswith("https://portal.example/")


def test_opening_the_link_only_asks_and_posting_opts_out_everywhere(client):
    url = path_of(opt_out_url("amal@example.org"))
    response = client.get(url)
    assert response.status_code == 200
    assert contact_allowed(
        "amal@example.org"
    )  # a mail scanner opening it changes nothing
    response = client.post(url, {"reason": "Too many e-mails"})
    assert response.status_code == 200
    assert not contact_allowed("amal@example.org")
    assert not contact_allowed("AMAL@example.org ")
    entry = DoNotContact.objects.get()
    assert (entry.source, entry.reason) == ("link", "Too many e-mails")
    assert AuditEntry.objects.get(action="do_not_contact.add").actor_label.startswith(
        "opt-out link"
    )


def test_one_click_unsubscribe_works_without_a_csrf_token():
    url = path_of(opt_out_url("amal@example.org"))
    response = Client(enforce_csrf_checks=True).post(
        url, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not contact_allowed("amal@example.org")


def test_opt_out_page_reads_in_arabic(client):
    url = path_of(opt_out_url("amal@example.org")).replace("/en/", "/ar/")
    html = client.get(url).content.decode()
    assert 'lang="ar"' in html and "amal@example.org" in html


def test_a_wrong_token_is_a_404_page_and_opts_nobody_out(client):
    response = client.post("/en/opt-out/not-a-real-token/")
    assert response.status_code == 404
    assert not DoNotContact.objects.exists()


def test_opting_out_twice_keeps_the_first_reason():
    do_not_contact_add(email="amal@example.org", source="link", reason="first")
    do_not_contact_add(email="amal@example.org", source="organiser", reason="second")
    assert DoNotContact.objects.get().reason == "first"
    assert AuditEntry.objects.filter(action="do_not_contact.add").count() == 1


def test_empty_address_is_never_allowed():
    assert not contact_allowed("")


def test_opt_out_recorded_in_one_chapter_holds_for_another(client):
    """The same representative's organisation is on two chapters' lists,
    each with its own contact row for them; the second chapter's organiser
    sees the opt-out and its reason."""
    from tests.factories import OrganiserFactory

    first, second = ChapterFactory(country="JO"), ChapterFactory(country="PS")
    organisation = OrganisationFactory()
    for chapter in (first, second):
        RepresentativeFactory(
            organisation=organisation, chapter=chapter, email="amal@example.org"
        )
    ProspectFactory(chapter=first, organisation=organisation)
    prospect = ProspectFactory(chapter=second, organisation=organisation)

    first_organiser = OrganiserFactory(chapter=first).user
    client.force_login(first_organiser)
    representative = organisation.representatives.get(chapter=first)
    first_prospect = first.prospects.get()
    response = client.post(
        f"/en/manage/jo/outreach/{first_prospect.pk}/representatives/"
        f"{representative.pk}/opt-out/",
        {"reason": "Asked by phone"},
    )
    assert response.status_code == 302
    assert not contact_allowed("amal@example.org")

    client.force_login(OrganiserFactory(chapter=second).user)
    html = client.get(f"/en/manage/ps/outreach/{prospect.pk}/").content.decode()
    assert "Does not want e-mails from any chapter" in html
    assert "Asked by phone" in html
    entry = DoNotContact.objects.get()
    assert entry.chapter == first and entry.created_by == first_organiser


def test_organiser_must_give_a_reason_to_record_an_opt_out(client):
    from tests.factories import OrganiserFactory

    chapter = ChapterFactory(country="JO")
    prospect = ProspectFactory(chapter=chapter)
    representative = RepresentativeFactory(organisation=prospect.organisation)
    client.force_login(OrganiserFactory(chapter=chapter).user)
    client.post(
        f"/en/manage/jo/outreach/{prospect.pk}/representatives/"
        f"{representative.pk}/opt-out/",
        {"reason": ""},
    )
    assert contact_allowed(representative.email)
