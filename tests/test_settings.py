"""Production settings refuse unsafe defaults; the demo settings need none."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(settings: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check("config.settings.production", DJANGO_ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
    assert result.stderr.startswith("Refusing to start:")
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check("config.settings.production", DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_production_starts_with_its_secrets(tmp_path):
    result = run_check(
        "config.settings.production",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="chapters.example.org",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_sqlite_settings_create_the_missing_folder_of_the_database(tmp_path):
    """A fresh clone has no var/ folder: no settings module may fail on it."""
    for settings in ("config.settings.production", "config.settings.dev"):
        var = tmp_path / settings / "not" / "yet"
        result = run_check(
            settings,
            DJANGO_SECRET_KEY="k" * 60,
            DJANGO_ALLOWED_HOSTS="chapters.example.org",
            PORTAL_VAR_DIR=str(var),
        )
        assert result.returncode == 0, result.stderr
        assert (var / "db.sqlite3").exists()


def test_demo_settings_start_with_no_environment_at_all(tmp_path):
    result = run_check("config.settings.dev", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
