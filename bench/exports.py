"""The invitations export of a large chapter as Excel: the old build in the
request, held in memory, against the worker's file written row by row.

    .venv/bin/python bench/exports.py [--rows 20000] [--keep]

Creates a throw-away PostgreSQL database (on BENCH_POSTGRES, default the
local server), migrates it, and gives one chapter ROWS invitations (Arabic
and Latin names, some cells that look like formulas) with bulk inserts.
Each measure then runs in a fresh process, so its peak memory is its own:

- request (old): what the export view did before, for every size: the
  workbook built in memory and handed to the response;
- request (new): what the organiser now waits for on a large export: the
  bounded look at the first EXPORTS_DIRECT_ROWS + 1 rows and the job queued;
- worker: the task writing the same workbook to the private directory, with
  its progress recorded every PROGRESS_EVERY rows.

Prints seconds and peak memory (resident set; and its growth during the
measure) of each, and the ratios against the old build. The database is
dropped at the end unless --keep.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_create, database_drop  # noqa: E402

DATABASE = "bench_exports"
COUNTRY = "JO"
MEETINGS = 10


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(database_url: str, exports_root: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    os.environ["PORTAL_EXPORTS_ROOT"] = exports_root
    import django

    django.setup()


def seed(rows: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from chapters.models import Chapter
    from meetings.models import Invitation, Meeting

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    with transaction.atomic():
        chapter = Chapter.objects.create(
            country=COUNTRY,
            name_ar="فرع تجريبي",
            name_en="Benchmark chapter",
            time_zone="Asia/Amman",
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                chapter=chapter,
                title_ar=f"الاجتماع الاستكشافي {number}",
                title_en=f"Exploratory meeting {number}",
                starts_at=now,
                ends_at=now + timedelta(hours=2),
                status="open",
            )
            for number in range(MEETINGS)
        )
        per_meeting = -(-rows // MEETINGS)
        Invitation.objects.bulk_create(
            (
                Invitation(
                    meeting=meetings[number % MEETINGS],
                    name=f"ممثل رقم {number}" if number % 2 else f"Person {number}",
                    organisation_name=f"جمعية الأمل {number // per_meeting}",
                    email=f"person{number}@bench.example",
                    language="ar" if number % 2 else "en",
                    status="accepted" if number % 3 else "sent",
                    sent_at=now,
                    answered_at=now if number % 3 else None,
                    note='=HYPERLINK("http://example.org")' if number % 50 == 0 else "",
                    needs="Wheelchair access" if number % 7 == 0 else "",
                )
                for number in range(rows)
            ),
            batch_size=2000,
        )


def measure(kind: str) -> dict:
    """One measure, in this process: seconds, peak memory, and what it
    produced (bytes of the workbook, rows)."""
    from itertools import chain

    from django.conf import settings
    from django.http import HttpResponse
    from django.utils import translation

    from chapters import exports, spreadsheets
    from chapters.models import Chapter, ExportJob

    chapter = Chapter.objects.get(country=COUNTRY)
    ExportJob.objects.all().delete()
    before = peak_rss_mb()
    started = time.perf_counter()
    with translation.override("ar"):
        if kind == "old":
            header, body = exports.rows(chapter=chapter, dataset="invitations")
            response = HttpResponse(
                spreadsheets.xlsx_bytes(chain([header], body), right_to_left=True),
                content_type=spreadsheets.XLSX_TYPE,
            )
            size = len(response.content)
            result = {"bytes": size}
        elif kind == "request":
            small = exports.direct_rows(chapter=chapter, dataset="invitations")
            assert small is None, "the export should be large enough for the worker"
            job = exports.export_job_request(
                actor=None, chapter=chapter, dataset="invitations", file_format="xlsx"
            )
            result = {"job": job.pk, "looked_at": settings.EXPORTS_DIRECT_ROWS + 1}
        else:
            job = ExportJob.objects.create(
                chapter=chapter,
                dataset="invitations",
                file_format="xlsx",
                language="ar",
            )
            exports.export_job_run(job_id=job.pk)
            job.refresh_from_db()
            assert job.state == "done", job.error
            result = {"bytes": job.file.size, "rows": job.rows_total}
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": peak_rss_mb(),
        "growth_mb": peak_rss_mb() - before,
        **result,
    }


def child(kind: str, database_url: str, exports_root: str) -> dict:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            kind,
            "--database-url",
            database_url,
            "--exports-root",
            exports_root,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise SystemExit(f"the {kind} measure failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--measure", choices=["old", "request", "worker"])
    parser.add_argument("--database-url")
    parser.add_argument("--exports-root")
    options = parser.parse_args()
    if options.measure:
        setup_django(options.database_url, options.exports_root)
        print(json.dumps(measure(options.measure)))
        return

    database_url = database_create(DATABASE)
    exports_root = tempfile.mkdtemp(prefix="bench-exports-")
    try:
        began = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                _SEED,
                database_url,
                exports_root,
                str(options.rows),
            ],
            cwd=ROOT,
            check=True,
        )
        print(
            f"{options.rows} invitations in one chapter, seeded in "
            f"{time.perf_counter() - began:.1f} s; Excel (.xlsx), in Arabic"
        )
        figures = {
            kind: child(kind, database_url, exports_root)
            for kind in ("old", "request", "worker")
        }
    finally:
        if not options.keep:
            database_drop(DATABASE)
    old, request, worker = figures["old"], figures["request"], figures["worker"]
    print(f"{'':24}{'seconds':>9}{'peak MB':>9}{'growth MB':>11}")
    for label, row in [
        ("request, old build", old),
        ("request, new (queues)", request),
        ("worker, to a file", worker),
    ]:
        print(
            f"{label:24}{row['seconds']:9.2f}{row['peak_mb']:9.0f}"
            f"{row['growth_mb']:11.0f}"
        )
    print(
        f"workbook: {old['bytes'] / 1024:.0f} KB in memory (old), "
        f"{worker['bytes'] / 1024:.0f} KB on disk, {worker['rows']} rows (worker)"
    )
    print(
        f"ratios against the old build: organiser's wait "
        f"{request['seconds'] / old['seconds']:.2f}, worker time "
        f"{worker['seconds'] / old['seconds']:.2f}, memory growth "
        f"{worker['growth_mb'] / max(old['growth_mb'], 1):.2f}"
    )


_SEED = """
import sys
sys.path.insert(0, ".")
from bench.exports import seed, setup_django
setup_django(sys.argv[1], sys.argv[2])
seed(int(sys.argv[3]))
"""


if __name__ == "__main__":
    main()
