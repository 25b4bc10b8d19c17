"""No working secret rests in the database or the logs. Every personal link
and sign-in code the portal e-mails is looked for, after a whole journey run
with the real database task queue and its worker, in every text and JSON
column of every table (the task rows' arguments and results included, and the
sessions decoded) and in everything logged: none is found.

E-mails with personal links are made by the worker from ids (members.emails,
chapters.emails, meetings.tasks, meetings.services.sending), and allauth's
code e-mails are sent in the request (config.account_adapter)."""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chapters.models import OrganiserInvitation
from chapters.services import organiser_invite
from chapters.tokens import PENDING_PREFIX
from meetings.models import Invitation
from meetings.services.attendance import attendance_check_in
from meetings.services.invitations import Recipient, invitation_batch_create
from meetings.services.minutes import minutes_publish
from members.models import ConfirmationLink, Membership, OptOutLink, Representative
from members.services.consent import consent_statement_current
from members.services.membership_reminders import membership_reminders_queue
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganiserFactory,
    UserFactory,
)
from tests.members.membership_helpers import ask, links_for, on_outreach_list
from tests.urls import url

pytestmark = pytest.mark.django_db(transaction=True)

# A token is 43 URL-safe characters (chapters.tokens), always a whole path
# segment of the link; a sign-in code is two groups of four.
TOKEN = re.compile(r"/([A-Za-z0-9_-]{43})/")
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture(autouse=True)
def database_queue(settings):
    backend = {
        **settings.TASKS["default"],
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
    settings.TASKS = {"default": backend}


def work():
    """What production's db_worker does, until the queue is empty."""
    call_command(
        "db_worker", batch=True, no_startup_delay=True, interval=0, queue_name="*"
    )


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def urls_in(message, pattern: str) -> list[str]:
    """The links in the e-mail whose address holds `pattern`, a literal
    fragment of the link as the e-mail carries it."""
    return re.findall(rf"https?://[^\s\"<>]+{pattern}[^\s\"<>]*", message.body)


def answer_data(organisation, action: str) -> dict:
    return {
        "action": action,
        "consent": "on",
        "role": "Director",
        "consent_version": consent_statement_current().version,
        "name_ar": organisation.name_ar,
        "name_en": organisation.name_en,
        "acronym": "",
        "kind": organisation.kind,
        "city_ar": "",
        "city_en": "",
        "website": organisation.website,
        "description_ar": "",
        "description_en": organisation.description_en or "",
    }


def secrets_mailed() -> set[str]:
    found = set()
    for message in mail.outbox:
        parts = [message.body, *(c for c, _mimetype in message.alternatives)]
        parts += [str(v) for v in message.extra_headers.values()]
        for part in parts:
            found.update(TOKEN.findall(part))
            found.update(CODE.findall(part))
    return found


def stored_text():
    """(table, text) for every text or JSON value of every row of every
    model, sessions decoded."""
    for model in apps.get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, TEXT_FIELDS)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for value in row:
                if value is None or value == "":
                    continue
                text = value if isinstance(value, str) else json.dumps(value)
                yield model._meta.db_table, text
    for session in Session.objects.all():
        decoded = SessionStore().decode(session.session_data)
        yield "django_session (decoded)", json.dumps(decoded, default=str)


