"""Rate limits of the public entry points: one counter rule, one notion of
the client's address, one limit for personal-link lookups.

Counters live in the cache (Redis in production, shared by every app
server). The reverse proxy must set REMOTE_ADDR to the visitor's address; a
client-supplied X-Forwarded-For is never trusted here.
"""

from django.core.cache import cache

from .tokens import token_digest

# Personal links carry 256 bits and cannot be guessed; the limits keep
# scanners off the database and make any enumeration attempt visible, and
# never stop a real invitee: a valid link is never counted against its
# network (a venue's Wi-Fi, an office behind one router), only addresses
# that miss are slowed, and one link opened over and over.
PERSONAL_LINK_MISSES_PER_MINUTE = 20
PERSONAL_LINK_USES_PER_MINUTE = 60


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


def personal_link_lookup(request, scope: str, token: str, find):
    """The one gate of every personal-link page: (found, status).

    status is None when `find()` found the link and it may be used, 404 when
    nothing matches, 429 when this network has missed too often in the last
    minute or this one link was opened too often. The lookup itself is one
    indexed equality on a digest, so it is done before the decision: a valid
    link works whoever else shares the address."""
    found = find()
    if found is None:
        misses = f"link-miss:{scope}:{client_address(request)}"
        throttled = rate_limited(
            misses, limit=PERSONAL_LINK_MISSES_PER_MINUTE, window=60
        )
        return None, 429 if throttled else 404
    uses = f"link-use:{scope}:{token_digest(token)}"
    if rate_limited(uses, limit=PERSONAL_LINK_USES_PER_MINUTE, window=60):
        return found, 429
    return found, None
