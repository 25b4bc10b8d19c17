"""E-mailing the published minutes: recorded in the publishing transaction,
sent by the worker only after it commits, once per attendee, in their
language; a refused e-mail is handed back for the next publish."""

import pytest
from django.core import mail
from django.db import transaction

from meetings.models import Invitation, InvitationLink, Minutes
from meetings.services.attendance import attendance_check_in
from meetings.services.minutes import minutes_publish
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendees(organiser, held_meeting):
    arabic = InvitationFactory(
        meeting=held_meeting, status="accepted", name="سلمى حداد", language="ar"
    )
    english = InvitationFactory(
        meeting=held_meeting, status="accepted", name="Omar Said", language="en"
    )
    attendance_check_in(actor=organiser, invitation=arabic)
    attendance_check_in(actor=organiser, invitation=english)
    InvitationFactory(meeting=held_meeting, status="declined")
    # Accepted and did not come: not e-mailed unless the organiser adds them.
    InvitationFactory(meeting=held_meeting, status="accepted")
    return {"ar": arabic, "en": english}


def _minutes_links():
    return InvitationLink.objects.filter(channel=InvitationLink.Channel.EMAIL)


class Abandoned(Exception):
    """Whatever makes the request fail after publishing."""


def test_nothing_is_sent_when_the_publishing_transaction_rolls_back(
    organiser, held_meeting, attendees, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        _minutes, queued = minutes_publish(actor=organiser, meeting=held_meeting)
        assert queued == 2
        # Recorded here, in the transaction, and nothing sent yet.
        assert Invitation.objects.filter(minutes_sent_at__isnull=False).count() == 2
        assert mail.outbox == []
        raise Abandoned
    assert callbacks == []
    assert mail.outbox == []
    assert not Minutes.objects.filter(published_at__isnull=False).exists()
    assert not Invitation.objects.filter(minutes_sent_at__isnull=False).exists()
    assert not _minutes_links().exists()


def test_each_attendee_gets_one_email_in_their_language_after_commit(
    organiser_client, held_meeting, attendees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/", {"action": "publish"}
        )
    assert response.status_code == 302
    by_address = {}
    for message in mail.outbox:
        by_address.setdefault(message.to[0], []).append(message)
    assert {a: len(m) for a, m in by_address.items()} == {
        attendees["ar"].email: 1,
        attendees["en"].email: 1,
    }
    arabic = by_address[attendees["ar"].email][0]
    english = by_address[attendees["en"].email][0]
    assert "محضر" in arabic.subject and "/ar/invitation/" in arabic.body
    assert english.subject.startswith("Minutes:") and "/en/invitation/" in english.body
    html = dict((mimetype, content) for content, mimetype in arabic.alternatives)
    assert 'lang="ar"' in html["text/html"] and 'dir="rtl"' in html["text/html"]
    assert arabic.extra_headers["List-Unsubscribe"].startswith("<http")
    assert _minutes_links().count() == 2


def test_the_link_in_the_email_opens_the_minutes(
    client, organiser, held_meeting, attendees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    english = next(m for m in mail.outbox if m.to == [attendees["en"].email])
    path = next(
        word for word in english.body.split() if "/en/invitation/" in word
    ).split("127.0.0.1:8000", 1)[-1]
    assert client.get(path).status_code == 200


def test_publishing_again_or_retrying_sends_nothing_more(
    organiser,
    organiser_client,
    held_meeting,
    attendees,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        _minutes, queued = minutes_publish(actor=organiser, meeting=held_meeting)
        organiser_client.post(
            f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/", {"action": "publish"}
        )
    assert queued == 0
    assert len(mail.outbox) == 2
    assert _minutes_links().count() == 2


def test_a_refused_email_is_handed_back_and_the_next_publish_reaches_it(
    settings, organiser, held_meeting, attendees, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.RefusingBackend"}
    }
    refused = InvitationFactory(
        meeting=held_meeting, status="accepted", email="gone@refused.example"
    )
    attendance_check_in(actor=organiser, invitation=refused)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [attendees["ar"].email, attendees["en"].email]
    )
    refused.refresh_from_db()
    assert refused.minutes_sent_at is None
    assert not _minutes_links().filter(invitation=refused).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _minutes, queued = minutes_publish(actor=organiser, meeting=held_meeting)
    assert queued == 1  # only the one whose e-mail failed
    assert len(mail.outbox) == 2


def test_the_minutes_page_counts_recipients_in_words(
    organiser, organiser_client, held_meeting, django_capture_on_commit_callbacks
):
    came = InvitationFactory(meeting=held_meeting, status="accepted", language="en")
    attendance_check_in(actor=organiser, invitation=came)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    url = f"/{{}}/manage/jo/meetings/{held_meeting.pk}/minutes/"
    english = organiser_client.get(url.format("en")).content.decode()
    assert "E-mailed to 1 of 1 attendee." in english
    arabic = organiser_client.get(url.format("ar")).content.decode()
    assert "من أصل حاضر واحد" in arabic


def test_an_accepted_invitee_who_did_not_come_gets_the_minutes_only_when_added(
    organiser_client, held_meeting, attendees, django_capture_on_commit_callbacks
):
    no_show = Invitation.objects.get(
        meeting=held_meeting, status="accepted", attendance__isnull=True
    )
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/"
    page = organiser_client.get(url).content.decode()
    assert 'data-testid="minutes-no-shows"' in page
    assert f'name="also" value="{no_show.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url, {"action": "publish"})
    assert no_show.email not in [m.to[0] for m in mail.outbox]
    declined = Invitation.objects.get(meeting=held_meeting, status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        # A declined invitation or a number that is no invitation adds nobody.
        organiser_client.post(
            url, {"action": "publish", "also": [no_show.pk, declined.pk, "x"]}
        )
        organiser_client.post(url, {"action": "publish", "also": [no_show.pk]})
    sent = [m.to[0] for m in mail.outbox]
    assert sent.count(no_show.email) == 1 and declined.email not in sent
    assert len(sent) == 3
