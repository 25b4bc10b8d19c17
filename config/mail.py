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
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

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


def email_message(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    attachments: list[list[str]] | None = None,
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject_clean(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
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
) -> int:
    return email_message(
        to=to,
        subject=subject,
        text=text,
        html=html,
        reply_to=reply_to,
        headers=headers,
        attachments=attachments,
    ).send()


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
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
        )
    )


def email_send_issued[T](
    *,
    issue: Callable[[], T | None],
    render: Callable[[T], EmailMultiAlternatives],
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
