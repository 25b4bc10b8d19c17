"""The demo chapter has an exploratory meeting with the seed's agenda,
materials in both languages and invitations in every status."""

import pytest
from django.core.management import call_command

from meetings.models import (
    CATEGORY_TOPICS,
    AgendaNote,
    Invitation,
    Material,
    Meeting,
)
from members.models import Prospect

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_meeting_with_every_invitation_status(settings):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    meeting = Meeting.objects.get(kind="exploratory", status="open")
    assert meeting.agenda_items.count() == 7
    assert (
        meeting.agenda_items.order_by("order").first().title_ar == "الترحيب والمقدمات"
    )
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert statuses == set(Invitation.Status.values)
    languages = {tuple(m.languages) for m in Material.objects.all()}
    assert {("ar",), ("en",), ("ar", "en")} <= languages
    assert Material.objects.count() == 3
    assert Meeting.objects.exclude(status="cancelled").count() == 3
    assert Meeting.objects.filter(status="cancelled").count() == 1


def test_the_demo_has_a_held_meeting_with_published_minutes(settings):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    held = Meeting.objects.get(kind="exploratory", status="held")
    assert held.minutes.is_published and held.minutes.summary_is_public
    assert AgendaNote.objects.filter(item__meeting=held).count() >= 5
    kinds = set(held.ideas.values_list("category", "topic"))
    assert kinds == {
        (category.value, topic.value)
        for category, topics in CATEGORY_TOPICS.items()
        for topic in topics
    }
    assert held.ideas.filter(status="pending").exists()
    assert held.ideas.filter(is_next_step=True).exists()
    assert (
        held.decisions.filter(owner__isnull=False, due_date__isnull=False).count() == 3
    )


def test_the_held_meetings_door_shows_an_unanswered_invitee_and_a_walk_in():
    call_command("seed_demo")
    held = Meeting.objects.get(kind="exploratory", status="held")
    unanswered = held.attendances.get(invitation__status="no_reply")
    assert unanswered.invitation.minutes_sent_at is not None
    walk_in = held.attendances.get(invitation__status="walk_in")
    prospect = Prospect.objects.get(
        chapter=held.chapter, organisation=walk_in.organisation
    )
    assert prospect.stage == "attended"
    assert walk_in.organisation.name_ar and walk_in.organisation.name_en
    # She left her address: the minutes reached her like every attendee.
    assert walk_in.invitation.minutes_sent_at is not None
