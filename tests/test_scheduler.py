"""Periodic work runs by itself: `manage.py crontask` (django-crontask)
enqueues the reminders, digests, recovery of stopped sends and the pruning of
finished task rows on their schedules; with Redis, a second scheduler waits
on the lock, so each periodic task is enqueued once."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail

ROOT = Path(__file__).resolve().parent.parent
SCHEDULED = {
    "organiser_digests_task",
    "task_results_prune_task",
    "invitation_sends_recover_task",
    "meeting_reminders_task",
    "membership_reminders_task",
}


def test_every_periodic_task_is_on_the_schedulers_list():
    from crontask import scheduler

    import chapters.tasks  # noqa: F401
    import meetings.tasks  # noqa: F401
    import members.tasks  # noqa: F401

    names = {job.name for job in scheduler.get_jobs()}
    assert set(SCHEDULED) <= names


@pytest.mark.django_db
def test_the_scheduled_reminder_reaches_who_has_not_answered_once(
    django_capture_on_commit_callbacks,
):
    """What the scheduler enqueues is the reminder itself: run twice on the
    reminder day, it e-mails the invitee who has not answered once, and
    never the one who answered or opted out."""
    from meetings.tasks import meeting_reminders_task
    from members.models import DoNotContact
    from tests.factories import InvitationFactory, MeetingFactory

    meeting = MeetingFactory(status="open", reminder_days=3)
    waiting = InvitationFactory(meeting=meeting, status="sent")
    InvitationFactory(meeting=meeting, status="accepted")
    opted_out = InvitationFactory(meeting=meeting, status="sent")
    DoNotContact.objects.create(email=opted_out.email)
    with time_machine.travel(meeting.starts_at - timedelta(days=2), tick=False):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                meeting_reminders_task.enqueue()
    assert [message.to for message in mail.outbox] == [[waiting.email]]


def _scheduler(environment):
    return subprocess.Popen(
        [sys.executable, "manage.py", "crontask", "--no-heartbeat"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15").ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_a_second_scheduler_waits_while_the_first_runs(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    first = _scheduler(environment)
    try:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = first.stdout.readline()
            lines.append(line)
            if "Starting scheduler" in line:
                break
        assert any("Starting scheduler" in line for line in lines), lines
        second = _scheduler(environment)
        output, _ = second.communicate(timeout=60)
        assert "Another scheduler is already running." in output
        assert "Starting scheduler" not in output
    finally:
        first.terminate()
        first.wait(timeout=30)
