"""A chapter's engagements with government: made directly or from a
meeting's idea or decision (once), with only the chapter's organisations and
contacts, audited; the organiser pages scoped to the chapter; the list's
filters and query count; the export."""

import csv
import io
from datetime import date, timedelta

import pytest

from chapters.models import AuditEntry, Chapter
from meetings.models import Engagement, GovernmentContact
from meetings.services.decisions import decision_add
from meetings.services.engagements import (
    contact_create,
    engagement_create,
    engagement_delete,
    engagement_from_decision,
    engagement_from_idea,
    engagement_publish,
    engagement_update,
)
from meetings.services.errors import MeetingError
from meetings.services.ideas import idea_add
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(chapter):
    return [
        MembershipFactory(chapter=chapter, state="confirmed").organisation
        for _ in range(2)
    ]


@pytest.fixture
def pathways_idea(held_meeting, organiser, members):
    return idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="government",
        topic="parliamentary_visits",
        text="Parliamentary visit to the Irbid water project",
        organisation=members[0],
    )


def data(**overrides) -> dict:
    return {
        "kind": "letter",
        "happened_on": date(2026, 11, 20),
        "title_en": "Letter to the ministry",
        **overrides,
    }


def form(**overrides) -> dict:
    values = {
        "kind": "parliamentary_visit",
        "happened_on": "2026-11-20",
        "title_en": "Parliamentary visit",
        "title_ar": "زيارة برلمانية",
        "summary_en": "The committee visited the project.",
        **overrides,
    }
    return {key: value for key, value in values.items() if value is not None}


# Services ------------------------------------------------------------------------


def test_an_engagement_from_an_idea_keeps_the_link_and_is_made_once(
    organiser, pathways_idea
):
    first, created = engagement_from_idea(
        actor=organiser, idea=pathways_idea, data=data(kind="parliamentary_visit")
    )
    again, created_again = engagement_from_idea(
        actor=organiser, idea=pathways_idea, data=data(title_en="A duplicate")
    )
    assert created and not created_again
    assert again == first
    assert Engagement.objects.count() == 1
    assert first.idea == pathways_idea
    assert AuditEntry.objects.filter(action="engagement.create").count() == 1


def test_an_idea_about_members_expectations_does_not_become_an_engagement(
    organiser, held_meeting
):
    question = idea_add(
        actor=organiser,
        meeting=held_meeting,
        category="expectations",
        topic="question",
        text="Is there a fee?",
    )
    with pytest.raises(MeetingError):
        engagement_from_idea(actor=organiser, idea=question, data=data())
    assert not Engagement.objects.exists()


def test_a_decision_becomes_an_engagement_linked_to_it_and_its_idea(
    organiser, held_meeting, pathways_idea
):
    decision = decision_add(
        actor=organiser,
        meeting=held_meeting,
        data={"text_en": "Prepare the parliamentary visit"},
        idea=pathways_idea,
    )
    engagement, created = engagement_from_decision(
        actor=organiser, decision=decision, data=data()
    )
    assert created
    assert engagement.decision == decision
    assert engagement.idea == pathways_idea
    assert engagement_from_decision(
        actor=organiser, decision=decision, data=data()
    ) == (engagement, False)


def test_only_the_chapters_organisations_may_take_part(organiser, chapter, members):
    stranger = MembershipFactory(
        chapter=ChapterFactory(country="EG"), state="confirmed"
    ).organisation
    with pytest.raises(MeetingError):
        engagement_create(
            actor=organiser,
            chapter=chapter,
            data=data(organisations=[members[0], stranger]),
        )
    declined = MembershipFactory(chapter=chapter, state="declined").organisation
    with pytest.raises(MeetingError):
        engagement_create(
            actor=organiser, chapter=chapter, data=data(organisations=[declined])
        )
    assert not Engagement.objects.exists()


def test_another_chapters_contact_cannot_be_named(organiser, chapter):
    elsewhere = GovernmentContact.objects.create(
        chapter=ChapterFactory(country="EG"), name="Someone", institution="Ministry"
    )
    with pytest.raises(MeetingError):
        engagement_create(
            actor=organiser, chapter=chapter, data=data(contacts=[elsewhere])
        )


