"""E-mail for the whole portal: rendered in the recipient's language with a
plain-text and an HTML part, From the portal's no-reply address with the
organiser in Reply-To, and delivered by the background worker after the
transaction that caused it commits.

Two ways to send:

- `email_queue`: rendered now, the text handed to the worker. Only for
  e-mails that carry no secret, since the task's arguments stay in the task
  table.
- `email_send_issued`: for e-mails that carry a personal link. The caller's
  transaction records what is owed (link rows whose digest is a placeholder,
  chapters.tokens.token_pending) and enqueues only their ids; the worker
  makes the tokens, stores their digests and only then renders and sends.
  A task run again finds nothing owed, so it sends nothing twice and makes
  no second link.

Every e-mail is a PortalEmail (email_message), which writes what mail
providers look for the same way for all of them: the language it is written
in (Content-Language), a Message-ID on the site's own domain, and, for
e-mails someone can stop receiving, List-Unsubscribe as the plain
`<https://...>` of RFC 2369 with the one-click List-Unsubscribe-Post of
RFC 8058 (docs/operations.md, E-mail that mail providers accept).
"""

import email.policy
import re
from collections.abc import Callable
from email.header import Header
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django_countries import countries

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a name
# typed with an unbalanced one reorders the rest of the subject line, which a
# mail program shows with no markup to contain it. The marks U+200E/U+200F
# only nudge neutral characters and are kept.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def subject_clean(subject: str) -> str:
    """One line of plain text: no bidi embedding, override or isolate, no
    line break, runs of spaces folded."""
    return " ".join(BIDI_CONTROLS.sub("", subject).split())


