"""Every kind of e-mail the portal sends, built the way organisers, invitees
and account holders cause it, read back from the bytes that leave the
portal (the development outbox's .eml files, and what a real SMTP server
receives) by Python's strict e-mail parser, which raises on any defect.

Each message must carry what mail providers look for: List-Unsubscribe as
the plain `<https://...>` of RFC 2369 with the one-click
List-Unsubscribe-Post of RFC 8058 on everything sent to invitees and
representatives, Content-Language equal to the `<html lang>` of its HTML
part, a parseable Date, and a Message-ID on the site's domain.

Exempt from List-Unsubscribe, and why: the account e-mails (allauth's
password reset, codes) and the co-organiser invitation answer something the
recipient asked for or was personally invited to, and organiser notices go
to account holders who set them in their own settings page; none of them is
mail a list sends.

The set of kinds seen is compared with KINDS, so a kind that stops being
sent, or one added without a place here, fails the test."""

import email
import email.policy
import re
import socket
from datetime import timedelta
from email.parser import BytesParser
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from chapters import services as chapter_services
from meetings.services.attendance import attendance_check_in
from meetings.services.invitations import invitation_batch_create, invitation_remind
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.minutes import minutes_publish
from members.services import membership, membership_links, membership_reminders
from tests.demo import nu
from tests.factories import InvitationFactory, UserFactory
from tests.meetings.builders import recipients
from tests.members.membership_helpers import LINK as MEMBERSHIP_LINK
from tests.members.membership_helpers import ask, on_outreach_list

pytestmark = pytest.mark.django_db

# Sent to invitees and representatives: each must offer one-click opt-out.
LIST_KINDS = {
    "invitation",
    "reminder",
    "moved",
    "relocated",
    "cancelled",
    "minutes",
    "membership request",
    "membership reminder",
}
# Asked for by the recipient, or to organisers about their own chapter.
PERSONAL_KINDS = {"organiser invitation", "account", "organiser notice"}
KINDS = LIST_KINDS | PERSONAL_KINDS

STRICT = email.policy.strict
HEADER_END = re.compile(rb"\r?\n\r?\n")
LIST_UNSUBSCRIBE = re.compile(rb"^<https?://[^>\s]+>$")
HTML_LANG = re.compile(r"<html[^>]*\slang=\"([a-z]{2})\"")


class OutboxMail:
    """The development outbox: the .eml files config.outbox writes."""

    def __init__(self, settings):
        settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
        self.folder = settings.OUTBOX_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.seen: set = set()

    def take(self) -> list[bytes]:
        paths = sorted(set(self.folder.glob("*.eml")) - self.seen)
        self.seen |= set(paths)
        return [path.read_bytes() for path in paths]

    def close(self) -> None:
        pass


class SmtpMail:
    """A real SMTP server on the loopback (aiosmtpd) behind Django's SMTP
    backend: the bytes as they arrive at a mail provider, including the
    invitations the sending worker writes straight to the connection."""

    def __init__(self, settings):
        from aiosmtpd.controller import Controller

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.received: list[bytes] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.original_content)
        return "250 Message accepted"

    def take(self) -> list[bytes]:
        taken, self.received = self.received, []
        return taken

    def close(self) -> None:
        self.controller.stop()


@pytest.fixture(params=["outbox", "smtp"])
def mailbox(request, settings):
    box = (OutboxMail if request.param == "outbox" else SmtpMail)(settings)
    yield box
    box.close()


@pytest.fixture
def sent_by_kind(
    mailbox,
    client,
    chapter,
    organiser,
    meeting,
    outreach,
    held_meeting,
    time_machine,
    django_capture_on_commit_callbacks,
):
    """{kind: [raw message, ...]} of one of each thing the portal mails."""
    organisers = {organiser.email, chapter.contact_email}
    found: dict[str, list[bytes]] = {}

    def step(kind, action):
        with django_capture_on_commit_callbacks(execute=True):
            action()
        raws = mailbox.take()
        assert raws, f"{kind}: nothing was sent"
        for raw in raws:
            to = BytesParser(policy=STRICT).parsebytes(raw)["To"].addresses
            named = kind
            if {a.addr_spec for a in to} & organisers and kind in LIST_KINDS:
                named = "organiser notice"
            found.setdefault(named, []).append(raw)

    step(
        "invitation",
        lambda: invitation_batch_create(
            actor=organiser, meeting=meeting, recipients=recipients(outreach)
        ),
    )
    first = meeting.invitations.get(email=outreach[2].email)
    step(
        "reminder",
        lambda: invitation_remind(actor=organiser, invitation=first),
    )
    meeting.refresh_from_db()
    step(
        "moved",
        lambda: meeting_update(
            actor=organiser,
            meeting=meeting,
            data={
                "starts_at": meeting.starts_at + timedelta(days=1),
                "ends_at": meeting.ends_at + timedelta(days=1),
            },
        ),
    )
    step(
        "relocated",
        lambda: meeting_update(
            actor=organiser, meeting=meeting, data={"venue_address": "Another hall"}
        ),
    )
    step(
        "cancelled",
        lambda: meeting_cancel(actor=organiser, meeting=meeting),
    )

    for language in ("ar", "en"):
        attendee = InvitationFactory(
            meeting=held_meeting, status="accepted", language=language
        )
        attendance_check_in(actor=organiser, invitation=attendee)
    step(
        "minutes",
        lambda: minutes_publish(actor=organiser, meeting=held_meeting),
    )

    organisation, (representative,) = on_outreach_list(chapter)
    step(
        "membership request",
        lambda: ask(organiser, chapter, organisation, remind_after_days=1),
    )
    link = link_of_raw(found["membership request"][-1], representative.email)
    membership.membership_consult(link=link, language=representative.language)
    time_machine.move_to(timezone.now() + timedelta(days=2))
    step("membership reminder", membership_reminders.membership_reminders_queue)
    link = link_of_raw(found["membership reminder"][-1], representative.email)
    step(
        "organiser notice",
        lambda: membership.membership_decline(
            link=link, language=representative.language
        ),
    )

    step(
        "organiser invitation",
        lambda: chapter_services.organiser_invite(
            actor=organiser, chapter=chapter, email="new@example.org", language="ar"
        ),
    )
    account = UserFactory()
    step(
        "account",
        lambda: client.post("/en/accounts/password/reset/", {"email": account.email}),
    )
    return found


