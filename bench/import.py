"""Benchmark of the organisation import on the configured database.

Generates a file of 20,000 rows, the most an import takes (Arabic and English
names, some organisations that already exist, some duplicated rows and some
errors), then runs it through the same services as the organiser's pages:
check (the preview) and commit (one transaction). Prints seconds (clock and
this process's processor time), peak memory and queries per batch; the rows
it created are removed afterwards. --profile prints where the time goes.

    .venv/bin/python bench/import.py                 # CSV, database from DATABASE_URL
    .venv/bin/python bench/import.py --format xlsx
    DATABASE_URL=postgres://... .venv/bin/python bench/import.py

Targets: under 10 s and under 300 MB.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The worker's settings: no debug cursor keeping every statement.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402

from chapters.models import Chapter  # noqa: E402
from members import import_files  # noqa: E402
from members.models import (  # noqa: E402
    ImportJob,
    Organisation,
    Prospect,
    Representative,
)
from members.services import imports  # noqa: E402

BENCH_COUNTRY = "AQ"  # Antarctica: no real chapter will ever use it
WORDS_AR = ["الأمل", "النور", "الزيتون", "الغد", "الخير", "السنابل", "الرواد", "الجسور"]
WORDS_EN = ["Hope", "Light", "Olive", "Tomorrow", "Harvest", "Pioneers", "Bridges"]
KINDS = ["ngo", "cbo", "network", "academic", "think_tank", "شبكة", "Think tank"]


def generate_rows(count: int, existing: list[str], rng: random.Random) -> list[list]:
    rows = []
    for number in range(count):
        word_ar, word_en = rng.choice(WORDS_AR), rng.choice(WORDS_EN)
        row = [
            f"جمعية {word_ar} رقم {number}",
            f"{word_en} Association {number}",
            rng.choice(KINDS),
            "عمّان" if number % 2 else "",
            "Amman",
            f"https://org{number}.bench.example",
            f"Person {number}",
            f"person{number}@bench.example",
            f"+962 79 {rng.randint(1000000, 9999999)}",
            rng.choice(["ar", "en", "العربية", "English"]),
            f"Row {number}",
        ]
        roll = number % 100
        if roll < 4 and existing:
            row[0] = rng.choice(existing)  # already in the database
            row[5] = ""
        elif roll < 6 and number > 10:
            row[1] = rows[-3][1]  # repeated in this file
            row[5] = ""
        elif roll == 6:
            row[7] = "not-an-email"
        elif roll == 7:
            row[8] = "12"
        elif roll == 8:
            row[2] = "bakery"
        elif roll == 9:
            row[10] = '=HYPERLINK("http://example.org")'  # stored as text
        rows.append(row)
    return rows


HEADER = [
    "الاسم بالعربية",
    "Name in English",
    "Type",
    "المدينة بالعربية",
    "City in English",
    "Website",
    "Representative",
    "Representative e-mail",
    "Representative phone",
    "Preferred language",
    "Notes",
]


def file_bytes(rows: list[list], file_format: str) -> bytes:
    if file_format == "csv":
        return import_files.csv_bytes([HEADER, *rows])
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=import_files.MAX_ROWS)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the functions that take the most time in the check and commit",
    )
    options = parser.parse_args()
    rng = random.Random(options.seed)
    _vacuum()

    chapter, _ = Chapter.objects.get_or_create(
        country=BENCH_COUNTRY, defaults={"name": "Benchmark chapter"}
    )
    existing = []
    for number in range(100):
        organisation = Organisation(
            name_ar=f"مؤسسة قائمة {number}", name_en=f"Existing {number}", kind="ngo"
        )
        organisation.save()
        existing.append(f"مؤسسة قائمه {number}")  # a letter variant of the name
    content = file_bytes(generate_rows(options.rows, existing, rng), options.format)
    rss_before = peak_rss_mb()
    print(
        f"{options.rows} rows, {options.format}, {len(content) / 1024:.0f} KB, "
        f"database: {connection.vendor}"
    )

    job = None
    try:
        started, started_cpu = time.perf_counter(), time.process_time()
        job = imports.import_job_create(
            actor=None,
            chapter=chapter,
            filename=f"bench.{options.format}",
            content=content,
        )
        profiler = cProfile.Profile() if options.profile else None
        with _counting() as check_queries, _profiling(profiler):
            imports.import_job_check(actor=None, job=job)
        checked, checked_cpu = time.perf_counter(), time.process_time()
        rss_checked = peak_rss_mb()
        statuses = {"new": 0, "duplicate": 0, "error": 0}
        for row in job.rows:
            statuses[row["status"]] += 1
        with _counting() as commit_queries, _profiling(profiler):
            imports.import_job_commit(actor=None, job=job)
        finished, finished_cpu = time.perf_counter(), time.process_time()
        # Read before the clean-up below, which loads every row it deletes.
        rss_committed = peak_rss_mb()
    finally:
        created = [
            row["organisation"]
            for row in (job.rows if job else [])
            if row.get("status") == "new" and row.get("organisation")
        ]
        Organisation.objects.filter(pk__in=created).delete()
        Organisation.objects.filter(name_en__startswith="Existing ").filter(
            name_ar__startswith="مؤسسة قائمة "
        ).delete()
        if job:
            ImportJob.objects.filter(pk=job.pk).delete()
        chapter.delete()

    valid = statuses["new"] + statuses["duplicate"]
    batches = max(1, -(-valid // imports.BATCH_SIZE))
    check_batches = max(1, -(-len(job.rows) // imports.BATCH_SIZE))
    print(
        f"preview: {statuses['new']} new, {statuses['duplicate']} already known, "
        f"{statuses['error']} with errors"
    )
    # The processor time of this process (the database server's is not in
    # it) barely moves with the machine's load, the clock does.
    print("                   clock   processor")
    print(
        f"check (preview):  {checked - started:6.2f} s  {checked_cpu - started_cpu:6.2f} s"
    )
    print(
        f"commit:           {finished - checked:6.2f} s  {finished_cpu - checked_cpu:6.2f} s"
    )
    print(
        f"total:            {finished - started:6.2f} s  "
        f"{finished_cpu - started_cpu:6.2f} s   (target < 10 s)"
    )
    print(
        f"peak memory (RSS): {rss_committed:.0f} MB "
        f"(before the import: {rss_before:.0f} MB, after the check: "
        f"{rss_checked:.0f} MB; target < 300 MB)"
    )
    print(
        f"queries: check {len(check_queries)} ({len(check_queries) / check_batches:.1f}"
        f" per batch of {imports.BATCH_SIZE}), commit {len(commit_queries)} "
        f"({len(commit_queries) / batches:.1f} per batch)"
    )
    print(f"imported: {job.created_count} created, {job.merged_count} merged")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def _vacuum() -> None:
    """The rows earlier runs made and removed, gone from the tables and
    their statistics, so that each run measures the import and not the dead
    rows of the last one (a server may run without autovacuum)."""
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Organisation, Representative, Prospect, ImportJob, Chapter)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


@contextlib.contextmanager
def _counting():
    """The statements run, counted without keeping their text (thousands
    of rows' values in each insert)."""
    statements: list[None] = []

    def count(execute, sql, params, many, context):
        statements.append(None)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


@contextlib.contextmanager
def _profiling(profiler):
    if profiler:
        profiler.enable()
    try:
        yield
    finally:
        if profiler:
            profiler.disable()


if __name__ == "__main__":
    main()
