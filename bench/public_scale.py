"""The public side at scale: every public answer against /healthz and a
static file, side by side in one run, then the stampede after a change.

Serves the portal with gunicorn and the production settings on PostgreSQL
with the production cache (Redis at REDIS_URL; its database is flushed
first), then sends a browser's requests (Accept-Encoding "br, gzip", no
cookie) from 16 client connections spread over a few client processes.
Each row is measured for --seconds, --rounds times, the rows alternating
(every other round in reverse order); a row's figures are the medians of
its rounds and its ratios the median of the ratios within each round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_public \\
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/public_scale.py
    ... bench/public_scale.py --quick           # 1 round, 3 s per row
    ... bench/public_scale.py --workers 4 --threads 16 --rounds 3 --seconds 3

The defaults (the last line) and a 60 s stampede test take about five and a
half minutes, seeding included; --quick about three (its stampede test 36 s).

The database must exist (`createdb bench_public`) and is the script's own:
it is migrated and seeded with three member chapters (10, 1,000 and 10,000
listed organisations, on the codes of uninhabited territories) and other
chapters up to 50, on country codes the demo does not use. Seeding reuses
what an earlier run left when it is as expected and rebuilds it otherwise.

The directory and the API list are measured twice: in a first phase with 50
chapters, then with 200 (150 chapters are added between the phases and
removed again by the next run's seeding). Each phase has its own /healthz
and static-file measurements, and a row's ratios are against its phase's.

A row whose page does not exist yet (the members "show all" page) is
skipped with a note when it answers 404; any other non-200 answer is
counted and shown. The API's ?page=2 is measured for the chapters that have
a second page (1,000 and 10,000 members).

The stampede test then loads the 10,000-member country page for about 15 s,
has a representative confirm one more organisation's membership through the
membership service (as from their personal link), and reports throughput
and p99 in the windows 0-5 s, 5-15 s and the rest after the change. Target:
the worst window's p99 under 4 times the steady p99.

The client is Python on the same machine (the load average before and after
is printed): the figures include its own overhead, which is why every row
is given as a ratio to /healthz and to a static file measured the same way.
"""

import argparse
import contextlib
import http.client
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote

from common import (
    HOST,
    ROOT,
    Gunicorn,
    collectstatic,
    free_port,
    manage,
    portal_environment,
)

# Uninhabited territories: no real chapter will use them.
MEMBER_CHAPTERS = {"HM": 10, "BV": 1_000, "AQ": 10_000}
LARGEST = "AQ"
SMALL_DIRECTORY, LARGE_DIRECTORY = 50, 200
# The demo's own chapters (chapters/demo.py and members/demo.py) besides the
# ones its OTHER_CHAPTERS list names.
DEMO_COUNTRIES = {"JO", "MA"}
DOMAIN = "bench-public.example"
LATE_WEBSITE = f"https://late.{LARGEST.lower()}.{DOMAIN}"
SEARCH_WORD = "island"  # matches several territories' names in both phases
CSV_SIZES = (1_000, 10_000)
API_SECOND_PAGE = (1_000, 10_000)


# The load: client processes, each with threads -------------------------------


