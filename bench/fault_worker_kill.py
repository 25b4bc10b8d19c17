"""Fault: the worker killed (SIGKILL) in the middle of a batch of
invitations, then started again; nobody presses anything.

    .venv/bin/python bench/fault_worker_kill.py [--count 500] [--kills 3]

Creates its own database on the shared PostgreSQL server (BENCH_POSTGRES;
`--database-url` for another), starts an SMTP sink in its own process that
logs each accepted message's recipient and Message-ID, and has an
organiser send COUNT invitations (the real request; the worker gets them
in chunks of MEETINGS_SEND_CHUNK). Then, KILLS times: start the real
`manage.py db_worker` as a subprocess, wait until it has sent 75-120
messages (in the middle of a chunk), kill its process group with SIGKILL.
The settings are bench/fault_settings.py: the portal's, with a lease of 5
seconds instead of 5 minutes.

Finally it starts the worker again and, as cron would every minute, runs
`manage.py recover_invitation_sends` every 2 seconds, until every
invitation is sent (or 120 s pass), and looks at what happened:

- did the batch complete with no organiser action (the killed workers'
  claims taken back once their lease ran out, their tasks closed)?
- was every invitation sent, and how many recipients got a message twice
  (a worker killed between the server's acceptance and the record's
  commit)? A repeat carries the same Message-ID, so the receiver can tell.

Prints PASS (nothing lost, every repeat recognisable by its Message-ID,
the count of repeats reported) or FAIL with the figures; stops the sink
and every worker and drops the database.
"""

import argparse
import io
import os
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
    invitation_environment,
    invitation_fault_teardown,
    stop_group,
    verdict,
    worker_start,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--ahead", type=int, default=2, help="the worker's MEETINGS_SEND_AHEAD"
    )
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
        env["DJANGO_SETTINGS_MODULE"] = "bench.fault_settings"
        env["FAULT_SEND_AHEAD"] = str(args.ahead)
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
            # 75-120 messages in: in the middle of a chunk, whatever its
            # size (the worker starts each task with a fresh chunk).
            target = min(queued - 1, sink.received.value + 70 + 5 * kill)
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

        from django.core.management import call_command

        worker = worker_start(env, batch=False, log=log)
        began = time.monotonic()
        recoveries = 0
        while time.monotonic() - began < 120:
            call_command("recover_invitation_sends", stdout=io.StringIO())
            recoveries += 1
            owed = (
                Invitation.objects.filter(meeting=meeting)
                .exclude(pending_message="")
                .count()
            )
            if not owed:
                break
            time.sleep(2)
        seconds = time.monotonic() - began
        time.sleep(1)
        stop_group(worker)
        worker = None
        counts = invitation_status_counts(meeting)
        tasks = task_status_counts()
        print(
            f"worker started again with the recovery every 2 s ({recoveries} runs): "
            f"all owed messages gone after {seconds:.1f} s; invitations {counts}; "
            f"tasks {tasks}"
        )
        received = sink.per_recipient()
        ids = sink.message_ids()
        expected = {
            email.lower()
            for email in Invitation.objects.filter(meeting=meeting).values_list(
                "email", flat=True
            )
        }
        twice = {address: n for address, n in received.items() if n > 1}
        missing = expected - set(received)
        ids_per_recipient = {}
        for address, identifier in ids:
            ids_per_recipient.setdefault(address, set()).add(identifier)
        unrecognisable = [a for a in twice if len(ids_per_recipient.get(a, ())) > 1]
        print(
            f"sink: {sum(received.values())} messages for {len(received)} "
            f"recipients; {len(twice)} received two or more; {len(missing)} none"
        )
        checks += [
            (
                "the batch completes after the restart, without anyone's help",
                counts.get("sent") == queued and not tasks.get("RUNNING"),
                f"{counts.get('sent', 0)} of {queued} sent in {seconds:.1f} s; "
                f"{tasks.get('RUNNING', 0)} tasks left RUNNING, "
                f"{tasks.get('FAILED', 0)} killed workers' tasks closed",
            ),
            (
                "none lost",
                counts.get("sent") == queued and not missing,
                f"{len(missing)} recipients never reached",
            ),
            (
                "repeats counted, each recognisable by its Message-ID",
                not unrecognisable,
                f"{len(twice)} recipients e-mailed twice in {args.kills} kills"
                + (f", e.g. {sorted(twice)[:3]}" if twice else "")
                + f"; {len(unrecognisable)} with a different Message-ID",
            ),
        ]
    finally:
        invitation_fault_teardown(
            worker=worker,
            sink=sink,
            database=database,
            own_database=not args.database_url,
            folder=folder,
        )
    raise SystemExit(0 if verdict(checks) else 1)


if __name__ == "__main__":
    main()
