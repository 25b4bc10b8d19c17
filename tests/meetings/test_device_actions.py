"""The meeting day from a phone that loses the network: every action is sent
with the id the phone made for it and may be sent again, so the server
applies each id once; the pages say how long a phone may keep them; signing
out deletes what the device kept."""

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client

from meetings.models import Attendance, DeviceAction, Idea
from tests.factories import InvitationFactory, ProspectFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


def checkin_url(meeting):
    return url("meetings:checkin", "jo", meeting.pk)


def test_a_check_in_sent_three_times_is_recorded_once(organiser_client, meeting):
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    action = {
        "action": "check_in",
        "invitation": invitation.pk,
        "client_id": str(uuid.uuid4()),
    }
    for _ in range(3):
        response = organiser_client.post(checkin_url(meeting), action)
        assert response.status_code == 302
    assert Attendance.objects.filter(invitation=invitation).count() == 1
    assert DeviceAction.objects.get().kind == "check_in"


def test_an_undo_resent_after_a_new_check_in_does_not_undo_it_again(
    organiser_client, meeting
):
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    page = checkin_url(meeting)
    organiser_client.post(page, {"action": "check_in", "invitation": invitation.pk})
    # The phone's page was drawn before the check-in: the undo names the invitation.
    undo = {
        "action": "undo",
        "invitation": invitation.pk,
        "client_id": str(uuid.uuid4()),
    }
    organiser_client.post(page, undo)
    assert not Attendance.objects.exists()
    organiser_client.post(page, {"action": "check_in", "invitation": invitation.pk})
    organiser_client.post(page, undo)  # the same undo, sent again
    assert Attendance.objects.filter(invitation=invitation).count() == 1


def test_a_walk_in_and_an_idea_sent_twice_are_recorded_once(
    organiser_client, meeting, chapter
):
    ProspectFactory(chapter=chapter, organisation__name_en="Hope Association")
    walk_in = {
        "action": "walk_in",
        "name": "Huda",
        "organisation_name": "Hope Association",
        "client_id": str(uuid.uuid4()),
    }
    idea = {
        "kind": "government:champions",
        "text": "Invite the deputy minister of planning",
        "client_id": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert organiser_client.post(checkin_url(meeting), walk_in).status_code == 302
        response = organiser_client.post(url("meetings:ideas", "jo", meeting.pk), idea)
        assert response.status_code == 302
    assert Attendance.objects.filter(name="Huda").count() == 1
    assert Idea.objects.filter(meeting=meeting).count() == 1


def test_a_refused_walk_in_records_no_id_so_a_corrected_resend_is_applied(
    organiser_client, meeting
):
    client_id = str(uuid.uuid4())
    refused = {"action": "walk_in", "name": "Sami", "organisation_name": "New group"}
    response = organiser_client.post(
        checkin_url(meeting), {**refused, "client_id": client_id}
    )
    assert response.status_code == 400
    assert not DeviceAction.objects.exists()
    corrected = {**refused, "new_organisation": "on", "client_id": client_id}
    assert organiser_client.post(checkin_url(meeting), corrected).status_code == 302
    assert Attendance.objects.filter(name="Sami").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_phones_sending_the_same_walk_in_at_once_record_it_once(
    organiser, meeting, chapter
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    ProspectFactory(chapter=chapter, organisation__name_en="Hope Association")
    action = {
        "action": "walk_in",
        "name": "Huda",
        "organisation_name": "Hope Association",
        "client_id": str(uuid.uuid4()),
    }
    codes = []
    start = threading.Barrier(2)

    def send():
        client = Client()
        client.force_login(organiser)
        start.wait()
        codes.append(client.post(checkin_url(meeting), action).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302, 302]
    assert Attendance.objects.filter(name="Huda").count() == 1
    assert DeviceAction.objects.count() == 1


def test_meeting_day_pages_may_be_kept_until_the_end_of_the_day_after(
    organiser_client, meeting
):
    zone = ZoneInfo("Asia/Amman")
    meeting.starts_at = datetime(2026, 12, 10, 18, 0, tzinfo=zone)
    meeting.ends_at = datetime(2026, 12, 10, 23, 30, tzinfo=zone)
    meeting.save()
    kept_until = datetime(2026, 12, 12, 0, 0, tzinfo=zone)
    for name in ("meetings:checkin", "meetings:notes", "meetings:ideas"):
        response = organiser_client.get(url(name, "jo", meeting.pk))
        assert response["X-Offline-Until"] == str(int(kept_until.timestamp() * 1000))
    detail = organiser_client.get(url("meetings:detail", "jo", meeting.pk))
    assert "X-Offline-Until" not in detail


def test_the_worker_and_the_manifest_are_served(client):
    worker = client.get("/meeting-day-sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert "no-cache" in worker["Cache-Control"]
    assert "X-Offline-Until" in worker.content.decode()
    manifest = client.get(url("meetings:manifest", language="ar")).json()
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert manifest["start_url"] == url("chapters:my_chapters", language="ar")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_signing_out_tells_the_browser_to_delete_what_it_kept(organiser_client):
    response = organiser_client.post(url("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_another_chapters_organiser_cannot_send_actions(
    other_organiser_client, meeting
):
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    response = other_organiser_client.post(
        checkin_url(meeting),
        {
            "action": "check_in",
            "invitation": invitation.pk,
            "client_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code in (403, 404)
    assert not Attendance.objects.exists() and not DeviceAction.objects.exists()
