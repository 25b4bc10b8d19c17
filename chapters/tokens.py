"""Personal links: one rule for every token the portal mails out.

A token carries 256 bits from the system's CSPRNG. Only its SHA-256 digest is
stored, so a copy of the database reveals no working link; a link is found by
its digest (an indexed equality lookup), never by comparing secrets in Python.
"""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def token_new() -> tuple[str, str]:
    """(raw token for the link, digest to store)."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, token_digest(raw)


def token_matches(raw: str, digest: str) -> bool:
    """Constant-time check, for the rare case where a digest is already at hand."""
    return hmac.compare_digest(token_digest(raw), digest)


PENDING_PREFIX = "pending:"


def token_pending() -> str:
    """A placeholder digest for a link whose e-mail is owed: the worker makes
    the token just before it sends (config.mail.email_send_issued), so no
    raw token waits in the task queue. Unique like a digest, and never equal
    to one (a digest is 64 hex digits), so the link opens nothing until the
    worker issues it."""
    return PENDING_PREFIX + secrets.token_hex(16)
