"""Sending 1,000 invitations: how long the organiser waits, and how fast the
background worker sends compared with a plain smtplib loop.

    .venv/bin/python bench/invitations.py [--count 1000]

The script starts its own SMTP sink (aiosmtpd, in a separate process so it
does not share the interpreter lock with the sender), uses a throw-away
SQLite database, creates a chapter with COUNT organisations on its outreach
list and then:

1. posts the organiser's "send the invitations" request (it must only queue
   work: target under 1 s);
2. runs the real database worker (django_tasks_db) until the queue is empty
   and measures e-mails per second, checking the sink received each one;
3. sends the very same messages (as received by the sink) again with a
   plain smtplib loop on one connection, and prints the ratio
   worker / smtplib (target 0.5 or more).

`--profile` runs the worker under cProfile (which slows it about threefold)
and prints where its time goes; `--breakdown` instead times the sending
steps with a clock (little overhead) and prints milliseconds per e-mail;
docs/invitations.md explains the figures.
"""

import argparse
import contextlib
import multiprocessing
import os
import shutil
import smtplib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, invitation_batch_setup  # noqa: E402


def run_sink(port: int, received, dump: str, dump_asked, dumped, ready) -> None:
    """The SMTP sink process: counts messages and keeps them in memory (so
    that keeping them costs the sender nothing); when asked, writes them to
    a folder for the smtplib loop to resend, and stops keeping them."""
    from aiosmtpd.controller import Controller

    kept = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            if not dump_asked.is_set():
                kept.append(
                    (envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
                )
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    dump_asked.wait()
    folder = Path(dump)
    for number, (sender, recipients, content) in enumerate(kept):
        (folder / f"{number:06d}.eml").write_bytes(content)
        (folder / f"{number:06d}.rcpt").write_text("\n".join([sender, *recipients]))
    kept.clear()
    dumped.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


# The steps of meetings.services.sending that --breakdown times, by where
# they are looked up: (object, attribute name, label).
STEPS = (
    ("meetings.services.sending", "_claim", "claim (links, opt-out links)"),
    ("meetings.emails.InvitationMailing", "__init__", "render once per mailing"),
    ("meetings.emails.InvitationMailing", "prepare", "fill in per invitee"),
    ("meetings.services.smtp.Transport", "send", "SMTP sendmail"),
    ("meetings.services.sending", "_record_sent", "record the outcome"),
    ("meetings.tasks", "deliver_chunk", "whole chunk (claim to last record)"),
)


def time_steps() -> dict:
    """Wrap each step in a clock; returns label -> [seconds, processor
    seconds of the thread, calls, thread names], filled while the worker
    runs."""
    import functools
    import importlib
    import threading

    totals = {}
    for where, name, label in STEPS:
        module_name, _, class_name = where.rpartition(".")
        try:
            owner = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            owner = importlib.import_module(where)
        original = getattr(owner, name, None)
        if original is None:
            continue
        total = totals[label] = [0.0, 0.0, 0, set()]

        def timed(*args, _original=original, _total=total, **kwargs):
            began, began_cpu = time.perf_counter(), time.thread_time()
            try:
                return _original(*args, **kwargs)
            finally:
                _total[0] += time.perf_counter() - began
                _total[1] += time.thread_time() - began_cpu
                _total[2] += 1
                _total[3].add(threading.current_thread().name)

        setattr(owner, name, functools.wraps(original)(timed))
    return totals


def time_window() -> list[float]:
    """Seconds from the server's answer to each message (sendmail
    returning) to the end of that message's record: a worker killed in
    that window sends the message again after the restart."""
    from meetings.services import sending, smtp

    answered: dict[str, float] = {}
    windows: list[float] = []
    send, record = smtp.Transport.send, sending._record_sent

    def timed_send(self, prepared):
        send(self, prepared)
        answered[prepared.to] = time.perf_counter()

    def timed_record(item, *args, **kwargs):
        record(item, *args, **kwargs)
        windows.append(time.perf_counter() - answered.pop(item.invitation.email))

    smtp.Transport.send = timed_send
    sending._record_sent = timed_record
    return windows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default="",
        help="an empty PostgreSQL database to use instead of a temporary SQLite file",
    )
    parser.add_argument(
        "--on-disk",
        action="store_true",
        help="keep the temporary SQLite file on disk rather than in /dev/shm",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the request and the worker under cProfile and print where "
        "their time goes",
    )
    parser.add_argument(
        "--ahead",
        type=int,
        default=0,
        help="MEETINGS_SEND_AHEAD for this run (1: no message goes before the "
        "previous one is recorded)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time the sending steps and print milliseconds per e-mail",
    )
    args = parser.parse_args()

    # The throw-away database lives in memory-backed storage when there is
    # some, so the figure is the sender's own cost, not this disk's fsync
    # latency (--on-disk to include it).
    shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp() folder inside it
    base = shm if shm.is_dir() and not args.on_disk else None
    work = Path(tempfile.mkdtemp(prefix="cld-bench-", dir=base))
    keep = work / "received"
    keep.mkdir()
    port = free_port()
    received = multiprocessing.Value("i", 0)
    ready, dump_asked, dumped = (multiprocessing.Event() for _ in range(3))
    sink = multiprocessing.Process(
        target=run_sink,
        args=(port, received, str(keep), dump_asked, dumped, ready),
        daemon=True,
    )
    sink.start()
    ready.wait(10)

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_SECRET_KEY": "bench-only",
            "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
            "DATABASE_URL": args.database_url or f"sqlite:///{work / 'bench.sqlite3'}",
            "PORTAL_VAR_DIR": str(work),
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
    )
    client, _meeting, page = invitation_batch_setup(args.count)
    if args.ahead:
        from django.conf import settings

        settings.MEETINGS_SEND_AHEAD = args.ahead
    from django.core.management import call_command

    from meetings.models import Invitation

    url = f"{page}invite/"
    # The organiser opens the invitation page first, as they do: the
    # request below is timed in a warm process, as on a running server.
    assert client.get(url).status_code == 200
    request_profiler = None
    if args.profile:
        import cProfile

        request_profiler = cProfile.Profile()
        request_profiler.enable()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Capturing queries costs the request time of its own (the SQL is
    # written out with its parameters): only with --breakdown.
    capture = CaptureQueriesContext(connection)
    began = time.perf_counter()
    with capture if args.breakdown else contextlib.nullcontext():
        response = client.post(url, {"step": "send", "everyone": "on"})
    request_seconds = time.perf_counter() - began
    if args.breakdown:
        slowest = sorted(capture, key=lambda query: -float(query["time"]))
        print(f"the request's {len(capture)} queries, slowest first:")
        for query in slowest[:5]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:90]}")
    if request_profiler:
        import pstats

        request_profiler.disable()
        print("the organiser's request:")
        stats = pstats.Stats(request_profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    assert response.status_code == 302, response.status_code
    queued = Invitation.objects.filter(status="queued").count()
    print(f"organiser request: {request_seconds:.3f} s ({queued} invitations queued)")
    assert received.value == 0, "the request must not send anything itself"

    totals = time_steps() if args.breakdown else None
    windows = time_window() if args.breakdown else None
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began, began_cpu = time.perf_counter(), time.process_time()
    call_command(
        "db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0
    )
    worker_seconds = time.perf_counter() - began
    worker_cpu = time.process_time() - began_cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if totals is not None:
        print(
            f"worker, milliseconds per e-mail (of {worker_seconds:.2f} s in all; "
            f"processor time {1000 * worker_cpu / args.count:.3f} ms per e-mail):"
        )
        print(f"  {'step':36} {'clock':>8} {'processor':>10}")
        for label, (seconds, cpu, calls, threads) in totals.items():
            print(
                f"  {label:36} {1000 * seconds / args.count:8.3f}"
                f" {1000 * cpu / args.count:10.3f}"
                f"  ({calls} calls, thread {', '.join(sorted(threads))})"
            )
    if windows:
        windows.sort()
        print(
            f"  from the server's answer to the record: median "
            f"{1000 * windows[len(windows) // 2]:.3f} ms, 99% under "
            f"{1000 * windows[len(windows) * 99 // 100]:.3f} ms, longest "
            f"{1000 * windows[-1]:.3f} ms; {100 * sum(windows) / worker_seconds:.0f}%"
            " of the worker's time (the chance that a kill leaves a repeat)"
        )
    deadline = time.time() + 10
    while received.value < args.count and time.time() < deadline:
        time.sleep(0.05)
    sent = Invitation.objects.filter(status="sent").count()
    assert received.value == args.count == sent, (received.value, sent)
    worker_rate = args.count / worker_seconds
    print(
        f"worker: {args.count} e-mails in {worker_seconds:.2f} s "
        f"= {worker_rate:.0f} e-mails/s"
    )

    dump_asked.set()
    dumped.wait(60)
    messages = []
    for path in sorted(keep.glob("*.eml")):
        sender, *recipients = path.with_suffix(".rcpt").read_text().splitlines()
        messages.append((sender, recipients, path.read_bytes()))
    began = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for sender, recipients, content in messages:
            connection.sendmail(sender, recipients, content)
    plain_seconds = time.perf_counter() - began
    plain_rate = len(messages) / plain_seconds
    print(
        f"plain smtplib loop: {len(messages)} e-mails in {plain_seconds:.2f} s "
        f"= {plain_rate:.0f} e-mails/s"
    )
    print(f"ratio worker / smtplib: {worker_rate / plain_rate:.2f} (target >= 0.5)")
    print(
        f"targets: request < 1 s: {'met' if request_seconds < 1 else 'NOT met'}; "
        f"ratio >= 0.5: {'met' if worker_rate / plain_rate >= 0.5 else 'NOT met'}"
    )
    database = args.database_url.split("@")[-1] if args.database_url else work
    print(f"database: {database}")
    sink.terminate()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
