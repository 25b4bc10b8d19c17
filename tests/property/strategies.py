"""Hostile inputs and the checks every property test shares."""

import os
import re
from contextlib import contextmanager
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
# Fathatan to sukun and the superscript alef: marks that never combine with
# a letter into a new code point, so folding must simply drop them.
ARABIC_MARKS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"
TATWEEL = "\u0640"
ARABIC_RE = re.compile("[\u0600-\u06ff]")

SCRIPT_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "' OR 1=1 --",
    '=HYPERLINK("http://evil.example")',
    "%(name)s %s {0}",
    "\u202eevil\u202c",
    "../../etc/passwd",
]


def examples(count: int) -> int:
    """A test's number of examples: its own small count in CI, at least the
    profile's under HYPOTHESIS_PROFILE=deep."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "deep":
        return max(count, settings().max_examples)
    return count


arabic_text = st.text(
    alphabet=ARABIC_LETTERS + ARABIC_MARKS + TATWEEL + " ", max_size=60
)
control_text = st.text(
    alphabet=st.characters(max_codepoint=0x1F, include_characters="\x7f"),
    max_size=10,
)
huge_text = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["x", "ب", "<", "\x00", " "]),
    st.sampled_from([255, 256, 1001, 3001, 20_000, 200_000]),
)

hostile_text = st.one_of(
    st.text(max_size=80),
    arabic_text,
    st.builds(lambda a, b: f"{a} {b}", arabic_text, st.text(max_size=20)),
    control_text,
    st.builds(lambda a: f"a\x00{a}", st.text(max_size=10)),
    st.sampled_from(SCRIPT_PAYLOADS),
    huge_text,
)


bad_value = st.one_of(
    hostile_text,
    st.lists(hostile_text, min_size=2, max_size=3),  # several values at once
    st.none(),  # the field left out
)


@st.composite
def form_data(draw, valid: dict):
    """Form data drawn around a valid submission: up to three fields get
    hostile text, several values or nothing at all; the others one of their
    valid values (a list value means any of these is valid). Whole valid
    submissions come up too, so the accepting path is tried as well."""
    changed = draw(st.sets(st.sampled_from(list(valid)), max_size=3))
    data = {}
    for name, value in valid.items():
        if name in changed:
            value = draw(bad_value)
        elif isinstance(value, list):
            value = draw(st.sampled_from(value))
        if value is not None:
            data[name] = value
    if draw(st.booleans()):
        data["unexpected"] = draw(hostile_text)
    return data


# Tokens as they reach a URL: anything but a "/" (which would make another
# address), percent-encoded on the way in.
token_text = st.one_of(
    st.text(min_size=1, max_size=60).filter(lambda t: "/" not in t),
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-_",
        min_size=43,
        max_size=43,
    ),
    st.sampled_from(["%00", "%2e%2e", "%25", "\x00", "..", "<script>", "' OR 1=1"]),
    st.builds(lambda n: "A" * n, st.sampled_from([100, 5000])),
)


def token_path(token: str) -> str:
    return quote(token, safe="")


@contextmanager
def clean_example():
    """Everything an example writes is rolled back and rate-limit counters
    start at zero, so each example sees the same world."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


# English error phrases that must never reach a page in Arabic.
ENGLISH_ERRORS = [
    "This field is required",
    "Enter a valid",
    "Ensure this value has",
    "Select a valid choice",
    "Null characters are not allowed",
    "Remove the invisible control characters",
    "Too many",
    "Incorrect code",
    "is not correct",
    "The email address and/or password",
    "This link does not work",
    "This link is not valid",
]


def error_messages(response, form_names=("form",)) -> list[str]:
    messages = []
    for name in form_names:
        form = response.context.get(name) if response.context else None
        if form is not None:
            messages.extend(str(m) for errors in form.errors.values() for m in errors)
    return messages


def without(text: str, submitted: dict) -> str:
    """The text with every submitted value removed (an error may quote it)."""
    values = []
    for value in submitted.values():
        values.extend(value if isinstance(value, list) else [value])
    for value in sorted(
        (str(v) for v in values if str(v).strip()), key=len, reverse=True
    ):
        text = text.replace(value, "")
    return text


def assert_errors_in_language(
    response, language: str, submitted: dict, form_names=("form",)
) -> None:
    """Every error message is in the page's language; an Arabic page shows
    no English error phrase."""
    body = response.content.decode()
    for message in error_messages(response, form_names):
        own = without(message, submitted)
        if language == "ar":
            assert ARABIC_RE.search(own), message
        else:
            assert not ARABIC_RE.search(own), message
    if language == "ar":
        page = without(body, submitted)
        for phrase in ENGLISH_ERRORS:
            assert phrase not in page, phrase
