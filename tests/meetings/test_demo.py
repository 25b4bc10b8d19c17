"""The Jordanian demo chapter has an exploratory meeting with the seed's
agenda, materials in both languages and invitations in every status; the
Moroccan one invites in Arabic and French."""

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
    meeting = Meeting.objects.get(
        chapter__country="JO", kind="exploratory", status="open"
    )
    assert meeting.agenda_items.count() == 7
    assert (
        meeting.agenda_items.order_by("order").first().title_ar == "الترحيب والمقدمات"
    )
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert statuses == set(Invitation.Status.values)
    jordan = Material.objects.filter(chapter__country="JO")
    languages = {tuple(m.languages) for m in jordan}
    assert {("ar",), ("en",), ("ar", "en")} <= languages
    assert jordan.count() == 3
    meetings = Meeting.objects.filter(chapter__country="JO")
    assert meetings.exclude(status="cancelled").count() == 3
    assert meetings.filter(status="cancelled").count() == 1


def test_the_moroccan_demo_invites_in_arabic_and_french_and_one_answered(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    """The Moroccan chapter works in Arabic and French: its meeting has the
    default agenda with its French texts, its invitations went out in each
    invitee's language when the seed committed, and a French-speaking
    invitee has answered yes while another has not yet."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")  # idempotent: nothing more is sent
    assert len(mailoutbox) == sent
    meeting = Meeting.objects.get(chapter__country="MA")
    assert (meeting.kind, meeting.status) == ("exploratory", "open")
    assert meeting.working_languages == ["ar", "fr"]
    first = meeting.agenda_items.order_by("order").first()
    assert first.title_fr == "Accueil et présentations"
    assert meeting.agenda_items.count() == 7
    invitations = meeting.invitations.all()
    assert {i.language for i in invitations} == {"ar", "fr"}
    assert not invitations.filter(language="en").exists()
    assert invitations.filter(language="fr", status="accepted").count() == 1
    assert invitations.filter(language="fr", answered_at__isnull=True).exists()
    assert invitations.filter(language="ar").exists()
    assert not invitations.filter(status="queued").exists()
    french = [m for m in mailoutbox if m.to[0].endswith("universite-sais.demo.example")]
    assert len(french) == 1 and "/fr/invitation/" in french[0].body
    assert "Nous avons le plaisir de vous inviter" in french[0].body
    arabic = [m for m in mailoutbox if m.to[0].endswith("tadamoune.demo.example")]
    assert len(arabic) == 1 and "/ar/invitation/" in arabic[0].body


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


def test_the_code_in_a_demo_invitation_email_checks_its_invitee_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    """The QR code's text, as the demo's Moroccan invitation e-mail prints it
    under the picture, checks its invitee in at the door."""
    import re

    from chapters.models import Organiser
    from meetings.models import Attendance
    from tests.urls import url

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    meeting = Meeting.objects.get(chapter__country="MA")
    message = next(m for m in mailoutbox if "/fr/invitation/" in m.body)
    code = re.search(r"^([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})$", message.body, re.M)
    assert code, message.body
    invitation = meeting.invitations.get(email=message.to[0])
    client.force_login(Organiser.objects.filter(chapter=meeting.chapter).first().user)
    response = client.post(
        url("meetings:checkin_scan", "ma", meeting.pk, language="fr"),
        {"code": code.group(1)},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["outcome"] == "checked_in"
    assert Attendance.objects.filter(invitation=invitation).count() == 1
