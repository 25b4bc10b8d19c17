"""Ideas and questions: the seed's categories, moderation of what invitees
send through their personal link, merging duplicates, agreed next steps."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from chapters.models import AuditEntry
from meetings.models import CATEGORY_TOPICS, Idea, IdeaCategory, IdeaTopic
from meetings.services.errors import MeetingError
from meetings.services.ideas import (
    IDEA_MAX_CHARS,
    PENDING_IDEAS_PER_INVITATION,
    idea_add,
    idea_merge,
    idea_moderate,
    idea_submit,
    idea_update,
)
from meetings.services.invitations import invitation_link_new
from tests.factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(held_meeting):
    invitation = InvitationFactory(meeting=held_meeting, status="accepted")
    token = invitation_link_new(invitation=invitation, channel="email")
    return invitation, f"/en/invitation/{token}/"


@pytest.fixture
def other_invitee(held_meeting):
    invitation = InvitationFactory(meeting=held_meeting, status="accepted")
    token = invitation_link_new(invitation=invitation, channel="email")
    return invitation, f"/en/invitation/{token}/"


def test_categories_and_topics_follow_the_seed_in_its_arabic_wording():
    assert list(CATEGORY_TOPICS) == [
        IdeaCategory.JOINT_WORK,
        IdeaCategory.GOVERNMENT,
        IdeaCategory.SDGS,
        IdeaCategory.EXPECTATIONS,
    ]
    with translation.override("ar"):
        labels = {topic.value: str(topic.label) for topic in IdeaTopic}
        categories = {c.value: str(c.label) for c in IdeaCategory}
    assert labels["best_practices"] == "تبادل أفضل الممارسات"
    assert labels["advocacy"] == "المناصرة"
    assert labels["leadership"] == "فرص القيادة"
    assert labels["parliamentary_visits"] == "الزيارات البرلمانية للمشاريع الناجحة"
    assert labels["exchanges"] == "التبادل مع الدول الأخرى"
    assert labels["champions"] == "الأبطال داخل الوزارات"
    assert "برنامج الأمم المتحدة الإنمائي" in labels["undp"]
    assert categories["expectations"] == "توقعات الأعضاء"
    assert categories["sdgs"] == "توطين أهداف التنمية المستدامة"


def test_an_idea_added_by_an_organiser_is_published_at_once_with_its_proposer(
    organiser_client, held_meeting, chapter
):
    invitation = InvitationFactory(meeting=held_meeting)
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/",
        {
            "kind": "government:champions",
            "text": "Invite the deputy minister of planning",
            "organisation": invitation.organisation_id,
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.status == "approved" and idea.category == "government"
    assert idea.organisation_name == str(invitation.organisation)
    assert idea.language == "en"
    assert AuditEntry.objects.filter(action="idea.add").exists()


def test_a_topic_outside_its_category_is_refused(organiser, held_meeting):
    with pytest.raises(MeetingError):
        idea_add(
            actor=organiser,
            meeting=held_meeting,
            category="sdgs",
            topic="advocacy",
            text="x",
        )


def test_an_invitee_idea_waits_and_other_invitees_see_it_only_once_approved(
    client, organiser, held_meeting, invitee, other_invitee
):
    invitation, url = invitee
    _other, other_url = other_invitee
    response = client.post(
        url,
        {"form": "idea", "kind": "expectations:question", "text": "ما رسوم العضوية؟"},
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.status == "pending" and idea.language == "ar"
    assert idea.organisation_name == invitation.organisation_name
    assert "ما رسوم العضوية؟" in client.get(url).content.decode()
    assert "ما رسوم العضوية؟" not in client.get(other_url).content.decode()

    idea_moderate(actor=organiser, idea=idea, approve=True)
    idea_update(
        actor=organiser,
        idea=idea,
        category="expectations",
        topic="question",
        answer="No fee: requirements stay low.",
    )
    page = client.get(other_url).content.decode()
    assert "ما رسوم العضوية؟" in page and "No fee: requirements stay low." in page
    entry = AuditEntry.objects.get(action="idea.approve")
    assert entry.before["status"] == "pending" and entry.after["status"] == "approved"


def test_ideas_kept_unpublished_are_never_shown_to_other_invitees(
    client, organiser, held_meeting, invitee, other_invitee
):
    invitation, _url = invitee
    _other, other_url = other_invitee
    idea = idea_submit(
        invitation=invitation, category="joint_work", topic="other", text="Spam spam"
    )
    idea_moderate(actor=organiser, idea=idea, approve=False)
    assert "Spam spam" not in client.get(other_url).content.decode()
    assert AuditEntry.objects.filter(action="idea.reject").exists()


def test_invitees_can_still_send_ideas_after_the_meeting(client, held_meeting, invitee):
    _invitation, url = invitee
    with time_machine.travel(held_meeting.ends_at + timedelta(days=10)):
        response = client.post(
            url, {"form": "idea", "kind": "sdgs:undp", "text": "Ask UNDP to convene"}
        )
    assert response.status_code == 302
    assert Idea.objects.get().topic == "undp"


def test_an_empty_or_huge_idea_is_refused_with_a_message(client, invitee):
    _invitation, url = invitee
    empty = client.post(url, {"form": "idea", "kind": "sdgs:undp", "text": "   "})
    assert empty.status_code == 400
    huge = client.post(
        url,
        {"form": "idea", "kind": "sdgs:undp", "text": "x" * (IDEA_MAX_CHARS + 1)},
    )
    assert huge.status_code == 400
    assert f"the limit is {IDEA_MAX_CHARS}" in huge.content.decode()
    unknown = client.post(url, {"form": "idea", "kind": "sdgs:advocacy", "text": "y"})
    assert unknown.status_code == 400
    assert not Idea.objects.exists()


def test_one_personal_link_cannot_flood_the_organisers(invitee):
    invitation, _url = invitee
    for number in range(PENDING_IDEAS_PER_INVITATION):
        idea_submit(
            invitation=invitation,
            category="joint_work",
            topic="other",
            text=f"Idea {number}",
        )
    with pytest.raises(MeetingError):
        idea_submit(
            invitation=invitation, category="joint_work", topic="other", text="More"
        )


def test_a_script_tag_in_an_idea_is_shown_as_text(client, organiser, invitee):
    invitation, url = invitee
    idea = idea_submit(
        invitation=invitation,
        category="joint_work",
        topic="advocacy",
        text="<script>alert(1)</script> مناصرة",
    )
    idea_moderate(actor=organiser, idea=idea, approve=True)
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; مناصرة" in page


def test_merging_a_duplicate_keeps_its_text_and_points_at_the_kept_idea(
    organiser, organiser_client, held_meeting
):
    kept = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="joint_work",
        topic="best_practices",
        text="Share field visits",
        organisation_name="Shorouq Society",
    )
    duplicate = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="joint_work",
        topic="best_practices",
        text="Visit each other's projects",
        organisation_name="Jusoor Foundation",
    )
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/{duplicate.pk}/",
        {"action": "merge", "into": kept.pk},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.text == "Visit each other's projects"
    assert list(Idea.objects.approved()) == [kept]
    minutes = organiser_client.get(
        f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/"
    ).content.decode()
    assert "Shorouq Society" in minutes and "Jusoor Foundation" in minutes
    assert "Visit each other&#x27;s projects" not in minutes
    assert AuditEntry.objects.get(action="idea.merge").after["merged_into"] == kept.pk


def test_an_idea_cannot_be_merged_into_itself_or_into_another_meeting(
    organiser, organiser_client, held_meeting, chapter
):
    idea = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="sdgs",
        topic="other",
        text="One",
    )
    other = idea_add(
        actor=organiser,
        meeting=MeetingFactory(chapter=chapter),
        category="sdgs",
        topic="other",
        text="Two",
    )
    with pytest.raises(MeetingError):
        idea_merge(actor=organiser, idea=idea, into=idea)
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/{idea.pk}/",
        {"action": "merge", "into": other.pk},
    )
    assert response.status_code == 404
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/{idea.pk}/",
        {"action": "merge", "into": "abc"},
    )
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.merged_into is None


def test_only_an_approved_idea_becomes_an_agreed_next_step(
    organiser, organiser_client, invitee, held_meeting
):
    invitation, _url = invitee
    idea = idea_submit(
        invitation=invitation,
        category="government",
        topic="parliamentary_visits",
        text="Visit the water project in Irbid",
    )
    with pytest.raises(MeetingError):
        idea_update(
            actor=organiser,
            idea=idea,
            category=idea.category,
            topic=idea.topic,
            is_next_step=True,
        )
    idea_moderate(actor=organiser, idea=idea, approve=True)
    organiser_client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/{idea.pk}/",
        {
            "action": "update",
            "kind": "government:parliamentary_visits",
            "is_next_step": "on",
        },
    )
    idea.refresh_from_db()
    assert idea.is_next_step


def test_organiser_of_another_chapter_gets_404_for_ideas(
    other_organiser_client, organiser, held_meeting
):
    idea = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="sdgs",
        topic="other",
        text="Mine",
    )
    base = f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/"
    assert other_organiser_client.get(base).status_code == 404
    assert (
        other_organiser_client.post(
            f"{base}{idea.pk}/", {"action": "reject"}
        ).status_code
        == 404
    )
    idea.refresh_from_db()
    assert idea.status == "approved"


def test_anonymous_visitors_cannot_moderate(client, organiser, held_meeting):
    idea = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="sdgs",
        topic="other",
        text="Mine",
    )
    response = client.post(
        f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/{idea.pk}/",
        {"action": "reject"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    idea.refresh_from_db()
    assert idea.status == "approved"


def test_the_ideas_page_asks_a_constant_number_of_queries(
    organiser, organiser_client, held_meeting, django_assert_max_num_queries
):
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/ideas/"

    def add(count):
        for number in range(count):
            idea_add(
                actor=organiser,
                meeting=held_meeting,
                category="joint_work",
                topic="advocacy",
                text=f"Idea {number}",
            )

    add(3)
    with django_assert_max_num_queries(14):
        assert organiser_client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(14):
        assert organiser_client.get(url).status_code == 200
