"""Minutes: generated from the record, in the reader's language with the
original marked, names only with consent, published once to the attendees
and, optionally, a public summary on the country page after publishing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from chapters.models import AuditEntry, Chapter
from meetings.models import Decision, Minutes
from meetings.services.attendance import attendance_check_in
from meetings.services.decisions import decision_add, decision_update
from meetings.services.errors import MeetingError
from meetings.services.ideas import idea_add
from meetings.services.invitations import invitation_link_new
from meetings.services.minutes import minutes_publish, minutes_summary_save
from meetings.services.notes import note_save
from members.models import DoNotContact
from tests.factories import InvitationFactory, MeetingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _minutes_url(meeting, language="en"):
    return f"/{language}/manage/jo/meetings/{meeting.pk}/minutes/"


@pytest.fixture
def record(organiser, held_meeting):
    """A meeting with a note in each language, an idea, a decision and two
    attendees, one of whom agreed to be named."""
    first, second, third = held_meeting.agenda_items.order_by("order")
    note_save(
        actor=organiser,
        item=first,
        language="ar",
        text="رحّب المنسّق بالحضور.\n\nقدّمت كل منظمة نفسها.",
        version=0,
    )
    note_save(
        actor=organiser,
        item=first,
        language="en",
        text="The organiser welcomed everyone.",
        version=0,
    )
    note_save(
        actor=organiser,
        item=second,
        language="en",
        text="Interest in advocacy <b>and</b> best practices.",
        version=0,
    )
    note_save(
        actor=organiser,
        item=third,
        language="ar",
        text="لا رسوم للعضوية في البداية.",
        version=0,
    )
    idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="joint_work",
        topic="advocacy",
        text="حملة مناصرة مشتركة",
        organisation_name="جمعية شروق",
    )
    owner = OrganisationFactory(name_en="Jusoor Foundation", name_ar="مؤسسة جسور")
    decision_add(
        actor=organiser,
        meeting=held_meeting,
        data={
            "text_ar": "تشكيل الفرع الوطني",
            "text_en": "Form the national chapter",
            "owner": owner,
            "due_date": timezone.localdate() + timedelta(days=30),
        },
    )
    named = InvitationFactory(
        meeting=held_meeting,
        status="accepted",
        name="Salma Haddad",
        name_in_minutes=True,
        language="ar",
    )
    unnamed = InvitationFactory(
        meeting=held_meeting, status="accepted", name="Omar Private", language="en"
    )
    attendance_check_in(actor=organiser, invitation=named)
    attendance_check_in(actor=organiser, invitation=unnamed)
    return {"named": named, "unnamed": unnamed}


def test_minutes_in_english_show_every_part_and_mark_arabic_only_notes(
    organiser_client, held_meeting, record
):
    body = organiser_client.get(_minutes_url(held_meeting)).content.decode()
    assert "The organiser welcomed everyone." in body
    assert "رحّب المنسّق بالحضور" not in body  # the English exists: shown alone
    assert '<div class="written-text" lang="ar">' in body
    assert "لا رسوم للعضوية في البداية." in body
    assert "written in Arabic only" in body
    assert "حملة مناصرة مشتركة" in body and "Areas of joint work" in body
    assert "Form the national chapter" in body and "Jusoor Foundation" in body
    assert record["named"].organisation_name in body
    assert "Volunteers for the initial tasks" in body
    assert 'data-testid="draft-mark"' in body


def test_minutes_in_arabic_show_arabic_notes_and_mark_english_only_ones(
    organiser_client, held_meeting, record
):
    body = organiser_client.get(_minutes_url(held_meeting, "ar")).content.decode()
    assert '<p dir="auto">رحّب المنسّق بالحضور.</p>' in body
    assert '<p dir="auto">قدّمت كل منظمة نفسها.</p>' in body  # one per paragraph
    assert "The organiser welcomed everyone." not in body
    assert '<div class="written-text" lang="en">' in body
    assert "مكتوبة باللغة الإنجليزية فقط" in body
    assert "تشكيل الفرع الوطني" in body and "مؤسسة جسور" in body


def test_notes_with_tags_are_shown_as_text(organiser_client, held_meeting, record):
    body = organiser_client.get(_minutes_url(held_meeting)).content.decode()
    assert "advocacy &lt;b&gt;and&lt;/b&gt; best practices" in body
    assert "<b>and</b>" not in body


def test_people_are_named_only_when_they_agreed(organiser_client, held_meeting, record):
    page = organiser_client.get(_minutes_url(held_meeting)).content.decode()
    # The organiser's list of recipients names everyone; the minutes do not.
    body = page[page.index('<article class="minutes">') :]
    assert "Salma Haddad" in body
    assert "Omar Private" not in body
    assert record["unnamed"].organisation_name in body


def test_consent_to_be_named_is_off_by_default_and_given_on_the_answer(client, meeting):
    invitation = InvitationFactory(meeting=meeting, status="sent")
    token = invitation_link_new(invitation=invitation, channel="email")
    page = client.get(f"/en/invitation/{token}/").content.decode()
    assert re.search(r'name="name_in_minutes"(?![^>]*checked)', page)
    client.post(f"/en/invitation/{token}/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.name_in_minutes is False
    client.post(
        f"/en/invitation/{token}/", {"answer": "accept", "name_in_minutes": "on"}
    )
    invitation.refresh_from_db()
    assert invitation.name_in_minutes is True


def test_consent_can_be_recorded_at_check_in_for_invitees_and_walk_ins(
    organiser_client, held_meeting
):
    invitation = InvitationFactory(meeting=held_meeting, status="accepted")
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/checkin/"
    organiser_client.post(
        url,
        {"action": "check_in", "invitation": invitation.pk, "name_in_minutes": "on"},
    )
    organiser_client.post(
        url,
        {
            "action": "walk_in",
            "name": "Huda",
            "organisation_name": "New group",
            "new_organisation": "on",
        },
    )
    assert invitation.attendance.name_in_minutes is True
    assert held_meeting.attendances.get(name="Huda").name_in_minutes is False


def test_the_minutes_page_asks_a_constant_number_of_queries(
    organiser, organiser_client, held_meeting, record, django_assert_max_num_queries
):
    url = _minutes_url(held_meeting)
    with django_assert_max_num_queries(22) as first:
        assert organiser_client.get(url).status_code == 200
    for number in range(15):
        idea_add(
            actor=organiser,
            meeting=held_meeting,
            category="sdgs",
            topic="consultation",
            text=f"Idea {number}",
            organisation_name=f"Org {number}",
        )
        invitation = InvitationFactory(meeting=held_meeting, status="accepted")
        attendance_check_in(actor=organiser, invitation=invitation)
        decision_add(
            actor=organiser,
            meeting=held_meeting,
            data={"text_en": f"Step {number}", "owner": invitation.organisation},
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert organiser_client.get(url).status_code == 200


def test_publishing_emails_each_attendee_once_in_their_language(
    organiser,
    organiser_client,
    held_meeting,
    record,
    django_capture_on_commit_callbacks,
):
    declined = InvitationFactory(meeting=held_meeting, status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            _minutes_url(held_meeting), {"action": "publish"}
        )
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {record["named"].email, record["unnamed"].email}
    assert declined.email not in by_address
    arabic = by_address[record["named"].email]
    english = by_address[record["unnamed"].email]
    assert "محضر" in arabic.subject and "/ar/invitation/" in arabic.body
    assert english.subject.startswith("Minutes:") and "/en/invitation/" in english.body
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    assert len(mail.outbox) == 2
    minutes = Minutes.objects.get()
    assert minutes.is_published and minutes.published_by == organiser
    assert AuditEntry.objects.filter(action="minutes.publish").count() == 1
    assert AuditEntry.objects.filter(action="minutes.resend").count() == 1


def test_publishing_again_emails_only_those_who_have_not_had_the_minutes(
    organiser, held_meeting, record, django_capture_on_commit_callbacks
):
    DoNotContact.objects.create(email=record["unnamed"].email)
    with django_capture_on_commit_callbacks(execute=True):
        _minutes, queued = minutes_publish(actor=organiser, meeting=held_meeting)
    assert queued == 1
    late = InvitationFactory(meeting=held_meeting, status="accepted")
    attendance_check_in(actor=organiser, invitation=late)
    with django_capture_on_commit_callbacks(execute=True):
        _minutes, queued = minutes_publish(actor=organiser, meeting=held_meeting)
    assert queued == 1
    assert [message.to[0] for message in mail.outbox] == [
        record["named"].email,
        late.email,
    ]


def test_minutes_cannot_be_published_before_the_meeting_starts(organiser, meeting):
    with pytest.raises(MeetingError):
        minutes_publish(actor=organiser, meeting=meeting)
    assert not Minutes.objects.filter(published_at__isnull=False).exists()


def test_an_invitee_reads_the_minutes_only_after_publishing(
    client, organiser, held_meeting, record
):
    token = invitation_link_new(invitation=record["unnamed"], channel="email")
    url = f"/en/invitation/{token}/minutes/"
    assert client.get(url).status_code == 404
    assert (
        "Read the minutes"
        not in client.get(f"/en/invitation/{token}/").content.decode()
    )
    minutes_publish(actor=organiser, meeting=held_meeting)
    page = client.get(url)
    assert page.status_code == 200
    assert "Form the national chapter" in page.content.decode()
    assert "Read the minutes" in client.get(f"/en/invitation/{token}/").content.decode()


def _country_block(chapter, language="en"):
    with translation.override(language):
        return Template(
            "{% include 'chapters/partials/country_meetings.html' %}"
        ).render(Context({"chapter": Chapter.objects.get(pk=chapter.pk)}))


def test_the_public_summary_appears_only_after_publishing_and_notes_never(
    organiser, held_meeting, record, chapter
):
    minutes_summary_save(
        actor=organiser,
        meeting=held_meeting,
        summary_ar="اتفقت ثماني منظمات على تشكيل الفرع.",
        summary_en="Eight organisations agreed to form the chapter.",
        summary_is_public=True,
    )
    assert "Eight organisations" not in _country_block(chapter)
    version = Chapter.objects.get(pk=chapter.pk).public_version
    minutes_publish(actor=organiser, meeting=held_meeting)
    assert Chapter.objects.get(pk=chapter.pk).public_version > version
    html = _country_block(chapter)
    assert "Eight organisations agreed to form the chapter." in html
    assert "اتفقت ثماني منظمات" in _country_block(chapter, "ar")
    for private in ("The organiser welcomed everyone", "حملة مناصرة", "Salma Haddad"):
        assert private not in html
    minutes_summary_save(
        actor=organiser,
        meeting=held_meeting,
        summary_ar="",
        summary_en="Eight organisations agreed to form the chapter.",
        summary_is_public=False,
    )
    assert "Eight organisations" not in _country_block(chapter)


def test_a_private_meeting_cannot_show_a_public_summary(
    organiser_client, chapter, organiser
):
    starts = timezone.now() - timedelta(days=2)
    private = MeetingFactory(
        chapter=chapter,
        is_public=False,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    response = organiser_client.post(
        _minutes_url(private),
        {"action": "summary", "summary_en": "Hello", "summary_is_public": "on"},
    )
    assert response.status_code == 400
    assert "Make the meeting public first" in response.content.decode()
    assert not Minutes.objects.filter(summary_is_public=True).exists()


def test_a_decision_needs_words_and_keeps_its_owner_and_due_date(
    organiser_client, held_meeting, chapter
):
    owner = InvitationFactory(meeting=held_meeting).organisation
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/decisions/"
    empty = organiser_client.post(url, {"text_ar": " ", "text_en": ""})
    assert empty.status_code == 400
    assert "at least one language" in empty.content.decode()
    organiser_client.post(
        url,
        {
            "text_en": "Draft the terms of reference",
            "owner": owner.pk,
            "due_date": "2030-01-31",
        },
    )
    decision = Decision.objects.get()
    assert decision.owner == owner and str(decision.due_date) == "2030-01-31"
    organiser_client.post(
        f"{url}{decision.pk}/",
        {
            "text_en": "Draft the terms",
            "text_ar": "صياغة الإطار المرجعي",
            "owner": owner.pk,
        },
    )
    decision.refresh_from_db()
    assert decision.text_ar == "صياغة الإطار المرجعي" and decision.due_date is None
    organiser_client.post(f"{url}{decision.pk}/remove/")
    assert not Decision.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="decision.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["decision.add", "decision.remove", "decision.update"]


@pytest.mark.parametrize("page", ["minutes/", "decisions/", "notes/", "ideas/"])
def test_organiser_of_another_chapter_gets_404(
    other_organiser_client, held_meeting, page
):
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/{page}"
    assert other_organiser_client.get(url).status_code == 404
    assert other_organiser_client.post(url, {"action": "publish"}).status_code == 404
    assert not Minutes.objects.exists()


def test_anonymous_visitors_cannot_publish(client, held_meeting):
    response = client.post(_minutes_url(held_meeting), {"action": "publish"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Minutes.objects.exists()


def test_volunteers_of_the_initial_tasks_are_listed(
    organiser_client, held_meeting, chapter, record
):
    from members.models import InitialTask, Volunteering

    task = InitialTask.objects.create(chapter=chapter, title="Map programmes")
    Volunteering.objects.create(task=task, organisation=record["named"].organisation)
    body = organiser_client.get(_minutes_url(held_meeting)).content.decode()
    assert "Map programmes" in body
    assert str(record["named"].organisation) in body


def test_the_decision_edit_page_opens_with_the_decision(
    organiser, organiser_client, held_meeting
):
    decision = decision_add(
        actor=organiser, meeting=held_meeting, data={"text_en": "Write the charter"}
    )
    page = organiser_client.get(
        f"/en/manage/jo/meetings/{held_meeting.pk}/decisions/{decision.pk}/"
    )
    assert page.status_code == 200
    assert "Change the decision" in page.content.decode()
    assert "Write the charter" in page.content.decode()


def test_a_cancelled_meetings_decisions_are_not_changed(organiser, held_meeting):
    decision = decision_add(
        actor=organiser, meeting=held_meeting, data={"text_en": "Write the charter"}
    )
    held_meeting.status = "cancelled"
    held_meeting.save(update_fields=["status"])
    with pytest.raises(MeetingError):
        decision_update(
            actor=organiser, decision=decision, data={"text_en": "Something else"}
        )
    decision.refresh_from_db()
    assert decision.text_en == "Write the charter"


@pytest.mark.parametrize("target", ["notes/{item}/", "ideas/{idea}/", "status/"])
def test_form_targets_answer_get_with_405(
    organiser, organiser_client, held_meeting, target
):
    idea = idea_add(
        actor=organiser, meeting=held_meeting, category="sdgs", topic="other", text="x"
    )
    item = held_meeting.agenda_items.first()
    url = f"/en/manage/jo/meetings/{held_meeting.pk}/" + target.format(
        item=item.pk, idea=idea.pk
    )
    assert organiser_client.get(url).status_code == 405
