"""Check-in on the day: every invitee whatever their answer, and walk-ins,
who are always linked to an organisation of the outreach list; attendance
moves the organisation's outreach stage to "attended"."""

import pytest
from django.core import mail

from chapters.models import AuditEntry
from meetings import selectors
from meetings.models import Attendance, Invitation
from meetings.services.attendance import (
    attendance_add_walk_in,
    attendance_check_in,
    attendance_remove,
)
from meetings.services.errors import MeetingError
from meetings.services.invitations import invitation_answer
from members.models import Organisation, Prospect, Representative
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    OrganiserFactory,
    ProspectFactory,
)
from tests.urls import url

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


def test_a_walk_in_is_linked_to_the_outreach_organisation_they_name(
    organiser_client, meeting, chapter
):
    prospect = ProspectFactory(
        chapter=chapter, organisation__name_ar="جمعية الأمل للتنمية"
    )
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    # Typed without the hamza and with a final ه: the same organisation.
    organiser_client.post(
        url,
        {
            "action": "walk_in",
            "name": "Huda",
            "organisation_name": "جمعيه الامل للتنميه",
        },
    )
    walk_in = Attendance.objects.get()
    assert walk_in.invitation is None and walk_in.organisation == prospect.organisation
    prospect.refresh_from_db()
    assert prospect.stage == "attended"
    assert Organisation.objects.count() == 1
    assert "Huda" in organiser_client.get(url).content.decode()


def test_a_walk_in_from_an_organisation_not_on_the_list_needs_the_box_ticked(
    organiser_client, meeting, chapter
):
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    data = {"action": "walk_in", "name": "Sami", "organisation_name": "New group"}
    response = organiser_client.post(url, data)
    assert response.status_code == 400
    assert "not on the outreach list" in response.content.decode()
    assert not Attendance.objects.exists() and not Organisation.objects.exists()


def test_a_walk_in_from_a_new_organisation_adds_it_to_the_outreach_list(
    organiser, organiser_client, meeting, chapter
):
    url = f"/ar/manage/jo/meetings/{meeting.pk}/checkin/"
    organiser_client.post(
        url,
        {
            "action": "walk_in",
            "name": "سامي ناصر",
            "organisation_name": "ملتقى شباب الكرك",
            "new_organisation": "on",
            "kind": "network",
            "email": "Sami@Karak.example",
        },
    )
    walk_in = Attendance.objects.get()
    organisation = walk_in.organisation
    assert organisation.name_ar == "ملتقى شباب الكرك" and organisation.kind == "network"
    prospect = Prospect.objects.get(chapter=chapter, organisation=organisation)
    assert prospect.stage == "attended"
    representative = Representative.objects.get(organisation=organisation)
    assert representative.name == "سامي ناصر"
    assert representative.email == "sami@karak.example"
    assert representative.language == "ar" and representative.chapter == chapter
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "organisation.create",
        "representative.create",
        "prospect.create",
        "attendance.walk_in",
    } <= actions


def test_a_walk_in_from_an_organisation_known_elsewhere_does_not_duplicate_it(
    organiser, meeting, chapter
):
    elsewhere = ProspectFactory(
        chapter=ChapterFactory(country="EG"), organisation__name_en="Karak Youth"
    ).organisation
    attendance_add_walk_in(
        actor=organiser, meeting=meeting, name="Sami", organisation_name="karak youth"
    )
    assert Attendance.objects.get().organisation == elsewhere
    assert Prospect.objects.filter(chapter=chapter, organisation=elsewhere).exists()
    assert Organisation.objects.count() == 1


def test_a_walk_in_needs_a_name_and_an_organisation(organiser_client, meeting):
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/", {"action": "walk_in"}
    )
    assert response.status_code == 400
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


@pytest.mark.parametrize("status", ["sent", "opened", "no_reply", "declined"])
def test_an_invitee_who_did_not_accept_is_checked_in_and_keeps_their_answer(
    organiser_client, meeting, chapter, status
):
    prospect = ProspectFactory(chapter=chapter, stage="invited")
    invitation = InvitationFactory(
        meeting=meeting, organisation=prospect.organisation, status=status
    )
    organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/",
        {"action": "check_in", "invitation": invitation.pk},
    )
    assert Attendance.objects.get().invitation == invitation
    invitation.refresh_from_db()
    assert invitation.status == status
    prospect.refresh_from_db()
    assert prospect.stage == "attended"
    assert AuditEntry.objects.filter(action="attendance.check_in").exists()


def test_another_meetings_invitation_cannot_be_checked_in(
    organiser_client, meeting, chapter
):
    other = InvitationFactory(meeting__chapter=chapter, status="accepted")
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/",
        {"action": "check_in", "invitation": other.pk},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_list_shows_accepted_then_unanswered_then_declined(
    organiser_client, meeting
):
    InvitationFactory(meeting=meeting, status="declined", name="Dana Declined")
    InvitationFactory(meeting=meeting, status="sent", name="Sara Silent")
    InvitationFactory(meeting=meeting, status="accepted", name="Amal Accepted")
    page = organiser_client.get(
        f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    ).content.decode()
    positions = [page.index(n) for n in ("Amal", "Sara", "Dana")]
    assert positions == sorted(positions)
    assert 'data-testid="checkin-unanswered"' in page


