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


# Check-in codes -----------------------------------------------------------
#
# The code an invitee shows at the door is derived from their personal link
# (the e-mail's worker and the invitee page both hold the raw link token, and
# nothing else does), bound to its one purpose by HMAC-SHA256 keyed with the
# raw token: knowing a code tells nothing of the link, and the link token is
# not a code. Only the code's digest is stored (InvitationLink.checkin_digest)
# and looked up, like every other token. 120 bits, written as 24 characters
# of Crockford's base32 in groups of four: few enough to type at the door,
# all in the QR code's alphanumeric set (a small, coarse code), and read back
# whatever the case, with or without the dashes, with the letters people
# confuse with digits (O, I, L) and the Arabic-Indic digits taken for what
# they look like.

CHECKIN_PURPOSE = b"cld-check-in-v1"
CHECKIN_BYTES = 15
CHECKIN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECKIN_LENGTH = CHECKIN_BYTES * 8 // 5
_CHECKIN_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})


def checkin_code(raw_link: str) -> str:
    """The check-in code of the personal link whose raw token is given,
    as printed: ABCD-EFGH-… (six groups of four)."""
    mac = hmac.new(
        raw_link.encode("utf-8", "surrogatepass"), CHECKIN_PURPOSE, hashlib.sha256
    ).digest()[:CHECKIN_BYTES]
    number = int.from_bytes(mac, "big")
    letters = "".join(
        CHECKIN_ALPHABET[(number >> shift) & 31]
        for shift in range(5 * (CHECKIN_LENGTH - 1), -1, -5)
    )
    return "-".join(letters[at : at + 4] for at in range(0, CHECKIN_LENGTH, 4))


def checkin_code_read(typed: str) -> str | None:
    """A typed or scanned code in its one written form (upper case, no
    dashes or spaces), or None when it cannot be a code."""
    if len(typed) > 100:
        return None
    digits = "".join(
        str(int(char)) if char.isdecimal() else char
        for char in typed.upper()
        if char.isalnum()
    ).translate(_CHECKIN_READ)
    if len(digits) != CHECKIN_LENGTH or not set(digits) <= set(CHECKIN_ALPHABET):
        return None
    return digits


def checkin_digest(code: str) -> str:
    """The digest stored and looked up for a check-in code (printed or as
    read back by checkin_code_read)."""
    read = checkin_code_read(code)
    if read is None:
        raise ValueError("not a check-in code")
    return token_digest(read)
