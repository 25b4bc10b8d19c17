"""The meeting's invitations and the invite page's candidates are filtered
and shown a page at a time: the page stays the same size, and takes the same
number of queries, however many organisations the chapter has."""

import pytest
from django.core import mail

from meetings.models import Invitation, Material, MaterialOpening
from members.models import Organisation, Prospect
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


def listed(chapter, count: int, **organisation) -> list:
    """`count` organisations on the chapter's outreach list, with one
    representative each; returns the representatives."""
    reps = []
    for _number in range(count):
        prospect = ProspectFactory(
            chapter=chapter, organisation=OrganisationFactory(**organisation)
        )
        reps.append(RepresentativeFactory(organisation=prospect.organisation))
    return reps


def rows(response, marker: str) -> int:
    return response.content.decode().count(marker)


# The meeting's page ----------------------------------------------------------


def test_the_meeting_page_shows_one_page_of_invitations_and_counts_them_all(
    organiser_client, meeting
):
    InvitationFactory.create_batch(30, meeting=meeting, status="sent")
    InvitationFactory.create_batch(3, meeting=meeting, status="accepted")
    response = organiser_client.get(url("meetings:detail", "jo", meeting.pk))
    assert rows(response, '<tr id="invitation-') == 25
    assert "33 invitations" in response.content.decode()
    assert response.context["counts"]["sent"] == 30
    assert response.context["counts"]["accepted"] == 3
    second = organiser_client.get(url("meetings:detail", "jo", meeting.pk) + "?page=2")
    assert rows(second, '<tr id="invitation-') == 8


def test_the_meeting_page_filters_invitations_by_status_and_name(
    organiser_client, meeting
):
    InvitationFactory.create_batch(4, meeting=meeting, status="sent")
    InvitationFactory(meeting=meeting, status="declined", name="Salma Haddad")
    InvitationFactory(
        meeting=meeting, status="accepted", organisation_name="جمعية الأمل"
    )
    detail = url("meetings:detail", "jo", meeting.pk)
    declined = organiser_client.get(detail + "?status=declined")
    assert rows(declined, '<tr id="invitation-') == 1
    assert "Salma Haddad" in declined.content.decode()
    by_name = organiser_client.get(detail + "?q=salma")
    assert rows(by_name, '<tr id="invitation-') == 1
    # Arabic letter variants are folded: "الامل" finds "الأمل".
    hope = InvitationFactory(
        meeting=meeting,
        status="sent",
        organisation=OrganisationFactory(name_ar="جمعية الأمل للتنمية"),
    )
    folded = organiser_client.get(detail + "?q=الامل")
    assert f'<tr id="invitation-{hope.pk}"' in folded.content.decode()
    nothing = organiser_client.get(detail + "?q=nobody-at-all")
    assert "No invitation matches these filters." in nothing.content.decode()


def test_the_meeting_page_links_keep_the_filters_on_every_page(
    organiser_client, meeting
):
    InvitationFactory.create_batch(30, meeting=meeting, status="sent")
    response = organiser_client.get(
        url("meetings:detail", "jo", meeting.pk) + "?status=sent"
    )
    assert 'href="?status=sent&amp;page=2#invitations"' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=999", "?page=abc", "?page=-1", "?status=bogus", "?q=" + "x" * 5000]
)
def test_a_bad_page_or_filter_on_the_meeting_page_still_shows_a_page(
    organiser_client, meeting, query
):
    InvitationFactory.create_batch(3, meeting=meeting)
    response = organiser_client.get(url("meetings:detail", "jo", meeting.pk) + query)
    assert response.status_code == 200


