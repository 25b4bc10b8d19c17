"""Notes per agenda item: autosaved with a version, a stale save refused with
both texts (no silent loss), a plain form without JavaScript, and bad input
stored and shown safely."""

import pytest
from django.test import Client
from django.utils.translation import override as translation_override

from meetings.models import AgendaNote
from meetings.services.notes import NOTE_MAX_CHARS, NoteConflict, note_save
from tests.factories import MeetingFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _url(meeting, item, language="en"):
    return f"/{language}/manage/jo/meetings/{meeting.pk}/notes/{item.pk}/"


@pytest.fixture
def item(held_meeting):
    return held_meeting.agenda_items.order_by("order").first()


@pytest.fixture
def second_organiser_client(chapter):
    client = Client()
    client.force_login(OrganiserFactory(chapter=chapter).user)
    return client


def test_an_autosave_stores_the_text_and_answers_the_next_version(
    organiser_client, held_meeting, item
):
    response = organiser_client.post(
        _url(held_meeting, item),
        {"language": "ar", "text": "رحّب المنسّق بالحضور", "version": 0},
        **JSON,
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["saved_at"]
    note = AgendaNote.objects.get(item=item)
    assert note.text_ar == "رحّب المنسّق بالحضور" and note.version_ar == 1
    page = organiser_client.get(f"/ar/manage/jo/meetings/{held_meeting.pk}/notes/")
    assert "رحّب المنسّق بالحضور" in page.content.decode()


def test_two_organisers_on_one_item_the_stale_save_is_refused_with_both_texts(
    organiser_client, second_organiser_client, held_meeting, item
):
    url = _url(held_meeting, item)
    organiser_client.post(
        url, {"language": "en", "text": "First draft", "version": 0}, **JSON
    )
    # Both organisers now hold version 1.
    mine = organiser_client.post(
        url, {"language": "en", "text": "Salma's version", "version": 1}, **JSON
    )
    assert mine.status_code == 200
    stale = second_organiser_client.post(
        url, {"language": "en", "text": "Omar's version", "version": 1}, **JSON
    )
    assert stale.status_code == 409
    assert stale.json()["text"] == "Salma's version"
    assert stale.json()["version"] == 2
    assert "Another organiser changed these notes" in stale.json()["error"]
    assert AgendaNote.objects.get().text_en == "Salma's version"
    # Omar merges knowingly, from the version he was shown.
    merged = second_organiser_client.post(
        url,
        {"language": "en", "text": "Salma's version\n\nOmar's version", "version": 2},
        **JSON,
    )
    assert merged.status_code == 200
    assert AgendaNote.objects.get().text_en == "Salma's version\n\nOmar's version"


def test_a_save_repeated_after_a_lost_answer_is_not_a_conflict(
    organiser, held_meeting, item
):
    note_save(actor=organiser, item=item, language="ar", text="نص", version=0)
    again = note_save(actor=organiser, item=item, language="ar", text="نص", version=0)
    assert again.version_ar == 1


def test_arabic_and_english_notes_of_one_item_have_their_own_versions(
    organiser, held_meeting, item
):
    note_save(actor=organiser, item=item, language="ar", text="ملاحظة", version=0)
    note = note_save(
        actor=organiser, item=item, language="en", text="A note", version=0
    )
    assert (note.version_ar, note.version_en) == (1, 1)
    with pytest.raises(NoteConflict):
        note_save(actor=organiser, item=item, language="en", text="Other", version=0)


def test_without_javascript_a_plain_form_saves_and_comes_back_to_the_item(
    organiser_client, held_meeting, item
):
    response = organiser_client.post(
        _url(held_meeting, item), {"language": "en", "text": "Typed", "version": 0}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/notes/#item-{item.pk}")
    assert AgendaNote.objects.get().text_en == "Typed"


def test_without_javascript_a_stale_form_shows_both_texts_and_keeps_mine(
    organiser, organiser_client, held_meeting, item
):
    note_save(actor=organiser, item=item, language="en", text="Theirs", version=0)
    response = organiser_client.post(
        _url(held_meeting, item), {"language": "en", "text": "Mine", "version": 0}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Theirs" in body and "Mine" in body
    assert 'name="version" value="1"' in body  # "Keep my text" saves over theirs
    assert AgendaNote.objects.get().text_en == "Theirs"


def test_huge_notes_are_refused_with_a_translated_message_and_the_text_kept(
    organiser_client, held_meeting, item
):
    huge = "ب" * (NOTE_MAX_CHARS + 1)
    response = organiser_client.post(
        _url(held_meeting, item, "ar"),
        {"language": "ar", "text": huge, "version": 0},
        **JSON,
    )
    assert response.status_code == 400
    assert "الحد الأقصى" in response.json()["error"]
    plain = organiser_client.post(
        _url(held_meeting, item, "en"), {"language": "ar", "text": huge, "version": 0}
    )
    assert plain.status_code == 400
    assert huge in plain.content.decode()
    assert "the limit is 20000" in plain.content.decode()
    assert not AgendaNote.objects.filter(text_ar=huge).exists()


def test_empty_notes_clear_the_item_and_blank_space_counts_as_empty(
    organiser, held_meeting, item
):
    note_save(actor=organiser, item=item, language="en", text="Something", version=0)
    note = note_save(actor=organiser, item=item, language="en", text="  \n ", version=1)
    assert note.text_en == "" and note.version_en == 2


def test_control_characters_are_dropped_and_line_endings_made_plain(
    organiser, held_meeting, item
):
    note = note_save(
        actor=organiser,
        item=item,
        language="en",
        text="a\x00b\r\nc\x1bd",
        version=0,
    )
    assert note.text_en == "ab\ncd"


def test_a_malformed_save_is_a_400_not_a_500(organiser_client, held_meeting, item):
    response = organiser_client.post(
        _url(held_meeting, item),
        {"language": "fr", "text": "x", "version": "x"},
        **JSON,
    )
    assert response.status_code == 400
    assert response.json()["error"]


def test_notes_of_a_cancelled_meeting_cannot_be_changed(
    organiser_client, held_meeting, item
):
    held_meeting.status = "cancelled"
    held_meeting.save()
    response = organiser_client.post(
        _url(held_meeting, item), {"language": "en", "text": "x", "version": 0}, **JSON
    )
    assert response.status_code == 400


def test_organiser_of_another_chapter_gets_404_for_notes(
    other_organiser_client, held_meeting, item
):
    assert (
        other_organiser_client.get(
            f"/en/manage/jo/meetings/{held_meeting.pk}/notes/"
        ).status_code
        == 404
    )
    response = other_organiser_client.post(
        _url(held_meeting, item), {"language": "en", "text": "x", "version": 0}, **JSON
    )
    assert response.status_code == 404
    assert not AgendaNote.objects.exists()


def test_an_item_of_another_meeting_is_404(organiser_client, held_meeting, chapter):
    other = MeetingFactory(chapter=chapter)
    foreign = other.agenda_items.create(order=1, title_en="Elsewhere")
    response = organiser_client.post(
        _url(held_meeting, foreign), {"language": "en", "text": "x", "version": 0}
    )
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, held_meeting, item):
    page = client.get(f"/en/manage/jo/meetings/{held_meeting.pk}/notes/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    save = client.post(
        _url(held_meeting, item), {"language": "en", "text": "x", "version": 0}, **JSON
    )
    assert save.status_code == 302
    assert not AgendaNote.objects.exists()


def test_the_notes_page_asks_a_constant_number_of_queries(
    organiser, organiser_client, held_meeting, django_assert_max_num_queries
):
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/notes/"
    for item in held_meeting.agenda_items.all():
        note_save(actor=organiser, item=item, language="en", text="n", version=0)
    with django_assert_max_num_queries(12):
        assert organiser_client.get(url).status_code == 200
    for order in range(4, 20):
        held_meeting.agenda_items.create(order=order, title_en=f"Item {order}")
    with django_assert_max_num_queries(12):
        assert organiser_client.get(url).status_code == 200


def test_every_seed_agenda_item_of_a_new_meeting_takes_notes_and_the_minutes_show_them(
    organiser_client,
):
    """A meeting created on the organisers' page starts with the source
    document's seven items, each carrying a description: the notes page opens
    in both languages, every item saves and reloads, and the minutes show
    each note instead of "no notes"."""
    from django.urls import reverse

    from meetings.models import Meeting
    from tests.meetings.test_meetings import _form

    organiser_client.post(reverse("meetings:create", kwargs={"iso2": "jo"}), _form())
    meeting = Meeting.objects.get()
    items = list(meeting.agenda_items.order_by("order"))
    assert len(items) == 7 and any(item.notes_ar or item.notes_en for item in items)
    kwargs = {"iso2": "jo", "pk": meeting.pk}
    for language in ("ar", "en"):
        with translation_override(language):
            page = organiser_client.get(reverse("meetings:notes", kwargs=kwargs))
        assert page.status_code == 200
    for item in items:
        saved = organiser_client.post(
            _url(meeting, item),
            {"language": "en", "text": f"Noted on item {item.order}", "version": 0},
            **JSON,
        )
        assert saved.status_code == 200, saved.content
    page = organiser_client.get(reverse("meetings:notes", kwargs=kwargs)).content
    minutes = organiser_client.get(reverse("meetings:minutes", kwargs=kwargs)).content
    for item in items:
        assert f"Noted on item {item.order}".encode() in page
        assert f"Noted on item {item.order}".encode() in minutes
    assert b"No notes for this item." not in minutes
