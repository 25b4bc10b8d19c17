"""Meetings and their agenda: created in the chapter's time zone, starting
with the source document's agenda, edited by the chapter's organisers only."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chapters.models import AuditEntry
from meetings.models import AgendaItem, DefaultAgendaItem, Meeting
from meetings.services.errors import MeetingError
from meetings.services.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    meeting_update,
)
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganiserFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.meetings.builders import meeting_form

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return meeting_form(**overrides)


def test_the_default_agenda_is_the_seed_agenda_in_both_languages():
    items = list(DefaultAgendaItem.objects.order_by("order"))
    assert len(items) == 7
    assert items[0].title_ar == "الترحيب والمقدمات"
    assert items[0].title_en == "Welcome and introductions"
    assert "الزيارات البرلمانية للمشاريع الناجحة" in items[3].notes_ar
    assert "parliamentary visits" in items[3].notes_en
    assert "برنامج الأمم المتحدة الإنمائي" in items[4].notes_ar
    assert items[5].title_ar == "أسئلة وأجوبة حول توقعات الأعضاء"
    assert all(item.title_ar and item.title_en for item in items)


def test_a_new_exploratory_meeting_starts_with_the_seven_seed_items(
    organiser_client, chapter
):
    response = organiser_client.post("/en/manage/jo/meetings/new/", _form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == f"/en/manage/jo/meetings/{meeting.pk}/"
    agenda = list(meeting.agenda_items.order_by("order"))
    assert [item.order for item in agenda] == list(range(1, 8))
    assert agenda[0].title_ar == "الترحيب والمقدمات"
    assert agenda[6].title_en.startswith("Confirmation of member organisations")
    assert AuditEntry.objects.filter(action="meeting.create").count() == 1


def test_a_follow_up_meeting_starts_with_an_empty_agenda(organiser_client):
    organiser_client.post("/en/manage/jo/meetings/new/", _form(kind="follow_up"))
    assert Meeting.objects.get().agenda_items.count() == 0


def test_times_are_entered_and_shown_in_the_chapters_time_zone(organiser_client):
    data = _form()
    organiser_client.post("/en/manage/jo/meetings/new/", data)
    meeting = Meeting.objects.get()
    local = timezone.localtime(meeting.starts_at, ZoneInfo("Asia/Amman"))
    assert local.strftime("%Y-%m-%dT%H:%M") == data["starts_at"]
    # Amman is UTC+3: 10:00 there is 07:00 UTC.
    assert meeting.starts_at.astimezone(ZoneInfo("UTC")).hour == 7
    page = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/")
    body = page.content.decode()
    # The hours isolated left to right, the zone named for people.
    assert "\u206610:00–13:00\u2069 Amman time (\u2066UTC+3\u2069)" in body
    assert "Asia/Amman" not in body


def test_staff_changes_to_the_default_agenda_apply_to_new_meetings(organiser, chapter):
    DefaultAgendaItem.objects.filter(order=1).update(title_en="Welcome, tea")
    start = timezone.now() + timedelta(days=3)
    meeting = meeting_create(
        actor=organiser,
        chapter=chapter,
        data={
            "title_en": "M",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
        },
    )
    assert meeting.agenda_items.order_by("order").first().title_en == "Welcome, tea"


def test_a_meeting_that_ends_before_it_starts_is_refused(organiser_client):
    data = _form()
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = organiser_client.post("/en/manage/jo/meetings/new/", data)
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_past_is_refused(organiser_client):
    past = datetime(2020, 5, 1, 10, 0)
    response = organiser_client.post(
        "/en/manage/jo/meetings/new/",
        _form(
            starts_at=past.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(past + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert "The meeting cannot start in the past." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_venue_or_an_online_link(organiser_client):
    response = organiser_client.post(
        "/en/manage/jo/meetings/new/", _form(venue_address="")
    )
    assert "Give a venue address, an online link or both." in response.content.decode()


def test_a_minimum_above_the_maximum_is_refused(organiser_client):
    response = organiser_client.post(
        "/en/manage/jo/meetings/new/", _form(target_min=30, target_max=20)
    )
    assert "cannot exceed the maximum" in response.content.decode()


def test_organiser_sees_a_warning_below_the_target_range(organiser_client, meeting):
    InvitationFactory.create_batch(3, meeting=meeting)
    page = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/").content
    assert b"Fewer organisations are invited than the target of at least 10." in page


def test_organiser_sees_no_warning_inside_the_target_range(organiser_client, meeting):
    InvitationFactory.create_batch(12, meeting=meeting)
    page = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/").content
    assert b'data-testid="target-warning"' not in page


def test_organiser_sees_a_warning_above_the_target_range(organiser_client, meeting):
    InvitationFactory.create_batch(21, meeting=meeting)
    page = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/").content
    assert b"More organisations are invited than the target of at most 20." in page


def _agenda(meeting):
    return list(
        meeting.agenda_items.order_by("order").values_list("title_en", flat=True)
    )


def test_agenda_items_move_up_and_down(organiser_client, organiser, chapter):
    start = timezone.now() + timedelta(days=3)
    meeting = meeting_create(
        actor=organiser,
        chapter=chapter,
        data={
            "title_en": "M",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
        },
    )
    first, second = meeting.agenda_items.order_by("order")[:2]
    url = f"/en/manage/jo/meetings/{meeting.pk}/agenda/{second.pk}/move/"
    organiser_client.post(url, {"action": "up"})
    assert _agenda(meeting)[:2] == [second.title_en, first.title_en]
    organiser_client.post(url, {"action": "up"})  # already first: nothing moves
    assert _agenda(meeting)[0] == second.title_en
    organiser_client.post(url, {"action": "down"})
    assert _agenda(meeting)[:2] == [first.title_en, second.title_en]


def test_agenda_items_are_added_edited_and_removed(organiser_client, meeting):
    base = f"/en/manage/jo/meetings/{meeting.pk}/agenda/"
    organiser_client.post(
        base + "add/",
        {"title_ar": "استراحة", "title_en": "Break", "duration_minutes": 10},
    )
    item = AgendaItem.objects.get(meeting=meeting)
    organiser_client.post(
        base + f"{item.pk}/edit/",
        {
            "title_ar": "استراحة قهوة",
            "title_en": "Coffee break",
            "duration_minutes": 20,
            "presenter": "Salma",
        },
    )
    item.refresh_from_db()
    assert (item.title_en, item.duration_minutes, item.presenter) == (
        "Coffee break",
        20,
        "Salma",
    )
    organiser_client.post(base + f"{item.pk}/move/", {"action": "remove"})
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_agenda_item_needs_a_title(organiser_client, meeting):
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/agenda/add/", {"duration_minutes": 5}
    )
    assert "Give a title in at least one language." in response.content.decode()


def test_organiser_of_another_chapter_gets_404(client, meeting):
    other = OrganiserFactory(chapter=ChapterFactory(country="EG")).user
    client.force_login(other)
    assert client.get(f"/en/manage/jo/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/en/manage/jo/meetings/").status_code == 404
    item = meeting.agenda_items.create(title_en="x")
    response = client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/agenda/{item.pk}/move/",
        {"action": "remove"},
    )
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_meeting_of_another_chapter_is_404_even_for_its_url_under_mine(
    organiser_client,
):
    foreign = MeetingFactory(chapter=ChapterFactory(country="EG"))
    assert (
        organiser_client.get(f"/en/manage/jo/meetings/{foreign.pk}/").status_code == 404
    )


def test_anonymous_visitor_is_sent_to_sign_in(client, meeting):
    response = client.get(f"/en/manage/jo/meetings/{meeting.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_representative_cannot_open_organiser_pages(client, meeting):
    user = UserFactory()
    RepresentativeFactory(user=user)
    client.force_login(user)
    assert client.get("/en/manage/jo/meetings/").status_code == 404


def test_meeting_pages_in_arabic_render_right_to_left(organiser_client, meeting):
    page = organiser_client.get(f"/ar/manage/jo/meetings/{meeting.pk}/")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    assert "جدول الأعمال" in page.content.decode()


def test_meeting_pages_keep_a_constant_number_of_queries_with_200_invitations(
    organiser_client, meeting, django_assert_max_num_queries
):
    InvitationFactory.create_batch(5, meeting=meeting)
    url = f"/en/manage/jo/meetings/{meeting.pk}/"
    with django_assert_max_num_queries(30) as few:
        organiser_client.get(url)
    InvitationFactory.create_batch(195, meeting=meeting)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = organiser_client.get(url)
    # One page of them is shown; all of them are counted.
    assert response.content.decode().count('<tr id="invitation-') == 25
    assert response.context["page_obj"].paginator.count == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(15):
        organiser_client.get("/en/manage/jo/meetings/")


def test_cancelling_a_meeting_is_audited_and_cannot_be_undone_by_editing(
    organiser, meeting
):
    meeting_cancel(actor=organiser, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    with pytest.raises(MeetingError):
        meeting_update(actor=organiser, meeting=meeting, data={"title_en": "x"})
    assert AuditEntry.objects.filter(action="meeting.cancel").exists()


def test_a_meeting_is_marked_held_only_once_it_has_started(organiser, meeting):
    with pytest.raises(MeetingError):
        meeting_mark_held(actor=organiser, meeting=meeting)
