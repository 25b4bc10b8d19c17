"""The embedded demo and local development: debug on, an insecure key that
only ever serves 127.0.0.1, mail kept in the outbox folder."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production"
)

# The demo's SQLite file, outbox and uploads live here; create it on first use.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
