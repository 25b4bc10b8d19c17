"""The membership state machine: every allowed transition happens through
the services, every other one is refused, recorded and changes nothing."""

import itertools

import pytest

from members.models import Membership, MembershipEvent
from members.services import membership, membership_rules
from members.services.consent import consent_statement_current
from members.services.membership_rules import TRANSITIONS, MembershipRefused
from tests.members.membership_helpers import (
    ask,
    link_of,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db

State = Membership.State
Action = MembershipEvent.Action
ALL_PAIRS = list(itertools.product(State.values, Action.values))
REPRESENTATIVE_ACTIONS = [Action.CONSULT, Action.CONFIRM, Action.DECLINE]


def test_the_table_lists_exactly_the_documented_transitions():
    assert TRANSITIONS == {
        ("candidate", "request"): "requested",
        ("declined", "request"): "requested",
        ("withdrawn", "request"): "requested",
        ("requested", "consult"): "consulting",
        ("consulting", "consult"): "consulting",
        ("requested", "confirm"): "confirmed",
        ("consulting", "confirm"): "confirmed",
        ("requested", "decline"): "declined",
        ("consulting", "decline"): "declined",
        ("confirmed", "withdraw"): "withdrawn",
    }


def _take(action, *, organiser, chapter, organisation, email, sent):
    """Take the action the way its actor can: organisers through a request,
    representatives through their personal links."""
    with sent():
        if action == Action.REQUEST:
            return ask(organiser, chapter, organisation)
        if action == Action.WITHDRAW:
            return membership.membership_withdraw(
                membership=membership_of(chapter, organisation),
                link=link_of(email, "withdraw"),
            )
        link = link_of(email)
        if action == Action.CONSULT:
            return membership.membership_consult(link=link, language="ar")
        if action == Action.DECLINE:
            return membership.membership_decline(link=link, language="ar")
        return membership.membership_confirm(
            link=link,
            language="ar",
            role="Director",
            consent_version=consent_statement_current().version,
        )


@pytest.mark.parametrize(
    ("state", "action"),
    [
        pair
        for pair in ALL_PAIRS
        if pair[1] in (*REPRESENTATIVE_ACTIONS, Action.WITHDRAW, Action.REQUEST)
    ],
)
def test_each_state_and_action(state, action, chapter, organiser, sent):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    target = membership_of(chapter, organisation)
    # Test setup only: put the membership in the state under test.
    Membership.objects.filter(pk=target.pk).update(state=state)
    events_before = MembershipEvent.objects.count()
    expected = TRANSITIONS.get((state, action))

    if action == Action.REQUEST:
        result = _take(
            action,
            organiser=organiser,
            chapter=chapter,
            organisation=organisation,
            email=representative.email,
            sent=sent,
        )
        target.refresh_from_db()
        if expected:
            assert result.requested == [organisation]
            assert target.state == expected
        else:
            assert result.already == [organisation]
            assert target.state == state
            assert MembershipEvent.objects.count() == events_before
        return

    if expected:
        event = _take(
            action,
            organiser=organiser,
            chapter=chapter,
            organisation=organisation,
            email=representative.email,
            sent=sent,
        )
        target.refresh_from_db()
        assert target.state == expected
        assert (event.from_state, event.to_state, event.applied) == (
            state,
            expected,
            True,
        )
    else:
        with pytest.raises(MembershipRefused) as refused:
            _take(
                action,
                organiser=organiser,
                chapter=chapter,
                organisation=organisation,
                email=representative.email,
                sent=sent,
            )
        target.refresh_from_db()
        assert target.state == state
        event = refused.value.event
        assert (event.from_state, event.to_state, event.applied) == (
            state,
            state,
            False,
        )
        assert MembershipEvent.objects.count() == events_before + 1


def test_request_resent_keeps_the_state_and_gives_new_links(chapter, organiser, sent):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    first = link_of(representative.email)
    with sent():
        result = ask(organiser, chapter, organisation, resend=True)
    assert result.resent == [organisation]
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert membership_of(chapter, organisation).state == State.REQUESTED
    assert link_of(representative.email).pk != first.pk


def test_asking_twice_sends_nothing_the_second_time(
    chapter, organiser, sent, mailoutbox
):
    organisation, _reps = on_outreach_list(chapter, representatives=2)
    with sent():
        first = ask(organiser, chapter, organisation)
    with sent():
        second = ask(organiser, chapter, organisation)
    assert first.emails == 2
    assert second.already == [organisation] and second.emails == 0
    assert len(mailoutbox) == 2


def test_only_organisations_on_the_outreach_list_are_asked(chapter, organiser, sent):
    from tests.factories import OrganisationFactory, RepresentativeFactory

    stranger = RepresentativeFactory(organisation=OrganisationFactory()).organisation
    result = ask(organiser, chapter, stranger)
    assert result.requested == []
    assert not Membership.objects.filter(organisation=stranger).exists()


def test_a_representative_who_opted_out_gets_no_request(
    chapter, organiser, sent, mailoutbox
):
    from members.services.do_not_contact import do_not_contact_add

    organisation, (representative,) = on_outreach_list(chapter)
    do_not_contact_add(email=representative.email, source="organiser")
    with sent():
        result = ask(organiser, chapter, organisation)
    assert result.unreachable == [organisation]
    assert mailoutbox == []
    assert membership_of(chapter, organisation).state == State.CANDIDATE


def test_someone_who_is_not_an_organiser_cannot_request(chapter, sent):
    from tests.factories import UserFactory

    organisation, _reps = on_outreach_list(chapter)
    with pytest.raises(membership_rules.MembershipError):
        ask(UserFactory(), chapter, organisation)
