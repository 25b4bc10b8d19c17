"""Without chromium, `make test` still passes and its last lines say how many
browser journeys did not run and the command that makes them run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = "browser journeys were skipped: chromium was not found."


def run_pytest_without_chromium(*selection: str) -> subprocess.CompletedProcess:
    # No DATABASE_URL: the inner run uses its own in-memory SQLite, never the
    # PostgreSQL test database this run is using.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REQUIRE_BROWSER", "CHROMIUM_PATH"))
    }
    environment["PATH"] = str(Path(sys.executable).parent)  # no chromium here
    environment["PY_COLORS"] = "0"
    return subprocess.run(  # noqa: S603 - our own interpreter and pytest
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *selection],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_chromium_one_line_counts_the_skipped_journeys_and_names_the_fix():
    result = run_pytest_without_chromium(
        "tests/e2e/test_dashboard.py", "tests/e2e/test_country_page.py"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if SUMMARY in line]
    assert lines == [f"3 {SUMMARY} Install it to run them: apt-get install chromium"], (
        result.stdout
    )
    # The line closes the report, just above the counts.
    assert result.stdout.splitlines()[-2] == lines[0]
    assert "3 skipped" in result.stdout.splitlines()[-1]


def test_a_run_without_browser_journeys_says_nothing_about_chromium():
    result = run_pytest_without_chromium(
        "tests/test_settings.py::test_production_refuses_to_start_without_allowed_hosts"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chromium" not in result.stdout
