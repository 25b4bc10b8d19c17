from allauth.account.adapter import DefaultAccountAdapter
from django.template.loader import render_to_string
from django.utils.translation import get_language

from config.mail import deliver_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails (codes, verification, password reset) go through the
    same background worker as every other e-mail of the portal, with an HTML
    part in the portal's layout beside allauth's plain text."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
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
                    "language": get_language(),
                },
            )
        deliver_email.enqueue(
            to=list(message.to), subject=message.subject, text=message.body, html=html
        )
