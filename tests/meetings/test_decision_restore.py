"""Removing a decision asks first (a page of its own, no JavaScript), and a
removed decision can be restored from the decisions page for 30 days."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from chapters.models import AuditEntry
from meetings.models import Decision
from meetings.services.decisions import decision_add, decision_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(held_meeting, organiser):
    return decision_add(
        actor=organiser,
        meeting=held_meeting,
        data={"text_en": "Draft the terms of reference"},
    )


def _urls(meeting, decision):
    base = f"/en/manage/jo/meetings/{meeting.pk}/decisions/"
    return base, f"{base}{decision.pk}/remove/", f"{base}{decision.pk}/"


def test_a_decision_is_removed_after_confirming_and_restored_with_one_click(
    organiser_client, held_meeting, decision
):
    page_url, remove_url, decision_url = _urls(held_meeting, decision)
    page = organiser_client.get(page_url).content.decode()
    assert f'href="{remove_url}"' in page
    confirm = organiser_client.get(remove_url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Remove this decision?" in body and "Draft the terms of reference" in body
    assert Decision.objects.filter(pk=decision.pk).exists()  # asking removes nothing

    removed = organiser_client.post(remove_url)
    assert removed.status_code == 302
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert Decision.all_objects.get(pk=decision.pk).removed_at is not None
    minutes = organiser_client.get(
        f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/"
    ).content.decode()
    assert "Draft the terms of reference" not in minutes
    page = organiser_client.get(page_url).content.decode()
    assert 'data-testid="removed-decisions"' in page
    assert 'value="restore"' in page

    restored = organiser_client.post(decision_url, {"action": "restore"})
    assert restored.status_code == 302
    assert Decision.objects.get(pk=decision.pk).removed_at is None
    minutes = organiser_client.get(
        f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/"
    ).content.decode()
    assert "Draft the terms of reference" in minutes
    actions = list(
        AuditEntry.objects.filter(action__startswith="decision.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["decision.add", "decision.remove", "decision.restore"]


def test_a_decision_removed_more_than_30_days_ago_cannot_be_restored(
    organiser_client, organiser, held_meeting, decision
):
    decision_remove(actor=organiser, decision=decision)
    _page, _remove, decision_url = _urls(held_meeting, decision)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        page = organiser_client.get(
            f"/en/manage/jo/meetings/{held_meeting.pk}/decisions/"
        ).content.decode()
        assert 'value="restore"' not in page
        response = organiser_client.post(decision_url, {"action": "restore"})
    assert response.status_code == 302
    assert Decision.all_objects.get(pk=decision.pk).removed_at is not None
    assert not AuditEntry.objects.filter(action="decision.restore").exists()


def test_a_removed_decision_cannot_be_edited_or_removed_again(
    organiser_client, organiser, held_meeting, decision
):
    decision_remove(actor=organiser, decision=decision)
    _page, remove_url, decision_url = _urls(held_meeting, decision)
    assert organiser_client.get(decision_url).status_code == 404
    assert organiser_client.get(remove_url).status_code == 404
    assert organiser_client.post(remove_url).status_code == 404
    assert AuditEntry.objects.filter(action="decision.remove").count() == 1


def test_organiser_of_another_chapter_can_neither_remove_nor_restore(
    other_organiser_client, organiser, held_meeting, decision
):
    _page, remove_url, decision_url = _urls(held_meeting, decision)
    assert other_organiser_client.post(remove_url).status_code == 404
    assert Decision.objects.filter(pk=decision.pk).exists()
    decision_remove(actor=organiser, decision=decision)
    response = other_organiser_client.post(decision_url, {"action": "restore"})
    assert response.status_code == 404
    assert Decision.all_objects.get(pk=decision.pk).removed_at is not None