def test_no_mailed_link_or_code_rests_in_any_table_or_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter, user=UserFactory()).user

    # An organiser invites a co-organiser, who signs in and opens the link.
    organiser_invite(
        actor=organiser, chapter=chapter, email="co@example.org", language="ar"
    )
    work()
    (invite,) = [m for m in mail.outbox if m.to == ["co@example.org"]]
    client.force_login(UserFactory(email="co@example.org"))
    assert client.get(path_of(urls_in(invite, "/invitations/")[0])).status_code == 200
    client.logout()

    # The organiser invites a representative to the exploratory meeting, who
    # opens the personal link.
    organisation, (representative,) = on_outreach_list(chapter, name_en="Dew")
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
    )
    invitation_batch_create(
        actor=organiser,
        meeting=meeting,
        recipients=[
            Recipient(
                name=representative.name,
                email=representative.email,
                language="en",
                organisation=organisation,
                representative=representative,
            )
        ],
    )
    work()
    (invitation_email,) = [m for m in mail.outbox if m.to == [representative.email]]
    page = path_of(urls_in(invitation_email, "/invitation/")[0])
    assert client.get(page).status_code == 200

    # The organisers ask for the membership; the representative consults,
    # is reminded, confirms, and withdraws through the receipt's link.
    ask(organiser, chapter, organisation)
    work()
    respond = links_for(representative.email)["respond"][0]
    response = client.post(respond, answer_data(organisation, "consult"))
    assert response.status_code == 302
    work()
    Membership.objects.update(remind_at=timezone.now() - timedelta(minutes=1))
    assert membership_reminders_queue() == 1
    work()
    respond = links_for(representative.email)["respond"][0]
    assert client.post(respond, answer_data(organisation, "confirm")).status_code == 302
    work()
    withdraw = links_for(representative.email)["withdraw"][0]
    assert client.post(withdraw).status_code == 200
    work()
    assert Membership.objects.get().state == Membership.State.WITHDRAWN

    # The minutes of an earlier meeting reach an attendee.
    held = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=3),
        status="held",
    )
    attendee = InvitationFactory(
        meeting=held, status="accepted", email="attendee@example.org", language="ar"
    )
    attendance_check_in(actor=organiser, invitation=attendee)
    minutes_publish(actor=organiser, meeting=held)
    work()
    assert Invitation.objects.get(pk=attendee.pk).minutes_sent_at is not None

    # The representative opts out from the last e-mail's link.
    last = [m for m in mail.outbox if m.to == [representative.email]][-1]
    opt_out = path_of(urls_in(last, "/opt-out/")[0])
    assert client.post(opt_out).status_code == 200

    # Someone signs in with a code sent by e-mail.
    client.logout()
    UserFactory(email="coder@example.org")
    client.post(url("account_request_login_code"), {"email": "coder@example.org"})
    (code_email,) = [m for m in mail.outbox if m.to == ["coder@example.org"]]
    (code,) = CODE.findall(code_email.body)
    response = client.post(url("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    work()

    mailed = secrets_mailed()
    # The co-organiser link; the meeting's personal and opt-out links; answer,
    # withdrawal and opt-out links in the request and in the reminder;
    # withdrawal and opt-out links in the confirmed receipt, an opt-out link
    # in the withdrawn one; the minutes' personal and opt-out links; the code.
    assert len(mailed) == 15
    assert code in mailed
    assert DBTaskResult.objects.count() >= 9
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    leaks = [
        (table, secret)
        for table, text in stored_text()
        for secret in mailed
        if secret in text
    ]
    assert leaks == []
    logged = caplog.text + "".join(
        repr(record.args) for record in caplog.records if record.args
    )
    assert [secret for secret in mailed if secret in logged] == []

    # The daily prune removes the finished rows (here all of them).
    call_command("prune_db_task_results", min_age_days=0, verbosity=0)
    assert not DBTaskResult.objects.exists()


def run_again(task_path: str) -> None:
    """Enqueue a finished task once more with its own arguments, as a retry
    or a second hand-over would."""
    row = DBTaskResult.objects.filter(task_path=task_path).latest("enqueued_at")
    row.task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def outstanding_digests() -> list[str]:
    return list(ConfirmationLink.objects.values_list("digest", flat=True)) + list(
        OptOutLink.objects.values_list("digest", flat=True)
    )


def test_a_membership_email_run_again_sends_nothing_and_makes_no_second_link():
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    organisation, (representative,) = on_outreach_list(chapter)
    ask(organiser, chapter, organisation)
    work()
    run_again("members.emails.representative_email_deliver")
    work()
    assert [m.to for m in mail.outbox] == [[representative.email]]
    digests = outstanding_digests()
    assert len(digests) == 3  # answer, withdrawal, opt-out
    assert not any(d.startswith(PENDING_PREFIX) for d in digests)
    assert list(
        DBTaskResult.objects.order_by("enqueued_at").values_list(
            "return_value", flat=True
        )
    ) == [True, False]


def test_a_refused_membership_email_leaves_no_working_link_and_a_later_run_sends_it(
    settings, client
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.RefusingBackend"}
    }
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    organisation, (representative,) = on_outreach_list(chapter)
    Representative.objects.filter(pk=representative.pk).update(
        email="amal@refused.example"
    )
    ask(organiser, chapter, organisation)
    work()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "FAILED"
    assert all(d.startswith(PENDING_PREFIX) for d in outstanding_digests())

    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    run_again("members.emails.representative_email_deliver")
    work()
    assert [m.to for m in mail.outbox] == [["amal@refused.example"]]
    respond = links_for("amal@refused.example")["respond"][0]
    assert client.get(respond).status_code == 200


def test_a_co_organiser_invitation_run_again_is_not_sent_twice():
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    organiser_invite(
        actor=organiser, chapter=chapter, email="co@example.org", language="en"
    )
    work()
    run_again("chapters.emails.organiser_invitation_deliver")
    work()
    assert len(mail.outbox) == 1
    assert not OrganiserInvitation.objects.get().token_digest.startswith(PENDING_PREFIX)


def test_a_replaced_co_organiser_invitation_is_not_sent():
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    for _attempt in range(2):
        organiser_invite(
            actor=organiser, chapter=chapter, email="co@example.org", language="en"
        )
    work()
    assert len(mail.outbox) == 1
