"""The audit trail: every service that changes a state users care about
writes an entry; the chapter's page shows them with who, when and what
changed, filtered and paginated; staff see every chapter."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from chapters import services as chapter_services
from chapters.models import AuditEntry, Organiser
from meetings.services.attendance import attendance_add_walk_in, attendance_check_in
from meetings.services.decisions import decision_add
from meetings.services.ideas import idea_add
from meetings.services.invitations import (
    Recipient,
    invitation_answer,
    invitation_batch_create,
    invitation_mark_bounced,
    invitation_open,
    invitation_remind,
    invitation_resend,
    invitation_revoke_links,
)
from meetings.services.materials import material_record_opening
from meetings.services.meetings import meeting_cancel, meeting_create, meeting_update
from meetings.services.notes import note_save
from members.services import (
    do_not_contact,
    initial_tasks,
    membership,
    membership_links,
    organisations,
    outreach,
    representatives,
)
from members.services.consent import consent_statement_current
from members.services.interest import Interest, interest_submit
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.members.membership_helpers import link_of
from tests.urls import url

pytestmark = pytest.mark.django_db


class World:
    """A chapter with an organiser, staff, an organisation on the list with
    a representative, and an upcoming meeting with one invitation."""

    def __init__(self):
        self.chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
        self.organiser = OrganiserFactory(
            chapter=self.chapter,
            user=UserFactory(first_name="Laila", last_name="Haddad"),
        ).user
        self.staff = StaffFactory()
        self.prospect = ProspectFactory(chapter=self.chapter)
        self.organisation = self.prospect.organisation
        self.representative = RepresentativeFactory(organisation=self.organisation)
        self.meeting = MeetingFactory(
            chapter=self.chapter,
            starts_at=timezone.now() + timedelta(days=10),
            ends_at=timezone.now() + timedelta(days=10, hours=2),
        )
        self.invitation = InvitationFactory(
            meeting=self.meeting, organisation=self.organisation, status="sent"
        )


@pytest.fixture
def world():
    return World()


def newest(world) -> AuditEntry:
    return AuditEntry.objects.order_by("-created_at", "-pk").first()


def asked(world, sent):
    with sent():
        membership.membership_request(
            actor=world.organiser,
            chapter=world.chapter,
            organisations=[world.organisation],
        )
    return link_of(world.representative.email)


def confirmed(world, sent):
    link = asked(world, sent)
    with sent():
        membership.membership_confirm(
            link=link,
            language="ar",
            role="Director",
            consent_version=consent_statement_current().version,
        )


# Each case: a service call on the world, and the action its entry records.
CASES = {
    "organiser.grant": lambda w, s: chapter_services.organiser_grant(
        actor=w.staff, chapter=w.chapter, user=UserFactory()
    ),
    "organiser.revoke": lambda w, s: chapter_services.organiser_revoke(
        actor=w.staff, role=Organiser.objects.get(user=w.organiser)
    ),
    "organiser.invite": lambda w, s: chapter_services.organiser_invite(
        actor=w.organiser, chapter=w.chapter, email="co@example.org", language="en"
    ),
    "chapter.update": lambda w, s: chapter_services.chapter_update(
        actor=w.organiser, chapter=w.chapter, data={"introduction_en": "Hello"}
    ),
    "organiser.preferences": lambda w, s: chapter_services.organiser_preference_save(
        actor=w.organiser, delivery="digest", language="en"
    ),
    "organisation.create": lambda w, s: organisations.organisation_add(
        actor=w.organiser,
        chapter=w.chapter,
        values={"name_en": "Fresh network", "kind": "network"},
    ),
    "organisation.update": lambda w, s: organisations.organisation_update(
        actor=w.organiser,
        chapter=w.chapter,
        organisation=w.organisation,
        values={"city_en": "Irbid"},
    ),
    "representative.create": lambda w, s: representatives.representative_add(
        actor=w.organiser,
        chapter=w.chapter,
        organisation=w.organisation,
        values={"name": "Sami", "email": "sami@example.org", "language": "ar"},
    ),
    "representative.update": lambda w, s: representatives.representative_update(
        actor=w.organiser,
        chapter=w.chapter,
        representative=w.representative,
        values={"role": "Chair"},
    ),
    "representative.delete": lambda w, s: representatives.representative_remove(
        actor=w.organiser, chapter=w.chapter, representative=w.representative
    ),
    "prospect.update": lambda w, s: outreach.prospect_update(
        actor=w.organiser, prospect=w.prospect, stage="invited", owner=None, notes=""
    ),
    "do_not_contact.add": lambda w, s: do_not_contact.do_not_contact_add(
        email="no@example.org",
        source="organiser",
        actor=w.organiser,
        chapter=w.chapter,
    ),
    "prospect.interest": lambda w, s: interest_submit(
        chapter=w.chapter,
        interest=Interest(
            organisation_name="Think tank of the valley",
            kind="think_tank",
            contact_name="Huda",
            email="huda@example.org",
            message="",
            language="ar",
        ),
    ),
    "membership.request": lambda w, s: asked(w, s),
    "membership.consult": lambda w, s: membership.membership_consult(
        link=asked(w, s), language="ar"
    ),
    "membership.confirm": lambda w, s: confirmed(w, s),
    "membership.decline": lambda w, s: membership.membership_decline(
        link=asked(w, s), language="ar"
    ),
    "membership.withdraw": lambda w, s: (
        confirmed(w, s),
        membership.membership_withdraw(
            membership=w.organisation.memberships.get(),
            link=link_of(w.representative.email, "withdraw"),
        ),
    ),
    "membership.links_revoke": lambda w, s: (
        asked(w, s),
        membership_links.membership_links_revoke(
            actor=w.organiser, membership=w.organisation.memberships.get()
        ),
    ),
    "task.create": lambda w, s: initial_tasks.task_save(
        actor=w.organiser, chapter=w.chapter, values={"title_en": "Draft"}
    ),
    "meeting.create": lambda w, s: meeting_create(
        actor=w.organiser,
        chapter=w.chapter,
        data={
            "title_en": "Another",
            "starts_at": timezone.now() + timedelta(days=20),
            "ends_at": timezone.now() + timedelta(days=20, hours=2),
            "venue_address": "Hall",
        },
    ),
    "meeting.update": lambda w, s: meeting_update(
        actor=w.organiser, meeting=w.meeting, data={"title_en": "Renamed"}
    ),
    "meeting.cancel": lambda w, s: meeting_cancel(actor=w.organiser, meeting=w.meeting),
    "invitation.batch": lambda w, s: invitation_batch_create(
        actor=w.organiser,
        meeting=w.meeting,
        recipients=[Recipient(name="Ali", email="ali@example.org", language="ar")],
    ),
    "invitation.resend": lambda w, s: invitation_resend(
        actor=w.organiser, invitation=w.invitation
    ),
    "invitation.remind": lambda w, s: invitation_remind(
        actor=w.organiser, invitation=w.invitation
    ),
    "invitation.answer": lambda w, s: invitation_answer(
        invitation=w.invitation, accept=True
    ),
    "invitation.bounced": lambda w, s: invitation_mark_bounced(
        email=w.invitation.email, reason="550 no such user"
    ),
    "invitation.revoke_links": lambda w, s: invitation_revoke_links(
        actor=w.organiser, invitation=w.invitation
    ),
    "attendance.walk_in": lambda w, s: attendance_add_walk_in(
        actor=w.organiser,
        meeting=w.meeting,
        name="Walk-in",
        organisation_name="Neighbours",
    ),
    "attendance.check_in": lambda w, s: attendance_check_in(
        actor=w.organiser, invitation=w.invitation
    ),
    "decision.add": lambda w, s: decision_add(
        actor=w.organiser, meeting=w.meeting, data={"text_en": "Meet again"}
    ),
    "idea.add": lambda w, s: idea_add(
        actor=w.organiser,
        meeting=w.meeting,
        category="joint_work",
        topic="advocacy",
        text="Joint advocacy on water",
    ),
}


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_service_that_changes_state_writes_an_audit_entry(world, sent, action):
    before = AuditEntry.objects.count()
    CASES[action](world, sent)
    entries = AuditEntry.objects.filter(action=action)
    assert AuditEntry.objects.count() > before
    assert entries.exists(), action
    entry = entries.order_by("-created_at", "-pk").first()
    assert entry.object_type and entry.object_id
    assert entry.actor_id or entry.actor_label


# Writes that leave no entry, on purpose or not: reported to their owners.
# Deliberately kept out of the audit trail: they record a reading or an
# autosave, not a decision, and each keeps its own record instead.
NOT_AUDITED = {
    # Reading a material through a personal link: a MaterialOpening row.
    "material_record_opening",
    # Following a personal link: the invitation's opened time and status.
    "invitation_open",
    # Autosave of notes every few seconds: the note keeps its last author.
    "note_save",
}


@pytest.mark.parametrize("name", sorted(NOT_AUDITED))
def test_readings_and_autosaves_keep_their_own_record_not_an_audit_entry(world, name):
    from meetings.models import AgendaNote, Material, MaterialOpening

    item = world.meeting.agenda_items.create(order=1, title_en="Welcome")
    material = Material.objects.create(
        chapter=world.chapter, meeting=world.meeting, title="Note", url="https://x.org"
    )
    before = AuditEntry.objects.count()
    calls = {
        "material_record_opening": lambda: material_record_opening(
            invitation=world.invitation, material=material
        ),
        "invitation_open": lambda: invitation_open(invitation=world.invitation),
        "note_save": lambda: note_save(
            actor=world.organiser, item=item, language="en", text="Hi", version=0
        ),
    }
    calls[name]()
    assert AuditEntry.objects.count() == before
    world.invitation.refresh_from_db()
    own_record = {
        "material_record_opening": lambda: MaterialOpening.objects.filter(
            material=material, invitation=world.invitation
        ).exists(),
        "invitation_open": lambda: world.invitation.opened_at is not None,
        "note_save": lambda: AgendaNote.objects.get(item=item).text_en == "Hi",
    }
    assert own_record[name]()


# The page ------------------------------------------------------------------------


@pytest.fixture
def trail(world):
    """Three kinds of change at known times."""
    with time_machine.travel("2026-03-01 09:00:00+00:00", tick=False):
        chapter_services.chapter_update(
            actor=world.organiser,
            chapter=world.chapter,
            data={"introduction_en": "Hello", "introduction_ar": "مرحباً"},
        )
    with time_machine.travel("2026-03-05 09:00:00+00:00", tick=False):
        invitation_answer(invitation=world.invitation, accept=True)
    with time_machine.travel("2026-03-09 09:00:00+00:00", tick=False):
        outreach.prospect_update(
            actor=world.organiser,
            prospect=world.prospect,
            stage="responded",
            owner=None,
            notes="",
        )
    return world


@pytest.fixture
def organiser_client(client, world):
    client.force_login(world.organiser)
    return client


def entries_on(response) -> list[str]:
    return [entry.action for entry in response.context["entries"]]


def sentences_on(response) -> list[str]:
    """The "what happened" cell of each row, as people read it."""
    return [
        " ".join(
            html.unescape(re.sub(r"<[^>]+>", "", cell.replace("</p>", " "))).split()
        )
        for cell in re.findall(
            r'<td data-testid="audit-sentence">(.*?)</td>',
            response.content.decode(),
            re.S,
        )
    ]


def test_the_trail_says_who_did_what_to_which_named_record(organiser_client, trail):
    response = organiser_client.get(url("chapters:audit", "jo"))
    assert response.status_code == 200
    assert entries_on(response) == [
        "prospect.update",
        "invitation.answer",
        "chapter.update",
    ]
    organisation = trail.organisation.name_en
    meeting = trail.meeting.title_en
    assert sentences_on(response) == [
        f"Laila Haddad changed the follow-up of “{organisation}”.",
        f"{trail.invitation.email} answered the invitation to “{meeting}”."
        " Through a personal link",
        "Laila Haddad changed the chapter's public content or status.",
    ]
    body = response.content.decode()
    assert "Short introduction (English)" in body
    assert '<ins dir="auto">Hello</ins>' in body
    # Names are isolated, so a Latin name keeps its order in Arabic text.
    assert '<span dir="auto">Laila Haddad</span>' in body


def test_the_trail_shows_times_in_the_chapters_zone_written_for_the_language(
    organiser_client, trail
):
    english = organiser_client.get(url("chapters:audit", "jo")).content.decode()
    # 09:00 UTC is 12:00 in Amman (UTC+3); the zone is named for people.
    assert '<time datetime="2026-03-01T09:00:00Z">1 March 2026, 12:00</time>' in english
    assert "Times are in Jordan Time (\u2066UTC+3\u2069)." in english
    arabic = organiser_client.get(
        url("chapters:audit", "jo", language="ar")
    ).content.decode()
    assert "1 مارس 2026، 12:00" in arabic
    assert "2026, " not in arabic
    assert "Asia/Amman" not in arabic and "Asia/Amman" not in english
    # The time column is no longer headed "الموعد" (an appointment).
    assert "الموعد" not in arabic


def test_the_trail_names_the_records_an_id_points_to_and_the_zone_chosen(
    organiser_client, world
):
    outreach.prospect_update(
        actor=world.organiser,
        prospect=world.prospect,
        stage="identified",
        owner=world.organiser,
        notes="",
    )
    chapter_services.chapter_update(
        actor=world.organiser, chapter=world.chapter, data={"time_zone": "Asia/Gaza"}
    )
    response = organiser_client.get(url("chapters:audit", "jo"))
    changes = {
        entry.action: {c["field"]: (c["before"], c["after"]) for c in entry.changes}
        for entry in response.context["entries"]
    }
    assert changes["prospect.update"]["followed up by"] == ("—", "Laila Haddad")
    assert changes["chapter.update"]["time zone"] == (
        "Jordan Time",
        "Palestinian Territories (Gaza) Time",
    )


def test_an_action_without_a_sentence_still_reads(organiser_client, world):
    AuditEntry.objects.create(
        chapter=world.chapter,
        actor=world.organiser,
        action="prospect.archive",
        object_type="members.prospect",
        object_id=str(world.prospect.pk),
        object_repr="Old name",
    )
    response = organiser_client.get(url("chapters:audit", "jo"))
    assert response.status_code == 200
    assert sentences_on(response) == [
        f"prospect archive: {world.organisation.name_en}, by Laila Haddad."
    ]


def test_a_removed_record_keeps_the_name_it_had(organiser_client, world):
    representatives.representative_remove(
        actor=world.organiser,
        chapter=world.chapter,
        representative=world.representative,
    )
    response = organiser_client.get(url("chapters:audit", "jo"))
    assert sentences_on(response) == [
        f"Laila Haddad removed {world.representative.name} from the organisation's"
        " representatives."
    ]


def test_the_portals_own_work_is_told_as_the_portals(organiser_client, world):
    invitation_mark_bounced(email=world.invitation.email, reason="550 no such user")
    response = organiser_client.get(url("chapters:audit", "jo"))
    assert sentences_on(response) == [
        f"The mail provider reported that the invitation to {world.invitation} bounced."
    ]


def _trail_of(world, rounds: int) -> None:
    """Each round: the kinds of change an organiser makes in a day, through
    the services the pages call."""
    for number in range(rounds):
        prospect = organisations.organisation_add(
            actor=world.organiser,
            chapter=world.chapter,
            values={"name_en": f"Network {number}", "kind": "network"},
        )
        outreach.prospect_update(
            actor=world.organiser,
            prospect=prospect,
            stage="invited",
            owner=world.organiser,
            notes="",
        )
        meeting_update(
            actor=world.organiser,
            meeting=world.meeting,
            data={"title_en": f"Meeting {number}"},
        )
        idea_add(
            actor=world.organiser,
            meeting=world.meeting,
            category="joint_work",
            topic="advocacy",
            text=f"Idea {number}",
        )
        decision_add(
            actor=world.organiser,
            meeting=world.meeting,
            data={"text_en": f"Decision {number}"},
        )
        initial_tasks.task_save(
            actor=world.organiser, chapter=world.chapter, values={"title_en": "Do"}
        )


def test_the_trail_asks_as_many_queries_for_many_entries_as_for_few(
    organiser_client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for rounds in (1, 4):
        AuditEntry.objects.all().delete()
        _trail_of(world, rounds)
        shown = AuditEntry.objects.filter(chapter=world.chapter).count()
        with CaptureQueriesContext(connection) as queries:
            response = organiser_client.get(url("chapters:audit", "jo"))
        assert len(response.context["entries"]) == shown >= 6 * rounds
        assert "Decision 0" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(14):
        organiser_client.get(url("chapters:audit", "jo", language="ar"))


def test_the_trail_names_fields_and_states_in_the_readers_language(
    organiser_client, trail
):
    """No field name, status code or UTC timestamp as stored: the model's
    own words in Arabic, the state's label, the chapter's local time."""
    from django.utils import translation

    from meetings.models import Invitation
    from members.models import Prospect

    body = organiser_client.get(
        url("chapters:audit", "jo", language="ar")
    ).content.decode()
    with translation.override("ar"):
        accepted = str(Invitation.Status.ACCEPTED.label)
        responded = str(Prospect.Stage.RESPONDED.label)
        introduction = str(world_field_label("chapters.chapter", "introduction_en"))
    for raw in ("introduction_en", ">accepted<", ">responded<", "+00:00"):
        assert raw not in body
    assert accepted in body and responded in body and introduction in body
    assert "(الإنجليزية)" in introduction


def world_field_label(object_type: str, key: str) -> str:
    from django.apps import apps

    from chapters.audit_trail import field_label

    return field_label(apps.get_model(object_type), key)


def test_the_trail_in_arabic_names_the_personal_link_in_arabic(organiser_client, trail):
    body = organiser_client.get(
        url("chapters:audit", "jo", language="ar")
    ).content.decode()
    assert "personal link of" not in body


def test_the_trail_filters_by_action(organiser_client, trail):
    response = organiser_client.get(
        url("chapters:audit", "jo") + "?action=invitation.answer"
    )
    assert entries_on(response) == ["invitation.answer"]


def test_the_trail_filters_by_object_type(organiser_client, trail):
    response = organiser_client.get(
        url("chapters:audit", "jo") + "?object_type=chapters.chapter"
    )
    assert entries_on(response) == ["chapter.update"]


def test_the_trail_filters_by_actor(organiser_client, trail):
    response = organiser_client.get(
        url("chapters:audit", "jo") + f"?actor={trail.invitation.email[:8]}"
    )
    assert entries_on(response) == ["invitation.answer"]


def test_the_trail_filters_by_dates_in_the_chapters_time_zone(organiser_client, trail):
    response = organiser_client.get(
        url("chapters:audit", "jo") + "?date_from=2026-03-02&date_to=2026-03-05"
    )
    assert entries_on(response) == ["invitation.answer"]


def test_an_inverted_date_range_is_an_error_not_a_crash(organiser_client, trail):
    response = organiser_client.get(
        url("chapters:audit", "jo") + "?date_from=2026-03-09&date_to=2026-03-01"
    )
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()
    assert len(entries_on(response)) == 3


@pytest.mark.parametrize(
    "query",
    ["action=nope", "object_type=auth.user", "date_from=yesterday", "page=abc"],
)
def test_bad_filters_show_the_whole_trail(organiser_client, trail, query):
    response = organiser_client.get(url("chapters:audit", "jo") + f"?{query}")
    assert response.status_code == 200
    assert len(entries_on(response)) == 3


def test_the_trail_is_paginated(organiser_client, world):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            chapter=world.chapter,
            action="prospect.update",
            object_type="members.prospect",
            object_id=str(number),
        )
        for number in range(120)
    )
    first = organiser_client.get(url("chapters:audit", "jo"))
    assert len(first.context["entries"]) == 50
    third = organiser_client.get(url("chapters:audit", "jo") + "?page=3")
    assert len(third.context["entries"]) == 20


def test_another_chapters_entries_never_appear(organiser_client, trail):
    other = ChapterFactory(country="EG")
    chapter_services.chapter_update(
        actor=StaffFactory(), chapter=other, data={"introduction_en": "Egypt"}
    )
    response = organiser_client.get(url("chapters:audit", "jo"))
    assert len(entries_on(response)) == 3


def test_staff_see_every_chapter_and_can_narrow_to_one(client, trail):
    other = ChapterFactory(country="EG")
    chapter_services.chapter_update(
        actor=trail.staff, chapter=other, data={"introduction_en": "Egypt"}
    )
    client.force_login(trail.staff)
    everything = client.get(url("chapters:staff_audit"))
    assert everything.status_code == 200
    assert len(entries_on(everything)) == AuditEntry.objects.count()
    egypt = client.get(url("chapters:staff_audit") + "?chapter=EG")
    assert entries_on(egypt) == ["chapter.update"]
    assert client.get(url("chapters:audit", "jo")).status_code == 200


@pytest.mark.parametrize(
    "path", [url("chapters:audit", "jo"), url("chapters:staff_audit")]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert url("account_login") in response["Location"]


def test_the_organiser_of_another_chapter_gets_404(client, world):
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    assert client.get(url("chapters:audit", "jo")).status_code == 404


@pytest.mark.parametrize(
    "path", [url("chapters:audit", "jo"), url("chapters:staff_audit")]
)
def test_a_representative_gets_404(client, world, path):
    user = UserFactory()
    RepresentativeFactory(organisation=world.organisation, user=user)
    client.force_login(user)
    assert client.get(path).status_code == 404


def test_organisers_do_not_get_the_staff_trail(organiser_client):
    assert organiser_client.get(url("chapters:staff_audit")).status_code == 404
    assert organiser_client.get(url("chapters:staff_overview")).status_code == 404


def test_mail_is_not_sent_by_reading_the_trail(organiser_client, trail):
    mail.outbox.clear()
    organiser_client.get(url("chapters:audit", "jo"))
    assert mail.outbox == []
