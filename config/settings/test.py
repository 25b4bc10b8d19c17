"""Test settings: the real database from DATABASE_URL (SQLite in memory by
default), the locmem outbox, tasks run immediately unless a test runs the
worker itself."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105 # nosec B105 # test settings only
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "imports"],
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cld-tests",
    }
}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's in-memory default: the browser tests' live server
    # answers in threads of its own, and an in-memory database is one
    # connection shared by all of them and by the test itself, which SQLite
    # refuses at random ("bad parameter or other API misuse") when a page's
    # scripts send requests side by side. With a file each thread has its own
    # connection, as the server and the worker have in the demo.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
    # A test database need not survive a power cut: no waiting on the disk.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )
