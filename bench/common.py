"""Shared pieces of the load and fault scripts: free ports, gunicorn with the
production settings, throw-away PostgreSQL databases and clusters, and an
SMTP sink whose behaviour can be switched while it runs.

Every helper that starts something returns an object whose stop() ends it
(and everything it started: processes run in their own process group), so
the scripts can stop everything in a `finally` block.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SHARED_POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def stop_group(process: subprocess.Popen | None, timeout: float = 15) -> None:
    """SIGTERM to the process group, then SIGKILL when it does not stop."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


# The portal's environment -------------------------------------------------


def portal_environment(*, database_url: str, port: int = 0, **extra) -> dict:
    """Production settings on plain HTTP on the loopback (no TLS redirect,
    no HSTS), with a fresh secret key."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        PORTAL_SITE_URL=f"http://{HOST}:{port or 8000}",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    env.pop("EMAIL_URL", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env: dict, *args: str, timeout: float = 600, quiet: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")
    if not quiet and result.stdout.strip():
        print(result.stdout.strip())
    return result.stdout


def collectstatic(env: dict) -> None:
    """The production storage needs the manifest of collected files."""
    manage(env, "collectstatic", "--noinput", "-v", "0")


class Gunicorn:
    """gunicorn serving config.wsgi on HOST:port in its own process group."""

    def __init__(
        self,
        env: dict,
        port: int,
        *,
        workers: int = 4,
        threads: int = 1,
        log: Path | None = None,
    ):
        self.port = port
        self.log = open(log, "w") if log else None  # noqa: SIM115 - closed in stop()
        args = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ]
        if threads > 1:
            args += ["--worker-class", "gthread", "--threads", str(threads)]
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_until_up(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped while starting")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        stop_group(self.process)
        if self.log:
            self.log.close()


# PostgreSQL ------------------------------------------------------------------


def postgres_admin(url: str = SHARED_POSTGRES):
    import psycopg2

    connection = psycopg2.connect(f"{url}/postgres")
    connection.autocommit = True
    return connection


def database_create(name: str, url: str = SHARED_POSTGRES) -> str:
    """A new empty database (an older one of the same name is dropped first)."""
    database_drop(name, url)
    connection = postgres_admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return f"{url}/{name}"


def database_drop(name: str, url: str = SHARED_POSTGRES) -> None:
    connection = postgres_admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()


def postgres_tool(name: str) -> str:
    """A PostgreSQL program: on the PATH, else Debian's newest version."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise SystemExit(f"{name} not found (install the PostgreSQL server package)")
    return candidates[-1]


class PrivateCluster:
    """A throw-away PostgreSQL cluster in a temporary folder, on its own
    port, that the script may stop and restart at will. Never touches the
    machine's own server. initdb refuses to run as root, so as root the
    cluster runs as the `postgres` system user."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cld-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            postgres_tool("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '{HOST}'\n"
                f"unix_socket_directories = '{self.folder}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        if self.as_user:
            subprocess.run(
                ["chown", "-R", "postgres:postgres", str(self.folder)], check=True
            )

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, *args],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(
            postgres_tool("pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "30",
            *extra,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# SMTP sink -------------------------------------------------------------------

ACCEPT, REFUSE, DOWN = 0, 1, 2
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


def _sink_main(port, mode, received, refused, log_path, ready, stop) -> None:
    """The sink process. mode ACCEPT: 250 and one line per recipient in the
    log; REFUSE: 451 for every recipient (a temporary failure); DOWN: the
    listening socket is closed, so connections are refused."""
    from aiosmtpd.controller import Controller

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - closed at exit
    ids = open(f"{log_path}.ids", "a", buffering=1)  # noqa: SIM115 - closed at exit

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if mode.value == REFUSE:
                with refused.get_lock():
                    refused.value += 1
                return "451 4.3.0 Mailbox temporarily unavailable, try later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            found = MESSAGE_ID.search(envelope.original_content)
            identifier = found.group(1).decode() if found else "-"
            for address in envelope.rcpt_tos:
                log.write(address.lower() + "\n")
                ids.write(f"{address.lower()} {identifier}\n")
            with received.get_lock():
                received.value += len(envelope.rcpt_tos)
            return "250 Message accepted for delivery"

    controller = None
    ready.set()
    while not stop.is_set():
        wanted_up = mode.value != DOWN
        if wanted_up and controller is None:
            controller = Controller(Handler(), hostname=HOST, port=port)
            controller.start()
        elif not wanted_up and controller is not None:
            controller.stop()
            controller = None
        time.sleep(0.05)
    if controller is not None:
        controller.stop()
    log.close()
    ids.close()


class SmtpSink:
    """An aiosmtpd sink in its own process (so it never shares the sender's
    interpreter lock), switchable between accepting, refusing and down.
    Counts, per recipient, the messages it accepted."""

    def __init__(self, mode: int = ACCEPT):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cld-sink-"))
        self.log_path = self.folder / "received.txt"
        self.log_path.touch()
        self.mode = context.Value("i", mode)
        self.received = context.Value("i", 0)
        self.refused = context.Value("i", 0)
        ready, self._stop = context.Event(), context.Event()
        self.process = context.Process(
            target=_sink_main,
            args=(
                self.port,
                self.mode,
                self.received,
                self.refused,
                str(self.log_path),
                ready,
                self._stop,
            ),
            daemon=True,
        )
        self.process.start()
        ready.wait(20)
        self.wait_mode(mode)

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def set_mode(self, mode: int) -> None:
        self.mode.value = mode
        self.wait_mode(mode)

    def wait_mode(self, mode: int, timeout: float = 10) -> None:
        """Until the port is listening (or not), as the mode says."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    listening = True
            except OSError:
                listening = False
            if listening == (mode != DOWN):
                return
            time.sleep(0.05)
        raise SystemExit("the SMTP sink did not change mode in time")

    def per_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.log_path.read_text().splitlines():
            if line:
                counts[line] = counts.get(line, 0) + 1
        return counts

    def message_ids(self) -> list[tuple[str, str]]:
        """(recipient, Message-ID) of each accepted message, in order."""
        path = Path(f"{self.log_path}.ids")
        if not path.exists():
            return []
        return [
            tuple(line.split(" ", 1)) for line in path.read_text().splitlines() if line
        ]

    def stop(self) -> None:
        self._stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        shutil.rmtree(self.folder, ignore_errors=True)


