"""The languages of a meeting and of a material are lists of the site's
language codes (settings.LANGUAGES), ticked on the forms, kept in the
settings' order and shown by name; every translated text of the meetings
app is read and written through its columns in each language."""

import importlib
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from chapters import languages
from meetings.emails import invitation_email
from meetings.forms.decisions import DecisionForm
from meetings.forms.meetings import MeetingForm
from meetings.models import AgendaNote, Material, Meeting
from meetings.services.errors import MeetingError
from meetings.services.materials import material_add
from meetings.services.meetings import meeting_create, meeting_update
from meetings.services.notes import note_save
from meetings.services.texts import detect_language
from tests.factories import InvitationFactory, MeetingFactory
from tests.meetings.builders import meeting_form
from tests.meetings.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

# The site's languages today (settings.LANGUAGES).
ARABIC, ENGLISH = "ar", "en"


def _url(name, *args, language=ENGLISH):
    with translation.override(language):
        return reverse(name, args=args)


# A meeting's working languages ------------------------------------------


def test_a_meeting_with_english_only_is_stored_and_shown_as_english(
    organiser_client, chapter
):
    response = organiser_client.post(
        _url("meetings:create", chapter.iso2),
        meeting_form(working_languages=[ENGLISH]),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.working_languages == [ENGLISH]
    detail = organiser_client.get(_url("meetings:detail", chapter.iso2, meeting.pk))
    assert '<dd class="col-sm-9">English</dd>' in detail.content.decode()


def test_working_languages_are_kept_in_the_settings_order_whatever_was_sent(
    organiser_client, chapter
):
    organiser_client.post(
        _url("meetings:create", chapter.iso2),
        meeting_form(working_languages=[ENGLISH, ARABIC]),
    )
    assert Meeting.objects.get().working_languages == [ARABIC, ENGLISH]


def test_a_meeting_without_a_working_language_is_refused(organiser_client, chapter):
    response = organiser_client.post(
        _url("meetings:create", chapter.iso2),
        meeting_form(working_languages=[]),
    )
    assert response.status_code == 200
    assert "Choose at least one working language." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_language_the_site_does_not_have_is_refused(organiser_client, chapter):
    response = organiser_client.post(
        _url("meetings:create", chapter.iso2),
        meeting_form(working_languages=[ARABIC, "xx"]),
    )
    assert response.status_code == 200
    assert "xx is not one of the available choices" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_edit_form_ticks_the_stored_languages_and_saves_them_back(
    organiser_client, organiser, chapter
):
    meeting = MeetingFactory(
        chapter=chapter, created_by=organiser, working_languages=[ENGLISH]
    )
    form = MeetingForm(instance=meeting)
    assert form["working_languages"].value() == [ENGLISH]
    page = organiser_client.get(_url("meetings:edit", chapter.iso2, meeting.pk))
    ticked = re.findall(
        r'name="working_languages" value="(\w+)"\s+id="[\w-]+" checked',
        page.content.decode(),
    )
    assert ticked == [ENGLISH]
    data = meeting_form(
        starts=timezone.localtime(meeting.starts_at), working_languages=[ARABIC]
    )
    response = organiser_client.post(
        _url("meetings:edit", chapter.iso2, meeting.pk), data
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.working_languages == [ARABIC]


def test_a_new_meeting_offers_every_language_ticked():
    assert MeetingForm()["working_languages"].value() == languages.codes()
    assert Meeting().working_languages == languages.codes()


def test_the_services_refuse_a_list_that_is_not_of_site_languages(organiser, chapter):
    starts = timezone.now() + timedelta(days=5)
    data = {
        "kind": Meeting.Kind.FOLLOW_UP,
        "title_en": "Follow-up",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "venue_address": "Hall",
    }
    for wrong in ([], ["xx"], [ARABIC, ARABIC], ENGLISH):
        with pytest.raises(MeetingError) as refused:
            meeting_create(
                actor=organiser,
                chapter=chapter,
                data={**data, "working_languages": wrong},
            )
        assert refused.value.field == "working_languages"
    assert not Meeting.objects.exists()
    meeting = meeting_create(
        actor=organiser,
        chapter=chapter,
        data={**data, "working_languages": [ENGLISH, ARABIC]},
    )
    assert meeting.working_languages == [ARABIC, ENGLISH]
    meeting_update(
        actor=organiser, meeting=meeting, data={"working_languages": [ENGLISH]}
    )
    meeting.refresh_from_db()
    assert meeting.working_languages == [ENGLISH]


def test_the_working_languages_are_named_in_the_readers_language():
    meeting = Meeting(working_languages=[ARABIC, ENGLISH])
    with translation.override(ENGLISH):
        assert meeting.working_languages_display == "Arabic and English"
    meeting.working_languages = [ENGLISH]
    with translation.override(ENGLISH):
        assert meeting.working_languages_display == "English"


def test_notes_of_an_english_meeting_are_written_in_english_first(
    organiser_client, held_meeting
):
    held_meeting.working_languages = [ENGLISH]
    held_meeting.save()
    page = organiser_client.get(
        _url(
            "meetings:notes",
            held_meeting.chapter.iso2,
            held_meeting.pk,
            language=ARABIC,
        )
    ).content.decode()
    english = page.index(f'lang="{ENGLISH}" maxlength="20000"')
    arabic = page.index(f'lang="{ARABIC}" maxlength="20000"')
    assert english < arabic  # Arabic is only offered as a translation
    assert 'dir="ltr" lang="en"' in page and 'dir="rtl" lang="ar"' in page


# A material's languages ----------------------------------------------------


def test_a_material_in_english_only_is_named_on_the_pages(organiser_client, meeting):
    response = organiser_client.post(
        _url("meetings:material_add", meeting.chapter.iso2, meeting.pk),
        {
            "title": "Brief",
            "languages": [ENGLISH],
            "file": SimpleUploadedFile("b.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.languages == [ENGLISH]
    detail = organiser_client.get(
        _url("meetings:detail", meeting.chapter.iso2, meeting.pk)
    ).content.decode()
    assert '<span class="badge text-bg-light border ms-1">English</span>' in detail


def test_a_material_needs_at_least_one_language(organiser_client, meeting):
    response = organiser_client.post(
        _url("meetings:material_add", meeting.chapter.iso2, meeting.pk),
        {"title": "Brief", "url": "https://example.org/brief"},
    )
    assert response.status_code == 400
    assert "Choose at least one language the material is in." in (
        response.content.decode()
    )
    assert not Material.objects.exists()


def test_the_material_service_refuses_unknown_languages(organiser, meeting):
    with pytest.raises(MeetingError) as refused:
        material_add(
            actor=organiser,
            chapter=meeting.chapter,
            title="Brief",
            languages=["xx"],
            url="https://example.org/brief",
        )
    assert refused.value.field == "languages"
    material = material_add(
        actor=organiser,
        chapter=meeting.chapter,
        title="Brief",
        languages=[ENGLISH, ARABIC],
        url="https://example.org/brief",
    )
    assert material.languages == [ARABIC, ENGLISH]


def test_the_invitation_names_the_languages_of_each_material(organiser, meeting):
    material_add(
        actor=organiser,
        chapter=meeting.chapter,
        meeting=meeting,
        title="Both",
        languages=[ARABIC, ENGLISH],
        url="https://example.org/both",
    )
    material_add(
        actor=organiser,
        chapter=meeting.chapter,
        meeting=meeting,
        title="English brief",
        languages=[ENGLISH],
        url="https://example.org/english",
    )
    invitation = InvitationFactory(meeting=meeting, language=ENGLISH)
    email = invitation_email(
        invitation=invitation,
        message="invitation",
        raw_token="token",
        agenda=[],
        materials=list(Material.objects.order_by("title")),
        opt_out_link="#",
    )
    assert "- \u2068Both\u2069 (Arabic and English):" in email.body
    assert "- \u2068English brief\u2069 (English):" in email.body


# Texts in each language ------------------------------------------------------


def test_the_decision_form_has_one_text_per_language_in_its_direction(meeting):
    form = DecisionForm(organisations=[])
    columns = [field.name for field in form.text_fields]
    assert columns == languages.localized("text")
    assert list(form.fields)[: len(columns)] == columns
    for field, code in zip(form.text_fields, languages.codes(), strict=True):
        assert field.field.widget.attrs["dir"] == languages.direction(code)
        assert field.field.widget.attrs["lang"] == code
    assert not DecisionForm({}, organisations=[]).is_valid()


def test_each_language_of_a_note_keeps_its_own_version(organiser, held_meeting):
    item = held_meeting.agenda_items.first()
    note_save(actor=organiser, item=item, language=ENGLISH, text="One", version=0)
    note = note_save(
        actor=organiser, item=item, language=ENGLISH, text="Two", version=1
    )
    assert note.version_in(ENGLISH) == 2
    assert note.version_in(ARABIC) == 0
    note = note_save(actor=organiser, item=item, language=ARABIC, text="نص", version=0)
    assert [note.version_in(code) for code in (ARABIC, ENGLISH)] == [1, 2]
    assert AgendaNote.objects.get(pk=note.pk).version_in(ENGLISH) == 2


def test_the_language_of_a_text_is_told_by_its_letters():
    assert detect_language("جمعية الأمل") == ARABIC
    assert detect_language("Hope Association") == ENGLISH
    assert detect_language("جمعية ABC Foundation Trust") == ENGLISH
    assert detect_language("جمعية الأمل Hope") == ARABIC
    assert detect_language("2025") == languages.default()


# The migration ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_codes_into_lists_and_back():
    # Chapters as they were before they had languages of their own.
    old, new = (
        [
            ("meetings", "0008_languages_from_settings"),
            ("chapters", "0006_french_content"),
        ],
        [("meetings", "0009_languages_as_lists"), ("chapters", "0006_french_content")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps
    Chapter = apps.get_model("chapters", "Chapter")
    OldMeeting = apps.get_model("meetings", "Meeting")
    OldMaterial = apps.get_model("meetings", "Material")
    chapter = Chapter.objects.create(country="JO", name="Jordan")
    starts = timezone.now() + timedelta(days=3)
    codes = {"ar": ["ar"], "en": ["en"], "ar_en": ["ar", "en"]}
    for code in codes:
        OldMeeting.objects.create(
            chapter=chapter,
            title_en=code,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            working_languages=code,
        )
        OldMaterial.objects.create(
            chapter=chapter, title=code, language=code, url="https://example.org"
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(new)
        apps = executor.loader.project_state(new).apps
        meetings = apps.get_model("meetings", "Meeting").objects
        materials = apps.get_model("meetings", "Material").objects
        for code, listed in codes.items():
            assert meetings.get(title_en=code).working_languages == listed
            assert materials.get(title=code).languages == listed
        meetings.filter(title_en="ar").update(working_languages=["en", "ar"])
        executor = MigrationExecutor(connection)
        executor.migrate(old)
        apps = executor.loader.project_state(old).apps
        meetings = apps.get_model("meetings", "Meeting").objects
        materials = apps.get_model("meetings", "Material").objects
        assert meetings.get(title_en="ar").working_languages == "ar_en"
        assert meetings.get(title_en="en").working_languages == "en"
        for code in codes:
            assert materials.get(title=code).language == code
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        importlib.import_module("tests.meetings.conftest").ensure_default_agenda()
