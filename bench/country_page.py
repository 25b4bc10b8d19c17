"""Benchmark of the public country page against /healthz, in the same run.

Seeds a chapter with 1,000 listed member organisations on the configured
database (DATABASE_URL; SQLite in var/ otherwise; the database must exist),
collects the static files, serves the portal with gunicorn on 127.0.0.1 with
the production settings (several workers), then sends the same bounded load
to the country page and to /healthz from a pool of threads and prints the
requests per second of each and their ratio. Stops gunicorn by itself.

    .venv/bin/python bench/country_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/country_page.py
    .venv/bin/python bench/country_page.py --seconds 10 --threads 8 --workers 3

Target: the country page at 0.8 or more of /healthz. The load is sent like a
browser's (no cookie, gzip accepted), so the country page is the shared,
compressed page of chapters/cache.py after the first request of each worker.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_COUNTRY = "BV"  # Bouvet Island: uninhabited, no real chapter will use it
MEMBERS = 1000
HOST = "127.0.0.1"


def server_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS=HOST,
        # Plain HTTP on the loopback: no TLS redirect, no HSTS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        PORTAL_SITE_URL=f"http://{HOST}:{port}",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed(env: dict) -> str:
    """The bench chapter with MEMBERS confirmed memberships, created afresh."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from chapters.cache import country_page_invalidate
    from chapters.models import Chapter
    from members.models import Membership, Organisation

    kinds = Organisation.Kind.values
    with transaction.atomic():
        Organisation.objects.filter(website__endswith=".bench-country.example").delete()
        chapter, _ = Chapter.objects.update_or_create(
            country=BENCH_COUNTRY,
            defaults={
                "name_ar": "فرع القياس",
                "name_en": "Benchmark chapter",
                "introduction_ar": "فرع للقياس فقط. " * 20,
                "introduction_en": "A chapter for measuring only. " * 20,
                "status": Chapter.Status.FORMING,
            },
        )
        organisations = []
        for number in range(MEMBERS):
            organisation = Organisation(
                name_ar=f"جمعية القياس رقم {number}",
                name_en=f"Benchmark association {number}",
                kind=kinds[number % len(kinds)],
                country=BENCH_COUNTRY,
                city_ar="عمّان",
                city_en="Amman",
                website=f"https://org{number}.bench-country.example",
                description_ar="منظمة مجتمعية تعمل مع المجتمعات المحلية.",
                description_en="A community organisation working with communities.",
            )
            # bulk_create skips save(): derive the duplicate-detection keys.
            if hasattr(organisation, "refresh_keys"):
                organisation.refresh_keys()
            organisations.append(organisation)
        organisations = Organisation.objects.bulk_create(organisations)
        now = timezone.now()
        Membership.objects.bulk_create(
            Membership(
                chapter=chapter,
                organisation=organisation,
                state=Membership.State.CONFIRMED,
                confirmed_at=now,
            )
            for organisation in organisations
        )
        country_page_invalidate(chapter)
    listed = Membership.objects.listed().for_chapter(chapter).count()
    engine = django.db.connection.vendor
    print(f"seeded {listed} listed members on {engine}")
    return f"/en/countries/{BENCH_COUNTRY.lower()}/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def get(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def measure(port: int, path: str, *, seconds: float, threads: int) -> float:
    """Requests per second over a fixed time, from `threads` clients; every
    loop is bounded by the deadline and by a maximum count."""
    deadline = time.monotonic() + seconds
    counts = [0] * threads
    errors = []
    lock = threading.Lock()

    def client(index: int) -> None:
        for _ in range(1_000_000):
            if time.monotonic() >= deadline:
                return
            status, _size = get(port, path)
            if status != 200:
                with lock:
                    errors.append(status)
                return
            counts[index] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(client, range(threads)))
    elapsed = time.monotonic() - started
    if errors:
        raise SystemExit(f"{path} answered {errors[0]}")
    return sum(counts) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()

    port = free_port()
    env = server_environment(port)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    page = seed(env)

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
        status, size = get(port, page)
        if status != 200:
            raise SystemExit(f"{page} answered {status}")
        print(f"country page: {size} bytes compressed")
        # Warm every worker's cache and connection.
        measure(port, page, seconds=1, threads=options.threads)
        measure(port, "/healthz", seconds=1, threads=options.threads)
        page_rates, health_rates = [], []
        for _ in range(options.rounds):
            health_rates.append(
                measure(
                    port, "/healthz", seconds=options.seconds, threads=options.threads
                )
            )
            page_rates.append(
                measure(port, page, seconds=options.seconds, threads=options.threads)
            )
        health = statistics.mean(health_rates)
        country = statistics.mean(page_rates)
        print(f"/healthz:        {health:8.1f} requests/s")
        print(f"{page}: {country:8.1f} requests/s ({MEMBERS} listed members)")
        print(f"ratio:           {country / health:8.2f} (target >= 0.8)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


if __name__ == "__main__":
    main()
