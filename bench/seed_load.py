"""A realistic data set for the load test, created fast with bulk_create.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cld_load \\
        .venv/bin/python bench/seed_load.py --out /tmp/load-data

Default size: 50 chapters, 5,000 organisations (100 per chapter, each with
one representative and on its chapter's outreach list, 40 per chapter
confirmed members and so on the country page), one organiser per chapter,
4 meetings per chapter with the default agenda and 20,000 invitations (each
meeting invites its chapter's 100 organisations) with a personal link each.

The database must exist; it is migrated first. Only the SHA-256 digest of
each personal link is stored, as the portal does: the raw tokens go to
OUT/tokens.txt ("language token" per line) so the load test can open the
invitation pages, and OUT/manifest.json lists the chapters, the organisers'
e-mail addresses, their password and their meetings.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-organiser-9-password"  # noqa: S105 - a throw-away database


def seed(
    *, chapters: int, organisations: int, meetings: int, invitations: int, out: Path
) -> dict:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_countries import countries

    from chapters.models import Chapter, Organiser
    from chapters.tokens import token_new
    from meetings.models import (
        AgendaItem,
        DefaultAgendaItem,
        Invitation,
        InvitationLink,
        Meeting,
    )
    from members.models import Membership, Organisation, Prospect, Representative

    per_chapter = organisations // chapters
    per_meeting = invitations // (chapters * meetings)
    if per_meeting > per_chapter:
        raise SystemExit("each meeting invites at most its chapter's organisations")
    codes = [code for code, _name in countries][:chapters]
    kinds = Organisation.Kind.values
    now = timezone.now()
    User = get_user_model()
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"password": PASSWORD, "chapters": [], "organisers": []}
    with transaction.atomic():
        chapter_rows = Chapter.objects.bulk_create(
            Chapter(
                country=code,
                name_ar=f"فرع حركة التنمية بقيادة المجتمع رقم {number}",
                name_en=f"CLD chapter number {number}",
                introduction_ar="فرع وطني يجمع المنظمات المجتمعية. " * 8,
                introduction_en="A national chapter bringing community groups together. "
                * 8,
                why_cld_ar="لأن المجتمعات تعرف حاجاتها. " * 6,
                why_cld_en="Because communities know what they need. " * 6,
                contact_email=f"chapter{number}@load.example",
                status=Chapter.Status.FORMING
                if number % 2
                else Chapter.Status.LAUNCHED,
                time_zone="Asia/Amman",
                members_updated_at=now,
            )
            for number, code in enumerate(codes)
        )
        chapter_rows = list(Chapter.objects.order_by("id"))
        # bulk_create skips save(): derive the search column.
        for chapter in chapter_rows:
            chapter.refresh_search()
        Chapter.objects.bulk_update(chapter_rows, ["search_text"])
        password = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(
                username=f"organiser{number}",
                email=f"organiser{number}@load.example",
                password=password,
            )
            for number in range(len(chapter_rows))
        )
        users = list(
            User.objects.filter(username__startswith="organiser").order_by("id")
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in users
        )
        Organiser.objects.bulk_create(
            Organiser(chapter=chapter, user=user)
            for chapter, user in zip(chapter_rows, users, strict=True)
        )

        organisation_rows = []
        for chapter_number, chapter in enumerate(chapter_rows):
            for number in range(per_chapter):
                organisation = Organisation(
                    name_ar=f"جمعية التنمية المجتمعية {chapter_number}-{number}",
                    name_en=f"Community development association {chapter_number}-{number}",
                    kind=kinds[number % len(kinds)],
                    country=chapter.country,
                    city_ar="عمّان",
                    city_en="Amman",
                    website=f"https://org{chapter_number}-{number}.load.example",
                    description_ar="منظمة مجتمعية تعمل مع المجتمعات المحلية.",
                    description_en="A community organisation working with local communities.",
                )
                organisation.refresh_keys()
                organisation_rows.append(organisation)
        Organisation.objects.bulk_create(organisation_rows, batch_size=1000)
        organisation_rows = list(Organisation.objects.order_by("id"))
        Representative.objects.bulk_create(
            (
                Representative(
                    organisation=organisation,
                    chapter=chapter_rows[number // per_chapter],
                    name=f"Representative {number}",
                    email=f"rep{number}@load.example",
                    language="ar" if number % 3 else "en",
                )
                for number, organisation in enumerate(organisation_rows)
            ),
            batch_size=1000,
        )
        representatives = {
            rep.organisation_id: rep
            for rep in Representative.objects.order_by("id").only(
                "id", "organisation_id", "name", "email", "language"
            )
        }
        by_chapter = {
            chapter.pk: organisation_rows[n * per_chapter : (n + 1) * per_chapter]
            for n, chapter in enumerate(chapter_rows)
        }
        Prospect.objects.bulk_create(
            (
                Prospect(chapter_id=pk, organisation=organisation)
                for pk, rows in by_chapter.items()
                for organisation in rows
            ),
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            (
                Membership(
                    chapter_id=pk,
                    organisation=organisation,
                    state=Membership.State.CONFIRMED,
                    confirmed_at=now,
                )
                for pk, rows in by_chapter.items()
                for organisation in rows[: per_chapter * 2 // 5]
            ),
            batch_size=1000,
        )

        starts = now + timezone.timedelta(days=21)
        Meeting.objects.bulk_create(
            Meeting(
                chapter=chapter,
                title_ar=f"الاجتماع الاستكشافي {number + 1}",
                title_en=f"Exploratory meeting {number + 1}",
                starts_at=starts + timezone.timedelta(days=7 * number),
                ends_at=starts + timezone.timedelta(days=7 * number, hours=3),
                venue_address="Community hall, Main street",
                status=Meeting.Status.OPEN,
                is_public=number == 0,
                created_by=user,
            )
            for chapter, user in zip(chapter_rows, users, strict=True)
            for number in range(meetings)
        )
        meeting_rows = list(Meeting.objects.order_by("id"))
        template = list(DefaultAgendaItem.objects.all())
        AgendaItem.objects.bulk_create(
            (
                AgendaItem(
                    meeting=meeting,
                    order=item.order,
                    title_ar=item.title_ar,
                    title_en=item.title_en,
                    notes_ar=item.notes_ar,
                    notes_en=item.notes_en,
                    duration_minutes=item.duration_minutes,
                )
                for meeting in meeting_rows
                for item in template
            ),
            batch_size=2000,
        )
        statuses = ["sent"] * 6 + ["opened", "opened", "accepted", "declined"]
        invitation_rows = []
        for meeting in meeting_rows:
            for number, organisation in enumerate(
                by_chapter[meeting.chapter_id][:per_meeting]
            ):
                rep = representatives[organisation.pk]
                invitation_rows.append(
                    Invitation(
                        meeting=meeting,
                        organisation=organisation,
                        representative=rep,
                        name=rep.name,
                        organisation_name=organisation.name_en,
                        email=rep.email,
                        language=rep.language,
                        status=statuses[number % len(statuses)],
                        sent_at=now,
                        created_by=meeting.created_by,
                    )
                )
        Invitation.objects.bulk_create(invitation_rows, batch_size=2000)
        invitation_rows = list(
            Invitation.objects.order_by("id").values_list("id", "language")
        )
        links, raw_tokens = [], []
        for pk, language in invitation_rows:
            raw, digest = token_new()
            raw_tokens.append(f"{language} {raw}")
            links.append(InvitationLink(invitation_id=pk, digest=digest))
        InvitationLink.objects.bulk_create(links, batch_size=2000)

    (out / "tokens.txt").write_text("\n".join(raw_tokens) + "\n")
    meetings_of: dict[int, list[int]] = {}
    for meeting in meeting_rows:
        meetings_of.setdefault(meeting.chapter_id, []).append(meeting.pk)
    manifest["chapters"] = [chapter.iso2 for chapter in chapter_rows]
    manifest["organisers"] = [
        {"email": user.email, "iso2": chapter.iso2, "meetings": meetings_of[chapter.pk]}
        for chapter, user in zip(chapter_rows, users, strict=True)
    ]
    manifest["counts"] = {
        "chapters": Chapter.objects.count(),
        "organisations": Organisation.objects.count(),
        "listed_members": Membership.objects.listed().count(),
        "meetings": Meeting.objects.count(),
        "invitations": Invitation.objects.count(),
        "personal_links": InvitationLink.objects.count(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--meetings-per-chapter", type=int, default=4)
    parser.add_argument("--invitations", type=int, default=20000)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    began = time.perf_counter()
    if not args.no_migrate:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    manifest = seed(
        chapters=args.chapters,
        organisations=args.organisations,
        meetings=args.meetings_per_chapter,
        invitations=args.invitations,
        out=args.out,
    )
    done = time.perf_counter()
    counts = ", ".join(f"{value} {name}" for name, value in manifest["counts"].items())
    print(
        f"seeded {counts} in {done - migrated:.1f} s "
        f"(migrations {migrated - began:.1f} s)"
    )


if __name__ == "__main__":
    main()
