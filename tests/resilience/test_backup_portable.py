"""The portable backup (manage.py dumpdata with natural keys) restored with
loaddata into an emptied database gives back every row of every table.
The PostgreSQL pg_dump/pg_restore path and larger data: bench/backup_restore.py;
the commands: docs/operations.md."""

import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command

from chapters.models import Chapter
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganiserFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

EXCLUDE = ["contenttypes", "auth.permission", "sessions"]
NOT_EXPORTED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# Django's JSON keeps times to the millisecond and writes no fraction for a
# whole second: a time of 12:00:00.000400 is exported as "12:00:00.000Z",
# restored as 12:00:00 and exported again as "12:00:00Z". The same instant.
WHOLE_SECOND = re.compile(r'(T\d\d:\d\d:\d\d)\.000(?=Z|[+-]\d\d:\d\d|")')


def _counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_EXPORTED
    }


def _export(path) -> list[str]:
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDE,
        output=str(path),
        verbosity=0,
    )
    objects = json.loads(path.read_text())
    return sorted(
        WHOLE_SECOND.sub(r"\1", json.dumps(item, sort_keys=True)) for item in objects
    )


def test_a_portable_export_restored_into_an_emptied_database_has_every_row(
    client, tmp_path
):
    organiser = OrganiserFactory(chapter__country="JO")
    MembershipFactory.create_batch(3, chapter=organiser.chapter, state="confirmed")
    RepresentativeFactory.create_batch(2)
    InvitationFactory.create_batch(3, meeting__chapter=organiser.chapter)
    client.post(
        "/ar/countries/jo/interest/",
        {
            "organisation_name": "جمعية الأمل",
            "kind": "cbo",
            "contact_name": "هدى",
            "email": "huda@example.org",
            "message": "نعمل مع القرى.",
            "homepage": "",
        },
    )
    before = _counts()
    assert before["chapters.auditentry"] >= 1
    exported = _export(tmp_path / "portal.json")

    call_command("flush", interactive=False, verbosity=0)
    assert Chapter.objects.count() == 0

    call_command("loaddata", str(tmp_path / "portal.json"), verbosity=0)
    assert _counts() == before
    again = _export(tmp_path / "again.json")
    assert sorted(set(again) ^ set(exported)) == []
    assert again == exported
