"""Contact details stay with the chapter that collected them. An organisation
on two chapters' outreach lists (an international NGO, say) has contacts
entered by each; the organisers of one chapter never see, export, invite or
e-mail the other chapter's, wherever they look."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from members.import_files import csv_bytes
from members.models import ImportJob, Membership, Representative
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

# What only chapter A's organisers may ever see of the shared organisation.
A_SECRETS = ["Amal Haddad", "amal.secret@ngo.example", "+962791111111", "962 7 9111"]
B_SECRETS = ["Basma Nour", "basma.secret@ngo.example"]


@pytest.fixture
def world(client):
    chapter_a = ChapterFactory(country="JO", time_zone="Asia/Amman")
    chapter_b = ChapterFactory(country="EG", time_zone="Africa/Cairo")
    shared = OrganisationFactory(
        name_en="International Relief", name_ar="الإغاثة الدولية", kind="ingo"
    )
    prospect_a = ProspectFactory(chapter=chapter_a, organisation=shared)
    prospect_b = ProspectFactory(chapter=chapter_b, organisation=shared)
    rep_a = RepresentativeFactory(
        organisation=shared,
        chapter=chapter_a,
        name="Amal Haddad",
        email="amal.secret@ngo.example",
        phone="+962791111111",
    )
    rep_b = RepresentativeFactory(
        organisation=shared,
        chapter=chapter_b,
        name="Basma Nour",
        email="basma.secret@ngo.example",
        language="en",
    )
    return {
        "a": chapter_a,
        "b": chapter_b,
        "shared": shared,
        "prospect_a": prospect_a,
        "prospect_b": prospect_b,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "organiser_a": OrganiserFactory(chapter=chapter_a).user,
        "organiser_b": OrganiserFactory(chapter=chapter_b).user,
    }


def as_organiser(client, world, side):
    client.force_login(world[f"organiser_{side}"])
    return client


def assert_hidden(text, secrets):
    for secret in secrets:
        assert secret not in text, secret


def assert_shown(text, secrets):
    for secret in secrets[:2]:
        assert secret in text, secret


def test_outreach_list_shows_each_chapter_only_its_own_contacts(client, world):
    html = as_organiser(client, world, "b").get(url("members:outreach", "eg"))
    html = html.content.decode()
    assert "International Relief" in html
    assert "Basma Nour" in html
    assert_hidden(html, A_SECRETS)
    html = as_organiser(client, world, "a").get(url("members:outreach", "jo"))
    html = html.content.decode()
    assert "Amal Haddad" in html
    assert_hidden(html, B_SECRETS)


def test_outreach_filters_and_no_email_badge_read_only_the_chapter_contacts(
    client, world
):
    world["rep_b"].delete()
    as_organiser(client, world, "b")
    page = client.get(url("members:outreach", "eg"), {"has_email": "no"})
    assert [p.organisation for p in page.context["prospects"]] == [world["shared"]]
    page = client.get(url("members:outreach", "eg"), {"language": "ar"})
    assert list(page.context["prospects"]) == []


def test_outreach_list_query_count_does_not_grow_with_shared_organisations(
    client, world, django_assert_max_num_queries
):
    as_organiser(client, world, "b")
    with django_assert_max_num_queries(14) as few:
        client.get(url("members:outreach", "eg", language="ar"))
    for _ in range(15):
        organisation = OrganisationFactory()
        for chapter in (world["a"], world["b"]):
            ProspectFactory(chapter=chapter, organisation=organisation)
            RepresentativeFactory(organisation=organisation, chapter=chapter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("members:outreach", "eg", language="ar"))
    assert response.context["page_obj"].paginator.count == 16


def test_prospect_page_shows_only_the_chapter_contacts(client, world):
    url_b = url("members:prospect", "eg", world["prospect_b"].pk)
    html = as_organiser(client, world, "b").get(url_b).content.decode()
    assert "basma.secret@ngo.example" in html
    assert_hidden(html, A_SECRETS)
    url_a = url("members:prospect", "jo", world["prospect_a"].pk)
    html = as_organiser(client, world, "a").get(url_a).content.decode()
    assert_shown(html, A_SECRETS)
    assert_hidden(html, B_SECRETS)


def test_organiser_cannot_edit_remove_or_opt_out_another_chapters_contact(
    client, world
):
    rep_a = world["rep_a"]
    # Chapter B's prospect, with chapter A's contact.
    ids = ("eg", world["prospect_b"].pk, rep_a.pk)
    as_organiser(client, world, "b")
    assert client.get(url("members:representative_edit", *ids)).status_code == 404
    response = client.post(
        url("members:representative_edit", *ids),
        {"name": "Changed", "email": "x@example.org", "language": "ar"},
    )
    assert response.status_code == 404
    assert client.post(url("members:representative_remove", *ids)).status_code == 404
    response = client.post(
        url("members:representative_opt_out", *ids), {"reason": "no"}
    )
    assert response.status_code == 404
    rep_a.refresh_from_db()
    assert rep_a.name == "Amal Haddad"


def test_duplicate_dialog_shows_public_fields_only(client, world):
    response = as_organiser(client, world, "b").post(
        url("members:add", "eg"),
        {"name_en": "International Relief", "kind": "ingo", "contact-language": "ar"},
    )
    html = response.content.decode()
    assert 'data-testid="duplicates"' in html
    assert "International Relief" in html
    assert_hidden(html, A_SECRETS)
    assert_hidden(html, B_SECRETS)


def test_merge_on_add_keeps_a_separate_contact_for_each_chapter(client, world):
    """The same person known to two chapters is two rows, each seen only by
    its own chapter; adding never dedupes against the other chapter."""
    as_organiser(client, world, "b").post(
        url("members:add", "eg"),
        {
            "name_en": "International Relief",
            "kind": "ingo",
            "decision": f"merge-{world['shared'].pk}",
            "contact-name": "Amal H.",
            "contact-email": "AMAL.secret@ngo.example",
            "contact-language": "en",
            "contact-is_primary": "True",
        },
    )
    rows = Representative.objects.filter(email="amal.secret@ngo.example")
    assert {(rep.chapter, rep.name) for rep in rows} == {
        (world["a"], "Amal Haddad"),
        (world["b"], "Amal H."),
    }
    world["rep_a"].refresh_from_db()
    world["rep_b"].refresh_from_db()
    assert world["rep_a"].is_primary  # A's primary contact is untouched
    assert not world["rep_b"].is_primary  # B's new primary replaced B's own
    # Adding the same address again in the same chapter merges.
    client.post(
        url("members:add", "eg"),
        {
            "name_en": "International Relief",
            "kind": "ingo",
            "decision": f"merge-{world['shared'].pk}",
            "contact-name": "Amal again",
            "contact-email": "amal.secret@ngo.example",
            "contact-language": "en",
        },
    )
    assert rows.count() == 2


def test_import_preview_and_import_never_use_another_chapters_contacts(client, world):
    as_organiser(client, world, "b")
    file = csv_bytes(
        [
            ["Name in English", "Type", "Representative", "Representative e-mail"],
            ["International Relief", "ingo", "Amal", "amal.secret@ngo.example"],
        ]
    )
    response = client.post(
        url("members:import", "eg"),
        {"file": SimpleUploadedFile("list.csv", file)},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(chapter=world["b"])
    html = client.get(url("members:import_job", "eg", job.pk)).content.decode()
    assert "Already known as" in html
    assert "Amal Haddad" not in html and "+962791111111" not in html
    assert "Basma Nour" not in html  # the preview shows the file, not the list
    client.post(url("members:import_commit", "eg", job.pk))
    mine = Representative.objects.for_chapter(world["b"]).filter(
        email="amal.secret@ngo.example"
    )
    assert mine.get().name == "Amal"
    assert Representative.objects.filter(email="amal.secret@ngo.example").count() == 2
    world["rep_a"].refresh_from_db()
    assert (world["rep_a"].name, world["rep_a"].is_primary) == ("Amal Haddad", True)


def test_invitation_picker_and_preview_offer_only_the_chapter_contacts(
    client, world, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        chapter=world["b"],
        created_by=world["organiser_b"],
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
    )
    invite = url("meetings:invite", "eg", meeting.pk)
    as_organiser(client, world, "b")
    html = client.get(invite).content.decode()
    assert f'value="{world["rep_b"].pk}"' in html
    assert f'value="{world["rep_a"].pk}"' not in html
    assert_hidden(html, A_SECRETS)
    # Another chapter's contact cannot be smuggled in by its id.
    response = client.post(invite, {"representatives": [str(world["rep_a"].pk)]})
    assert_hidden(response.content.decode(), A_SECRETS)
    preview = client.post(invite, {"everyone": "on"}).content.decode()
    assert "basma.secret@ngo.example" in preview
    assert_hidden(preview, A_SECRETS)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite, {"step": "send", "everyone": "on"})
    assert [message.to for message in mail.outbox] == [["basma.secret@ngo.example"]]
    assert list(meeting.invitations.values_list("email", flat=True)) == [
        "basma.secret@ngo.example"
    ]


def test_membership_request_and_reminder_go_only_to_the_chapter_contacts(
    client, world, django_capture_on_commit_callbacks
):
    as_organiser(client, world, "b")
    page = client.get(url("members:memberships", "eg")).content.decode()
    assert_hidden(page, A_SECRETS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("members:memberships", "eg"),
            {"organisations": [world["shared"].pk], "remind_after_days": 7},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["basma.secret@ngo.example"]]
    assert_hidden(mail.outbox[0].body, A_SECRETS)

    mail.outbox.clear()
    membership = Membership.objects.get(chapter=world["b"])
    Membership.objects.filter(pk=membership.pk).update(
        state=Membership.State.CONSULTING,
        remind_at=timezone.now() - timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_membership_reminders", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [["basma.secret@ngo.example"]]


def test_a_chapter_without_its_own_contact_finds_the_organisation_unreachable(
    client, world, django_capture_on_commit_callbacks
):
    world["rep_b"].delete()
    as_organiser(client, world, "b")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("members:memberships", "eg"),
            {"organisations": [world["shared"].pk], "remind_after_days": 7},
        )
    assert mail.outbox == []


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def xlsx_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else None
    workbook = load_workbook(io.BytesIO(content or response.content))
    return "\n".join(
        str(cell)
        for row in workbook.active.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_exports_hold_only_the_chapter_contacts(client, world):
    as_organiser(client, world, "b")
    text = csv_text(client.get(url("chapters:export", "eg", "outreach", "csv")))
    assert "International Relief" in text and "basma.secret@ngo.example" in text
    assert_hidden(text, A_SECRETS)
    text = xlsx_text(client.get(url("chapters:export", "eg", "outreach", "xlsx")))
    assert "basma.secret@ngo.example" in text
    assert_hidden(text, A_SECRETS)
    response = client.get(url("members:outreach_export", "eg"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    contact = dict(zip(rows[0], rows[1], strict=True))
    assert contact["Representative"] == "Basma Nour"
    assert contact["Representative e-mail"] == "basma.secret@ngo.example"

    as_organiser(client, world, "a")
    text = csv_text(client.get(url("chapters:export", "jo", "outreach", "csv")))
    assert_shown(text, A_SECRETS)
    assert_hidden(text, B_SECRETS)
    response = client.get(url("members:outreach_export", "jo"))
    text = response.content.decode("utf-8-sig")
    assert "amal.secret@ngo.example" in text
    assert_hidden(text, B_SECRETS)
