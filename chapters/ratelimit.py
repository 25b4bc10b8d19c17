"""Rate limits of the public entry points: one counter rule, one notion of
the client's address, one limit for personal-link lookups.

Counters live in the cache (Redis in production, shared by every app
server). The reverse proxy must set REMOTE_ADDR to the visitor's address; a
client-supplied X-Forwarded-For is never trusted here.
"""

from django.core.cache import cache

# Personal links carry 256 bits and cannot be guessed; the limit keeps
# scanners off the database and makes any enumeration attempt visible.
PERSONAL_LINK_LOOKUPS_PER_MINUTE = 30


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under key; True once more than `limit` attempts fell
    in the current window of `window` seconds."""
    full = f"rate:{key}"
    cache.add(full, 0, window)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, window)
        count = 1
    return count > limit


def personal_link_throttled(request, scope: str) -> bool:
    """One more lookup of a personal link of the given kind from this client;
    True when it exceeds the per-minute limit."""
    return rate_limited(
        f"link:{scope}:{client_address(request)}",
        limit=PERSONAL_LINK_LOOKUPS_PER_MINUTE,
        window=60,
    )