def link_of_raw(raw: bytes, address: str):
    """The representative's answer link, read from the message as mailed."""
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    assert address in message["To"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = next(m for m in MEMBERSHIP_LINK.finditer(body) if not m.group(3))
    return membership_links.link_find(
        membership_id=int(found.group(1)), raw_token=found.group(2), purpose="respond"
    )


def header_lines(raw: bytes, name: bytes) -> list[bytes]:
    """The raw lines of header `name` (the field and any folded line after
    it), as written on the wire."""
    head = HEADER_END.split(raw, maxsplit=1)[0]
    lines = re.split(rb"\r?\n", head)
    found = []
    for number, line in enumerate(lines):
        if line.lower().startswith(name.lower() + b":"):
            found.append(line)
            following = lines[number + 1 :]
            for more in following:
                if not more[:1].isspace():
                    break
                found.append(more)
    return found


def check_message(kind: str, raw: bytes, host: str) -> None:
    parsed = BytesParser(policy=STRICT).parsebytes(raw)
    for part in parsed.walk():
        assert not part.defects, (kind, part.defects)

    unsubscribe = header_lines(raw, b"List-Unsubscribe")
    if kind in LIST_KINDS:
        assert len(unsubscribe) == 1, (kind, unsubscribe)
    if unsubscribe:
        value = unsubscribe[0].split(b":", 1)[1].strip()
        assert LIST_UNSUBSCRIBE.match(value), (kind, unsubscribe)
        assert b"=?" not in value
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", kind

    language = parsed["Content-Language"]
    assert language in ("ar", "en"), (kind, language)
    html = parsed.get_body(preferencelist=("html",))
    assert html is not None, kind
    assert HTML_LANG.search(html.get_content()).group(1) == language, kind

    assert parsed["Date"] is not None and parsed["Date"].datetime is not None, kind
    message_id = parsed["Message-ID"]
    assert message_id is not None, kind
    assert re.fullmatch(rf"<[^<>@\s]+@{re.escape(host)}>", str(message_id)), (
        kind,
        message_id,
    )


def test_every_kind_of_email_has_the_headers_mail_providers_expect(
    sent_by_kind, settings
):
    """Kinds covered: invitation, reminder, moved, relocated, cancelled,
    minutes, membership request, membership reminder, organiser notice,
    organiser invitation, account (password reset)."""
    assert set(sent_by_kind) == KINDS
    host = urlsplit(settings.SITE_URL).hostname
    for kind, raws in sent_by_kind.items():
        for raw in raws:
            check_message(kind, raw, host)
    # Both languages went through the checks.
    languages = {
        BytesParser(policy=STRICT).parsebytes(raw)["Content-Language"]
        for raws in sent_by_kind.values()
        for raw in raws
    }
    assert languages == {"ar", "en"}


def test_a_link_longer_than_a_line_stays_one_plain_header(settings):
    """The opt-out URL is the one token of List-Unsubscribe: however long,
    it is written as given on one line (RFC 5322 allows 998 octets), in the
    outbox's serialisation and in the SMTP backend's."""
    from config.mail import email_message

    url = "https://portal.example/en/opt-out/" + "x" * 300 + "/"
    message = email_message(
        to=["rep@example.org"],
        subject="s",
        text="t",
        html='<html lang="en"></html>',
        language="en",
        unsubscribe=url,
    )
    for raw in (
        message.message().as_bytes(),
        message.message(policy=email.policy.SMTP).as_bytes(),
    ):
        assert header_lines(raw, b"List-Unsubscribe") == [
            f"List-Unsubscribe: <{url}>".encode()
        ]
        check_message("invitation", raw, urlsplit(settings.SITE_URL).hostname)


def test_an_unsubscribe_value_that_is_not_one_url_is_refused():
    from config.mail import email_message

    for bad in ("https://a.example/x y", "mailto:x@example.org", "https://é.example/"):
        message = email_message(
            to=["a@example.org"], subject="s", text="t", language="en", unsubscribe=bad
        )
        with pytest.raises(ValueError):
            message.message()


@pytest.mark.parametrize("mailbox", ["outbox"], indirect=True)
def test_the_html_of_every_kind_of_email_is_valid(sent_by_kind):
    """The HTML part of every kind, in both languages, passes the Nu HTML
    Checker (tests/demo/nu.py) without an error (checked once: the SMTP path
    sends the same parts)."""
    nu.require()
    documents = {}
    for kind, raws in sent_by_kind.items():
        for number, raw in enumerate(raws):
            parsed = BytesParser(policy=STRICT).parsebytes(raw)
            html = parsed.get_body(preferencelist=("html",))
            language = parsed["Content-Language"]
            documents[f"{kind} {language} #{number}"] = html.get_content()
    findings = nu.check(documents)
    errors = [finding for finding in findings if finding.kind == "error"]
    assert not errors, nu.summary(errors)
