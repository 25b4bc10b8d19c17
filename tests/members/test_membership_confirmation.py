"""The confirmation page reached from the personal link: what it shows,
what each answer does, and every way a link can be misused."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from members.models import ConfirmationLink, Membership, MembershipEvent, Prospect
from members.services import membership, membership_links, membership_rules
from members.services.consent import consent_statement_current
from tests.factories import ChapterFactory, OrganiserFactory
from tests.members.membership_helpers import (
    ask,
    links_for,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db
State = Membership.State


@pytest.fixture
def asked(chapter, organiser, sent):
    """One organisation, two representatives, both asked."""
    chapter.membership_expectations_ar = "نلتقي مرتين في السنة."
    chapter.membership_expectations_en = "We meet twice a year."
    chapter.save()
    organisation, representatives = on_outreach_list(
        chapter,
        representatives=2,
        name_ar="جمعية الندى",
        name_en="Dew Association",
        website="https://dew.example",
        description_en="Village water committees.",
    )
    with sent():
        ask(organiser, chapter, organisation)
    return organisation, representatives


def answer_path(representative):
    return links_for(representative.email)["respond"][0]


def withdraw_path(representative):
    return links_for(representative.email)["withdraw"][0]


def confirm_data(organisation, **overrides):
    data = {
        "action": "confirm",
        "consent": "on",
        "role": "Director",
        "consent_version": consent_statement_current().version,
        "name_ar": organisation.name_ar,
        "name_en": organisation.name_en,
        "acronym": "",
        "kind": organisation.kind,
        "city_ar": "",
        "city_en": "",
        "website": organisation.website,
        "description_ar": "",
        "description_en": organisation.description_en or "",
    }
    data.update(overrides)
    return data


def test_page_shows_what_becomes_public_and_the_expectations_before_the_consent(
    client, asked
):
    _organisation, (representative, _other) = asked
    response = client.get(answer_path(representative))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "جمعية الندى",
        "Dew Association",
        "https://dew.example",
        "Village water committees.",
    ):
        assert text in html
    assert "نلتقي مرتين في السنة." in html
    assert html.index("نلتقي مرتين") < html.index('data-testid="consent-text"')
    assert consent_statement_current().text_ar in html
    assert '<meta name="robots" content="noindex">' in html


def test_opening_the_link_changes_nothing(client, asked, chapter):
    organisation, (representative, _other) = asked
    client.get(answer_path(representative))
    assert membership_of(chapter, organisation).state == State.REQUESTED
    assert MembershipEvent.objects.filter(applied=True).count() == 1


def test_confirming_needs_the_consent_and_the_role(client, asked, chapter):
    organisation, (representative, _other) = asked
    data = confirm_data(organisation)
    del data["consent"]
    data["role"] = ""
    response = client.post(answer_path(representative), data)
    assert response.status_code == 400
    assert membership_of(chapter, organisation).state == State.REQUESTED


def test_confirming_lists_at_once_on_page_api_and_csv(client, asked, chapter, sent):
    organisation, (representative, _other) = asked
    # Warm the caches: the organisation is not there yet.
    assert "Dew Association" not in client.get("/en/countries/jo/").content.decode()
    assert client.get("/api/v1/countries/jo/").json()["members"] == []
    assert "Dew" not in client.get("/en/countries/jo/members.csv").content.decode()
    before = timezone.now()

    with sent():
        response = client.post(answer_path(representative), confirm_data(organisation))
    assert response.status_code == 302

    client.cookies.clear()
    assert "Dew Association" in client.get("/en/countries/jo/").content.decode()
    api = client.get("/api/v1/countries/jo/").json()
    assert [m["name"]["en"] for m in api["members"]] == ["Dew Association"]
    assert (
        "Dew Association" in client.get("/en/countries/jo/members.csv").content.decode()
    )
    chapter.refresh_from_db()
    assert chapter.members_updated_at >= before
    assert Prospect.objects.get(organisation=organisation).stage == "member"


def test_organisers_are_told_when_a_representative_confirms(
    client, asked, organiser, sent, mailoutbox
):
    organisation, (representative, _other) = asked
    path = answer_path(representative)
    mailoutbox.clear()
    with sent():
        client.post(path, confirm_data(organisation))
    to_organiser = [m for m in mailoutbox if organiser.email in m.to]
    assert len(to_organiser) == 1
    to_representative = [m for m in mailoutbox if representative.email in m.to]
    assert len(to_representative) == 1
    assert "/withdraw/" in to_representative[0].body


def test_corrections_are_saved_with_the_answer(client, asked, chapter):
    organisation, (representative, _other) = asked
    data = confirm_data(organisation, name_ar="جمعية الندى للتنمية", action="consult")
    response = client.post(answer_path(representative), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name_ar == "جمعية الندى للتنمية"
    assert membership_of(chapter, organisation).state == State.CONSULTING


def test_declining_publishes_nothing_and_ignores_corrections(client, asked, chapter):
    organisation, (representative, _other) = asked
    data = confirm_data(organisation, name_ar="اسم آخر", action="decline")
    response = client.post(answer_path(representative), data)
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.name_ar == "جمعية الندى"
    assert membership_of(chapter, organisation).state == State.DECLINED


def test_withdrawal_link_removes_the_organisation_at_once_and_keeps_history(
    client, asked, chapter, sent
):
    organisation, (representative, _other) = asked
    with sent():
        client.post(answer_path(representative), confirm_data(organisation))
    client.cookies.clear()
    assert "Dew Association" in client.get("/en/countries/jo/").content.decode()

    assert client.get(withdraw_path(representative)).status_code == 200
    assert membership_of(chapter, organisation).state == State.CONFIRMED
    with sent():
        response = client.post(withdraw_path(representative))
    assert response.status_code == 200

    client.cookies.clear()
    assert "Dew Association" not in client.get("/en/countries/jo/").content.decode()
    assert client.get("/api/v1/countries/jo/").json()["members"] == []
    assert "Dew" not in client.get("/en/countries/jo/members.csv").content.decode()
    target = membership_of(chapter, organisation)
    assert target.state == State.WITHDRAWN and target.withdrawn_at
    actions = list(target.events.order_by("pk").values_list("action", flat=True))
    assert actions == ["request", "confirm", "withdraw"]


def test_a_second_representative_can_withdraw_with_their_own_link(
    client, asked, chapter, sent
):
    organisation, (first, second) = asked
    with sent():
        client.post(answer_path(first), confirm_data(organisation))
    with sent():
        client.post(withdraw_path(second))
    assert membership_of(chapter, organisation).state == State.WITHDRAWN
    event = membership_of(chapter, organisation).events.get(action="withdraw")
    assert event.representative == second


def test_a_second_representative_can_confirm_after_the_first_consulted(
    client, asked, chapter, sent
):
    organisation, (first, second) = asked
    client.post(answer_path(first), confirm_data(organisation, action="consult"))
    with sent():
        client.post(answer_path(second), confirm_data(organisation))
    assert membership_of(chapter, organisation).state == State.CONFIRMED


def test_second_answer_after_the_first_is_recorded_but_changes_nothing(
    client, asked, chapter, sent
):
    organisation, (first, second) = asked
    with sent():
        client.post(answer_path(first), confirm_data(organisation))
    response = client.post(
        answer_path(second), confirm_data(organisation, action="decline")
    )
    assert response.status_code == 409
    assert (
        "withdraw" in response.content.decode().lower()
        or "الانسحاب" in response.content.decode()
    )
    target = membership_of(chapter, organisation)
    assert target.state == State.CONFIRMED
    refused = target.events.get(applied=False)
    assert (refused.action, refused.representative) == ("decline", second)


# Bad links --------------------------------------------------------------------


def test_unknown_token_is_a_404_that_changes_nothing(client, asked, chapter):
    organisation, (_representative, _other) = asked
    pk = membership_of(chapter, organisation).pk
    response = client.get(f"/ar/membership/{pk}/not-a-real-token/")
    assert response.status_code == 404
    response = client.post(
        f"/ar/membership/{pk}/not-a-real-token/", confirm_data(organisation)
    )
    assert response.status_code == 404
    assert membership_of(chapter, organisation).state == State.REQUESTED


def test_link_used_for_another_organisation_is_a_404(
    client, asked, chapter, organiser, sent
):
    _organisation, (representative, _other) = asked
    other, _reps = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, other)
    other_pk = membership_of(chapter, other).pk
    _path, _pk, token = links_for(representative.email)["respond"]
    response = client.post(f"/ar/membership/{other_pk}/{token}/", confirm_data(other))
    assert response.status_code == 404
    assert membership_of(chapter, other).state == State.REQUESTED


def test_a_withdrawal_link_does_not_answer_and_an_answer_link_does_not_withdraw(
    client, asked, chapter, sent
):
    organisation, (representative, _other) = asked
    _path, pk, withdraw_token = links_for(representative.email)["withdraw"]
    _path, pk, answer_token = links_for(representative.email)["respond"]
    assert (
        client.post(
            f"/ar/membership/{pk}/{withdraw_token}/", confirm_data(organisation)
        ).status_code
        == 404
    )
    with sent():
        client.post(answer_path(representative), confirm_data(organisation))
    assert (
        client.post(f"/ar/membership/{pk}/{answer_token}/withdraw/").status_code == 404
    )
    assert membership_of(chapter, organisation).state == State.CONFIRMED


def test_expired_link_shows_a_clear_page_and_changes_nothing(client, asked, chapter):
    organisation, (representative, _other) = asked
    path = answer_path(representative)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.post(path, confirm_data(organisation))
    assert response.status_code == 410
    assert (
        "انتهت صلاحية" in response.content.decode()
        or "expired" in response.content.decode()
    )
    assert membership_of(chapter, organisation).state == State.REQUESTED


def test_revoked_link_shows_a_clear_page_and_changes_nothing(
    client, asked, chapter, organiser
):
    organisation, (representative, _other) = asked
    membership_links.membership_links_revoke(
        actor=organiser, membership=membership_of(chapter, organisation)
    )
    response = client.post(answer_path(representative), confirm_data(organisation))
    assert response.status_code == 410
    assert membership_of(chapter, organisation).state == State.REQUESTED


def test_a_used_link_cannot_be_used_again(client, asked, chapter, sent):
    organisation, (representative, _other) = asked
    path = answer_path(representative)
    with sent():
        client.post(path, confirm_data(organisation))
    response = client.post(path, confirm_data(organisation, action="decline"))
    assert response.status_code == 410
    assert membership_of(chapter, organisation).state == State.CONFIRMED


def test_link_stops_when_the_representatives_address_changes(client, asked, chapter):
    organisation, (representative, _other) = asked
    path = answer_path(representative)
    representative.email = "new-address@example.org"
    representative.save()
    assert client.post(path, confirm_data(organisation)).status_code == 410
    assert membership_of(chapter, organisation).state == State.REQUESTED


def test_withdrawn_organisation_cannot_relist_through_an_old_link(
    client, asked, chapter, sent
):
    organisation, (first, second) = asked
    with sent():
        client.post(answer_path(first), confirm_data(organisation))
    with sent():
        client.post(withdraw_path(first))
    # The second representative never answered: their link is still unused.
    response = client.post(answer_path(second), confirm_data(organisation))
    assert response.status_code == 409
    assert membership_of(chapter, organisation).state == State.WITHDRAWN
    assert (
        "new request" in response.content.decode()
        or "طلب جديد" in response.content.decode()
    )


def test_a_new_request_revokes_the_links_of_the_previous_round(
    client, asked, chapter, organiser, sent
):
    organisation, (first, second) = asked
    old = answer_path(second)
    with sent():
        client.post(answer_path(first), confirm_data(organisation, action="decline"))
    with sent():
        ask(organiser, chapter, organisation)
    assert client.post(old, confirm_data(organisation)).status_code == 410
    assert membership_of(chapter, organisation).state == State.REQUESTED


# Organisers never answer -----------------------------------------------------------


def test_organiser_holding_a_representatives_link_cannot_confirm(
    client, asked, chapter, organiser
):
    organisation, (representative, _other) = asked
    client.force_login(organiser)
    response = client.post(answer_path(representative), confirm_data(organisation))
    assert response.status_code == 409
    target = membership_of(chapter, organisation)
    assert target.state == State.REQUESTED
    refused = target.events.get(applied=False)
    assert refused.actor == organiser and refused.note == "organiser refused"


def test_organiser_pages_offer_no_way_to_confirm(client, asked, chapter, organiser):
    organisation, _reps = asked
    client.force_login(organiser)
    pk = membership_of(chapter, organisation).pk
    for data in ({"do": "confirm"}, {"action": "confirm", "state": "confirmed"}):
        client.post(f"/ar/manage/jo/membership/{pk}/", data)
        client.post(
            "/ar/manage/jo/membership/", {**data, "organisations": [organisation.pk]}
        )
    assert membership_of(chapter, organisation).state == State.REQUESTED
    assert not hasattr(membership, "membership_confirm_for")


def test_staff_cannot_confirm_either(client, asked, chapter):
    from tests.factories import StaffFactory

    organisation, (representative, _other) = asked
    client.force_login(StaffFactory())
    assert (
        client.post(answer_path(representative), confirm_data(organisation)).status_code
        == 409
    )
    assert membership_of(chapter, organisation).state == State.REQUESTED


# Two answers at the same moment ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_representatives_answering_at_once_give_one_result_both_recorded():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    organisation, (first, second) = on_outreach_list(chapter, representatives=2)
    ask(organiser, chapter, organisation)
    links = {
        rep.pk: ConfirmationLink.objects.get(representative=rep, purpose="respond")
        for rep in (first, second)
    }
    version = consent_statement_current().version
    barrier = threading.Barrier(2)
    outcomes = []

    def answer(rep, action):
        try:
            barrier.wait()
            if action == "confirm":
                membership.membership_confirm(
                    link=links[rep.pk],
                    language="ar",
                    role="Chair",
                    consent_version=version,
                )
            else:
                membership.membership_decline(link=links[rep.pk], language="en")
            outcomes.append("applied")
        except membership_rules.MembershipRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(first, "confirm")),
        threading.Thread(target=answer, args=(second, "decline")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "refused"]
    target = membership_of(chapter, organisation)
    assert target.state in (State.CONFIRMED, State.DECLINED)
    answers = target.events.exclude(action="request")
    assert answers.count() == 2
    assert answers.filter(applied=True).count() == 1
    assert answers.get(applied=True).to_state == target.state
