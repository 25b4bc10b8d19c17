"""A chapter's governance: who may hold which role, the organisers' page,
what the country page shows (organisations, never representatives), the
audit trail and the organisers' notices."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone, translation

from chapters.models import AuditEntry, OrganiserNotification, OrganiserPreference
from members.models import GovernanceRole, Membership
from members.services.governance import (
    GovernanceError,
    governance_role_assign,
    governance_role_delete,
    governance_role_end,
    governance_role_update,
)
from members.services.membership import membership_withdraw
from members.services.merge import organisations_merge
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

Kind = GovernanceRole.Kind
PAGE = url("members:governance", "jo")


def country(language="en"):
    return url("chapters:country", "jo", language=language)


def role_url(role, iso2="jo"):
    return url("members:governance_role", iso2, role.pk)


@pytest.fixture(autouse=True)
def _english():
    """Refusals are read in English here; the catalogue has them in Arabic
    and French."""
    with translation.override("en"):
        yield


def member(chapter, name="Member", **representative):
    """A confirmed member of the chapter with one representative the chapter
    collected."""
    organisation = OrganisationFactory(name_en=name, name_ar=f"{name} بالعربية")
    MembershipFactory(
        chapter=chapter,
        organisation=organisation,
        state=Membership.State.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    representative = RepresentativeFactory(
        organisation=organisation,
        chapter=chapter,
        name=representative.get("rep_name", f"Person of {name}"),
        email=representative.get("email", f"{name.lower()}@example.org"),
    )
    return organisation, representative


def assign(organiser, chapter, kind, pair, **kwargs):
    organisation, representative = pair
    return governance_role_assign(
        actor=organiser,
        chapter=chapter,
        kind=kind,
        organisation=organisation,
        representative=representative,
        **kwargs,
    )


# The rules ---------------------------------------------------------------


def test_organiser_appoints_a_member_as_co_chair_and_the_trail_records_it(
    chapter, organiser
):
    pair = member(chapter, "Olive")
    role = assign(organiser, chapter, Kind.CO_CHAIR, pair, note="Elected")
    assert role.is_current
    assert role.starts_on == timezone.now().astimezone(chapter.zone).date()
    entry = AuditEntry.objects.get(action="governance_role.assign")
    assert entry.chapter == chapter and entry.actor == organiser
    assert entry.after["kind"] == "co_chair"
    assert entry.after["organisation"] == pair[0].pk
    assert entry.after["note"] == "Elected"


def test_an_organisation_that_is_not_a_confirmed_member_is_refused(chapter, organiser):
    organisation = OrganisationFactory()
    MembershipFactory(
        chapter=chapter, organisation=organisation, state=Membership.State.REQUESTED
    )
    representative = RepresentativeFactory(organisation=organisation, chapter=chapter)
    with pytest.raises(GovernanceError, match="confirmed member organisation"):
        assign(organiser, chapter, Kind.STEERING, (organisation, representative))
    assert not GovernanceRole.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="governance").exists()


def test_a_member_of_another_chapter_is_refused(chapter, organiser):
    other = ChapterFactory(country="EG")
    pair = member(other, "Nile")
    with pytest.raises(GovernanceError, match="confirmed member organisation"):
        assign(organiser, chapter, Kind.STEERING, pair)
    assert not GovernanceRole.objects.exists()


def test_a_third_co_chair_is_refused_until_one_role_ends(chapter, organiser):
    first = assign(organiser, chapter, Kind.CO_CHAIR, member(chapter, "A"))
    assign(organiser, chapter, Kind.CO_CHAIR, member(chapter, "B"))
    third = member(chapter, "C")
    with pytest.raises(GovernanceError, match="already has two co-chairs"):
        assign(organiser, chapter, Kind.CO_CHAIR, third)
    governance_role_end(actor=organiser, chapter=chapter, role=first)
    assign(organiser, chapter, Kind.CO_CHAIR, third)
    assert GovernanceRole.objects.current().filter(kind=Kind.CO_CHAIR).count() == 2


def test_a_second_host_organisation_is_refused(chapter, organiser):
    host, _rep = member(chapter, "Host")
    governance_role_assign(
        actor=organiser, chapter=chapter, kind=Kind.HOST, organisation=host
    )
    other, _rep = member(chapter, "Other")
    with pytest.raises(GovernanceError, match="already has a host organisation"):
        governance_role_assign(
            actor=organiser, chapter=chapter, kind=Kind.HOST, organisation=other
        )
    assert GovernanceRole.objects.filter(kind=Kind.HOST).count() == 1


def test_the_same_organisation_holds_the_same_current_role_only_once(
    chapter, organiser
):
    pair = member(chapter, "Twice")
    assign(organiser, chapter, Kind.FOCAL_POINT, pair, area="advocacy")
    with pytest.raises(GovernanceError, match="already holds this role"):
        assign(organiser, chapter, Kind.FOCAL_POINT, pair, area="advocacy")
    # Another area is another role.
    assign(organiser, chapter, Kind.FOCAL_POINT, pair, area="leadership")
    assert GovernanceRole.objects.count() == 2


def test_a_focal_point_needs_its_area_and_other_roles_have_none(chapter, organiser):
    pair = member(chapter, "Focal")
    with pytest.raises(GovernanceError, match="area of joint work"):
        assign(organiser, chapter, Kind.FOCAL_POINT, pair)
    role = assign(organiser, chapter, Kind.STEERING, pair, area="advocacy")
    assert role.area == ""


def test_the_representative_must_be_the_organisations_in_this_chapter(
    chapter, organiser
):
    organisation, _own = member(chapter, "Own")
    _other_org, stranger = member(chapter, "Stranger")
    elsewhere = RepresentativeFactory(
        organisation=organisation, chapter=ChapterFactory(country="EG")
    )
    for representative in (stranger, elsewhere):
        with pytest.raises(
            GovernanceError, match="representative of this organisation"
        ):
            assign(organiser, chapter, Kind.STEERING, (organisation, representative))
    with pytest.raises(GovernanceError, match="representative who holds the role"):
        assign(organiser, chapter, Kind.STEERING, (organisation, None))
    assert not GovernanceRole.objects.exists()


def test_a_role_cannot_end_before_it_starts(chapter, organiser):
    role = assign(
        organiser,
        chapter,
        Kind.STEERING,
        member(chapter),
        starts_on=datetime.date(2026, 5, 1),
    )
    with pytest.raises(GovernanceError, match="cannot end before"):
        governance_role_update(
            actor=organiser,
            chapter=chapter,
            role=role,
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )
    role.refresh_from_db()
    assert role.ends_on is None


def test_updating_a_role_records_only_what_changed(chapter, organiser):
    role = assign(
        organiser,
        chapter,
        Kind.STEERING,
        member(chapter),
        starts_on=datetime.date(2026, 5, 1),
    )
    governance_role_update(
        actor=organiser,
        chapter=chapter,
        role=role,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=None,
        note="Chairs the June meeting",
    )
    entry = AuditEntry.objects.get(action="governance_role.update")
    assert entry.before == {"note": ""}
    assert entry.after == {"note": "Chairs the June meeting"}
    # The same values again change nothing and record nothing.
    governance_role_update(
        actor=organiser,
        chapter=chapter,
        role=role,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=None,
        note="Chairs the June meeting",
    )
    assert AuditEntry.objects.filter(action="governance_role.update").count() == 1


def test_reopening_an_ended_role_must_fit_the_limits(chapter, organiser):
    old = assign(organiser, chapter, Kind.CO_CHAIR, member(chapter, "Old"))
    governance_role_end(actor=organiser, chapter=chapter, role=old)
    assign(organiser, chapter, Kind.CO_CHAIR, member(chapter, "New1"))
    assign(organiser, chapter, Kind.CO_CHAIR, member(chapter, "New2"))
    old.refresh_from_db()
    with pytest.raises(GovernanceError, match="two co-chairs"):
        governance_role_update(
            actor=organiser,
            chapter=chapter,
            role=old,
            starts_on=old.starts_on,
            ends_on=None,
        )
    old.refresh_from_db()
    assert old.ends_on is not None


def test_ending_a_role_twice_ends_it_once(chapter, organiser):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter))
    governance_role_end(actor=organiser, chapter=chapter, role=role)
    governance_role_end(
        actor=organiser,
        chapter=chapter,
        role=role,
        ends_on=datetime.date(2030, 1, 1),
    )
    role.refresh_from_db()
    assert role.ends_on == timezone.now().astimezone(chapter.zone).date()
    assert AuditEntry.objects.filter(action="governance_role.end").count() == 1


def test_a_role_entered_by_mistake_is_removed_and_the_trail_keeps_it(
    chapter, organiser
):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter, "Oops"))
    governance_role_delete(actor=organiser, chapter=chapter, role=role)
    assert not GovernanceRole.objects.exists()
    entry = AuditEntry.objects.get(action="governance_role.delete")
    assert entry.object_repr.startswith("Oops")
    assert entry.before["kind"] == "steering"


def test_a_withdrawn_membership_ends_the_organisations_roles_that_day(
    chapter, organiser
):
    organisation, representative = member(chapter, "Leaving")
    account = UserFactory(email=representative.email)
    representative.user = account
    representative.save()
    chair = assign(organiser, chapter, Kind.CO_CHAIR, (organisation, representative))
    other = assign(organiser, chapter, Kind.STEERING, member(chapter, "Staying"))
    membership = Membership.objects.get(chapter=chapter, organisation=organisation)
    membership_withdraw(membership=membership, actor=account)
    chair.refresh_from_db()
    other.refresh_from_db()
    assert chair.ends_on == timezone.now().astimezone(chapter.zone).date()
    assert other.is_current


# Notices to the organisers -------------------------------------------------------


def test_the_other_organisers_are_told_in_their_language_as_they_chose(
    chapter, organiser, django_capture_on_commit_callbacks
):
    french = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    OrganiserPreference.objects.create(user=french, language="fr")
    digest = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    OrganiserPreference.objects.create(user=digest, delivery="digest")
    silent = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    OrganiserPreference.objects.create(user=silent, delivery="off")
    pair = member(chapter, "Olive")
    with django_capture_on_commit_callbacks(execute=True):
        assign(organiser, chapter, Kind.FOCAL_POINT, pair, area="advocacy")
    notices = OrganiserNotification.objects.filter(kind="governance")
    assert {notice.recipient for notice in notices} == {french, digest}
    assert notices.get(recipient=digest).sent_at is None
    assert [message.to for message in mail.outbox] == [[french.email]]
    body = mail.outbox[0].body
    assert "Olive" in body
    assert "Point focal (Plaidoyer)" in body
    assert "/fr/manage/jo/governance/" in body
    # The representative is never named in a notice.
    assert pair[1].name not in body


# The organisers' page --------------------------------------------------------------


def test_organiser_appoints_from_the_page_and_sees_the_role(organiser_client, chapter):
    organisation, representative = member(chapter, "Olive", rep_name="Rana Haddad")
    response = organiser_client.post(
        PAGE,
        {
            "kind": "steering",
            "area": "",
            "holder": f"{organisation.pk}:{representative.pk}",
            "starts_on": "2026-05-01",
            "note": "",
        },
    )
    assert response.status_code == 302
    role = GovernanceRole.objects.get()
    assert (role.organisation, role.representative, role.starts_on) == (
        organisation,
        representative,
        datetime.date(2026, 5, 1),
    )
    page = organiser_client.get(PAGE).content.decode()
    assert "Rana Haddad" in page and "Steering committee member" in page


def test_the_page_shows_the_refusal_as_a_form_error(organiser_client, chapter):
    pairs = [member(chapter, name) for name in ("A", "B", "C")]
    for organisation, representative in pairs:
        response = organiser_client.post(
            PAGE,
            {"kind": "co_chair", "holder": f"{organisation.pk}:{representative.pk}"},
        )
    assert response.status_code == 400
    assert "already has two co-chairs" in response.content.decode()
    assert GovernanceRole.objects.count() == 2


def test_a_host_organisation_is_appointed_as_a_body(organiser_client, chapter):
    organisation, _representative = member(chapter, "Host")
    response = organiser_client.post(
        PAGE, {"kind": "host", "holder": f"{organisation.pk}:"}
    )
    assert response.status_code == 302
    assert GovernanceRole.objects.get().representative is None


def test_organiser_ends_corrects_and_removes_roles_by_post(
    organiser_client, chapter, organiser
):
    ended = assign(organiser, chapter, Kind.STEERING, member(chapter, "A"))
    corrected = assign(organiser, chapter, Kind.STEERING, member(chapter, "B"))
    removed = assign(organiser, chapter, Kind.STEERING, member(chapter, "C"))
    assert organiser_client.get(role_url(ended)).status_code == 405
    organiser_client.post(role_url(ended), {"action": "end"})
    organiser_client.post(
        role_url(corrected),
        {
            "action": "update",
            f"{corrected.pk}-starts_on": "2026-04-01",
            f"{corrected.pk}-ends_on": "",
            f"{corrected.pk}-note": "Treasurer",
        },
    )
    organiser_client.post(role_url(removed), {"action": "delete"})
    ended.refresh_from_db()
    corrected.refresh_from_db()
    assert ended.ends_on is not None
    assert (corrected.starts_on, corrected.note) == (
        datetime.date(2026, 4, 1),
        "Treasurer",
    )
    assert not GovernanceRole.objects.filter(pk=removed.pk).exists()
    page = organiser_client.get(PAGE).content.decode()
    assert 'data-testid="past-roles"' in page


def test_a_correction_ending_before_the_start_is_refused_on_the_page(
    organiser_client, chapter, organiser
):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter))
    response = organiser_client.post(
        role_url(role),
        {
            "action": "update",
            f"{role.pk}-starts_on": "2026-05-01",
            f"{role.pk}-ends_on": "2026-04-01",
            f"{role.pk}-note": "",
        },
        follow=True,
    )
    assert "cannot end before" in response.content.decode()
    role.refresh_from_db()
    assert role.ends_on is None


def test_organiser_of_other_chapter_gets_404(client, chapter, organiser):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter))
    other = OrganiserFactory(chapter=ChapterFactory(country="EG")).user
    client.force_login(other)
    assert client.get(PAGE).status_code == 404
    assert client.post(role_url(role), {"action": "delete"}).status_code == 404
    # Nor through their own chapter's address.
    assert client.post(role_url(role, "eg"), {"action": "delete"}).status_code == 404
    assert GovernanceRole.objects.filter(pk=role.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, chapter, organiser):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter))
    for response in (
        client.get(PAGE),
        client.post(role_url(role), {"action": "end"}),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    role.refresh_from_db()
    assert role.is_current


def test_the_page_asks_as_many_queries_for_ten_roles_as_for_one(
    organiser_client, chapter, organiser, django_assert_max_num_queries
):
    assign(organiser, chapter, Kind.STEERING, member(chapter, "First"))
    with django_assert_max_num_queries(100) as one:
        assert organiser_client.get(PAGE).status_code == 200
    for index in range(9):
        role = assign(organiser, chapter, Kind.STEERING, member(chapter, f"M{index}"))
        if index % 2:
            governance_role_end(actor=organiser, chapter=chapter, role=role)
    with django_assert_max_num_queries(len(one)):
        assert organiser_client.get(PAGE).status_code == 200


def test_the_page_says_when_the_interim_co_chairs_text_is_still_public(
    organiser_client, chapter, organiser
):
    chapter.co_chairs_en = "Salma and Omar (interim)"
    chapter.save()
    assert (
        'data-testid="interim-co-chairs"'
        not in organiser_client.get(PAGE).content.decode()
    )
    assign(organiser, chapter, Kind.CO_CHAIR, member(chapter))
    assert (
        'data-testid="interim-co-chairs"' in organiser_client.get(PAGE).content.decode()
    )


# The country page ------------------------------------------------------------


def test_country_page_names_the_organisations_never_their_representatives(
    client, chapter, organiser
):
    chair = member(chapter, "Olive", rep_name="Rana Haddad", email="rana@olive.org")
    assign(organiser, chapter, Kind.CO_CHAIR, chair)
    assign(
        organiser,
        chapter,
        Kind.FOCAL_POINT,
        member(chapter, "Sunrise"),
        area="advocacy",
    )
    host, _rep = member(chapter, "Hosting", rep_name="Karim Nasser")
    governance_role_assign(
        actor=organiser, chapter=chapter, kind=Kind.HOST, organisation=host
    )
    for language, olive in (("en", "Olive"), ("ar", "Olive بالعربية")):
        page = client.get(country(language)).content.decode()
        assert 'data-testid="governance"' in page
        assert olive in page
        for private in ("Rana Haddad", "rana@olive.org", "Karim Nasser"):
            assert private not in page
    page = client.get(country()).content.decode()
    assert "Co-chairs" in page and "Focal points" in page and "Advocacy" in page


def test_country_page_has_no_governance_section_without_current_roles(
    client, chapter, organiser
):
    role = assign(organiser, chapter, Kind.STEERING, member(chapter))
    governance_role_end(actor=organiser, chapter=chapter, role=role)
    page = client.get(country()).content.decode()
    assert 'data-testid="governance"' not in page


def test_country_page_shows_a_new_role_at_once_though_it_is_cached(
    client, chapter, organiser
):
    pair = member(chapter, "Fresh")
    first = client.get(country()).content.decode()
    assert 'data-testid="governance"' not in first
    role = assign(organiser, chapter, Kind.STEERING, pair)
    assert 'data-testid="governance"' in client.get(country()).content.decode()
    governance_role_delete(actor=organiser, chapter=chapter, role=role)
    assert 'data-testid="governance"' not in client.get(country()).content.decode()


def test_country_page_section_asks_the_same_queries_for_ten_roles_as_for_one(
    client, chapter, organiser, django_assert_max_num_queries
):
    assign(organiser, chapter, Kind.STEERING, member(chapter, "First"))
    with django_assert_max_num_queries(100) as one:
        client.get(country())
    for index in range(9):
        assign(organiser, chapter, Kind.STEERING, member(chapter, f"M{index}"))
    cache.clear()
    with django_assert_max_num_queries(len(one)):
        client.get(country())


def test_merging_two_organisations_keeps_one_current_role_of_a_kind(chapter, organiser):
    keep, absorb = member(chapter, "Keep"), member(chapter, "Absorb")
    for organisation, _rep in (keep, absorb):
        ProspectFactory(chapter=chapter, organisation=organisation)
    kept = assign(organiser, chapter, Kind.STEERING, keep)
    assign(organiser, chapter, Kind.STEERING, absorb)
    moved = assign(organiser, chapter, Kind.CO_CHAIR, absorb)
    organisations_merge(
        actor=organiser, chapter=chapter, keep=keep[0], absorb=absorb[0]
    )
    roles = GovernanceRole.objects.filter(organisation=keep[0])
    assert set(roles.values_list("pk", flat=True)) == {kept.pk, moved.pk}