def test_the_meeting_page_takes_the_same_queries_for_5_or_60_invitations(
    organiser_client, meeting, django_assert_max_num_queries
):
    detail = url("meetings:detail", "jo", meeting.pk)
    InvitationFactory.create_batch(5, meeting=meeting)
    with django_assert_max_num_queries(40) as few:
        organiser_client.get(detail + "?q=invitee")
    InvitationFactory.create_batch(55, meeting=meeting, status="failed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get(detail + "?q=invitee")


# The invite page -------------------------------------------------------------


def test_the_invite_page_shows_one_page_of_the_outreach_list(
    organiser_client, chapter, meeting
):
    listed(chapter, 30)
    invite = url("meetings:invite", "jo", meeting.pk)
    response = organiser_client.get(invite)
    assert rows(response, 'name="representatives"') == 25
    assert "30 organisations" in response.content.decode()
    assert rows(organiser_client.get(invite + "?page=2"), 'name="representatives"') == 5


def test_the_invite_page_filters_by_name_type_and_stage(
    organiser_client, chapter, meeting
):
    listed(chapter, 5)
    [academic] = listed(chapter, 1, kind=Organisation.Kind.ACADEMIC)
    [named] = listed(chapter, 1, name_en="Riverside Women's Network")
    Prospect.objects.filter(organisation=named.organisation).update(
        stage=Prospect.Stage.RESPONDED
    )
    invite = url("meetings:invite", "jo", meeting.pk)
    by_kind = organiser_client.get(invite + "?kind=academic").content.decode()
    assert f'value="{academic.pk}"' in by_kind
    assert by_kind.count('name="representatives"') == 1
    by_name = organiser_client.get(invite + "?q=riverside").content.decode()
    assert f'value="{named.pk}"' in by_name
    assert by_name.count('name="representatives"') == 1
    by_stage = organiser_client.get(invite + "?stage=responded").content.decode()
    assert by_stage.count('name="representatives"') == 1


def test_inviting_everyone_invites_only_those_the_filters_match(
    organiser_client, chapter, meeting, django_capture_on_commit_callbacks
):
    others = listed(chapter, 3)
    academics = listed(chapter, 2, kind=Organisation.Kind.ACADEMIC)
    invite = url("meetings:invite", "jo", meeting.pk)
    page = organiser_client.get(invite + "?kind=academic").content.decode()
    assert 'type="hidden" name="kind" value="academic"' in page
    assert "Invite every organisation matching these filters" in page
    preview = organiser_client.post(
        invite, {"everyone": "on", "kind": "academic"}
    ).content.decode()
    assert 'name="kind" value="academic"' in preview
    assert all(rep.email in preview for rep in academics)
    assert not any(rep.email in preview for rep in others)
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            invite, {"step": "send", "everyone": "on", "kind": "academic"}
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in academics)


def test_boxes_ticked_on_one_page_are_invited(
    organiser_client, chapter, meeting, django_capture_on_commit_callbacks
):
    reps = listed(chapter, 30)
    invite = url("meetings:invite", "jo", meeting.pk)
    second_page = organiser_client.get(invite + "?page=2").content.decode()
    chosen = [rep for rep in reps if f'value="{rep.pk}"' in second_page][:2]
    assert len(chosen) == 2
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            invite,
            {"step": "send", "representatives": [str(rep.pk) for rep in chosen]},
        )
    assert sorted(
        Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)
    ) == sorted(rep.email for rep in chosen)


def test_an_already_invited_representative_cannot_be_picked_again(
    organiser_client, chapter, meeting
):
    [rep] = listed(chapter, 1)
    InvitationFactory(meeting=meeting, email=rep.email)
    invite = url("meetings:invite", "jo", meeting.pk)
    page = organiser_client.get(invite).content.decode()
    assert f'value="{rep.pk}"' not in page
    assert "already invited" in page
    response = organiser_client.post(invite, {"representatives": [str(rep.pk)]})
    assert "is not one of the available choices" in response.content.decode()
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_the_preview_of_a_long_list_names_the_first_and_counts_the_rest(
    organiser_client, chapter, meeting
):
    listed(chapter, 105)
    preview = organiser_client.post(
        url("meetings:invite", "jo", meeting.pk), {"everyone": "on"}
    ).content.decode()
    assert "The invitation will be sent to 105 people" in preview
    assert "and 5 more people" in preview


@pytest.mark.parametrize(
    "query", ["?page=0", "?page=x", "?kind=nope&stage=nope", "?q=" + "ا" * 5000]
)
def test_a_bad_page_or_filter_on_the_invite_page_still_shows_a_page(
    organiser_client, chapter, meeting, query
):
    listed(chapter, 3)
    response = organiser_client.get(url("meetings:invite", "jo", meeting.pk) + query)
    assert response.status_code == 200


