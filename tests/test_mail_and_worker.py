"""E-mail is rendered in the recipient's language and delivered by the
background worker once the transaction commits."""

import email
import email.policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from config.mail import deliver_email, email_queue
from config.outbox import OutboxEmailBackend
from tests.factories import StaffFactory, UserFactory
from tests.urls import url


@pytest.mark.django_db
def test_queued_email_is_sent_after_commit_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to="rep@example.org",
            template="notice",
            context={"name": "سلمى", "title": "t", "body": "b"},
            language="ar",
            reply_to=["organiser@example.org"],
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.reply_to == ["organiser@example.org"]
    assert "no-reply@" in message.from_email
    assert "سلمى" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html


@pytest.mark.django_db
def test_nothing_is_sent_for_a_change_that_was_rolled_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                email_queue(
                    to="rep@example.org",
                    template="notice",
                    context={"name": "x", "title": "t", "body": "b"},
                    language="en",
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_queued_email(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    result = deliver_email.using(backend="default").enqueue(
        to=["rep@example.org"], subject="Hello", text="Body"
    )
    assert mail.outbox == []
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)
    assert len(mail.outbox) == 1
    result.refresh()
    assert result.status == "SUCCESSFUL"


def test_outbox_backend_keeps_each_message_as_a_file(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path
    message = mail.EmailMessage(
        "Subject ع", "Body with a link https://x.example/a", to=["a@b.c"]
    )
    OutboxEmailBackend(alias="default").send_messages([message])
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(
        files[0].read_bytes(), policy=email.policy.default
    )
    assert parsed["Subject"] == "Subject ع"


@pytest.mark.django_db
def test_staff_read_the_outbox_with_working_links(client, settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
    settings.OUTBOX_DIR = tmp_path
    OutboxEmailBackend(alias="default").send_messages(
        [mail.EmailMessage("Invitation", "Open https://portal.example/x", to=["a@b.c"])]
    )
    name = next(tmp_path.glob("*.eml")).name
    client.force_login(StaffFactory())
    assert "Invitation" in client.get(url("outbox_list")).content.decode()
    html = client.get(url("outbox_detail", name)).content.decode()
    assert '<a href="https://portal.example/x"' in html


@pytest.mark.django_db
def test_outbox_is_closed_to_non_staff_and_when_mail_is_really_sent(
    client, settings, tmp_path
):
    settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
    client.force_login(UserFactory())
    assert client.get(url("outbox_list")).status_code == 302
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    }
    client.force_login(StaffFactory())
    assert client.get(url("outbox_list")).status_code == 404
    # Literal: a path-traversal probe, which no route reverses to.
    assert client.get("/en/dev/outbox/../../etc/passwd/").status_code == 404
