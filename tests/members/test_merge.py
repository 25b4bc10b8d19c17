"""Merging two organisations already on the outreach list (members.services.merge):
the kept one is completed, never overwritten; everything recorded about the
other moves to it; clashes are resolved without inventing consent."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from chapters import languages
from chapters.models import AuditEntry
from meetings.models import (
    Attendance,
    Decision,
    Engagement,
    Idea,
    IdeaCategory,
    IdeaTopic,
)
from members.models import (
    ConfirmationLink,
    GovernanceRole,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from members.services.merge import (
    DERIVED_FIELDS,
    FILLED_FIELDS,
    KEPT_FIELDS,
    RELATION_RULES,
    UNITED_FIELDS,
    MergeAlreadyDone,
    MergeError,
    organisation_relations,
    organisations_merge,
    relation_label,
    relations_without_rule,
)
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONTACTS_BY_CHAPTER = any(
    f.name == "chapter" for f in Representative._meta.get_fields()
)


def contact(organisation, chapter, **values):
    """A representative, entered by the chapter once contacts belong to one."""
    if CONTACTS_BY_CHAPTER:
        values.setdefault("chapter", chapter)
    return RepresentativeFactory(organisation=organisation, **values)


@pytest.fixture
def pair(chapter):
    keep = ProspectFactory(chapter=chapter).organisation
    absorb = ProspectFactory(chapter=chapter).organisation
    return keep, absorb


def merge(actor, chapter, keep, absorb):
    # Messages are matched in English, whatever an earlier test left active.
    with translation.override("en"):
        return organisations_merge(
            actor=actor, chapter=chapter, keep=keep, absorb=absorb
        )


def test_every_relation_to_an_organisation_has_a_merge_rule():
    """A new foreign key to Organisation fails here until someone decides
    what a merge does with its rows (otherwise they would be deleted with
    the absorbed organisation, or left pointing at nothing)."""
    assert relations_without_rule() == []
    labels = {relation_label(r) for r in organisation_relations()}
    assert set(RELATION_RULES) == labels  # no rule for a relation that is gone
    # The hidden relations of the meetings app are seen too.
    assert "meetings.Invitation.organisation" in labels


def test_every_field_of_an_organisation_has_a_merge_rule():
    named = FILLED_FIELDS + UNITED_FIELDS + KEPT_FIELDS + DERIVED_FIELDS
    fields = {f.name for f in Organisation._meta.concrete_fields}
    assert fields == set(named)
    assert len(named) == len(set(named))


def test_empty_fields_are_filled_and_nothing_is_overwritten(organiser, chapter):
    keep = OrganisationFactory(
        name_ar="جمعية الأمل",
        name_en="",
        city_en="Amman",
        city_ar="",
        website="",
        tags=["youth", "water"],
        focus_sdgs=[6],
        kind=Organisation.Kind.NETWORK,
    )
    absorb = OrganisationFactory(
        name_ar="جمعية الامل للتنمية",
        name_en="Hope Society",
        city_en="Zarqa",
        city_ar="الزرقاء",
        website="https://hope.example.org",
        description_ar="وصف قصير",
        tags=["water", "women"],
        focus_sdgs=[6, 5],
        kind=Organisation.Kind.NATIONAL_NGO,
    )
    absorb.logo.save("logo.png", ContentFile(b"png"), save=True)
    logo_name = absorb.logo.name
    for organisation in (keep, absorb):
        ProspectFactory(chapter=chapter, organisation=organisation)

    merge(organiser, chapter, keep, absorb)

    keep.refresh_from_db()
    assert keep.name_ar == "جمعية الأمل"  # had one: kept
    assert keep.name_en == "Hope Society"  # empty: filled
    assert keep.city_en == "Amman" and keep.city_ar == "الزرقاء"  # per language
    assert keep.website == "https://hope.example.org"
    assert keep.website_domain == "hope.example.org"  # keys follow
    assert keep.description_ar == "وصف قصير"
    assert keep.tags == ["youth", "water", "women"]
    assert keep.focus_sdgs == [6, 5]
    assert keep.kind == Organisation.Kind.NETWORK
    assert keep.logo.name == logo_name
    assert not Organisation.objects.filter(pk=absorb.pk).exists()


def test_every_row_pointing_at_the_absorbed_organisation_moves(chapter):
    staff = StaffFactory()
    other_chapter = ChapterFactory(country="EG")
    keep = ProspectFactory(chapter=chapter).organisation
    absorb = ProspectFactory(chapter=chapter).organisation
    ProspectFactory(chapter=other_chapter, organisation=absorb)
    MembershipFactory(chapter=other_chapter, organisation=absorb)
    person = contact(absorb, chapter)
    meeting = MeetingFactory(chapter=chapter)
    invitation = InvitationFactory(meeting=meeting, organisation=absorb)
    Attendance.objects.create(
        meeting=meeting, organisation=absorb, name="A", organisation_name="X"
    )
    Idea.objects.create(
        meeting=meeting,
        organisation=absorb,
        category=IdeaCategory.JOINT_WORK,
        topic=IdeaTopic.ADVOCACY,
        text="Joint advocacy",
    )
    Decision.objects.create(meeting=meeting, owner=absorb, text="Draft the charter")
    visit = Engagement.objects.create(
        chapter=chapter, kind="letter", happened_on=datetime.date(2026, 5, 1)
    )
    both = Engagement.objects.create(
        chapter=chapter, kind="letter", happened_on=datetime.date(2026, 5, 2)
    )
    visit.organisations.add(absorb)
    both.organisations.add(absorb, keep)
    task = InitialTask.objects.create(chapter=chapter, title="Charter", lead=absorb)
    Volunteering.objects.create(task=task, organisation=absorb)
    GovernanceRole.objects.create(
        chapter=other_chapter,
        kind=GovernanceRole.Kind.HOST,
        organisation=absorb,
        starts_on=datetime.date(2026, 5, 1),
    )

    merge(staff, chapter, keep, absorb)

    for relation in organisation_relations():
        if relation.many_to_many:
            continue
        rows = relation.related_model._default_manager
        assert not rows.filter(**{f"{relation.field.name}_id": absorb.pk}).exists()
        assert rows.filter(**{relation.field.name: keep}).exists(), relation_label(
            relation
        )
    assert list(task.volunteers.all()) == [keep]
    assert list(visit.organisations.all()) == [keep]
    assert list(both.organisations.all()) == [keep]
    assert Representative.objects.get(pk=person.pk).organisation == keep
    invitation.refresh_from_db()
    assert invitation.organisation == keep
    assert set(keep.prospects.values_list("chapter", flat=True)) == {
        chapter.pk,
        other_chapter.pk,
    }


def test_two_prospects_of_one_chapter_keep_the_further_stage_notes_and_owner(
    organiser, chapter
):
    other_organiser = UserFactory()
    mine = ProspectFactory(
        chapter=chapter, stage="invited", notes="Called on Monday.", owner=None
    )
    theirs = ProspectFactory(
        chapter=chapter,
        stage="attended",
        notes="Came with two people.",
        owner=other_organiser,
    )

    merge(organiser, chapter, mine.organisation, theirs.organisation)

    prospect = Prospect.objects.get(chapter=chapter)
    assert prospect.pk == mine.pk  # the kept organisation's row, same address
    assert prospect.stage == "attended"
    assert prospect.notes == "Called on Monday.\n\nCame with two people."
    assert prospect.owner == other_organiser  # the kept one had none


def test_a_decline_does_not_outrank_attending(organiser, chapter):
    mine = ProspectFactory(chapter=chapter, stage="attended", owner=organiser)
    theirs = ProspectFactory(chapter=chapter, stage="declined")
    merge(organiser, chapter, mine.organisation, theirs.organisation)
    prospect = Prospect.objects.get(chapter=chapter)
    assert (prospect.stage, prospect.owner) == ("attended", organiser)


def _membership(chapter, organisation, state, *actions):
    membership = MembershipFactory(
        chapter=chapter, organisation=organisation, state=state
    )
    for action, to_state in actions:
        MembershipEvent.objects.create(
            membership=membership,
            action=action,
            from_state="candidate",
            to_state=to_state,
            via="link",
            consent_text="I agree." if action == "confirm" else "",
        )
    return membership


def test_membership_clash_keeps_the_confirmed_one_and_both_histories(
    organiser, chapter, pair
):
    keep, absorb = pair
    person = contact(keep, chapter)
    requested = _membership(chapter, keep, "requested", ("request", "requested"))
    open_link = ConfirmationLink.objects.create(
        membership=requested,
        representative=person,
        email=person.email,
        purpose="respond",
        digest="a" * 64,
    )
    confirmed = _membership(
        chapter,
        absorb,
        "confirmed",
        ("request", "requested"),
        ("confirm", "confirmed"),
    )

    merge(organiser, chapter, keep, absorb)

    membership = Membership.objects.get(chapter=chapter)
    # The confirmed one, as it was: nobody's consent was invented or lost.
    assert membership.pk == confirmed.pk
    assert membership.organisation == keep
    assert membership.state == "confirmed"
    history = list(membership.events.values_list("action", flat=True))
    assert sorted(history) == ["confirm", "request", "request"]
    assert membership.events.get(action="confirm").consent_text == "I agree."
    # The request that lost is closed: answering it could not change anything.
    open_link.refresh_from_db()
    assert open_link.membership == membership and open_link.revoked_at is not None


def test_membership_clash_never_moves_a_membership_up_the_consent_path(
    organiser, chapter, pair
):
    keep, absorb = pair
    declined = _membership(chapter, keep, "declined", ("decline", "declined"))
    _membership(chapter, absorb, "consulting", ("consult", "consulting"))

    merge(organiser, chapter, keep, absorb)

    membership = Membership.objects.get(chapter=chapter)
    assert (membership.pk, membership.state) == (declined.pk, "declined")
    assert membership.events.count() == 2
    assert not Membership.objects.listed().exists()


def test_the_same_contact_twice_is_kept_once_and_others_move_as_alternates(
    organiser, chapter, pair
):
    keep, absorb = pair
    known = contact(keep, chapter, email="amal@example.org", phone="", is_primary=True)
    twice = contact(absorb, chapter, email="Amal@Example.org", phone="+962791234567")
    new = contact(absorb, chapter, email="basel@example.org", is_primary=True)
    meeting = MeetingFactory(chapter=chapter)
    invitation = InvitationFactory(
        meeting=meeting, organisation=absorb, representative=twice
    )

    merge(organiser, chapter, keep, absorb)

    assert set(keep.representatives.values_list("pk", flat=True)) == {
        known.pk,
        new.pk,
    }
    known.refresh_from_db()
    new.refresh_from_db()
    assert known.phone == "+962791234567"  # completed from the other record
    assert known.is_primary and not new.is_primary
    invitation.refresh_from_db()
    assert invitation.representative == known


@pytest.mark.skipif(not CONTACTS_BY_CHAPTER, reason="contacts have no chapter")
def test_the_same_address_entered_by_two_chapters_stays_two_contacts(chapter):
    other_chapter = ChapterFactory(country="EG")
    keep = ProspectFactory(chapter=chapter).organisation
    absorb = ProspectFactory(chapter=chapter).organisation
    ProspectFactory(chapter=other_chapter, organisation=absorb)
    contact(keep, chapter, email="amal@example.org")
    contact(absorb, other_chapter, email="amal@example.org")

    merge(StaffFactory(), chapter, keep, absorb)

    assert keep.representatives.count() == 2


def test_one_volunteering_per_task_is_kept(organiser, chapter, pair):
    keep, absorb = pair
    task = InitialTask.objects.create(chapter=chapter, title="Charter")
    kept_offer = Volunteering.objects.create(task=task, organisation=keep)
    Volunteering.objects.create(task=task, organisation=absorb)
    merge(organiser, chapter, keep, absorb)
    assert list(Volunteering.objects.values_list("pk", flat=True)) == [kept_offer.pk]


def test_the_merge_is_in_the_audit_trail_with_both_names(organiser, chapter, pair):
    keep, absorb = pair
    merge(organiser, chapter, keep, absorb)
    entry = AuditEntry.objects.get(action="organisation.merge_existing")
    assert entry.chapter == chapter and entry.actor == organiser
    assert entry.object_id == str(keep.pk)
    assert entry.before["absorbed"] == {
        "id": absorb.pk,
        **{
            column: getattr(absorb, column) or ""
            for column in languages.localized("name")
        },
    }
    assert entry.after["kept"]["id"] == keep.pk
    assert entry.after["kept"]["name_en"] == keep.name_en


def test_a_retry_after_success_changes_nothing(organiser, chapter, pair):
    keep, absorb = pair
    merge(organiser, chapter, keep, absorb)
    entries = AuditEntry.objects.count()
    with pytest.raises(MergeAlreadyDone, match="already merged"):
        merge(organiser, chapter, keep, absorb)
    assert AuditEntry.objects.count() == entries
    assert Organisation.objects.filter(pk=keep.pk).exists()


def test_an_organisation_followed_by_another_chapter_is_left_to_staff(
    organiser, chapter, pair
):
    keep, absorb = pair
    MembershipFactory(chapter=ChapterFactory(country="EG"), organisation=absorb)
    with pytest.raises(MergeError, match="staff"):
        merge(organiser, chapter, keep, absorb)
    assert Organisation.objects.filter(pk=absorb.pk).exists()
    assert not AuditEntry.objects.filter(action="organisation.merge_existing")

    merge(StaffFactory(), chapter, keep, absorb)
    assert not Organisation.objects.filter(pk=absorb.pk).exists()
    assert keep.memberships.get().chapter.country == "EG"


def test_an_organisation_off_the_list_cannot_be_merged(organiser, chapter):
    keep = ProspectFactory(chapter=chapter).organisation
    stranger = OrganisationFactory()
    with pytest.raises(MergeError, match="outreach list"):
        merge(organiser, chapter, keep, stranger)
    with pytest.raises(MergeError, match="itself"):
        merge(organiser, chapter, keep, keep)
    assert Organisation.objects.count() == 2
