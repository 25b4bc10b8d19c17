"""The membership board and the organisations that can be asked to confirm
are filtered and shown a page at a time, each list with its own pages: the
page stays the same size, and takes the same number of queries, however many
organisations the chapter has."""

import pytest
from django.core import mail

from members.models import Membership, Prospect
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

BOARD_ROW = 'href="/en/manage/jo/membership/'
CANDIDATE_BOX = 'name="organisations"'


def listed(chapter, count: int, *, state=None, stage=None, **organisation) -> list:
    """`count` organisations on the chapter's outreach list with a
    representative each, and a membership in `state` when given."""
    prospects = []
    for _number in range(count):
        prospect = ProspectFactory(
            chapter=chapter,
            organisation=OrganisationFactory(**organisation),
            **({"stage": stage} if stage else {}),
        )
        RepresentativeFactory(organisation=prospect.organisation)
        if state:
            MembershipFactory(
                chapter=chapter, organisation=prospect.organisation, state=state
            )
        prospects.append(prospect)
    return prospects


def board_rows(response) -> int:
    return len(response.context["memberships"])


def test_the_board_shows_one_page_of_each_list_and_counts_them_all(
    organiser_client, chapter
):
    listed(chapter, 30, state=Membership.State.REQUESTED)
    listed(chapter, 2, state=Membership.State.CONFIRMED)
    board = url("members:memberships", "jo")
    response = organiser_client.get(board)
    body = response.content.decode()
    assert board_rows(response) == 25
    assert body.count(CANDIDATE_BOX) == 25
    assert "32 memberships" in body
    assert "32 organisations" in body
    assert "2 organisations are listed on the country page." in body
    second = organiser_client.get(board + "?page=2")
    assert board_rows(second) == 7
    # The other list keeps its own page.
    assert second.content.decode().count(CANDIDATE_BOX) == 25
    assert (
        organiser_client.get(board + "?candidates_page=2")
        .content.decode()
        .count(CANDIDATE_BOX)
        == 7
    )


def test_the_board_filters_by_name_state_and_stage(organiser_client, chapter):
    listed(chapter, 4, state=Membership.State.REQUESTED)
    [consulting] = listed(chapter, 1, state=Membership.State.CONSULTING)
    [named] = listed(chapter, 1, name_ar="شبكة المياه النظيفة")
    [attended] = listed(chapter, 1, stage=Prospect.Stage.ATTENDED)
    board = url("members:memberships", "jo")
    by_state = organiser_client.get(board + "?state=consulting")
    assert [m.organisation for m in by_state.context["memberships"]] == [
        consulting.organisation
    ]
    by_name = organiser_client.get(board + "?q=المياه")
    assert [p.organisation for p in by_name.context["candidates"]] == [
        named.organisation
    ]
    by_stage = organiser_client.get(board + "?stage=attended")
    assert [p.organisation for p in by_stage.context["candidates"]] == [
        attended.organisation
    ]
    # Those that attended and were not asked are ticked, on the page shown.
    ticked = f'value="{attended.organisation_id}" checked'
    assert ticked in by_stage.content.decode()
    nothing = organiser_client.get(board + "?q=nothing-like-this")
    assert "No membership matches these filters." in nothing.content.decode()
    assert "No organisation matches these filters." in nothing.content.decode()


def test_each_lists_page_links_keep_the_filters_and_the_other_lists_page(
    organiser_client, chapter
):
    listed(chapter, 30, state=Membership.State.REQUESTED)
    body = organiser_client.get(
        url("members:memberships", "jo") + "?state=requested&candidates_page=2"
    ).content.decode()
    assert (
        'href="?state=requested&amp;candidates_page=2&amp;page=2#board-title"' in body
    )
    assert 'href="?state=requested&amp;candidates_page=1#request-title"' in body


def test_asking_from_a_filtered_page_sends_and_comes_back_to_it(
    organiser_client, chapter, django_capture_on_commit_callbacks
):
    [first, *_rest] = listed(chapter, 30)
    board = url("members:memberships", "jo")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            board + "?candidates_page=2",
            {"organisations": [first.organisation_id], "remind_after_days": 7},
        )
    assert response.status_code == 302
    assert response.url == board + "?candidates_page=2"
    assert len(mail.outbox) == 1
    assert Membership.objects.get(organisation=first.organisation).state == (
        Membership.State.REQUESTED
    )


@pytest.mark.parametrize(
    "query",
    [
        "?page=999",
        "?page=abc",
        "?candidates_page=-3",
        "?state=bogus&stage=bogus",
        "?q=" + "x" * 5000,
    ],
)
def test_a_bad_page_or_filter_on_the_board_still_shows_a_page(
    organiser_client, chapter, query
):
    listed(chapter, 3, state=Membership.State.REQUESTED)
    response = organiser_client.get(url("members:memberships", "jo") + query)
    assert response.status_code == 200


def test_the_board_takes_the_same_queries_for_5_or_60_organisations(
    organiser_client, chapter, django_assert_max_num_queries
):
    board = url("members:memberships", "jo")
    listed(chapter, 5, state=Membership.State.REQUESTED)
    with django_assert_max_num_queries(40) as few:
        organiser_client.get(board)
    listed(chapter, 30, state=Membership.State.CONSULTING)
    listed(chapter, 25, stage=Prospect.Stage.ATTENDED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get(board)


def test_another_chapters_organiser_gets_404_on_the_board(client, chapter):
    listed(chapter, 2, state=Membership.State.REQUESTED)
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    response = client.get(url("members:memberships", "jo") + "?page=2&q=a")
    assert response.status_code == 404


def test_the_anonymous_visitor_is_sent_to_log_in_from_the_board(client, chapter):
    response = client.get(url("members:memberships", "jo") + "?page=2")
    assert response.status_code == 302
    assert "/login/" in response.url
