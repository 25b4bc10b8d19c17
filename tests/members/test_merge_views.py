"""The organiser's merge pages: from the prospect page to the side-by-side
comparison and the confirmation; who may open them; what a retry does."""

import pytest
from django.test import Client

from chapters.models import AuditEntry
from members.models import Membership, Organisation, Prospect
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(chapter):
    """The same association entered twice: once by hand, once from the
    interest form with another spelling."""
    first = ProspectFactory(
        chapter=chapter,
        stage="invited",
        organisation=OrganisationFactory(
            name_ar="جمعية الأمل", name_en="", website="https://hope.example.org"
        ),
    )
    second = ProspectFactory(
        chapter=chapter,
        source="interest_form",
        organisation=OrganisationFactory(name_ar="الامل", name_en="Hope Society"),
    )
    return first, second


def choose_url(prospect, lang="en"):
    return f"/{lang}/manage/jo/outreach/{prospect.pk}/merge/"


def confirm_url(prospect, other, lang="en"):
    return f"/{lang}/manage/jo/outreach/{prospect.pk}/merge/{other.pk}/"


def test_prospect_page_offers_to_merge_a_likely_duplicate(organiser_client, twins):
    first, _second = twins
    ProspectFactory(chapter=first.chapter)  # unrelated
    response = organiser_client.get(f"/en/manage/jo/outreach/{first.pk}/")
    html = response.content.decode()
    assert 'data-testid="merge-hint"' in html
    assert choose_url(first) in html


def test_prospect_page_without_duplicate_has_only_a_small_link(
    organiser_client, chapter
):
    alone = ProspectFactory(chapter=chapter)
    html = organiser_client.get(f"/en/manage/jo/outreach/{alone.pk}/").content
    assert b'data-testid="merge-hint"' not in html
    assert choose_url(alone).encode() in html


def test_choose_page_offers_likely_duplicates_first_and_searches_the_list(
    organiser_client, chapter, twins
):
    first, second = twins
    other = ProspectFactory(
        chapter=chapter, organisation=OrganisationFactory(name_en="Light Network")
    )
    elsewhere = ProspectFactory(
        chapter=ChapterFactory(country="EG"),
        organisation=OrganisationFactory(name_en="Light Network Egypt"),
    )
    response = organiser_client.get(choose_url(first))
    assert response.context["likely"] == [second]
    assert confirm_url(first, second).encode() in response.content

    response = organiser_client.get(choose_url(first), {"q": "light"})
    assert response.context["found"] == [other]  # this chapter's list only
    assert confirm_url(first, elsewhere).encode() not in response.content

    response = organiser_client.get(choose_url(first), {"q": "hope"})
    assert response.context["found"] == []  # already offered above


