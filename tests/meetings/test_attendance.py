"""Check-in on the day: accepted invitations and walk-ins; attendance moves
the organisation's outreach stage to "attended"."""

import pytest

from chapters.models import AuditEntry
from meetings.models import Attendance
from members.models import Prospect
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    OrganiserFactory,
    ProspectFactory,
)

pytestmark = pytest.mark.django_db


def test_checking_in_an_accepted_invitee_moves_the_prospect_to_attended(
    organiser_client, meeting, chapter
):
    prospect = ProspectFactory(chapter=chapter, stage="invited")
    invitation = InvitationFactory(
        meeting=meeting, organisation=prospect.organisation, status="accepted"
    )
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    assert invitation.name in organiser_client.get(url).content.decode()
    organiser_client.post(url, {"action": "check_in", "invitation": invitation.pk})
    organiser_client.post(url, {"action": "check_in", "invitation": invitation.pk})
    assert Attendance.objects.filter(invitation=invitation).count() == 1
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.ATTENDED
    entry = AuditEntry.objects.get(action="prospect.update")
    assert entry.before == {"stage": "invited"} and entry.after == {"stage": "attended"}


def test_a_check_in_or_undo_naming_no_number_is_not_found(organiser_client, meeting):
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    for action, field in (("check_in", "invitation"), ("undo", "attendance")):
        for value in ("abc", "", "1.5"):
            response = organiser_client.post(url, {"action": action, field: value})
            assert response.status_code == 404


def test_a_walk_in_is_added_with_a_name_and_an_organisation(
    organiser_client, meeting, chapter
):
    prospect = ProspectFactory(chapter=chapter)
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    organiser_client.post(
        url,
        {
            "action": "walk_in",
            "name": "Huda",
            "organisation_name": prospect.organisation.name_ar,
        },
    )
    walk_in = Attendance.objects.get()
    assert walk_in.invitation is None and walk_in.organisation == prospect.organisation
    prospect.refresh_from_db()
    assert prospect.stage == "attended"
    organiser_client.post(
        url, {"action": "walk_in", "name": "Sami", "organisation_name": "New group"}
    )
    assert Attendance.objects.get(name="Sami").organisation is None
    assert "Huda" in organiser_client.get(url).content.decode()


def test_a_walk_in_needs_a_name_and_an_organisation(organiser_client, meeting):
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/", {"action": "walk_in"}
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_a_member_organisation_is_not_moved_back_to_attended(
    organiser_client, meeting, chapter
):
    prospect = ProspectFactory(chapter=chapter, stage="member")
    invitation = InvitationFactory(
        meeting=meeting, organisation=prospect.organisation, status="accepted"
    )
    organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/",
        {"action": "check_in", "invitation": invitation.pk},
    )
    prospect.refresh_from_db()
    assert prospect.stage == "member"


def test_only_accepted_invitations_can_be_checked_in(organiser_client, meeting):
    invitation = InvitationFactory(meeting=meeting, status="declined")
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/",
        {"action": "check_in", "invitation": invitation.pk},
    )
    assert response.status_code == 404


def test_check_in_of_another_chapter_is_404(client, meeting):
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    response = client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/",
        {"action": "check_in", "invitation": invitation.pk},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_check_in_list_keeps_a_constant_number_of_queries(
    organiser_client, meeting, django_assert_max_num_queries
):
    InvitationFactory.create_batch(200, meeting=meeting, status="accepted")
    with django_assert_max_num_queries(15):
        organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/checkin/")