def test_every_change_is_audited_and_a_published_one_refreshes_the_page(
    organiser, chapter, members
):
    engagement = engagement_create(actor=organiser, chapter=chapter, data=data())
    version = Chapter.objects.get(pk=chapter.pk).public_version
    engagement_update(
        actor=organiser,
        engagement=engagement,
        data=data(organisations=members, outcome="They replied."),
    )
    assert Chapter.objects.get(pk=chapter.pk).public_version == version
    engagement_publish(actor=organiser, engagement=engagement)
    assert Chapter.objects.get(pk=chapter.pk).public_version == version + 1
    engagement_publish(actor=organiser, engagement=engagement)  # no change
    engagement_delete(actor=organiser, engagement=engagement)
    assert Chapter.objects.get(pk=chapter.pk).public_version == version + 2
    actions = list(
        AuditEntry.objects.filter(chapter=chapter)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "engagement.create",
        "engagement.update",
        "engagement.publish",
        "engagement.delete",
    ]
    update = AuditEntry.objects.get(action="engagement.update")
    assert update.after["organisations"] == sorted(str(o) for o in members)


def test_a_title_in_no_language_is_refused(organiser, chapter):
    with pytest.raises(MeetingError):
        engagement_create(actor=organiser, chapter=chapter, data=data(title_en=" "))


# Organiser pages -----------------------------------------------------------------


def test_the_idea_page_offers_to_turn_a_pathways_idea_into_an_engagement(
    organiser_client, held_meeting, pathways_idea
):
    page = organiser_client.get(url("meetings:ideas", "jo", held_meeting.pk))
    link = url("meetings:engagement_from_idea", "jo", held_meeting.pk, pathways_idea.pk)
    assert link in page.content.decode()