def _ignore_interrupt() -> None:
    # The main process stops the pool itself; Ctrl-C must reach only it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def fetch(port: int, path: str, encoding: str, *, headers: bool = False):
    """(status, body bytes[, response headers]) of one GET on a new
    connection (gunicorn's sync workers close each one), without a cookie."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        sent = {"Accept-Encoding": encoding} if encoding else {}
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        body = response.read()
        if headers:
            return response.status, body, dict(response.getheaders())
        return response.status, len(body)
    finally:
        connection.close()


def _client_part(task) -> list[tuple[float, float, int, int]]:
    """One client process: `threads` connections sending GETs to the paths
    in turn until the wall-clock deadline. Each request gives (end time,
    seconds, status, bytes); a connection error is status 0."""
    port, paths, deadline, threads, encoding = task

    def connection_loop(index: int):
        records = []
        for number in range(index, 10_000_000, threads):
            if time.time() >= deadline:
                break
            path = paths[number % len(paths)]
            started = time.perf_counter()
            try:
                status, size = fetch(port, path, encoding)
            except OSError:
                status, size = 0, 0
            records.append((time.time(), time.perf_counter() - started, status, size))
        return records

    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(connection_loop, range(threads)))
    return [record for part in parts for record in part]


class Load:
    """A pool of client processes (spawned, so they share nothing with the
    seeding process's database connections) that together keep `threads`
    requests in flight."""

    def __init__(self, *, port: int, threads: int, processes: int, encoding: str):
        self.port = port
        self.encoding = encoding
        processes = max(1, min(processes, threads))
        self.shares = [
            threads // processes + (1 if index < threads % processes else 0)
            for index in range(processes)
        ]
        context = multiprocessing.get_context("spawn")
        self.pool = context.Pool(processes, initializer=_ignore_interrupt)

    def start(self, paths: list[str], seconds: float):
        """Load until now + seconds; returns (start time, pending result)."""
        began = time.time()
        deadline = began + seconds
        tasks = [
            (self.port, paths, deadline, share, self.encoding) for share in self.shares
        ]
        return began, self.pool.map_async(_client_part, tasks, chunksize=1)

    def run(self, paths: list[str], seconds: float) -> "Run":
        began, pending = self.start(paths, seconds)
        records = [record for part in pending.get() for record in part]
        return Run.of(records, began=began)

    def stop(self) -> None:
        self.pool.terminate()
        self.pool.join()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Run:
    rate: float
    p50: float  # milliseconds
    p99: float
    size: int  # median body bytes
    statuses: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, records, *, began: float, ended: float | None = None) -> "Run":
        if not records:
            return cls(0.0, 0.0, 0.0, 0, Counter())
        ended = ended or max(record[0] for record in records)
        seconds = [record[1] for record in records]
        return cls(
            rate=len(records) / max(ended - began, 1e-6),
            p50=percentile(seconds, 0.50) * 1000,
            p99=percentile(seconds, 0.99) * 1000,
            size=int(statistics.median(record[3] for record in records)),
            statuses=Counter(record[2] for record in records),
        )

    @property
    def failures(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)


# What is measured -------------------------------------------------------------


@dataclass
class Row:
    name: str
    path: str
    optional: bool = False  # skipped with a note when it answers 404
    runs: list = field(default_factory=list)
    health_ratios: list = field(default_factory=list)
    static_ratios: list = field(default_factory=list)
    sizes: dict = field(default_factory=dict)  # encoding -> bytes of one answer
    note: str = ""

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    def statuses(self) -> Counter:
        total = Counter()
        for run in self.runs:
            total.update(run.statuses)
        return total


def static_path() -> str:
    """The collected (hashed) name of the portal's own style sheet."""
    import json

    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/portal.css"]


def probe(row: Row, port: int) -> None:
    """One request per encoding: the answer's status and size in each."""
    for label, encoding in (("br", "br"), ("gzip", "gzip"), ("none", "identity")):
        status, body, headers = fetch(port, row.path, encoding, headers=True)
        sent = headers.get("Content-Encoding", "none")
        row.sizes[label] = (status, len(body), sent)


def measure_phase(
    load: Load, rows: list[Row], *, rounds: int, seconds: float, warm: float
) -> None:
    """rows[0] is /healthz and rows[1] the static file; every round measures
    all rows one after the other, every other round in reverse order."""
    for row in rows:
        probe(row, load.port)
        if row.optional and row.sizes["br"][0] == 404:
            row.note = "skipped: answers 404 (page not built yet)"
    measured = [row for row in rows if not row.note]
    # Warm every worker: its connection, and its copy of each shared answer.
    load.run([row.path for row in measured], warm)
    for number in range(rounds):
        order = measured if number % 2 == 0 else list(reversed(measured))
        results = {}
        for row in order:
            results[row.name] = load.run([row.path], seconds)
            row.runs.append(results[row.name])
        health, static = results[rows[0].name].rate, results[rows[1].name].rate
        for row in measured:
            row.health_ratios.append(results[row.name].rate / health if health else 0)
            row.static_ratios.append(results[row.name].rate / static if static else 0)
        print(f"  round {number + 1} of {rounds} done", flush=True)


# Seeding ------------------------------------------------------------------------


def django_start(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_codes() -> tuple[list[str], list[str]]:
    """(the first phase's chapters, the 150 added for the second): member
    chapters first, then country codes in django-countries' order, none of
    the demo's."""
    from django_countries import countries

    from chapters import demo

    taken = DEMO_COUNTRIES | {row[0] for row in getattr(demo, "OTHER_CHAPTERS", ())}
    free = [
        code
        for code, _name in countries
        if code not in taken and code not in MEMBER_CHAPTERS
    ]
    first = [*MEMBER_CHAPTERS, *free[: SMALL_DIRECTORY - len(MEMBER_CHAPTERS)]]
    rest = free[
        SMALL_DIRECTORY - len(MEMBER_CHAPTERS) : LARGE_DIRECTORY - len(MEMBER_CHAPTERS)
    ]
    return first, rest


def new_chapter(code: str, number: int):
    from chapters.models import Chapter

    statuses = Chapter.Status.values
    chapter = Chapter(
        country=code,
        name_ar=f"فرع القياس {number}",
        name_en=f"Benchmark chapter {number}",
        introduction_ar="فرع للقياس فقط. " * 20,
        introduction_en="A chapter for measuring only. " * 20,
        status=Chapter.Status.FORMING
        if code in MEMBER_CHAPTERS
        else statuses[number % len(statuses)],
    )
    # bulk_create skips save(): derive the search column.
    chapter.refresh_search()
    return chapter


def chapters_ensure(codes: list[str], start: int = 0) -> None:
    from chapters.models import Chapter

    present = set(
        Chapter.objects.filter(country__in=codes).values_list("country", flat=True)
    )
    Chapter.objects.bulk_create(
        new_chapter(code, start + number)
        for number, code in enumerate(codes)
        if code not in present
    )


def new_organisation(code: str, number: int, *, website: str = ""):
    from members.models import Organisation

    kinds = Organisation.Kind.values
    organisation = Organisation(
        name_ar=f"جمعية القياس رقم {number}",
        name_en=f"Benchmark association {number}",
        kind=kinds[number % len(kinds)],
        country=code,
        city_ar="مدينة القياس",
        city_en="Benchmark city",
        website=website or f"https://m{number}.{code.lower()}.{DOMAIN}",
        description_ar="منظمة مجتمعية تعمل مع المجتمعات المحلية.",
        description_en="A community organisation working with communities.",
    )
    # bulk_create skips save(): derive the duplicate-detection keys and
    # whatever search column the model keeps.
    organisation.refresh_keys()
    if hasattr(organisation, "refresh_search"):
        organisation.refresh_search()
    return organisation


def members_ensure(code: str, count: int) -> None:
    """The chapter's `count` listed members and, for the largest, the one
    organisation whose representative confirms during the stampede test
    (left in 'requested')."""
    from django.db.models.signals import post_delete
    from django.utils import timezone
    from factory.django import mute_signals

    from chapters.cache import country_page_invalidate
    from chapters.models import Chapter
    from members.models import Membership, Organisation, Representative

    chapter = Chapter.objects.get(country=code)
    suffix = f".{code.lower()}.{DOMAIN}"
    ours = Organisation.objects.filter(website__endswith=suffix)
    memberships = Membership.objects.for_chapter(chapter)
    late = memberships.filter(organisation__website=LATE_WEBSITE)
    if (
        memberships.listed().exclude(organisation__website=LATE_WEBSITE).count()
        == count
        and memberships.filter(organisation__in=ours).count() == memberships.count()
        and memberships.count() == count + (1 if code == LARGEST else 0)
        and (code != LARGEST or late.exists())
    ):
        # As an earlier run left it: the late one is asked again.
        late.update(state=Membership.State.REQUESTED, confirmed_at=None)
        country_page_invalidate(chapter)
        return
    print(f"  seeding {count:,} members of {code} ...", flush=True)
    # Without the cache's receivers, which run one UPDATE per deleted row:
    # the chapter's version is bumped once below.
    with mute_signals(post_delete):
        memberships.delete()
        ours.delete()
    organisations = Organisation.objects.bulk_create(
        (new_organisation(code, number) for number in range(count)), batch_size=2000
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        (
            Membership(
                chapter=chapter,
                organisation=organisation,
                state=Membership.State.CONFIRMED,
                requested_at=now,
                confirmed_at=now,
            )
            for organisation in organisations
        ),
        batch_size=2000,
    )
    if code == LARGEST:
        organisation = new_organisation(code, count, website=LATE_WEBSITE)
        organisation.name_en = "Benchmark late member"
        organisation.name_ar = "جمعية القياس المتأخرة"
        organisation.save()
        Representative.objects.create(
            organisation=organisation,
            chapter=chapter,
            name="Late representative",
            email=f"late@{DOMAIN}",
            language="en",
        )
        Membership.objects.create(
            chapter=chapter,
            organisation=organisation,
            state=Membership.State.REQUESTED,
            requested_at=now,
        )
    Chapter.objects.filter(pk=chapter.pk).update(members_updated_at=now)
    country_page_invalidate(chapter)


def seed(first: list[str], rest: list[str]) -> None:
    """The first phase's data: its chapters and members, none of the second
    phase's chapters (a run stopped midway may have left them)."""
    from django.db import transaction

    from chapters.models import Chapter

    with transaction.atomic():
        Chapter.objects.filter(country__in=rest).delete()
        chapters_ensure(first)
        for code, count in MEMBER_CHAPTERS.items():
            members_ensure(code, count)


def listed_counts() -> dict[str, int]:
    from members.models import Membership

    return {
        code: Membership.objects.listed().filter(chapter__country=code).count()
        for code in MEMBER_CHAPTERS
    }


def chapter_count() -> int:
    from chapters.models import Chapter

    return Chapter.objects.count()


def representative_confirms() -> float:
    """The late organisation's representative confirms its membership
    through the membership service, as from their personal link. Returns
    the seconds the service took."""
    from chapters.models import Chapter
    from members.models import ConfirmationLink, Membership
    from members.services.consent import consent_statement_current
    from members.services.membership import membership_confirm
    from members.services.membership_links import confirmation_link_new

    chapter = Chapter.objects.get(country=LARGEST)
    membership = Membership.objects.get(
        chapter=chapter, organisation__website=LATE_WEBSITE
    )
    link = confirmation_link_new(
        membership=membership,
        representative=membership.organisation.representatives.get(),
        purpose=ConfirmationLink.Purpose.RESPOND,
    )
    version = consent_statement_current().version
    began = time.perf_counter()
    membership_confirm(
        link=link, language="en", role="Director", consent_version=version
    )
    return time.perf_counter() - began


# The stampede test ---------------------------------------------------------------


def stampede(load: Load, path: str, total: float) -> dict:
    """Steady load, one real change, then the windows after it."""
    steady_seconds = 15.0 if total >= 45 else total / 3
    began, pending = load.start([path], total)
    time.sleep(max(0.0, began + steady_seconds - time.time()))
    before = fetch(load.port, path, load.encoding, headers=True)[2].get("ETag")
    service_seconds = representative_confirms()
    changed = time.time()
    fresh_after = None
    while time.time() < began + total:
        etag = fetch(load.port, path, load.encoding, headers=True)[2].get("ETag")
        if etag != before:
            fresh_after = time.time() - changed
            break
        time.sleep(0.1)
    records = [record for part in pending.get() for record in part]
    ended = max(record[0] for record in records)
    steady = [record for record in records if record[0] < changed]
    windows = []
    for label, start, end in (
        ("0-5 s", 0, 5),
        ("5-15 s", 5, 15),
        (f"15-{ended - changed:.0f} s", 15, None),
    ):
        low = changed + start
        high = changed + end if end is not None else ended + 1
        part = [record for record in records if low <= record[0] < high]
        if part:
            windows.append(
                (label, Run.of(part, began=low, ended=min(high, ended)), len(part))
            )
    return {
        "steady": Run.of(steady, began=began, ended=changed),
        "windows": windows,
        "service": service_seconds,
        "fresh_after": fresh_after,
    }


# Output ---------------------------------------------------------------------------


def ratio_text(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def row_cells(row: Row) -> list[str]:
    sizes = " / ".join(
        f"{row.sizes[label][1]:,}" if label in row.sizes else "-"
        for label in ("br", "gzip", "none")
    )
    if not row.runs:
        status = row.sizes.get("br", ("-",))[0]
        return [row.name, "-", "-", "-", "-", "-", "-", sizes, f"{status}: {row.note}"]
    statuses = row.statuses()
    failures = ", ".join(
        f"{count:,}× {status or 'error'}"
        for status, count in sorted(statuses.items())
        if status != 200
    )
    return [
        row.name,
        f"{row.median('rate'):,.0f}",
        ratio_text(row.health_ratios),
        ratio_text(row.static_ratios),
        f"{row.median('p50'):.1f}",
        f"{row.median('p99'):.1f}",
        f"{int(row.median('size')):,}",
        sizes,
        failures or "0",
    ]


HEADER = [
    "row",
    "requests/s",
    "× /healthz",
    "× static",
    "p50 ms",
    "p99 ms",
    "bytes sent",
    "bytes br / gzip / none",
    "non-200",
]


ROW_ORDER = (
    "/healthz",
    "static",
    "country page",
    "members",
    "API detail",
    "API list",
    "directory,",
    "directory search",
    "member CSV",
)


def row_order(row: Row) -> int:
    return next(
        (index for index, start in enumerate(ROW_ORDER) if row.name.startswith(start)),
        len(ROW_ORDER),
    )


def print_text_table(rows: list[Row]) -> None:
    cells = [HEADER, *(row_cells(row) for row in rows)]
    widths = [max(len(line[index]) for line in cells) for index in range(len(HEADER))]
    for line in cells:
        print(
            "  ".join(
                text.ljust(width) if index in (0, 8) else text.rjust(width)
                for index, (text, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def print_markdown(rows: list[Row], facts: dict, result: dict) -> None:
    print("| " + " | ".join(HEADER) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * 7 + ["---"]) + " |")
    for row in rows:
        print("| " + " | ".join(row_cells(row)) + " |")
    steady = result["steady"]
    worst = max((run.p99 for _label, run, _n in result["windows"]), default=0)
    print()
    print("| stampede (10,000-member country page) | requests/s | p99 ms |")
    print("| --- | ---: | ---: |")
    print(f"| steady, before the change | {steady.rate:,.0f} | {steady.p99:.1f} |")
    for label, run, _count in result["windows"]:
        print(f"| {label} after the change | {run.rate:,.0f} | {run.p99:.1f} |")
    ratio = worst / steady.p99 if steady.p99 else 0
    print(
        f"| worst p99 / steady p99 | | **{ratio:.2f}** "
        f"({'under' if ratio < 4 else 'NOT under'} the target of 4) |"
    )
    print()
    print(
        f"{facts['date']}, commit {facts['commit']}; {facts['cpus']} CPUs, load "
        f"average {facts['load_before']} before and {facts['load_after']} after; "
        f"gunicorn {facts['workers']} sync workers, {facts['threads']} client "
        f"connections in {facts['processes']} client processes, "
        f"{facts['rounds']} round(s) of {facts['seconds']:g} s per row, "
        f"Accept-Encoding `{facts['encoding']}`; PostgreSQL {facts['postgres']}, "
        f"Redis cache."
    )


def shows_count(body: bytes, count: int) -> bool:
    """Whether the page names the number, however it groups the digits."""
    text = body.decode(errors="replace")
    return any(
        f"{count:,}".replace(",", separator) in text
        for separator in ("", ",", ".", "\u00a0", "\u202f", " ")
    )


def load_text() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if changed else commit


# The run ------------------------------------------------------------------------


def options_parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=16, help="client connections")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes sending the load"
    )
    parser.add_argument("--rounds", type=int, default=None, help="default 3")
    parser.add_argument(
        "--seconds", type=float, default=None, help="per row and round; default 3"
    )
    parser.add_argument(
        "--stampede-seconds", type=float, default=None, help="default 60 (36 quick)"
    )
    parser.add_argument("--encoding", default="br, gzip", help="Accept-Encoding sent")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 round, 3 s per row"
    )
    options = parser.parse_args()
    quick = options.quick
    if options.rounds is None:
        options.rounds = 1 if quick else 3
    if options.seconds is None:
        options.seconds = 3.0
    if options.stampede_seconds is None:
        options.stampede_seconds = 36.0 if quick else 60.0
    options.warm = 1.0 if quick else 2.0
    return options


def _stop_on_signal(signum, _frame):
    # Turned into SystemExit so that every `finally` stops what it started.
    raise SystemExit(f"stopped by {signal.Signals(signum).name}")


def main() -> None:
    options = options_parse()
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the benchmark's PostgreSQL database.")
    if not redis_url:
        raise SystemExit("Set REDIS_URL to a Redis database the benchmark may flush.")
    # SIGINT too: a shell that starts the script in the background ignores it.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop_on_signal)

    facts = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": git_commit(),
        "cpus": os.cpu_count(),
        "load_before": load_text(),
        "workers": options.workers,
        "threads": options.threads,
        "processes": options.client_processes,
        "rounds": options.rounds,
        "seconds": options.seconds,
        "encoding": options.encoding,
    }
    print(
        f"{facts['date']}  commit {facts['commit']}  CPUs {facts['cpus']}  "
        f"load average before: {facts['load_before']}",
        flush=True,
    )
    port = free_port()
    env = portal_environment(database_url=database_url, port=port, REDIS_URL=redis_url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v", "0")
    collectstatic(env)
    django_start(env)
    from django.db import connection, connections

    facts["postgres"] = ".".join(
        str(part)
        for part in divmod(connection.cursor().connection.server_version, 10000)
    )
    first, rest = bench_codes()
    seed(first, rest)
    counts = listed_counts()
    print(
        f"seeded in {time.monotonic() - started:.0f} s: {chapter_count()} chapters, "
        f"listed members {counts}",
        flush=True,
    )
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    connections.close_all()

    def code_of(count: int) -> str:
        return next(code for code, size in MEMBER_CHAPTERS.items() if size == count)

    kind = "cbo"  # Organisation.Kind's first: a ninth of the members
    server = load = None
    try:
        server = Gunicorn(env, port, workers=options.workers)
        server.wait_until_up()
        load = Load(
            port=port,
            threads=options.threads,
            processes=options.client_processes,
            encoding=options.encoding,
        )
        static = static_path()
        timing = {
            "rounds": options.rounds,
            "seconds": options.seconds,
            "warm": options.warm,
        }

        small = chapter_count()
        print(f"\nphase 1: {small} chapters", flush=True)
        first_rows = [
            Row("/healthz (phase 1)", "/healthz"),
            Row("static file (phase 1)", static),
            Row(f"directory, {small} chapters", "/en/countries/"),
            Row(
                f"directory search, {small} chapters",
                f"/en/countries/?q={quote(SEARCH_WORD)}",
            ),
            Row(f"API list, {small} chapters", "/api/v1/countries/"),
        ]
        measure_phase(load, first_rows, **timing)

        chapters_ensure(rest, start=len(first))
        connections.close_all()
        large = chapter_count()
        print(f"\nphase 2: {large} chapters", flush=True)
        second_rows = [
            Row("/healthz", "/healthz"),
            Row("static file (WhiteNoise)", static),
        ]
        for code, count in MEMBER_CHAPTERS.items():
            second_rows.append(
                Row(
                    f"country page, {count:,} members", f"/en/countries/{code.lower()}/"
                )
            )
        second_rows.append(
            Row(
                f"members 'show all', {counts[LARGEST]:,} members",
                f"/en/countries/{LARGEST.lower()}/members/?type={kind}",
                optional=True,
            )
        )
        for code, count in MEMBER_CHAPTERS.items():
            api = f"/api/v1/countries/{code.lower()}/"
            second_rows.append(Row(f"API detail, {count:,} members", api))
            if count in API_SECOND_PAGE:
                second_rows.append(
                    Row(f"API detail page 2, {count:,} members", f"{api}?page=2")
                )
        second_rows += [
            Row(f"API list, {large} chapters", "/api/v1/countries/"),
            Row(f"directory, {large} chapters", "/en/countries/"),
            Row(
                f"directory search, {large} chapters",
                f"/en/countries/?q={quote(SEARCH_WORD)}",
            ),
        ]
        for count in CSV_SIZES:
            second_rows.append(
                Row(
                    f"member CSV, {count:,} members",
                    f"/en/countries/{code_of(count).lower()}/members.csv",
                )
            )
        measure_phase(load, second_rows, **timing)

        page = f"/en/countries/{LARGEST.lower()}/"
        print(
            f"\nstampede: {options.stampede_seconds:g} s on {page}, one confirmation",
            flush=True,
        )
        result = stampede(load, page, options.stampede_seconds)
        connections.close_all()
        after_counts = listed_counts()
        status, body, _headers = fetch(port, page, "identity", headers=True)
        shown = shows_count(body, after_counts[LARGEST])
    finally:
        if load is not None:
            load.stop()
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            connections.close_all()
    facts["load_after"] = load_text()

    # The order of the table: baselines, pages, API, directory, CSV.
    rows = sorted(second_rows[:2] + first_rows[2:] + second_rows[2:], key=row_order)
    print()
    print_text_table(rows)
    print(
        f"\n(the {small}-chapter rows' ratios are against phase 1's /healthz, "
        f"{first_rows[0].median('rate'):,.0f} requests/s, and static file, "
        f"{first_rows[1].median('rate'):,.0f} requests/s)"
    )

    steady = result["steady"]
    print(
        f"\nstampede on {page}: steady {steady.rate:,.0f} requests/s, "
        f"p99 {steady.p99:.1f} ms"
    )
    for label, run, count in result["windows"]:
        ratio = run.p99 / steady.p99 if steady.p99 else 0
        print(
            f"  {label:>9} after the change: {run.rate:7,.0f} requests/s  "
            f"p50 {run.p50:6.1f} ms  p99 {run.p99:7.1f} ms  (×{ratio:.2f})  "
            f"{count:,} requests, non-200 {run.failures}"
        )
    worst = max((run.p99 for _label, run, _n in result["windows"]), default=0)
    ratio = worst / steady.p99 if steady.p99 else 0
    fresh = result["fresh_after"]
    print(
        f"  the confirmation took {result['service'] * 1000:.0f} ms; the new page was "
        + (f"served {fresh:.2f} s after it" if fresh is not None else "NOT served")
        + f"; listed members {counts[LARGEST]:,} -> {after_counts[LARGEST]:,}, "
        f"which the page ({status}) {'shows' if shown else 'does NOT show'}"
    )
    print(
        f"  steady p99 {steady.p99:.1f} ms, after-change p99 (worst window) "
        f"{worst:.1f} ms, ratio {ratio:.2f} (target < 4: "
        f"{'met' if ratio < 4 else 'NOT met'})"
    )
    print(
        f"\nCPUs {facts['cpus']}; load average before {facts['load_before']}, "
        f"after {facts['load_after']}; total {time.monotonic() - started:.0f} s"
    )
    print("\nMarkdown for docs/quality.md:\n")
    print_markdown(rows, facts, result)


if __name__ == "__main__":
    main()