def email_render(
    *, template: str, context: dict, language: str
) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, .txt and .html. The
    subject is plain text (a header, not HTML): rendered without escaping."""
    with translation.override(language):
        full = {"language": language, "site_url": settings.SITE_URL, **context}
        subject = get_template(f"emails/{template}_subject.txt").template.render(
            Context(full, autoescape=False)
        )
        text = render_to_string(f"emails/{template}.txt", full)
        html = render_to_string(f"emails/{template}.html", full)
    return subject_clean(subject), text, html


def site_domain() -> str:
    """The host of settings.SITE_URL, in ASCII: the right-hand side of every
    Message-ID the portal writes (and of its calendar UIDs), so all of them
    are on the domain the e-mails come from whatever machine sends them."""
    host = urlsplit(settings.SITE_URL).hostname or "cld-chapters"
    return host.encode("idna").decode("ascii")


# RFC 2369: the header is a URL in angle brackets; with no whitespace inside
# it can be folded nowhere, and RFC 5322 allows a line of 998 octets.
UNSUBSCRIBE_URL = re.compile(r"https?://[\x21-\x3b\x3d\x3f-\x7e]+")
LINE_MAX = 998


class OneLineHeader(str):
    """A header the email package writes exactly as given, on one line.

    Python folds a header it does not know as free text and writes a word
    longer than a line (a personal link) as RFC 2047 encoded words, which a
    mail provider does not decode in List-Unsubscribe: it looks for the
    `<URL>` itself. A value with a `name` and a `fold()` is stored and
    written as is by every email policy (the outbox's and the SMTP
    backend's), so the header reaches the provider as built here."""

    def __new__(cls, name: str, value: str):
        if not value.isascii() or len(name) + 2 + len(value) > LINE_MAX:
            raise ValueError(f"{name} must be ASCII and one line")
        header = super().__new__(cls, value)
        header.name = name
        header.defects = []
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class PortalEmail(EmailMultiAlternatives):
    """Django's e-mail with the headers every portal e-mail carries, added
    where the message is serialised (message()), so the outbox, the test
    outbox and the SMTP backend all write the same headers."""

    def __init__(
        self,
        *,
        language: str,
        unsubscribe: str = "",
        inline_images: list[tuple[str, str, bytes]] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if language not in dict(settings.LANGUAGES):
            raise ValueError(f"not a portal language: {language!r}")
        self.language = language
        # (Content-ID, file name, PNG) shown inside the HTML part, which
        # names each as <img src="cid:...">.
        self.inline_images = list(inline_images or [])
        self.extra_headers = dict(self.extra_headers)
        if unsubscribe:
            # RFC 8058: one click posts "List-Unsubscribe=One-Click" to the URL.
            self.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            self.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"

    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        if "message-id" not in {name.lower() for name in self.extra_headers}:
            message.replace_header("Message-ID", make_msgid(domain=site_domain()))
        message["Content-Language"] = self.language
        if self.inline_images:
            # RFC 2387: the HTML and its pictures become one multipart/related
            # inside the alternative, so a mail program shows the pictures in
            # the text rather than as attachments, and the plain text has none.
            html = next(
                part
                for part in message.walk()
                if part.get_content_type() == "text/html"
            )
            for content_id, filename, data in self.inline_images:
                html.add_related(
                    data,
                    "image",
                    "png",
                    cid=f"<{content_id}>",
                    disposition="inline",
                    filename=filename,
                )
        if not self.subject.isascii():
            message.replace_header("Subject", EncodedHeader("Subject", self.subject))
        display, address = parseaddr(str(self.from_email))
        if not display.isascii():
            message.replace_header(
                "From", EncodedHeader("From", display, address=address)
            )
        if "List-Unsubscribe" in message:
            message.replace_header(
                "List-Unsubscribe", list_unsubscribe(str(message["List-Unsubscribe"]))
            )
        return message


class EncodedHeader(str):
    """A header of free text written as RFC 2047 encoded words in which
    every space stays inside a word.

    Python's folder puts the space between two words of non-ASCII text
    between two encoded words, where RFC 2047 says a reader drops it: an
    Arabic subject came back as "تقودهاالمجتمعات". The email.header
    encoder keeps each space inside an encoded word, and the result is
    written as built. With `address`, the words are the display name of
    that address (From: an Arabic sender name)."""

    def __new__(cls, name: str, value: str, *, address: str = "", linesep="\r\n"):
        folded = Header(value, "utf-8", header_name=name).encode(linesep=linesep)
        if address:
            # An address header: the encoded words are the display name.
            folded += f"{linesep} <{address}>"
        header = super().__new__(cls, folded)
        header.name = name
        header.defects = []
        return header

    def fold(self, *, policy) -> str:
        lines = str(self).splitlines()
        return f"{self.name}: " + policy.linesep.join(lines) + policy.linesep


def list_unsubscribe(value: str) -> OneLineHeader:
    """RFC 2369's `<URL>`, checked and kept on one line, never encoded."""
    if not (value.startswith("<") and value.endswith(">")):
        raise ValueError("List-Unsubscribe is one URL in angle brackets")
    if not UNSUBSCRIBE_URL.fullmatch(value[1:-1]):
        raise ValueError("List-Unsubscribe needs one http(s) URL")
    return OneLineHeader("List-Unsubscribe", value)


def sender(language: str, country: str = "") -> str:
    """The From header: the portal's address under a name in the e-mail's
    own language, naming the country of the chapter the e-mail is about
    ("The CLD movement in Jordan"), the portal's name otherwise. The address
    is settings.DEFAULT_FROM_EMAIL's; a non-ASCII name is encoded when the
    message is written (PortalEmail.message), keeping its spaces. `country` is an ISO code, named in the language."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    with translation.override(language):
        if country:
            name = gettext("The CLD movement in %(country)s") % {
                "country": countries.name(country)
            }
        else:
            name = gettext("CLD chapters")
    return str(Address(display_name=subject_clean(name), addr_spec=address))


def email_message(
    *,
    to: list[str],
    subject: str,
    text: str,
    language: str,
    html: str = "",
    unsubscribe: str = "",
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    attachments: list[list[str]] | None = None,
    country: str = "",
    inline_images: list[tuple[str, str, bytes]] | None = None,
) -> PortalEmail:
    """A portal e-mail written in `language`; `unsubscribe` is the one-click
    opt-out URL of an e-mail its recipient can stop receiving; `country`,
    the ISO code of the chapter's country it is about, names the sender;
    `inline_images` are PNG pictures the HTML shows (PortalEmail)."""
    message = PortalEmail(
        language=language,
        unsubscribe=unsubscribe,
        inline_images=inline_images,
        subject=subject_clean(subject),
        body=text,
        from_email=sender(language, country),
        to=to,
        reply_to=reply_to or None,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


@task()
def deliver_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    attachments: list[list[str]] | None = None,
    language: str | None = None,
    country: str = "",
) -> int:
    """The e-mail of email_queue. `language` is None only in a task queued
    before it was passed; such an e-mail is said to be in the default one."""
    return email_message(
        to=to,
        subject=subject,
        text=text,
        language=language or settings.LANGUAGE_CODE,
        html=html,
        reply_to=reply_to,
        headers=headers,
        attachments=attachments,
        country=country,
    ).send()


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    country: str = "",
) -> None:
    """Render now (the language and data are those of this moment) and send
    once the surrounding transaction commits; nothing is sent for a change
    that was rolled back. Never for an e-mail with a personal link or a
    code: the text stays in the task table (use email_send_issued)."""
    subject, text, html = email_render(
        template=template, context=context, language=language
    )
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            to=[to],
            subject=subject,
            text=text,
            html=html,
            reply_to=reply_to,
            headers=headers,
            language=language,
            country=country,
        )
    )


def email_send_issued[T](
    *,
    issue: Callable[[], T | None],
    render: Callable[[T], PortalEmail],
    release: Callable[[], None],
) -> bool:
    """The worker's side of an e-mail with personal links, at most once.

    `issue` runs in one transaction: it locks the rows of what is owed,
    makes their tokens, stores the digests and returns the raw tokens, or
    None when an earlier run already issued them (then nothing is sent).
    Only after that commit is the message rendered (`render`) and sent. If
    rendering or sending fails, `release` (in its own transaction) puts the
    placeholders back, so no working link is left for an e-mail that did not
    go and a later run can send it. A worker killed between the issue and
    the send leaves links nobody received; the organiser sends again."""
    with transaction.atomic():
        issued = issue()
    if issued is None:
        return False
    try:
        render(issued).send()
    except BaseException:
        with transaction.atomic():
            release()
        raise
    return True