def test_the_form_from_an_idea_is_prefilled_and_changes_nothing_on_get(
    organiser_client, held_meeting, pathways_idea, members
):
    address = url(
        "meetings:engagement_from_idea", "jo", held_meeting.pk, pathways_idea.pk
    )
    page = organiser_client.get(address)
    assert page.status_code == 200
    form_field = page.context["form"]
    assert form_field["kind"].value() == "parliamentary_visit"
    assert form_field["title_en"].value() == pathways_idea.text
    assert form_field["organisations"].value() == [members[0].pk]
    assert not Engagement.objects.exists()

    response = organiser_client.post(
        address, form(organisations=[members[0].pk, members[1].pk], is_public="on")
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meetings:engagement", "jo", engagement.pk)
    assert engagement.idea == pathways_idea and engagement.is_public
    # The same idea again opens the engagement already made.
    again = organiser_client.get(address)
    assert again.status_code == 302
    assert again["Location"] == url("meetings:engagement", "jo", engagement.pk)
    organiser_client.post(address, form(title_en="Twice"))
    assert Engagement.objects.count() == 1
    detail = organiser_client.get(url("meetings:engagement", "jo", engagement.pk))
    assert pathways_idea.text in detail.content.decode()


def test_a_posted_organisation_of_another_chapter_is_refused(organiser_client, members):
    stranger = OrganisationFactory()
    MembershipFactory(chapter=ChapterFactory(country="EG"), organisation=stranger)
    response = organiser_client.post(
        url("meetings:engagement_create", "jo"), form(organisations=[stranger.pk])
    )
    assert response.status_code == 400
    assert not Engagement.objects.exists()


@pytest.fixture
def engagement(organiser, chapter):
    contact = contact_create(
        actor=organiser,
        chapter=chapter,
        data={"name": "Rania", "institution": "Ministry of Planning"},
    )
    return engagement_create(
        actor=organiser, chapter=chapter, data=data(contacts=[contact])
    )


def addresses(engagement, meeting, idea) -> list[str]:
    contact = engagement.contacts.get()
    return [
        url("meetings:engagements", "jo"),
        url("meetings:engagement_create", "jo"),
        url("meetings:engagement", "jo", engagement.pk),
        url("meetings:engagement_edit", "jo", engagement.pk),
        url("meetings:engagement_delete", "jo", engagement.pk),
        url("meetings:government_contacts", "jo"),
        url("meetings:government_contact_create", "jo"),
        url("meetings:government_contact", "jo", contact.pk),
        url("meetings:government_contact_delete", "jo", contact.pk),
        url("meetings:engagement_from_idea", "jo", meeting.pk, idea.pk),
    ]


def test_every_page_answers_the_organiser(
    organiser_client, engagement, held_meeting, pathways_idea
):
    for address in addresses(engagement, held_meeting, pathways_idea):
        assert organiser_client.get(address).status_code == 200, address


def test_another_chapters_organiser_gets_404_everywhere(
    other_organiser_client, engagement, held_meeting, pathways_idea
):
    for address in addresses(engagement, held_meeting, pathways_idea):
        assert other_organiser_client.get(address).status_code == 404, address
        assert other_organiser_client.post(address, form()).status_code == 404
    assert Engagement.objects.count() == 1
    assert GovernmentContact.objects.count() == 1


def test_a_visitor_is_sent_to_sign_in(client, engagement, held_meeting, pathways_idea):
    for address in addresses(engagement, held_meeting, pathways_idea):
        response = client.get(address)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_engagement_of_another_chapter_is_not_found_under_ones_own(
    organiser_client, organiser
):
    other = ChapterFactory(country="EG")
    theirs = engagement_create(actor=organiser, chapter=other, data=data())
    response = organiser_client.get(url("meetings:engagement", "jo", theirs.pk))
    assert response.status_code == 404


def test_deleting_asks_first_then_deletes(organiser_client, engagement):
    address = url("meetings:engagement_delete", "jo", engagement.pk)
    assert organiser_client.get(address).status_code == 200
    assert Engagement.objects.exists()
    organiser_client.post(address)
    assert not Engagement.objects.exists()


def test_the_list_filters_by_kind_year_publication_and_title(
    organiser_client, organiser, chapter
):
    engagement_create(
        actor=organiser,
        chapter=chapter,
        data=data(kind="memorandum", title_en="Memorandum on budgets", is_public=True),
    )
    engagement_create(
        actor=organiser,
        chapter=chapter,
        data=data(happened_on=date(2025, 3, 1), title_en="Old letter"),
    )

    def titles(**query):
        page = organiser_client.get(url("meetings:engagements", "jo"), query)
        return [e.title_en for e in page.context["engagements"]]

    assert titles() == ["Memorandum on budgets", "Old letter"]
    assert titles(kind="memorandum") == ["Memorandum on budgets"]
    assert titles(year="2025") == ["Old letter"]
    assert titles(public="yes") == ["Memorandum on budgets"]
    assert titles(public="no") == ["Old letter"]
    assert titles(q="budg") == ["Memorandum on budgets"]


def test_the_list_costs_the_same_queries_for_many_engagements(
    organiser_client, organiser, chapter, members, django_assert_max_num_queries
):
    def add(count):
        for n in range(count):
            engagement_create(
                actor=organiser,
                chapter=chapter,
                data=data(title_en=f"Letter {n}", organisations=members),
            )

    add(2)
    address = url("meetings:engagements", "jo")
    with django_assert_max_num_queries(30) as few:
        organiser_client.get(address)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get(address)


def test_the_export_lists_engagements_with_their_contacts(organiser_client, engagement):
    response = organiser_client.get(url("chapters:export", "jo", "engagements", "csv"))
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "Letter to the ministry"
    assert "Rania (Ministry of Planning)" in rows[1]


def test_the_timeline_tells_meetings_held_and_engagements(
    chapter, held_meeting, engagement
):
    from chapters import extensions

    events = [
        event
        for source in extensions.chapter_timeline.all()
        if source.key in ("meetings", "engagements")
        for event in source.events(chapter=chapter)
    ]
    kinds = sorted(event.kind for event in events)
    assert kinds == ["engagement", "meeting"]


def test_recent_counts_count_engagements_since_a_day_in_one_query(
    organiser, chapter, django_assert_num_queries
):
    from chapters import extensions

    other = ChapterFactory(country="EG")
    engagement_create(actor=organiser, chapter=chapter, data=data())
    engagement_create(
        actor=organiser,
        chapter=chapter,
        data=data(happened_on=date(2026, 11, 20) - timedelta(days=200)),
    )
    with django_assert_num_queries(1):
        counts = extensions.engagements.get().recent_counts(
            chapter_ids=[chapter.pk, other.pk], since=date(2026, 9, 1)
        )
    assert counts == {chapter.pk: 1}
