"""Reminders for representatives still consulting their organisation, after
the number of days the organisers chose, once."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from members.services import membership, membership_links
from members.services.consent import consent_statement_current
from members.tasks import membership_reminders_task
from tests.members.membership_helpers import (
    ask,
    link_of,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db

START = timezone.datetime(2026, 4, 1, 9, 0, tzinfo=timezone.UTC)


def reminders():
    call_command("send_membership_reminders", stdout=io.StringIO())


@pytest.fixture
def consulting(chapter, organiser, sent):
    organisation, (representative,) = on_outreach_list(chapter)
    with time_machine.travel(START, tick=False):
        with sent():
            ask(organiser, chapter, organisation, remind_after_days=5)
        membership.membership_consult(link=link_of(representative.email), language="ar")
    return organisation, representative


def reminders_to(mailoutbox, email):
    return [
        message
        for message in mailoutbox
        if email in message.to
        and ("Reminder" in message.subject or "تذكير" in message.subject)
    ]


def test_no_reminder_before_the_days_the_organisers_chose(
    consulting, chapter, sent, mailoutbox
):
    _organisation, representative = consulting
    with time_machine.travel(START + timedelta(days=4, hours=23), tick=False), sent():
        reminders()
    assert reminders_to(mailoutbox, representative.email) == []


def test_one_reminder_with_a_new_link_once_the_days_have_passed(
    consulting, chapter, sent, mailoutbox
):
    organisation, representative = consulting
    first_link = link_of(representative.email)
    with time_machine.travel(START + timedelta(days=5, minutes=1), tick=False), sent():
        reminders()
        reminders()
    sent_reminders = reminders_to(mailoutbox, representative.email)
    assert len(sent_reminders) == 1
    assert "/membership/" in sent_reminders[0].body
    new_link = link_of(representative.email)
    assert new_link.pk != first_link.pk
    target = membership_of(chapter, organisation)
    assert target.reminder_sent_at is not None
    assert target.events.filter(action="remind").count() == 1
    # The first link still answers too.
    first_link.refresh_from_db()
    with time_machine.travel(START + timedelta(days=6), tick=False):
        assert membership_links.link_problem(first_link) is None


def test_the_task_runs_the_same_reminders(consulting, sent, mailoutbox):
    _organisation, representative = consulting
    with time_machine.travel(START + timedelta(days=6), tick=False), sent():
        membership_reminders_task.enqueue()
    assert len(reminders_to(mailoutbox, representative.email)) == 1


def test_no_reminder_once_the_organisation_has_answered(
    consulting, chapter, sent, mailoutbox
):
    _organisation, representative = consulting
    with time_machine.travel(START + timedelta(days=2), tick=False):
        membership.membership_confirm(
            link=link_of(representative.email),
            language="ar",
            role="Director",
            consent_version=consent_statement_current().version,
        )
    with time_machine.travel(START + timedelta(days=9), tick=False), sent():
        reminders()
    assert reminders_to(mailoutbox, representative.email) == []


def test_organisers_see_when_the_reminder_is_due(consulting, chapter, organiser_client):
    organisation, _representative = consulting
    target = membership_of(chapter, organisation)
    assert target.remind_at == START + timedelta(days=5)
    page = organiser_client.get(
        f"/en/manage/jo/membership/{target.pk}/"
    ).content.decode()
    assert "6 April 2026" in page
