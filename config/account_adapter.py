import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_supported_language_variant

from config.mail import email_message

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails (sign-in and verification codes, password reset)
    with an HTML part in the portal's layout beside allauth's plain text.

    They are sent in the request, not by the worker: allauth makes the code
    or the reset link before it calls send_mail, so a deferred e-mail would
    leave it in the task table. Each is one short message the person is
    waiting for (docs/security.md, Secrets at rest)."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        # allauth renders in the active language: the one of the page that
        # asked (a supported one, LocaleMiddleware), and so of the e-mail.
        language = get_supported_language_variant(
            get_language() or settings.LANGUAGE_CODE
        )
        html = next(
            (c for c, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
        if not html:
            html = render_to_string(
                "emails/text_as_html.html",
                {
                    "subject": message.subject,
                    "text": message.body,
                    "language": language,
                },
            )
        try:
            email_message(
                to=list(message.to),
                subject=message.subject,
                text=message.body,
                html=html,
                language=language,
            ).send()
        except (smtplib.SMTPException, OSError) as error:
            # The page says a code is on its way; asking for a new one sends
            # again. The error names neither the code nor the address.
            logger.warning(
                "account e-mail %s not sent: %s", template_prefix, type(error).__name__
            )
