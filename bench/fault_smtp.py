"""Fault: the SMTP server refuses, then is unreachable, during a batch of
invitations, then recovers; nobody presses anything.

    .venv/bin/python bench/fault_smtp.py [--count 200]

Creates its own database on the shared PostgreSQL server (BENCH_POSTGRES;
`--database-url sqlite:///...` for a file instead), starts an SMTP sink in
its own process that logs each accepted message's recipient and
Message-ID, and has an organiser send COUNT invitations (the real request)
while the sink answers 451 to every recipient. The real worker
(`manage.py db_worker`, a subprocess, running all along) sends; the
settings are bench/fault_settings.py, the portal's with the retry delays in
seconds (2, 4, 8, 16, 32) instead of minutes. Then:

1. every invitation must stay *queued* with the server's 451 reason and a
   next attempt scheduled (a task with a later run_after: back-off);
2. the sink goes down (connection refused): at the next attempt every
   invitation is still queued, now with the connection error as reason;
3. the sink accepts again: by the next attempt every invitation is sent,
   with no organiser action, and the sink received exactly one message per
   recipient and no Message-ID twice;
4. the recovery command, "Retry the failed invitations" and "Hand the queued
   messages to the sender again" are pressed: nothing more is sent.

Prints PASS or FAIL with the figures; stops the sink and the worker and
drops the database.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ACCEPT,
    DOWN,
    REFUSE,
    SmtpSink,
    database_create,
    invitation_environment,
    invitation_fault_teardown,
    verdict,
    worker_start,
)


def wait_for(condition, timeout: float) -> float:
    """Poll until condition() is true; returns the seconds waited (or the
    timeout)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if condition():
            break
        time.sleep(0.2)
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cld-fault-smtp-"))
    database = "cld_fault_smtp"
    sink = None
    worker = None
    log = folder / "worker.log"
    checks = []
    try:
        database_url = args.database_url or database_create(database)
        sink = SmtpSink(mode=REFUSE)
        env = invitation_environment(
            database_url=database_url, email_url=sink.url, folder=folder
        )
        env["DJANGO_SETTINGS_MODULE"] = "bench.fault_settings"
        os.environ.update(env)
        from bench.common import (
            invitation_batch_setup,
            invitation_status_counts,
            task_status_counts,
        )

        client, meeting, page = invitation_batch_setup(args.count)
        from django.core.management import call_command
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        from meetings.models import Invitation

        invitations = Invitation.objects.filter(meeting=meeting)

        def all_attempted(times: int, word: str):
            return lambda: (
                (
                    not invitations.filter(send_attempts__lt=times).exists()
                    and all(
                        word in r
                        for r in invitations.values_list("failure_reason", flat=True)
                    )
                )
                or invitations.filter(status="sent").exists()
            )

        response = client.post(page + "invite/", {"step": "send", "everyone": "on"})
        assert response.status_code == 302, response.status_code
        queued = invitations.count()
        worker = worker_start(env, batch=False, log=log)

        # 1. The server refuses every recipient (451, a temporary failure).
        seconds = wait_for(all_attempted(1, "451"), 60)
        counts = invitation_status_counts(meeting)
        reasons = set(invitations.values_list("failure_reason", flat=True))
        later = DBTaskResult.objects.filter(
            status="READY", run_after__gt=timezone.now(), run_after__lt=get_date_max()
        ).count()
        print(
            f"refusing server: {queued} queued, first attempts took {seconds:.1f} s: "
            f"{counts}; sink refused {sink.refused.value} recipients; "
            f"reasons {sorted(reasons)[:1]}; {later} retry tasks scheduled for later"
        )
        checks += [
            (
                "refused: every invitation waits, queued, with the server's reason",
                counts.get("queued") == queued
                and all(reason.startswith("451") for reason in reasons),
                f"{counts.get('queued', 0)} of {queued} queued, reason "
                f"{sorted(reasons)[0] if reasons else '-'!r}",
            ),
            (
                "failed sends retried automatically with back-off",
                later > 0,
                f"{later} tasks scheduled for a later attempt",
            ),
        ]

        # 2. The server is unreachable at the next attempt.
        sink.set_mode(DOWN)
        seconds = wait_for(all_attempted(2, "Connection"), 60)
        counts = invitation_status_counts(meeting)
        reasons = set(invitations.values_list("failure_reason", flat=True))
        attempts = Counter(invitations.values_list("send_attempts", flat=True))
        print(
            f"unreachable server: second attempts within {seconds:.1f} s: {counts}; "
            f"attempts {dict(attempts)}; reasons {sorted(reasons)[:1]}"
        )
        checks.append(
            (
                "unreachable: every invitation still waits, with the connection error",
                counts.get("queued") == queued
                and all("Connection" in reason for reason in reasons),
                f"{counts.get('queued', 0)} of {queued} queued, reason "
                f"{sorted(reasons)[0] if reasons else '-'!r}",
            )
        )

        # 3. The server recovers; nobody presses anything.
        sink.set_mode(ACCEPT)
        seconds = wait_for(
            lambda: invitations.filter(status="sent").count() == queued, 120
        )
        time.sleep(1)
        counts = invitation_status_counts(meeting)
        received = sink.per_recipient()
        print(
            f"recovered server: all sent {seconds:.1f} s after it came back: {counts}; "
            f"sink received {sum(received.values())} messages for "
            f"{len(received)} recipients"
        )

        # 4. Everything that could send again is pressed.
        call_command("recover_invitation_sends")
        client.post(page + "invitations/", {"action": "retry_failed"})
        client.post(page + "invitations/", {"action": "requeue"})
        time.sleep(3)
        after = sink.per_recipient()
        ids = sink.message_ids()
        twice = {address: n for address, n in after.items() if n > 1}
        ids_twice = [i for i, n in Counter(i for _a, i in ids).items() if n > 1]
        expected = {
            email.lower() for email in invitations.values_list("email", flat=True)
        }
        missing = expected - set(after)
        checks += [
            (
                "none lost, without organiser action",
                counts.get("sent") == queued and not missing,
                f"{counts.get('sent', 0)} of {queued} sent, "
                f"{len(missing)} recipients never reached",
            ),
            (
                "none sent twice",
                not twice and not ids_twice and after == received,
                f"{len(twice)} recipients received more than one message, "
                f"{len(ids_twice)} Message-IDs seen twice; "
                f"{sum(after.values()) - sum(received.values())} more after the "
                "recovery, the retry and the hand-over",
            ),
        ]
        print(f"tasks: {task_status_counts()}")
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
