"""Benchmark of the organiser's dashboard of a large chapter.

Seeds (afresh) a chapter with 2,000 organisations on its outreach list and
5,000 invitations to its meetings, with answers, attendance, memberships,
volunteers and audit entries, on the configured database (DATABASE_URL;
SQLite in var/ otherwise; the database must exist), then renders the
dashboard N times in this process through Django's test client as the
chapter's organiser and prints the median time and the number of queries.

    .venv/bin/python bench/dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --requests 50 --organisations 2000 --invitations 5000

Target: median under 300 ms, and the same small number of queries as for a
chapter of ten organisations (tests/chapters/test_dashboard_queries.py).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_COUNTRY = "BV"  # Bouvet Island: uninhabited, no real chapter will use it
KINDS = ["ngo", "cbo", "ingo", "network", "academic", "think_tank", "private"]
# Invitation statuses in a realistic mix, cycled.
STATUSES = ["accepted", "declined", "opened", "sent", "sent", "no_reply", "bounced"]


def seed_chapter(*, code: str, organisations: int, invitations: int):
    """A chapter (created afresh) with `organisations` on its outreach list,
    `invitations` spread over meetings of at most one invitation per
    organisation each, a held meeting with attendance, memberships in every
    state, tasks with volunteers and audit entries. Returns (chapter,
    organiser). Django must be set up."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from chapters.models import AuditEntry, Chapter, Organiser
    from meetings.models import (
        Attendance,
        Invitation,
        Material,
        MaterialOpening,
        Meeting,
    )
    from members.models import (
        InitialTask,
        Membership,
        Organisation,
        Prospect,
        Volunteering,
    )

    now = timezone.now()
    with transaction.atomic():
        Organisation.objects.filter(
            website__endswith=f".{code.lower()}-bench.example"
        ).delete()
        Chapter.objects.filter(country=code).delete()
        chapter = Chapter.objects.create(
            country=code,
            name_ar="فرع القياس",
            name_en="Benchmark chapter",
            time_zone="Asia/Amman",
            status=Chapter.Status.FORMING,
        )
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-organiser-{code.lower()}",
            defaults={"email": f"organiser@{code.lower()}-bench.example"},
        )
        Organiser.objects.create(chapter=chapter, user=user)
        rows = []
        for number in range(organisations):
            organisation = Organisation(
                name_ar=f"جمعية القياس رقم {number}",
                name_en=f"Benchmark association {number}",
                kind=KINDS[number % len(KINDS)],
                website=f"https://org{number}.{code.lower()}-bench.example",
            )
            organisation.refresh_keys()
            rows.append(organisation)
        created = Organisation.objects.bulk_create(rows, batch_size=500)
        Prospect.objects.bulk_create(
            (
                Prospect(
                    chapter=chapter,
                    organisation=organisation,
                    stage=Prospect.Stage.INVITED,
                )
                for organisation in created
            ),
            batch_size=500,
        )
        meetings_needed = max(1, -(-invitations // max(organisations, 1)))
        meetings = []
        for index in range(meetings_needed):
            held = index == 0
            starts = now + timedelta(days=-20 if held else 10 * index)
            meetings.append(
                Meeting.objects.create(
                    chapter=chapter,
                    title_ar=f"اجتماع القياس {index}",
                    title_en=f"Benchmark meeting {index}",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    status=Meeting.Status.HELD if held else Meeting.Status.OPEN,
                )
            )
        invited = []
        for number in range(invitations):
            meeting = meetings[number // max(organisations, 1)]
            organisation = created[number % len(created)]
            status = STATUSES[number % len(STATUSES)]
            invited.append(
                Invitation(
                    meeting=meeting,
                    organisation=organisation,
                    organisation_name=organisation.name_ar,
                    name=f"Invitee {number}",
                    email=f"invitee{number}@{code.lower()}-bench.example",
                    status=status,
                    sent_at=now,
                    opened_at=now
                    if status in ("accepted", "declined", "opened")
                    else None,
                )
            )
        invited = Invitation.objects.bulk_create(invited, batch_size=500)
        first = meetings[0]
        Attendance.objects.bulk_create(
            (
                Attendance(
                    meeting=first,
                    invitation=invitation,
                    organisation_id=invitation.organisation_id,
                    name=invitation.name,
                    organisation_name=invitation.organisation_name,
                )
                for invitation in invited
                if invitation.meeting_id == first.pk and invitation.status == "accepted"
            ),
            batch_size=500,
        )
        material = Material.objects.create(
            chapter=chapter,
            meeting=meetings[-1],
            title="Concept note",
            url="https://bench.example/note",
        )
        MaterialOpening.objects.bulk_create(
            (
                MaterialOpening(material=material, invitation=invitation)
                for invitation in invited[::3]
                if invitation.meeting_id == meetings[-1].pk
            ),
            batch_size=500,
        )
        states = ["confirmed", "confirmed", "consulting", "requested", "declined"]
        Membership.objects.bulk_create(
            (
                Membership(
                    chapter=chapter,
                    organisation=organisation,
                    state=states[number % len(states)],
                    confirmed_at=now if number % len(states) < 2 else None,
                    remind_at=now - timedelta(days=1) if number % 10 == 2 else None,
                )
                for number, organisation in enumerate(created[: organisations // 2])
            ),
            batch_size=500,
        )
        tasks = [
            InitialTask.objects.create(
                chapter=chapter, title_ar=f"مهمة {n}", title_en=f"Task {n}", order=n
            )
            for n in range(6)
        ]
        Volunteering.objects.bulk_create(
            (
                Volunteering(task=tasks[number % 4], organisation=organisation)
                for number, organisation in enumerate(created[: organisations // 10])
            ),
            batch_size=500,
            ignore_conflicts=True,
        )
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    chapter=chapter,
                    actor=user,
                    action="prospect.update",
                    object_type="members.prospect",
                    object_id=str(number),
                    object_repr=f"Benchmark association {number}",
                    before={"stage": "identified"},
                    after={"stage": "invited"},
                )
                for number in range(min(organisations, 1000))
            ),
            batch_size=500,
        )
    return chapter, user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--invitations", type=int, default=5000)
    parser.add_argument("--language", default="ar", choices=["ar", "en"])
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)
    began = time.monotonic()
    chapter, user = seed_chapter(
        code=BENCH_COUNTRY,
        organisations=options.organisations,
        invitations=options.invitations,
    )
    print(
        f"seeded {options.organisations} organisations and {options.invitations} "
        f"invitations on {connection.vendor} in {time.monotonic() - began:.1f} s"
    )
    client = Client()
    client.force_login(user)
    # The seeding filled the (bounded) query log; start counting afresh.
    reset_queries()
    path = f"/{options.language}/manage/{chapter.iso2}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    timings = []
    for _ in range(options.requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median = statistics.median(timings)
    print(
        f"{path}: median {median:.0f} ms, fastest {min(timings):.0f} ms, "
        f"slowest {max(timings):.0f} ms over {options.requests} requests; "
        f"{query_count} queries per request"
    )
    print("PASS" if median < 300 else "FAIL", "(target: median under 300 ms)")


if __name__ == "__main__":
    main()