def test_the_search_folds_arabic_letter_forms_and_diacritics(organiser_client, meeting):
    InvitationFactory(meeting=meeting, name="أسامة", organisation_name="جمعيّة الإخاء")
    InvitationFactory(meeting=meeting, name="Omar", organisation_name="Bridges")
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    for query in ("اسامه", "جمعيه الاخاء", "ـأسـامـة"):
        page = organiser_client.get(url, {"q": query}).content.decode()
        assert "أسامة" in page and "Omar" not in page, query
    page = organiser_client.get(url, {"q": "BRIDGES"}).content.decode()
    assert "Omar" in page and "أسامة" not in page
    page = organiser_client.get(url, {"q": "nobody"}).content.decode()
    assert "No invitee matches this search." in page


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
    InvitationFactory.create_batch(100, meeting=meeting, status="accepted")
    InvitationFactory.create_batch(100, meeting=meeting, status="sent")
    with django_assert_max_num_queries(15):
        organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/checkin/")


def test_a_walk_in_who_leaves_an_address_is_recorded_but_never_invited(
    organiser_client, meeting, chapter, django_capture_on_commit_callbacks
):
    prospect = ProspectFactory(chapter=chapter, organisation__name_en="Irbid Network")
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            url,
            {
                "action": "walk_in",
                "name": "Huda",
                "organisation_name": "Irbid Network",
                "email": " Huda@Irbid.example ",
                "language": "en",
            },
        )
    attendance = Attendance.objects.get()
    invitation = attendance.invitation
    assert invitation.status == Invitation.Status.WALK_IN
    assert invitation.email == "huda@irbid.example" and invitation.language == "en"
    assert invitation.organisation == prospect.organisation
    assert mail.outbox == []  # nothing but the minutes will ever go there
    page = organiser_client.get(url).content.decode()
    walk_ins = page[page.index("Walk-ins") :]
    assert "Huda" in walk_ins and "The minutes will reach them by e-mail." in walk_ins
    # Not an invitation in the figures: the organisation was not invited.
    assert selectors.organisations_invited(meeting=meeting) == 0
    with pytest.raises(MeetingError):
        invitation_answer(invitation=invitation, accept=True)
    # Undoing the check-in removes the record made for it.
    organiser_client.post(url, {"action": "undo", "attendance": attendance.pk})
    assert not Attendance.objects.exists() and not Invitation.objects.exists()


def test_a_walk_in_with_an_invitees_address_is_that_invitee_checked_in(
    organiser, meeting
):
    invited = InvitationFactory(
        meeting=meeting, status="sent", email="rana@zarqa.example"
    )
    attendance = attendance_add_walk_in(
        actor=organiser,
        meeting=meeting,
        name="Rana",
        organisation_name="Anything typed",
        email="RANA@zarqa.example",
    )
    assert attendance.invitation == invited
    assert Invitation.objects.count() == 1 and Attendance.objects.count() == 1
    invited.refresh_from_db()
    assert invited.status == "sent"  # the invitation keeps its (lack of) answer


def test_undoing_the_only_check_in_takes_the_outreach_stage_back(
    organiser_client, meeting, chapter
):
    """The membership board proposes the organisations at stage "attended":
    one checked in by mistake and undone must not stay proposed."""
    prospect = ProspectFactory(chapter=chapter, stage="responded")
    invitation = InvitationFactory(
        meeting=meeting, organisation=prospect.organisation, status="accepted"
    )
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    organiser_client.post(url, {"action": "check_in", "invitation": invitation.pk})
    prospect.refresh_from_db()
    assert prospect.stage == "attended"
    attendance = Attendance.objects.get()
    organiser_client.post(url, {"action": "undo", "attendance": attendance.pk})
    prospect.refresh_from_db()
    assert prospect.stage == "responded"
    board = organiser_client.get("/en/manage/jo/membership/").context
    assert not [p for p in board["candidates"] if p.selected]


def test_undoing_one_of_two_check_ins_keeps_the_organisation_attended(
    organiser, meeting, chapter
):
    prospect = ProspectFactory(chapter=chapter, stage="invited")
    first, second = (
        InvitationFactory(meeting=meeting, organisation=prospect.organisation)
        for _ in range(2)
    )
    attendance_check_in(actor=organiser, invitation=first)
    kept = attendance_check_in(actor=organiser, invitation=second)
    attendance_remove(actor=organiser, attendance=kept)
    prospect.refresh_from_db()
    assert prospect.stage == "attended"


def test_the_check_in_message_sets_the_typed_name_apart_from_the_sentence(
    organiser_client, meeting, chapter
):
    """An English name ending in a full stop inside the Arabic message
    cannot pull the sentence's words around it."""
    invitation = InvitationFactory(
        meeting=meeting, name="Olive Valley Network.", status="accepted"
    )
    response = organiser_client.post(
        url("meetings:checkin", "jo", meeting.pk, language="ar"),
        {"action": "check_in", "invitation": invitation.pk},
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert "\u2068Olive Valley Network.\u2069" in message