def test_the_invite_page_takes_the_same_queries_for_5_or_60_organisations(
    organiser_client, chapter, meeting, django_assert_max_num_queries
):
    invite = url("meetings:invite", "jo", meeting.pk)
    listed(chapter, 5)
    with django_assert_max_num_queries(40) as few:
        organiser_client.get(invite)
    reps = listed(chapter, 55)
    InvitationFactory(meeting=meeting, email=reps[0].email)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get(invite)


# Who may see them ------------------------------------------------------------


@pytest.mark.parametrize("name", ["meetings:detail", "meetings:invite"])
def test_another_chapters_organiser_gets_404_on_the_meeting_lists(
    client, meeting, name
):
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    response = client.get(url(name, "jo", meeting.pk) + "?page=2&q=a")
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["meetings:detail", "meetings:invite"])
def test_the_anonymous_visitor_is_sent_to_log_in_from_the_meeting_lists(
    client, meeting, name
):
    response = client.get(url(name, "jo", meeting.pk) + "?page=2")
    assert response.status_code == 302
    assert "/login/" in response.url


def test_a_material_opened_by_many_names_the_first_and_counts_the_rest(
    organiser_client, chapter, meeting, django_assert_max_num_queries
):
    material = Material.objects.create(
        chapter=chapter, meeting=meeting, title="Concept note", url="https://x.example/"
    )
    detail = url("meetings:detail", "jo", meeting.pk)
    for invitation in InvitationFactory.create_batch(3, meeting=meeting):
        MaterialOpening.objects.create(material=material, invitation=invitation)
    with django_assert_max_num_queries(40) as few:
        organiser_client.get(detail)
    for invitation in InvitationFactory.create_batch(12, meeting=meeting):
        MaterialOpening.objects.create(material=material, invitation=invitation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = organiser_client.get(detail).content.decode()
    assert "Opened by 15 invitees" in body
    assert "and 5 more invitees" in body


def test_previewing_everyone_takes_the_same_queries_for_5_or_60_organisations(
    organiser_client, chapter, meeting, django_assert_max_num_queries
):
    invite = url("meetings:invite", "jo", meeting.pk)
    listed(chapter, 5)
    with django_assert_max_num_queries(60) as few:
        organiser_client.post(invite, {"everyone": "on"})
    listed(chapter, 55)
    with django_assert_max_num_queries(len(few.captured_queries)):
        preview = organiser_client.post(invite, {"everyone": "on"})
    assert "The invitation will be sent to 60 people" in preview.content.decode()


def test_an_action_on_one_invitation_comes_back_to_the_same_filtered_page(
    organiser_client, meeting
):
    invitations = InvitationFactory.create_batch(30, meeting=meeting, status="sent")
    detail = url("meetings:detail", "jo", meeting.pk)
    page = organiser_client.get(detail + "?status=sent&page=2").content.decode()
    assert 'name="list" value="status=sent&amp;page=2"' in page
    response = organiser_client.post(
        url("meetings:invitation_action", "jo", meeting.pk, invitations[0].pk),
        {"action": "remind", "list": "status=sent&page=2&evil=1"},
    )
    assert response.url == detail + "?status=sent&page=2#invitations"


def test_retrying_the_failed_ones_comes_back_to_the_same_filtered_page(
    organiser_client, meeting
):
    InvitationFactory.create_batch(30, meeting=meeting, status="failed")
    detail = url("meetings:detail", "jo", meeting.pk)
    page = organiser_client.get(detail + "?status=failed&page=2").content.decode()
    bulk = page.split('value="retry_failed"')[0].rsplit("<form", 1)[1]
    assert 'name="list" value="status=failed&amp;page=2"' in bulk
    response = organiser_client.post(
        url("meetings:invitations_action", "jo", meeting.pk),
        {"action": "retry_failed", "list": "status=failed&page=2&evil=1"},
    )
    assert response.url == detail + "?status=failed&page=2#invitations"