def verdict(checks: list[tuple[str, bool, str]]) -> bool:
    """Print one line per check and the overall PASS or FAIL."""
    for name, passed, detail in checks:
        print(f"  [{'ok' if passed else 'FAILED'}] {name}: {detail}")
    passed = all(ok for _name, ok, _detail in checks)
    print("PASS" if passed else "FAIL")
    return passed


# Invitations -----------------------------------------------------------------


def invitation_environment(*, database_url: str, email_url: str, folder: Path) -> dict:
    """Settings for a process that queues or sends invitations (the
    in-process organiser and the `manage.py db_worker` subprocess)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DATABASE_URL=database_url,
        PORTAL_VAR_DIR=str(folder),
        EMAIL_URL=email_url,
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    return env


def invitation_batch_setup(count: int):
    """In this (already configured) process: migrate, create a chapter with
    `count` organisations on its outreach list, an organiser and a meeting.
    Returns (organiser's test client, meeting, meeting page path)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from chapters.models import Chapter, Organiser
    from meetings.services.meetings import meeting_create
    from members.models import Organisation, Prospect, Representative

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(
        username="organiser", email="organiser@fault.example"
    )
    chapter = Chapter.objects.create(
        country="JO", name_ar="فرع الأردن", name_en="Jordan", time_zone="Asia/Amman"
    )
    Organiser.objects.create(chapter=chapter, user=user)
    organisations = []
    for number in range(count):
        organisation = Organisation(
            name_ar=f"منظمة {number}", name_en=f"Organisation {number}", kind="ngo"
        )
        organisation.refresh_keys()
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.order_by("id"))
    Representative.objects.bulk_create(
        Representative(
            organisation=organisation,
            chapter=chapter,
            name=f"Representative {number}",
            email=f"rep{number}@fault.example",
            language="ar" if number % 3 else "en",
        )
        for number, organisation in enumerate(organisations)
    )
    Prospect.objects.bulk_create(
        Prospect(chapter=chapter, organisation=organisation)
        for organisation in organisations
    )
    start = timezone.now() + timezone.timedelta(days=14)
    meeting = meeting_create(
        actor=user,
        chapter=chapter,
        data={
            "title_ar": "الاجتماع الاستكشافي الأول",
            "title_en": "First exploratory meeting",
            "starts_at": start,
            "ends_at": start + timezone.timedelta(hours=3),
            "venue_address": "Community hall",
        },
    )
    client = Client()
    client.force_login(user)
    return client, meeting, f"/en/manage/jo/meetings/{meeting.pk}/"


def invitation_fault_teardown(
    *, worker, sink, database: str, own_database: bool, folder: Path
) -> None:
    """Stop what a fault script started (worker group, SMTP sink), close
    this process's connections and drop the database it created."""
    stop_group(worker)
    if sink is not None:
        sink.stop()
    from django.db import connections

    connections.close_all()
    if own_database:
        database_drop(database)
    shutil.rmtree(folder, ignore_errors=True)


def invitation_status_counts(meeting) -> dict[str, int]:
    from django.db.models import Count

    from meetings.models import Invitation

    rows = (
        Invitation.objects.filter(meeting=meeting)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def task_status_counts() -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def worker_start(env: dict, *, batch: bool, log: Path) -> subprocess.Popen:
    """The real `manage.py db_worker`, in its own process group."""
    args = [PYTHON, "manage.py", "db_worker", "--interval", "0.1"]
    args += ["--no-startup-delay", "--no-reload", "-v", "0"]
    if batch:
        args.append("--batch")
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "a"),  # the child keeps it
    )


def worker_run_batch(env: dict, log: Path, timeout: float = 300) -> float:
    """Run the worker until the queue is empty; returns the seconds taken."""
    began = time.monotonic()
    process = worker_start(env, batch=True, log=log)
    try:
        process.wait(timeout=timeout)
    finally:
        stop_group(process)
    return time.monotonic() - began
