"""Fault: the worker killed (SIGKILL) in the middle of a batch of
invitations, then started again.

    .venv/bin/python bench/fault_worker_kill.py [--count 500] [--kills 3]

Creates its own database on the shared PostgreSQL server (BENCH_POSTGRES;
`--database-url` for another), starts an SMTP sink in its own process that
counts messages per recipient, and has an organiser send COUNT invitations
(the real request; the worker gets them in chunks of 50). Then, KILLS times:
start the real `manage.py db_worker` as a subprocess, wait until it is
20-35 messages into its second chunk, kill its process group with SIGKILL.
Finally it starts the worker again and lets it run until the queue is
empty, and looks at what happened:

- did the batch complete by itself after the restart? (a chunk held by a
  killed worker stays RUNNING in django_tasks_db, which has no lease or
  time-out, so its unsent invitations stay queued);
- then the organiser presses "Hand the queued messages to the sender
  again" (docs/invitations.md) and the worker runs once more: is every
  invitation sent, and each recipient e-mailed exactly once (counted at the
  sink)?

Prints PASS or FAIL with the figures; stops the sink and every worker and
drops the database.
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ACCEPT,
    SmtpSink,
    database_create,
    database_drop,
    invitation_environment,
    stop_group,
    verdict,
    worker_run_batch,
    worker_start,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cld-fault-worker-"))
    database = "cld_fault_worker"
    sink = None
    log = folder / "worker.log"
    checks = []
    worker = None
    try:
        database_url = args.database_url or database_create(database)
        sink = SmtpSink(mode=ACCEPT)
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
        from meetings.models import Invitation

        response = client.post(page + "invite/", {"step": "send", "everyone": "on"})
        assert response.status_code == 302, response.status_code
        queued = Invitation.objects.filter(meeting=meeting).count()
        print(f"{queued} invitations queued in {task_status_counts()} tasks")

        for kill in range(1, args.kills + 1):
            # Into the worker's second chunk of 50: a chunk half sent.
            target = min(queued - 1, sink.received.value + 50 + 20 + 5 * kill)
            worker = worker_start(env, batch=False, log=log)
            deadline = time.monotonic() + 120
            while sink.received.value < target and time.monotonic() < deadline:
                if worker.poll() is not None:
                    break
                time.sleep(0.005)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
            worker = None
            print(
                f"kill {kill}: SIGKILL after {sink.received.value} messages at the "
                f"sink; invitations {invitation_status_counts(meeting)}; "
                f"tasks {task_status_counts()}"
            )

        seconds = worker_run_batch(env, log)
        time.sleep(0.5)
        counts = invitation_status_counts(meeting)
        stuck_tasks = task_status_counts().get("RUNNING", 0)
        owed = (
            Invitation.objects.filter(meeting=meeting)
            .exclude(pending_message="")
            .count()
        )
        print(
            f"worker started again, ran until the queue was empty ({seconds:.1f} s): "
            f"invitations {counts}; {owed} still owed; "
            f"{stuck_tasks} tasks left RUNNING by the killed workers"
        )
        checks.append(
            (
                "the batch completes after the restart, without anyone's help",
                owed == 0 and counts.get("sent") == queued,
                f"{counts.get('sent', 0)} of {queued} sent, {owed} left queued "
                f"(their chunks stay RUNNING in {stuck_tasks} task rows of "
                "django_tasks_db: no lease or time-out hands them back)",
            )
        )

        if owed:
            response = client.post(page + "invitations/", {"action": "requeue"})
            assert response.status_code == 302, response.status_code
            seconds = worker_run_batch(env, log)
            time.sleep(0.5)
            counts = invitation_status_counts(meeting)
            print(
                'after "Hand the queued messages to the sender again" and one more '
                f"worker run ({seconds:.1f} s): invitations {counts}"
            )
        received = sink.per_recipient()
        expected = {
            email.lower()
            for email in Invitation.objects.filter(meeting=meeting).values_list(
                "email", flat=True
            )
        }
        twice = {address: n for address, n in received.items() if n > 1}
        missing = expected - set(received)
        print(
            f"sink: {sum(received.values())} messages for {len(received)} "
            f"recipients; {len(twice)} received two or more; {len(missing)} none"
        )
        checks += [
            (
                "every invitation sent (with the documented hand-over if needed)",
                counts.get("sent") == queued and not missing,
                f"{counts.get('sent', 0)} of {queued} sent, {len(missing)} never reached",
            ),
            (
                "each recipient e-mailed exactly once",
                not twice,
                f"{len(twice)} duplicates"
                + (f", e.g. {sorted(twice)[:3]}" if twice else "")
                + (
                    " (a message the sink accepted while the worker was killed "
                    "before its transaction committed)"
                    if twice
                    else ""
                ),
            ),
        ]
    finally:
        stop_group(worker)
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
