"""Organisers correct an idea's wording, kind and proposer: checked like a
new idea, the earlier wording kept in the audit trail, shown safely, and
only for the chapter's own organisers."""

import pytest
from django.core import mail

from chapters.models import AuditEntry
from meetings.services.attendance import attendance_check_in
from meetings.services.errors import MeetingError
from meetings.services.ideas import (
    IDEA_MAX_CHARS,
    idea_add,
    idea_edit,
    idea_moderate,
    idea_submit,
)
from meetings.services.minutes import minutes_publish
from tests.factories import (
    InvitationFactory,
    MeetingFactory,
    OrganisationFactory,
    ProspectFactory,
)

pytestmark = pytest.mark.django_db

MIXED = 'ورشة عمل مشتركة عن SDG 11 في مدينة إربد <script>alert("x")</script>'


@pytest.fixture
def idea(organiser, held_meeting):
    return idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="joint_work",
        topic="advocacy",
        text="Advocasy campain with Salma's phone 0790000000",
        organisation_name="Shorouq Society",
    )


def _edit_url(idea, language="en"):
    return f"/{language}/manage/jo/meetings/{idea.meeting_id}/ideas/{idea.pk}/edit/"


def _ideas_url(idea, language="en"):
    return f"/{language}/manage/jo/meetings/{idea.meeting_id}/ideas/"


