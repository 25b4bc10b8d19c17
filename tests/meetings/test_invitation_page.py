"""The invitee's page behind a personal link: no account, a clear page that
leaks nothing for a bad, expired or closed link, and answers that can be
changed until the meeting starts."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from chapters.models import AuditEntry
from meetings.models import InvitationLink, MaterialOpening
from meetings.services.invitations import invitation_link_new, invitation_revoke_links
from meetings.services.materials import material_add
from meetings.services.meetings import meeting_cancel
from tests.factories import ChapterFactory, InvitationFactory, MeetingFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(meeting):
    return InvitationFactory(meeting=meeting, status="sent", language="en")


@pytest.fixture
def token(invitation):
    return invitation_link_new(invitation=invitation, channel="email")


def test_only_the_digest_of_a_personal_link_is_stored(invitation, token):
    link = InvitationLink.objects.get()
    assert token not in link.digest
    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert not InvitationLink.objects.filter(digest=token).exists()


def test_opening_the_link_shows_the_meeting_and_marks_it_opened(
    client, invitation, token
):
    invitation.meeting.agenda_items.create(order=1, title_en="Welcome")
    page = client.get(f"/en/invitation/{token}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert str(invitation.meeting.title_en) in body
    assert "Welcome" in body
    assert "Amman time (\u2066UTC+3\u2069)" in body and "Asia/Amman" not in body
    invitation.refresh_from_db()
    assert invitation.status == "opened" and invitation.opened_at


def test_accepting_records_who_attends_and_needs_and_can_be_changed(
    client, invitation, token
):
    client.post(
        f"/en/invitation/{token}/",
        {
            "answer": "accept",
            "attendees": "Salma and Omar",
            "needs": "Wheelchair access",
            "note": "We may be late",
        },
    )
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.attendees == "Salma and Omar"
    assert invitation.needs == "Wheelchair access"
    client.post(f"/en/invitation/{token}/", {"answer": "decline", "note": "Sorry"})
    invitation.refresh_from_db()
    assert invitation.status == "declined" and invitation.note == "Sorry"
    entry = AuditEntry.objects.filter(action="invitation.answer").first()
    assert entry.actor is None
    assert invitation.email in entry.actor_label


def test_answers_cannot_change_once_the_meeting_has_started(client, invitation, token):
    with time_machine.travel(invitation.meeting.starts_at + timedelta(minutes=5)):
        page = client.get(f"/en/invitation/{token}/")
        assert "Answers can no longer be changed." in page.content.decode()
        client.post(f"/en/invitation/{token}/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "opened"


def test_an_answer_needs_a_choice(client, invitation, token):
    response = client.post(f"/en/invitation/{token}/", {"answer": "maybe"})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status != "accepted"


def _invalid_page(client, url):
    """The main content of the page (the header links differ by URL only)."""
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_unknown_expired_and_revoked_links_show_the_same_page(
    client, organiser, invitation, token
):
    unknown = _invalid_page(client, "/en/invitation/not-a-real-token/")
    assert "This link does not work" in unknown
    # Links keep working after the meeting (ideas, minutes) for
    # MEETINGS_LINK_DAYS_AFTER days, then stop.
    with time_machine.travel(invitation.meeting.ends_at + timedelta(days=91)):
        expired = _invalid_page(client, f"/en/invitation/{token}/")
    invitation_revoke_links(actor=organiser, invitation=invitation)
    revoked = _invalid_page(client, f"/en/invitation/{token}/")
    assert unknown == expired == revoked
    assert str(invitation.meeting.title_en) not in revoked


def test_a_link_serves_only_its_own_invitation(client, invitation, token):
    other = InvitationFactory(
        meeting=MeetingFactory(chapter=ChapterFactory(country="EG")), status="sent"
    )
    page = client.get(f"/en/invitation/{token}/").content.decode()
    assert other.name not in page and str(other.meeting.title_en) not in page


def test_guessing_is_slowed_per_address_but_the_real_invitee_gets_in(client, token):
    for _ in range(30):
        client.get("/en/invitation/guess/")
    assert client.get("/en/invitation/guess/").status_code == 429
    assert client.get(f"/en/invitation/{token}/").status_code == 200


def test_invitee_downloads_a_material_and_the_organiser_sees_who_opened_it(
    client, organiser_client, organiser, invitation, token
):
    material = material_add(
        actor=organiser,
        chapter=invitation.meeting.chapter,
        meeting=invitation.meeting,
        title="Movement brief",
        languages=["ar", "en"],
        upload=SimpleUploadedFile("brief.pdf", PDF_BYTES),
    )
    page = client.get(f"/en/invitation/{token}/").content.decode()
    url = f"/en/invitation/{token}/materials/{material.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.get(url)
    opening = MaterialOpening.objects.get()
    assert opening.count == 2
    detail = organiser_client.get(
        f"/en/manage/jo/meetings/{invitation.meeting.pk}/"
    ).content.decode()
    assert "Opened by 1 invitee" in detail and invitation.name in detail


def test_materials_need_a_valid_link(client, organiser, invitation, token):
    material = material_add(
        actor=organiser,
        chapter=invitation.meeting.chapter,
        meeting=invitation.meeting,
        title="Brief",
        languages=["en"],
        upload=SimpleUploadedFile("brief.pdf", PDF_BYTES),
    )
    assert client.get(f"/en/invitation/bad/materials/{material.pk}/").status_code == 404
    invitation_revoke_links(actor=organiser, invitation=invitation)
    url = f"/en/invitation/{token}/materials/{material.pk}/"
    assert client.get(url).status_code == 404
    assert not MaterialOpening.objects.exists()


def test_a_link_does_not_open_another_meetings_material(client, organiser, token):
    other = MeetingFactory(chapter=ChapterFactory(country="EG"))
    material = material_add(
        actor=organiser,
        chapter=other.chapter,
        meeting=other,
        title="Other chapter's brief",
        languages=["en"],
        url="https://example.org/brief",
    )
    response = client.get(f"/en/invitation/{token}/materials/{material.pk}/")
    assert response.status_code == 404


def test_a_cancelled_meeting_page_says_so_and_takes_no_answer(
    client, organiser, invitation, token
):
    meeting_cancel(actor=organiser, meeting=invitation.meeting)
    page = client.get(f"/en/invitation/{token}/").content.decode()
    assert "This meeting was cancelled." in page
    client.post(f"/en/invitation/{token}/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status != "accepted"
