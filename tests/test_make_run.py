"""`make run` on another HOST or PORT: the demo prints that address, and every
link it e-mails leads there, unless PORTAL_SITE_URL names a public address."""

import io
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chapters.services import organiser_invite
from meetings.services.invitations import Recipient, invitation_batch_create
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.urls import url

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "http://127.0.0.1:8102"
LINK = re.compile(r"https?://[^\s\"'<>]+")

# Stands in for the virtualenv's python: records each manage.py command with
# the site address it was given, and lets the backgrounded worker record
# itself before the server's exit stops both.
FAKE_PYTHON = """#!/bin/sh
echo "$* | $PORTAL_SITE_URL" >> "$RECORD"
case "$2" in runserver) sleep 1 ;; esac
"""


def make_run(tmp_path, **variables) -> list[str]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    record = tmp_path / "record.txt"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HOST", "PORT", "PORTAL_SITE_URL", "MAKEFLAGS")
    }
    environment.update(RECORD=str(record), **variables)
    # Its own session: the recipe's `kill 0` stops make's group, not this run.
    subprocess.run(  # noqa: S603 - make with our own Makefile
        [shutil.which("make"), "--no-print-directory", "run", f"VENV={venv}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        start_new_session=True,
    )
    return sorted(record.read_text().splitlines())


needs_make = pytest.mark.skipif(not shutil.which("make"), reason="make is missing")


@needs_make
def test_make_run_gives_the_demo_the_address_of_its_host_and_port(tmp_path):
    commands = make_run(tmp_path, PORT="8102")
    assert commands == [
        f"manage.py crontask --no-heartbeat | {ADDRESS}",
        f"manage.py db_worker --interval 0.5 --queue-name imports | {ADDRESS}",
        f"manage.py db_worker --interval 0.5 | {ADDRESS}",
        f"manage.py migrate --noinput | {ADDRESS}",
        f"manage.py runserver 127.0.0.1:8102 | {ADDRESS}",
        f"manage.py seed_demo | {ADDRESS}",
    ]


@needs_make
def test_make_run_keeps_a_public_address_given_in_portal_site_url(tmp_path):
    commands = make_run(
        tmp_path, PORT="8102", PORTAL_SITE_URL="https://chapters.example.org"
    )
    assert "manage.py runserver 127.0.0.1:8102 | https://chapters.example.org" in (
        commands
    )
    assert all(line.endswith("| https://chapters.example.org") for line in commands)


@pytest.mark.django_db
def test_the_demo_prints_the_address_it_runs_on(settings):
    settings.SITE_URL = ADDRESS
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    printed = output.getvalue()
    sign_in = url("account_login", language="ar")
    assert f"Sign in at {ADDRESS}{sign_in} with:" in printed
    assert f"{ADDRESS}{url('outbox_list', language='ar')}" in printed
    assert ":8000" not in printed
    assert Site.objects.get_current().domain == "127.0.0.1:8102"


@pytest.mark.django_db
def test_invitation_emails_link_to_the_address_the_demo_runs_on(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ADDRESS
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
    )
    representative = RepresentativeFactory(
        organisation=ProspectFactory(chapter=chapter).organisation, language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_batch_create(
            actor=organiser,
            meeting=meeting,
            recipients=[
                Recipient(
                    name=representative.name,
                    email=representative.email,
                    language="en",
                    organisation=representative.organisation,
                    representative=representative,
                )
            ],
        )
        organiser_invite(
            actor=organiser, chapter=chapter, email="co@example.org", language="ar"
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = message.alternatives[0][0]
        ours = [
            link
            for link in LINK.findall(message.body + html)
            if "127.0.0.1" in link or "localhost" in link
        ]
        assert ours, message.body
        assert all(link.startswith(f"{ADDRESS}/") for link in ours), ours
    # Literal: the links as the e-mails must carry them, in each one's language.
    assert f"{ADDRESS}/en/invitation/" in mail.outbox[0].body
    assert f"{ADDRESS}/ar/" in mail.outbox[1].body


@pytest.mark.django_db
def test_account_emails_link_to_the_address_the_visitor_used(client):
    UserFactory(email="organiser@example.org")
    client.post(
        url("account_reset_password"),
        {"email": "organiser@example.org"},
        HTTP_HOST="127.0.0.1:8102",
    )
    # Literal: the link as the e-mail must carry it.
    assert f"{ADDRESS}/en/accounts/password/reset/key/" in mail.outbox[0].body
