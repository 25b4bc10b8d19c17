"""The demo chapter has an exploratory meeting with the seed's agenda,
materials in both languages and invitations in every status."""

import pytest
from django.core.management import call_command

from meetings.models import Invitation, Material, Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_meeting_with_every_invitation_status(settings):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    meeting = Meeting.objects.get(kind="exploratory")
    assert meeting.agenda_items.count() == 7
    assert (
        meeting.agenda_items.order_by("order").first().title_ar == "الترحيب والمقدمات"
    )
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert statuses == set(Invitation.Status.values)
    languages = set(Material.objects.values_list("language", flat=True))
    assert {"ar", "en", "ar_en"} <= languages
    assert Material.objects.count() == 3
    assert Meeting.objects.count() == 2