def test_choose_page_queries_stay_flat(
    organiser_client, chapter, twins, django_assert_max_num_queries
):
    first, _second = twins
    with django_assert_max_num_queries(12) as few:
        organiser_client.get(choose_url(first), {"q": "organisation"})
    for _ in range(5):
        ProspectFactory(chapter=chapter)
        ProspectFactory(
            chapter=chapter, organisation=OrganisationFactory(name_ar="الأمل")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = organiser_client.get(choose_url(first), {"q": "organisation"})
    assert len(response.context["likely"]) == 6
    assert len(response.context["found"]) == 5


def test_an_organisation_cannot_be_compared_with_itself(organiser_client, twins):
    first, _second = twins
    assert organiser_client.get(confirm_url(first, first)).status_code == 404


def test_confirm_page_shows_both_side_by_side_with_what_moves(
    organiser_client, chapter, twins, django_assert_max_num_queries
):
    first, second = twins
    RepresentativeFactory(organisation=second.organisation, email="a@example.org")
    InvitationFactory(
        meeting=MeetingFactory(chapter=chapter), organisation=second.organisation
    )
    with django_assert_max_num_queries(14) as few:
        response = organiser_client.get(confirm_url(first, second))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="merge-side"') == 2
    assert "Hope Society" in html and "hope.example.org" in html
    counts = dict(response.context["organisations"][1].merge_counts)
    assert counts["Invitations"] == 1
    keep_first = first.organisation.pk
    assert f'value="{keep_first}" id="keep-{keep_first}" checked' in html
    assert "a@example.org" not in html  # counted, not shown
    # More rows, same number of queries.
    for _ in range(3):
        RepresentativeFactory(organisation=first.organisation)
        MembershipFactory(chapter=chapter, organisation=OrganisationFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get(confirm_url(first, second))


def test_confirming_merges_into_the_chosen_one(organiser_client, twins):
    first, second = twins
    response = organiser_client.post(
        confirm_url(first, second), {"keep": second.organisation.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/manage/jo/outreach/{second.pk}/"
    assert not Organisation.objects.filter(pk=first.organisation.pk).exists()
    kept = Organisation.objects.get(pk=second.organisation.pk)
    assert kept.name_ar == "الامل"  # had one: not overwritten
    assert kept.website == "https://hope.example.org"  # was empty: filled
    assert Prospect.objects.get().stage == "invited"
    page = Client().get(response["Location"])  # anonymous: sign-in, no leak
    assert page.status_code == 302


def test_the_merge_message_is_shown_in_arabic(organiser_client, twins):
    first, second = twins
    response = organiser_client.post(
        confirm_url(first, second, lang="ar"),
        {"keep": first.organisation.pk},
        follow=True,
    )
    assert "أصبحت المنظمتان منظمة واحدة" in response.content.decode()


def test_choosing_neither_is_refused_and_changes_nothing(organiser_client, twins):
    first, second = twins
    for keep in ("", "abc", OrganisationFactory().pk):
        response = organiser_client.post(confirm_url(first, second), {"keep": keep})
        assert response.status_code == 400
        assert b"Choose which organisation to keep" in response.content
    assert Organisation.objects.count() == 3


def test_a_retry_after_success_says_so_and_changes_nothing(organiser_client, twins):
    first, second = twins
    data = {"keep": first.organisation.pk}
    organiser_client.post(confirm_url(first, second), data)
    entries = AuditEntry.objects.count()
    response = organiser_client.post(confirm_url(first, second), data, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/manage/jo/outreach/{first.pk}/"
    assert b"may already have been merged" in response.content
    assert AuditEntry.objects.count() == entries
    assert Organisation.objects.filter(pk=first.organisation.pk).exists()


def test_public_page_shows_one_organisation_afterwards(organiser, chapter, twins):
    first, second = twins
    for prospect in twins:
        MembershipFactory(
            chapter=chapter, organisation=prospect.organisation, state="confirmed"
        )
    visitor = Client()
    before = visitor.get("/ar/countries/jo/").content.decode()
    assert "جمعية الأمل" in before and "الامل" in before

    client = Client()
    client.force_login(organiser)
    client.post(confirm_url(first, second), {"keep": first.organisation.pk})

    after = visitor.get("/ar/countries/jo/").content.decode()
    assert Membership.objects.listed().count() == 1
    assert "جمعية الأمل" in after
    assert "الامل" not in after  # the absorbed one is gone from the page


def test_another_chapters_organiser_gets_404(other_chapter_client, twins):
    first, second = twins
    assert other_chapter_client.get(choose_url(first)).status_code == 404
    assert other_chapter_client.get(confirm_url(first, second)).status_code == 404
    response = other_chapter_client.post(
        confirm_url(first, second), {"keep": first.organisation.pk}
    )
    assert response.status_code == 404
    assert Organisation.objects.count() == 2


def test_anonymous_visitor_goes_to_sign_in(client, twins):
    first, second = twins
    for response in (
        client.get(choose_url(first)),
        client.post(confirm_url(first, second), {"keep": first.organisation.pk}),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Organisation.objects.count() == 2


def test_posting_without_the_csrf_token_is_refused(organiser, twins):
    first, second = twins
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(confirm_url(first, second), {"keep": first.organisation.pk})
    assert response.status_code == 403
    assert Organisation.objects.count() == 2


def test_organisation_followed_by_another_chapter_is_refused_to_the_organiser(
    organiser_client, client, twins
):
    first, second = twins
    ProspectFactory(
        chapter=ChapterFactory(country="EG"), organisation=second.organisation
    )
    page = organiser_client.get(confirm_url(first, second))
    assert b'data-testid="merge-refusal"' in page.content
    response = organiser_client.post(
        confirm_url(first, second), {"keep": first.organisation.pk}
    )
    assert response.status_code == 400
    assert b"staff must do it" in response.content
    assert Organisation.objects.count() == 2

    client.force_login(StaffFactory())
    response = client.post(confirm_url(first, second), {"keep": first.organisation.pk})
    assert response.status_code == 302
    assert Organisation.objects.count() == 1
    assert first.organisation.prospects.count() == 2
