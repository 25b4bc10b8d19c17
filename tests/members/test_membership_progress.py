"""Chapter progress after the first members confirm, and the demo's
membership data."""

import io

import pytest
from django.core.management import call_command

from chapters.models import AuditEntry, Chapter
from members.models import (
    ConfirmationLink,
    InitialTask,
    Membership,
    MembershipEvent,
    Volunteering,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_overview_prompts_to_move_to_forming_once_members_confirm(
    organiser_client, chapter
):
    chapter.status = Chapter.Status.EXPLORING
    chapter.save()
    page = organiser_client.get("/ar/manage/jo/").content.decode()
    assert 'data-testid="forming-prompt"' not in page
    MembershipFactory(chapter=chapter, state="confirmed")
    page = organiser_client.get("/ar/manage/jo/").content.decode()
    assert 'data-testid="forming-prompt"' in page


def test_organiser_moves_the_chapter_to_forming_with_an_audit_entry(
    organiser_client, chapter, organiser
):
    MembershipFactory(chapter=chapter, state="confirmed")
    response = organiser_client.post("/ar/manage/jo/membership/forming/")
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.status == "forming"
    entry = AuditEntry.objects.get(action="chapter.update")
    assert entry.actor == organiser and entry.after["status"] == "forming"
    page = organiser_client.get("/ar/manage/jo/").content.decode()
    assert 'data-testid="forming-prompt"' not in page


def test_no_move_to_forming_without_members(organiser_client, chapter):
    organiser_client.post("/ar/manage/jo/membership/forming/")
    chapter.refresh_from_db()
    assert chapter.status == "interest"


def test_other_chapters_organiser_cannot_move_it(other_chapter_client, chapter):
    MembershipFactory(chapter=chapter, state="confirmed")
    assert (
        other_chapter_client.post("/ar/manage/jo/membership/forming/").status_code
        == 404
    )
    chapter.refresh_from_db()
    assert chapter.status == "interest"


def test_country_page_says_as_of_when_the_member_list_changed(
    client, chapter, organiser_client
):
    chapter.members_updated_at = "2026-05-04T10:00:00Z"
    chapter.save()
    MembershipFactory(chapter=chapter, state="confirmed")
    page = client.get("/en/countries/jo/").content.decode()
    assert "member list as of 4 May 2026" in page


def demo_counts():
    return (
        Membership.objects.count(),
        MembershipEvent.objects.count(),
        ConfirmationLink.objects.count(),
        InitialTask.objects.count(),
        Volunteering.objects.count(),
    )


def test_demo_has_every_state_with_its_consent_records_and_tasks_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    first = demo_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert demo_counts() == first
    chapter = Chapter.objects.get(country="JO")
    memberships = Membership.objects.filter(chapter=chapter)
    assert set(memberships.values_list("state", flat=True)) == set(
        Membership.State.values
    )
    for confirmed in memberships.filter(state="confirmed"):
        record = confirmed.events.get(action="confirm")
        assert record.consent_version and record.consent_text and record.link_id
    withdrawn = memberships.get(state="withdrawn")
    assert list(
        withdrawn.events.order_by("created_at").values_list("action", flat=True)
    ) == [
        "request",
        "confirm",
        "withdraw",
    ]
    tasks = InitialTask.objects.filter(chapter=chapter)
    assert tasks.count() == 6
    assert Volunteering.objects.filter(task__chapter=chapter).count() >= 6
    assert tasks.filter(lead__isnull=False).exists()
    assert set(tasks.values_list("status", flat=True)) == set(InitialTask.Status.values)
    chapter.refresh_from_db()
    assert chapter.members_updated_at
