"""The embedded demo on SQLite: the server and the real worker write to one
database file at the same time, and no write fails with "database is
locked". Runs on its own file database in both CI modes."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 4
INVITATIONS = 30

# One server process: invites co-organisers as fast as it can, each in its
# own transaction that reads the chapter, writes the invitation and its audit
# entry, and queues the e-mail the worker then sends.
WRITER = """
import sys, time
import django

django.setup()
from django.contrib.auth import get_user_model
from chapters.demo import ORGANISER_EMAIL
from chapters.models import Chapter
from chapters.services import organiser_invite

writer, count, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
actor = get_user_model().objects.get(email=ORGANISER_EMAIL)
chapter = Chapter.objects.get(country="JO")
time.sleep(max(0.0, start - time.time()))
for number in range(count):
    organiser_invite(
        actor=actor,
        chapter=chapter,
        email=f"writer{writer}-{number}@example.org",
        language="en",
    )
"""


def _environment(var_dir: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "TASK_", "REDIS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        PORTAL_VAR_DIR=str(var_dir),
    )
    return environment


def _manage(*args: str, environment: dict) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def _task_statuses(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=20) as connection:
        rows = connection.execute(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        ).fetchall()
    return dict(rows)


def test_server_writes_while_the_worker_sends_never_meet_a_locked_database(
    tmp_path,
):
    environment = _environment(tmp_path)
    _manage("migrate", "--noinput", environment=environment)
    _manage("seed_demo", environment=environment)
    # The demo's own e-mails (invitations, requests, minutes) wait for the
    # worker too; it sends them beside the writers' ones.
    seeded = sum(_task_statuses(tmp_path / "db.sqlite3").values())

    # The worker logs every task twice: to a file, not a pipe nobody reads
    # until the end, whose 64 KiB buffer would stop the worker once full.
    worker_log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        start = time.time() + 3  # every writer has started Django by then
        writers = [
            subprocess.Popen(  # noqa: S603 - our own interpreter
                [sys.executable, "-c", WRITER, str(n), str(INVITATIONS), str(start)],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for n in range(WRITERS)
        ]
        failures = []
        for writer in writers:
            output, _ = writer.communicate(timeout=60)
            if writer.returncode != 0:
                failures.append(output)

        expected = WRITERS * INVITATIONS + seeded
        deadline = time.time() + 20
        statuses = _task_statuses(tmp_path / "db.sqlite3")
        while statuses.get("SUCCESSFUL", 0) < expected and time.time() < deadline:
            if worker.poll() is not None:
                break
            time.sleep(0.2)
            statuses = _task_statuses(tmp_path / "db.sqlite3")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_output = worker_log.read_text()

    assert not failures, failures[0][-3000:]
    assert "database is locked" not in worker_output, worker_output[-3000:]
    assert statuses == {"SUCCESSFUL": expected}, worker_output[-3000:]
    sent = [
        path
        for path in (tmp_path / "outbox").iterdir()
        if b"\nTo: writer" in path.read_bytes()
    ]
    assert len(sent) == WRITERS * INVITATIONS
