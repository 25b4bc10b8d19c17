"""The development outbox: in the embedded demo every e-mail is kept as an
.eml file under var/outbox/, and staff read them at /<lang>/dev/outbox/ with
working links, so the whole journey works without a mail server."""

import email
import email.policy
import re
from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import get_random_string

MESSAGE_NAME = re.compile(r"^[0-9T\-]+_[a-zA-Z0-9]{8}\.eml$")
HTML_LANG = re.compile(r"<html[^>]*\slang=\"([A-Za-z\-]{2,12})\"")


def outbox_dir() -> Path:
    return Path(settings.OUTBOX_DIR)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}_{get_random_string(8)}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
        return len(email_messages)


def outbox_active() -> bool:
    return settings.MAILERS["default"]["BACKEND"] == "config.outbox.OutboxEmailBackend"


def _require_outbox():
    if not outbox_active():
        raise Http404


def _summary(path: Path) -> dict:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    date = parsed["Date"]
    html = parsed.get_body(preferencelist=("html",))
    found = HTML_LANG.search(html.get_content()) if html is not None else None
    return {
        "name": path.name,
        "to": parsed["To"],
        "subject": parsed["Subject"],
        # A datetime, so the page formats it for the reader, not RFC 5322's
        # English day and month names.
        "date": date.datetime if date is not None else None,
        # The language the message was written in (its HTML part says), so
        # the page marks an English e-mail as English on an Arabic page.
        "language": found.group(1) if found else "",
        "parsed": parsed,
    }


@staff_member_required
def outbox_list(request):
    _require_outbox()
    folder = outbox_dir()
    paths = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.exists() else []
    messages = [_summary(p) for p in paths]
    return render(request, "dev/outbox_list.html", {"messages_sent": messages})


@staff_member_required
def outbox_detail(request, name: str):
    _require_outbox()
    if not MESSAGE_NAME.match(name):
        raise Http404
    path = outbox_dir() / name
    if not path.is_file():
        raise Http404
    summary = _summary(path)
    parsed = summary["parsed"]
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    attachments = [part.get_filename() for part in parsed.iter_attachments()]
    return render(
        request,
        "dev/outbox_detail.html",
        {
            "message": summary,
            "text": text_part.get_content() if text_part else "",
            "has_html": html_part is not None,
            "attachments": [a for a in attachments if a],
        },
    )
