"""Fault: the SMTP server refuses, then is unreachable, during a batch of
invitations, then recovers.

    .venv/bin/python bench/fault_smtp.py [--count 200]

Creates its own database on the shared PostgreSQL server (BENCH_POSTGRES;
`--database-url sqlite:///...` for a file instead), starts an SMTP sink in
its own process, and has an organiser send COUNT invitations (the real
request) while the sink answers 451 to every recipient. The real worker
(`manage.py db_worker --batch`, a subprocess) runs until the queue is
empty. Then:

1. every invitation must be *failed* with the server's reason, nothing
   accepted by the sink;
2. whether anything retries by itself (a retry scheduled for later, i.e.
   back-off) is recorded;
3. the sink goes down (connection refused); the organiser presses "Retry
   the failed invitations"; the worker runs: all failed again, with the
   connection error as reason;
4. the sink accepts again; the organiser retries; the worker runs: every
   invitation sent, the sink received exactly one message per recipient;
5. one more retry and worker run: nothing more is sent.

Prints PASS or FAIL with the figures; stops the sink and drops the database.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ACCEPT,
    DOWN,
    REFUSE,
    SmtpSink,
    database_create,
    database_drop,
    invitation_environment,
    verdict,
    worker_run_batch,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cld-fault-smtp-"))
    database = "cld_fault_smtp"
    sink = None
    log = folder / "worker.log"
    checks = []
    try:
        database_url = args.database_url or database_create(database)
        sink = SmtpSink(mode=REFUSE)
        env = invitation_environment(
            database_url=database_url, email_url=sink.url, folder=folder
        )
        os.environ.update(env)
        from bench.common import (
            invitation_batch_setup,
            invitation_status_counts,
            task_status_counts,
        )

        client, meeting, page = invitation_batch_setup(args.count)
        from django_tasks_db.models import DBTaskResult

        from meetings.models import Invitation

        response = client.post(page + "invite/", {"step": "send", "everyone": "on"})
        assert response.status_code == 302, response.status_code
        queued = Invitation.objects.filter(meeting=meeting).count()

        # 1. The server refuses every recipient (451, a temporary failure).
        seconds = worker_run_batch(env, log)
        counts = invitation_status_counts(meeting)
        reasons = set(
            Invitation.objects.filter(meeting=meeting).values_list(
                "failure_reason", flat=True
            )
        )
        print(
            f"refusing server: {queued} queued, worker ran {seconds:.1f} s: {counts}; "
            f"sink refused {sink.refused.value} recipients; reasons {sorted(reasons)[:2]}"
        )
        checks.append(
            (
                "refused: every invitation marked failed with the server's reason",
                counts.get("failed") == queued
                and all(reason.startswith("451") for reason in reasons),
                f"{counts.get('failed', 0)} of {queued} failed, reason "
                f"{sorted(reasons)[0] if reasons else '-'!r}",
            )
        )

        # 2. Does anything retry by itself, later (back-off)?
        scheduled = DBTaskResult.objects.filter(status="READY").count()
        from django.utils import timezone
        from django_tasks_db.models import get_date_max

        later = DBTaskResult.objects.filter(
            status="READY", run_after__gt=timezone.now(), run_after__lt=get_date_max()
        ).count()
        checks.append(
            (
                "failed sends retried automatically with back-off",
                later > 0,
                f"{scheduled} tasks waiting, {later} scheduled for later: "
                + (
                    "automatic retry present"
                    if later
                    else "MISSING: a failed invitation waits for the organiser's "
                    '"Retry the failed invitations" button'
                ),
            )
        )

        # 3. The server is unreachable; the organiser retries.
        sink.set_mode(DOWN)
        response = client.post(page + "invitations/", {"action": "retry_failed"})
        assert response.status_code == 302, response.status_code
        seconds = worker_run_batch(env, log)
        counts = invitation_status_counts(meeting)
        reasons = set(
            Invitation.objects.filter(meeting=meeting).values_list(
                "failure_reason", flat=True
            )
        )
        print(
            f"unreachable server: retry, worker ran {seconds:.1f} s: {counts}; "
            f"reasons {sorted(reasons)[:2]}"
        )
        checks.append(
            (
                "unreachable: every invitation marked failed with the reason",
                counts.get("failed") == queued
                and all("Connection" in reason for reason in reasons),
                f"{counts.get('failed', 0)} of {queued} failed, reason "
                f"{sorted(reasons)[0] if reasons else '-'!r}",
            )
        )

        # 4. The server recovers; the organiser retries.
        sink.set_mode(ACCEPT)
        client.post(page + "invitations/", {"action": "retry_failed"})
        seconds = worker_run_batch(env, log)
        deadline = time.monotonic() + 10
        while sink.received.value < queued and time.monotonic() < deadline:
            time.sleep(0.05)
        counts = invitation_status_counts(meeting)
        received = sink.per_recipient()
        twice = {address: n for address, n in received.items() if n > 1}
        expected = {
            email.lower()
            for email in Invitation.objects.filter(meeting=meeting).values_list(
                "email", flat=True
            )
        }
        missing = expected - set(received)
        print(
            f"recovered server: retry, worker ran {seconds:.1f} s: {counts}; "
            f"sink received {sum(received.values())} messages for "
            f"{len(received)} recipients"
        )

        # 5. Retrying again changes nothing.
        client.post(page + "invitations/", {"action": "retry_failed"})
        client.post(page + "invitations/", {"action": "requeue"})
        worker_run_batch(env, log)
        time.sleep(0.5)
        after = sink.per_recipient()
        checks += [
            (
                "none lost",
                counts.get("sent") == queued and not missing,
                f"{counts.get('sent', 0)} of {queued} sent, "
                f"{len(missing)} recipients never reached",
            ),
            (
                "none sent twice",
                not twice and after == received,
                f"{len(twice)} recipients received more than one message; "
                f"{sum(after.values()) - sum(received.values())} more after "
                "another retry and hand-over",
            ),
        ]
        print(f"tasks: {task_status_counts()}")
    finally:
        if sink is not None:
            sink.stop()
        from django.db import connections

        connections.close_all()
        if not args.database_url:
            database_drop(database)
        shutil.rmtree(folder, ignore_errors=True)
    raise SystemExit(0 if verdict(checks) else 1)


if __name__ == "__main__":
    main()
