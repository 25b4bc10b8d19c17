import importlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)


def ensure_default_agenda():
    """The default agenda comes from a data migration; a transactional test
    elsewhere in the suite flushes the tables, so put it back when gone."""
    from django.apps import apps

    from meetings.models import DefaultAgendaItem

    if not DefaultAgendaItem.objects.exists():
        migration = importlib.import_module(
            "meetings.migrations.0002_default_agenda_from_seed"
        )
        migration.seed_default_agenda(apps, None)
        importlib.import_module(
            "meetings.migrations.0010_french_content"
        ).seed_agenda_in_french(apps, None)


@pytest.fixture(autouse=True)
def _default_agenda(request):
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    ):
        request.getfixturevalue(
            "db" if not _transactional(request) else "transactional_db"
        )
        ensure_default_agenda()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def chapter(db):
    """The Jordanian chapter in Amman's time zone (tests/conftest.py's has
    UTC); the shared organiser fixtures build on this one here."""
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


@pytest.fixture
def meeting(chapter, organiser):
    return MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
    )


@pytest.fixture
def outreach(chapter):
    """Three organisations on the outreach list, one representative each:
    two read Arabic, one English."""
    reps = []
    for language in ("ar", "ar", "en"):
        prospect = ProspectFactory(chapter=chapter)
        reps.append(
            RepresentativeFactory(organisation=prospect.organisation, language=language)
        )
    return reps


@pytest.fixture
def held_meeting(chapter, organiser):
    """A meeting that took place yesterday, with three agenda items."""
    starts = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status="held",
        is_public=True,
        city_en="Amman",
        city_ar="عمّان",
    )
    for order, (title_ar, title_en) in enumerate(
        [
            ("الترحيب والمقدمات", "Welcome and introductions"),
            ("المجالات الممكنة للعمل معاً", "Areas of working together"),
            ("أسئلة وأجوبة حول توقعات الأعضاء", "Questions on members' expectations"),
        ],
        start=1,
    ):
        meeting.agenda_items.create(order=order, title_ar=title_ar, title_en=title_en)
    return meeting


@pytest.fixture
def other_organiser_client(client):
    """Signed in as the organiser of another chapter (Egypt)."""
    other = OrganiserFactory(chapter=ChapterFactory(country="EG")).user
    client.force_login(other)
    return client
