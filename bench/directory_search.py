"""Benchmark of the public directory search against /healthz, in the same run.

Seeds 200 chapters (one per country, the first 200 of django-countries'
list that have none) on the configured database (DATABASE_URL; SQLite in
var/ otherwise; the database must exist), then serves the portal with
gunicorn and the production settings as bench/country_page.py does, and
sends the same bounded load to /healthz and to the directory searched for
a few queries: one Latin, one Arabic with a letter variant, one that matches
most chapters, one that matches none. Prints the requests per second of
each, its median latency, and its ratio to /healthz.

    .venv/bin/python bench/directory_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/directory_search.py
    .venv/bin/python bench/directory_search.py --seconds 10 --threads 8 --workers 3

Target: every search at 0.5 or more of /healthz. The load is sent like a
browser's (no cookie, gzip accepted), so a search that matches something is
the shared page of chapters/cache.py after the first request of each worker.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from country_page import (
    HOST,
    ROOT,
    free_port,
    get,
    manage,
    measure,
    server_environment,
    wait_until_up,
)

CHAPTERS = 200
QUERIES = {
    "latin": "jord",
    "arabic": "الاردن",
    "broad": "a",
    "none": "zzqx",
}


def seed(env: dict) -> None:
    """At least CHAPTERS chapters: the missing ones created in one bulk."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django_countries import countries

    from chapters.models import Chapter

    with transaction.atomic():
        taken = set(Chapter.objects.values_list("country", flat=True))
        missing = max(0, CHAPTERS - len(taken))
        codes = [code for code, _name in countries if code not in taken][:missing]
        statuses = Chapter.Status.values
        chapters = []
        for number, code in enumerate(codes):
            chapter = Chapter(
                country=code,
                name_ar=f"فرع حركة التنمية بقيادة المجتمع {number}",
                name_en=f"CLD chapter {number}",
                status=statuses[number % len(statuses)],
            )
            # bulk_create skips save(): derive the search column.
            chapter.refresh_search()
            chapters.append(chapter)
        Chapter.objects.bulk_create(chapters)
    total = Chapter.objects.count()
    print(f"{total} chapters on {django.db.connection.vendor}")


def latency(port: int, path: str, *, count: int = 40) -> float:
    """Median milliseconds of one request at a time."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _size = get(port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()

    port = free_port()
    env = server_environment(port)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    seed(env)
    pages = {
        # The whole directory, not searched: the reference a search is
        # compared with besides /healthz.
        "all": "/en/countries/",
        **{name: f"/en/countries/?q={quote(query)}" for name, query in QUERIES.items()},
    }

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(port)
        # Warm every worker's cache and connection.
        for path in ["/healthz", *pages.values()]:
            measure(port, path, seconds=1, threads=options.threads)
        health = statistics.mean(
            measure(port, "/healthz", seconds=options.seconds, threads=options.threads)
            for _ in range(options.rounds)
        )
        print(
            f"{'/healthz':<10} {health:8.1f} requests/s"
            f"  p50 {latency(port, '/healthz'):6.1f} ms"
        )
        for name, path in pages.items():
            rate = statistics.mean(
                measure(port, path, seconds=options.seconds, threads=options.threads)
                for _ in range(options.rounds)
            )
            size = get(port, path)[1]
            print(
                f"{name:<10} {rate:8.1f} requests/s  p50 {latency(port, path):6.1f} ms"
                f"  ratio {rate / health:5.2f} (target >= 0.5)  {size} bytes  {path}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


if __name__ == "__main__":
    main()
