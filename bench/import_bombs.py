"""Peak memory of the import worker reading spreadsheet bombs, against a
normal 200-row file measured in the same run.

Each file is checked in a fresh process (peak memory only ever grows within
one), exactly as the worker does it: upload checks (`import_job_create`),
then `import_job_check`, inside a transaction that is rolled back, on the
database of DATABASE_URL, or else a throw-away SQLite file migrated
first. The bombs are the ones the tests refuse (tests/members/import_bombs.py).

    .venv/bin/python bench/import_bombs.py
    DATABASE_URL=postgres://... .venv/bin/python bench/import_bombs.py
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

BENCH_COUNTRY = "AQ"  # Antarctica: no real chapter will ever use it
TARGET_MB = 300
FILES = {
    "normal 200 rows (baseline)": "normal_rows",
    "compressible sheet": "compressible_sheet",
    "huge shared strings": "huge_shared_strings",
    "400,000 tiny rows": "many_rows",
    "21,500 rows (past the limit)": "rows_past_the_limit",
    "one 45 MB cell": "one_huge_cell",
    "9 MB of shared strings": "many_shared_strings",
}


class RolledBack(Exception):
    pass


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_one(path: str) -> dict:
    """Runs in the child: check the file as the worker would."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import translation

    from chapters.models import Chapter
    from members import import_files
    from members.services import imports

    content = Path(path).read_bytes()
    before = peak_rss_mb()
    started = time.perf_counter()
    outcome = {}
    try:
        with transaction.atomic():
            chapter, _ = Chapter.objects.get_or_create(
                country=BENCH_COUNTRY, defaults={"name": "Benchmark chapter"}
            )
            try:
                job = imports.import_job_create(
                    actor=None, chapter=chapter, filename="bench.xlsx", content=content
                )
                imports.import_job_check(actor=None, job=job)
                problem = job.problem
                outcome["rows"] = job.total_rows
            except import_files.ImportProblem as refused:
                problem = refused.as_dict()
            with translation.override("en"):
                outcome["result"] = (
                    "refused: " + import_files.message_text(problem)
                    if problem
                    else f"previewed ({outcome['rows']} rows)"
                )
            raise RolledBack
    except RolledBack:
        pass
    outcome.update(
        seconds=time.perf_counter() - started,
        before_mb=before,
        peak_mb=peak_rss_mb(),
        size_kb=len(content) / 1024,
    )
    return outcome


def main() -> None:
    from tests.members import import_bombs

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
                check=True,
            )
        for label, maker in FILES.items():
            path = Path(folder) / f"{maker}.xlsx"
            path.write_bytes(getattr(import_bombs, maker)())
            child = subprocess.run(
                [sys.executable, __file__, "--check", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[label] = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"{'file':<28} {'size':>8} {'time':>7} {'peak RSS':>9}  result")
    for label, outcome in results.items():
        print(
            f"{label:<28} {outcome['size_kb']:>5.0f} KB {outcome['seconds']:>5.2f} s"
            f" {outcome['peak_mb']:>6.0f} MB  {outcome['result'][:70]}"
        )
    baseline = results["normal 200 rows (baseline)"]["peak_mb"]
    worst = max(outcome["peak_mb"] for outcome in results.values())
    print(
        f"worst peak {worst:.0f} MB, {worst - baseline:+.0f} MB over the baseline "
        f"(target < {TARGET_MB} MB)"
    )
    sys.exit(0 if worst < TARGET_MB else 1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        print(json.dumps(check_one(sys.argv[2])))
    else:
        main()
