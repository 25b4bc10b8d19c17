"""E-mail for the whole portal: rendered in the recipient's language with a
plain-text and an HTML part, From the portal's no-reply address with the
organiser in Reply-To, and delivered by the background worker after the
transaction that caused it commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


def email_render(
    *, template: str, context: dict, language: str
) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, .txt and .html."""
    with translation.override(language):
        full = {"language": language, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", full)
        text = render_to_string(f"emails/{template}.txt", full)
        html = render_to_string(f"emails/{template}.html", full)
    return " ".join(subject.split()), text, html


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
    message = EmailMultiAlternatives(
        subject=subject,
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
    return message.send()


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
    that was rolled back."""
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
