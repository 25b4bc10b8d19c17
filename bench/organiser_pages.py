"""Benchmark of the organiser lists of a large chapter: the meeting's page
(its invitations), the invite page (the outreach list to pick from) and the
membership board.

Seeds (afresh) a chapter with 5,000 organisations on its outreach list (a
representative each, half of them with a membership) and an open meeting of
1,000 invitations, on the database given by DATABASE_URL (a throw-away one:
it is migrated first; SQLite in var/ otherwise), then requests each page N
times in this process through Django's test client as the chapter's
organiser, and prints the median time, the size of the page and the number
of queries, next to /healthz in the same run (the ratio shows what the page
costs beyond answering a request at all).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists \\
        .venv/bin/python bench/organiser_pages.py
    .venv/bin/python bench/organiser_pages.py --requests 20 --organisations 5000 \\
        --invitations 1000 --language ar

Target: each page's median under 300 ms and under 300 KB, with the same
number of queries as for a chapter of a few organisations
(tests/meetings/test_invitation_lists_scale.py, tests/members/test_board_scale.py).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BENCH_COUNTRY = "BV"  # Bouvet Island: uninhabited, no real chapter will use it
TARGET_MS = 300
TARGET_BYTES = 300_000


def seed(*, organisations: int, invitations: int):
    """The chapter of bench/dashboard.py (organisations, one meeting of
    `invitations`, memberships in every state), its meeting open for
    invitations, and a representative with an address for every
    organisation. Returns (chapter, organiser, meeting)."""
    from dashboard import seed_chapter
    from django.db import transaction

    from meetings.models import Meeting
    from members.models import Prospect, Representative

    chapter, user = seed_chapter(
        code=BENCH_COUNTRY, organisations=organisations, invitations=invitations
    )
    with transaction.atomic():
        meeting = Meeting.objects.filter(chapter=chapter).order_by("pk").first()
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.OPEN)
        meeting.refresh_from_db()
        organisation_ids = Prospect.objects.filter(chapter=chapter).values_list(
            "organisation_id", flat=True
        )
        Representative.objects.bulk_create(
            (
                Representative(
                    organisation_id=organisation_id,
                    chapter=chapter,
                    name=f"Representative {number}",
                    email=f"rep{number}@{BENCH_COUNTRY.lower()}-bench.example",
                    language="ar" if number % 3 else "en",
                    is_primary=True,
                )
                for number, organisation_id in enumerate(organisation_ids)
            ),
            batch_size=1000,
        )
    return chapter, user, meeting


def measure(client, path: str, requests: int) -> dict:
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(record):
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(timings),
        "bytes": len(response.content),
        "queries": len(queries),
        "query_ms": sum(ms for ms, _sql in queries),
        "slowest": max(queries, default=(0, ""))[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--invitations", type=int, default=1000)
    parser.add_argument("--language", default="ar", choices=["ar", "en", "fr"])
    parser.add_argument(
        "--reuse", action="store_true", help="measure the chapter seeded before"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print each page's slowest query"
    )
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)
    began = time.monotonic()
    if options.reuse:
        from chapters.models import Chapter

        chapter = Chapter.objects.get(country=BENCH_COUNTRY)
        user = chapter.organisers.get().user
        meeting = chapter.meetings.order_by("pk").first()
    else:
        chapter, user, meeting = seed(
            organisations=options.organisations, invitations=options.invitations
        )
        print(
            f"seeded {options.organisations} organisations and a meeting of "
            f"{options.invitations} invitations on {connection.vendor} "
            f"in {time.monotonic() - began:.1f} s"
        )
    client = Client()
    client.force_login(user)
    reset_queries()
    manage = f"/{options.language}/manage/{chapter.iso2}"
    pages = {
        "meeting page": f"{manage}/meetings/{meeting.pk}/",
        "meeting page, filtered": f"{manage}/meetings/{meeting.pk}/?status=sent&q=1",
        "invite page": f"{manage}/meetings/{meeting.pk}/invite/",
        "invite page, last page": f"{manage}/meetings/{meeting.pk}/invite/?page=200",
        "invite page, search": f"{manage}/meetings/{meeting.pk}/invite/?q=4999",
        "membership board": f"{manage}/membership/",
        "membership board, filtered": f"{manage}/membership/?state=consulting&page=3",
    }
    health = measure(client, "/healthz", options.requests)
    print(
        f"{'/healthz':28} median {health['median']:7.1f} ms  "
        f"{health['bytes']:>9,} bytes"
    )
    passed = True
    for label, path in pages.items():
        figures = measure(client, path, options.requests)
        ratio = figures["median"] / max(health["median"], 0.001)
        ok = figures["median"] < TARGET_MS and figures["bytes"] < TARGET_BYTES
        passed &= ok
        if options.verbose:
            print("    slowest query:", figures["slowest"][:600])
        print(
            f"{label:28} median {figures['median']:7.1f} ms  "
            f"{figures['bytes']:>9,} bytes  {figures['queries']:3} queries "
            f"({figures['query_ms']:.0f} ms)  "
            f"x{ratio:,.0f} /healthz  {'ok' if ok else 'OVER'}"
        )
    print(
        "PASS" if passed else "FAIL",
        f"(target: median under {TARGET_MS} ms and under {TARGET_BYTES:,} bytes, "
        f"over {options.requests} requests each)",
    )


if __name__ == "__main__":
    main()