def test_an_organiser_rewords_an_idea_and_the_audit_trail_keeps_the_original(
    organiser_client, idea, chapter
):
    jusoor = ProspectFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_en="Jusoor", name_ar="جسور"),
    ).organisation
    response = organiser_client.post(
        _edit_url(idea),
        {
            "kind": "government:champions",
            "text": "حملة مناصرة مشتركة مع الوزارات",
            "organisation": jusoor.pk,
            "organisation_name": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ideas/#idea-{idea.pk}")
    idea.refresh_from_db()
    assert idea.text == "حملة مناصرة مشتركة مع الوزارات"
    assert idea.language == "ar"
    assert (idea.category, idea.topic) == ("government", "champions")
    assert idea.organisation == jusoor and idea.organisation_name == str(jusoor)
    assert idea.status == "approved"
    entry = AuditEntry.objects.get(action="idea.update")
    assert entry.chapter == chapter
    assert entry.before["text"] == "Advocasy campain with Salma's phone 0790000000"
    assert entry.before["organisation_name"] == "Shorouq Society"
    assert entry.after["text"] == "حملة مناصرة مشتركة مع الوزارات"
    assert entry.after["topic"] == "champions"
    audit = organiser_client.get("/en/manage/jo/audit/").content.decode()
    assert "Advocasy campain" in audit


def test_the_edit_page_is_filled_with_what_is_stored(organiser_client, idea):
    page = organiser_client.get(_edit_url(idea)).content.decode()
    assert "Advocasy campain with Salma&#x27;s phone 0790000000" in page
    assert '<option value="joint_work:advocacy" selected>' in page
    assert 'value="Shorouq Society"' in page
    assert 'dir="auto"' in page


def test_the_ideas_page_links_to_the_edit_for_every_status(
    organiser_client, idea, held_meeting
):
    invitation = InvitationFactory(meeting=held_meeting, status="accepted")
    pending = idea_submit(
        invitation=invitation, category="sdgs", topic="undp", text="Ask UNDP"
    )
    hidden = idea_submit(
        invitation=invitation, category="sdgs", topic="undp", text="Off topic"
    )
    idea_moderate(actor=None, idea=hidden, approve=False)
    page = organiser_client.get(_ideas_url(idea)).content.decode()
    for each in (idea, pending, hidden):
        assert f'href="{_edit_url(each)}"' in page


def test_mixed_arabic_and_english_with_a_script_tag_is_stored_and_shown_safely(
    organiser_client, idea
):
    response = organiser_client.post(
        _edit_url(idea), {"kind": "joint_work:advocacy", "text": MIXED + "\x0b"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.text == MIXED and idea.language == "ar"
    page = organiser_client.get(_ideas_url(idea)).content.decode()
    assert "<script>alert" not in page
    assert (
        '<p dir="auto">ورشة عمل مشتركة عن SDG 11 في مدينة إربد &lt;script&gt;alert(&quot;x&quot;)'
        "&lt;/script&gt;</p>"
    ) in page
    form = organiser_client.get(_edit_url(idea)).content.decode()
    assert "<script>alert" not in form
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</textarea>" in form


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "joint_work:advocacy", "text": "   "}, "This field is required."),
        (
            {"kind": "joint_work:advocacy", "text": "x" * (IDEA_MAX_CHARS + 1)},
            "the limit is 2000",
        ),
        ({"kind": "sdgs:advocacy", "text": "Kept"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typing_kept(
    organiser_client, idea, data, message
):
    response = organiser_client.post(
        _edit_url(idea), {**data, "organisation_name": "Typed name"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Typed name"' in page
    if data["text"].strip():
        assert data["text"][:50] in page
    idea.refresh_from_db()
    assert idea.text.startswith("Advocasy") and idea.organisation_name == (
        "Shorouq Society"
    )
    assert not AuditEntry.objects.filter(action="idea.update").exists()


def test_the_service_checks_the_category_pair_and_the_text(organiser, idea):
    with pytest.raises(MeetingError) as wrong_kind:
        idea_edit(
            actor=organiser, idea=idea, category="sdgs", topic="advocacy", text="x"
        )
    assert wrong_kind.value.field == "kind"
    with pytest.raises(MeetingError) as empty:
        idea_edit(
            actor=organiser,
            idea=idea,
            category="sdgs",
            topic="undp",
            text="\x00 \n",
        )
    assert empty.value.field == "text"


def test_saving_the_same_wording_again_records_nothing_more(organiser_client, idea):
    data = {"kind": "joint_work:advocacy", "text": "Advocacy campaign"}
    data["organisation_name"] = "Shorouq Society"
    for _attempt in range(2):
        assert organiser_client.post(_edit_url(idea), data).status_code == 302
    assert AuditEntry.objects.filter(action="idea.update").count() == 1


def test_an_invitees_pending_idea_keeps_its_status_and_link(
    organiser_client, held_meeting
):
    invitation = InvitationFactory(meeting=held_meeting, status="accepted")
    pending = idea_submit(
        invitation=invitation,
        category="expectations",
        topic="question",
        text="My number is 0790000000, is there a fee?",
    )
    response = organiser_client.post(
        _edit_url(pending),
        {"kind": "expectations:question", "text": "Is there a membership fee?"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.invitation == invitation
    assert pending.text == "Is there a membership fee?"


def test_a_proposer_no_longer_on_the_list_stays_choosable(
    organiser_client, organiser, held_meeting
):
    elsewhere = OrganisationFactory(name_en="Far Away Org")
    idea = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="sdgs",
        topic="undp",
        text="Ask UNDP",
        organisation=elsewhere,
    )
    page = organiser_client.get(_edit_url(idea)).content.decode()
    assert f'<option value="{elsewhere.pk}" selected>' in page
    response = organiser_client.post(
        _edit_url(idea),
        {"kind": "sdgs:undp", "text": "Ask UNDP Jordan", "organisation": elsewhere.pk},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.organisation == elsewhere


def test_published_minutes_show_the_new_wording_without_emailing_again(
    organiser,
    organiser_client,
    idea,
    held_meeting,
    django_capture_on_commit_callbacks,
):
    attendee = InvitationFactory(meeting=held_meeting, status="accepted")
    attendance_check_in(actor=organiser, invitation=attendee)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=organiser, meeting=held_meeting)
    assert [m.to for m in mail.outbox] == [[attendee.email]]
    page = organiser_client.get(_edit_url(idea)).content.decode()
    assert "already published" in page and "sees the new wording at once" in page
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            _edit_url(idea),
            {"kind": "joint_work:advocacy", "text": "A joint advocacy campaign"},
        )
    assert len(mail.outbox) == 1
    minutes = organiser_client.get(
        f"/en/manage/jo/meetings/{held_meeting.pk}/minutes/"
    ).content.decode()
    assert "A joint advocacy campaign" in minutes
    assert "Advocasy campain" not in minutes


def test_no_minutes_notice_before_publishing(organiser_client, idea):
    assert (
        "already published"
        not in organiser_client.get(_edit_url(idea)).content.decode()
    )


def test_the_edit_page_in_arabic_is_translated(organiser_client, idea):
    page = organiser_client.get(_edit_url(idea, "ar")).content.decode()
    assert "تعديل الفكرة" in page
    assert 'dir="rtl"' in page


def test_another_chapters_organiser_gets_404_and_changes_nothing(
    other_organiser_client, idea
):
    assert other_organiser_client.get(_edit_url(idea)).status_code == 404
    response = other_organiser_client.post(
        _edit_url(idea), {"kind": "sdgs:undp", "text": "Hijacked"}
    )
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.text.startswith("Advocasy")


def test_an_idea_of_another_meeting_is_a_404(organiser_client, idea, chapter):
    other_meeting = MeetingFactory(chapter=chapter)
    url = f"/en/manage/jo/meetings/{other_meeting.pk}/ideas/{idea.pk}/edit/"
    assert organiser_client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, idea):
    for response in (
        client.get(_edit_url(idea)),
        client.post(_edit_url(idea), {"kind": "sdgs:undp", "text": "Hijacked"}),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    idea.refresh_from_db()
    assert idea.text.startswith("Advocasy")


def test_the_edit_page_costs_the_same_queries_with_many_organisations(
    organiser_client, idea, chapter, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProspectFactory(chapter=chapter)
    with CaptureQueriesContext(connection) as first:
        assert organiser_client.get(_edit_url(idea)).status_code == 200
    for _number in range(15):
        ProspectFactory(chapter=chapter)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert organiser_client.get(_edit_url(idea)).status_code == 200
