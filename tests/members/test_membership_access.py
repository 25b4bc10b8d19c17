"""Who reaches which membership page, the account a representative opens
after confirming, and query counts that stay flat with the number of rows."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from members.models import Membership
from members.services import initial_tasks
from members.services.consent import consent_statement_current
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.members.membership_helpers import (
    ask,
    links_for,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = [
    "/ar/manage/jo/membership/",
    "/ar/manage/jo/membership/tasks/",
    "/ar/manage/jo/membership/tasks/add/",
]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organiser_of_other_chapter_gets_404(other_chapter_client, chapter, path):
    assert other_chapter_client.get(path).status_code == 404


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, chapter, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_membership_of_other_chapter_is_a_404(organiser_client, chapter):
    other = MembershipFactory(chapter=ChapterFactory(country="EG"))
    assert (
        organiser_client.get(f"/ar/manage/jo/membership/{other.pk}/").status_code == 404
    )
    assert (
        organiser_client.post(
            f"/ar/manage/jo/membership/{other.pk}/", {"do": "revoke"}
        ).status_code
        == 404
    )


def test_request_form_ticks_those_that_attended(organiser_client, chapter):
    attended, _ = on_outreach_list(chapter, stage="attended", name_en="Came")
    invited, _ = on_outreach_list(chapter, stage="invited", name_en="Invited only")
    html = organiser_client.get("/en/manage/jo/membership/").content.decode()
    assert f'value="{attended.pk}" checked' in html
    assert f'value="{invited.pk}" checked' not in html


def test_organiser_requests_from_the_page(organiser_client, chapter, sent, mailoutbox):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        response = organiser_client.post(
            "/ar/manage/jo/membership/",
            {"organisations": [organisation.pk], "remind_after_days": 10},
        )
    assert response.status_code == 302
    target = membership_of(chapter, organisation)
    assert (target.state, target.remind_after_days) == ("requested", 10)
    assert [m.to for m in mailoutbox] == [[representative.email]]


def test_organiser_cannot_request_for_another_chapters_organisation(
    organiser_client, chapter, sent
):
    foreign = ProspectFactory(chapter=ChapterFactory(country="EG")).organisation
    RepresentativeFactory(organisation=foreign)
    response = organiser_client.post(
        "/ar/manage/jo/membership/",
        {"organisations": [foreign.pk], "remind_after_days": 7},
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(organisation=foreign).exists()


def test_request_email_is_in_the_representatives_language(
    chapter, organiser, sent, mailoutbox
):
    organisation, (representative,) = on_outreach_list(chapter)
    representative.language = "en"
    representative.save()
    with sent():
        ask(organiser, chapter, organisation)
    (message,) = mailoutbox
    assert "/en/membership/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


# The representative's profile ----------------------------------------------------


def represented(organisation=None, chapter=None):
    organisation = organisation or OrganisationFactory()
    user = UserFactory()
    RepresentativeFactory(
        organisation=organisation, chapter=chapter, user=user, email=user.email
    )
    return organisation, user


def test_profile_is_for_the_organisations_own_representatives(client):
    organisation, _user = represented()
    _other, stranger = represented()
    client.force_login(stranger)
    assert client.get(f"/ar/my/organisations/{organisation.pk}/").status_code == 404
    assert (
        client.post(
            f"/ar/my/organisations/{organisation.pk}/", {"name_ar": "x", "kind": "ngo"}
        ).status_code
        == 404
    )


def test_profile_sends_anonymous_visitors_to_sign_in(client):
    organisation, _user = represented()
    response = client.get(f"/ar/my/organisations/{organisation.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organiser_is_not_a_representative(organiser_client, chapter):
    member = MembershipFactory(chapter=chapter, state="confirmed").organisation
    assert organiser_client.get(f"/ar/my/organisations/{member.pk}/").status_code == 404


def test_representative_edits_the_public_profile(client, chapter):
    organisation, user = represented()
    client.force_login(user)
    response = client.post(
        f"/en/my/organisations/{organisation.pk}/",
        {
            "name_ar": "الاسم الجديد",
            "name_en": "New name",
            "kind": "network",
            "website": "https://new.example",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name_ar, organisation.kind) == ("الاسم الجديد", "network")


def test_representative_withdraws_from_the_profile_and_the_page_forgets_at_once(
    client, chapter, sent
):
    organisation, user = represented(
        OrganisationFactory(name_en="Leaving Org"), chapter=chapter
    )
    target = MembershipFactory(
        chapter=chapter, organisation=organisation, state="confirmed"
    )
    assert "Leaving Org" in client.get("/en/countries/jo/").content.decode()
    client.force_login(user)
    with sent():
        response = client.post(
            f"/en/my/organisations/{organisation.pk}/memberships/{target.pk}/withdraw/"
        )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == "withdrawn"
    client.logout()
    assert "Leaving Org" not in client.get("/en/countries/jo/").content.decode()


def test_representative_cannot_withdraw_another_organisations_membership(
    client, chapter
):
    _organisation, user = represented()
    other = MembershipFactory(chapter=chapter, state="confirmed")
    client.force_login(user)
    response = client.post(
        f"/ar/my/organisations/{other.organisation.pk}/memberships/{other.pk}/withdraw/"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == "confirmed"


# The account after confirming ----------------------------------------------------


def confirm_from_link(client, chapter, organiser, sent, email="new-person@example.org"):
    organisation, (representative,) = on_outreach_list(chapter)
    representative.email = email
    representative.save()
    with sent():
        ask(organiser, chapter, organisation)
    with sent():
        client.post(
            links_for(email)["respond"][0],
            {
                "action": "confirm",
                "consent": "on",
                "role": "Director",
                "consent_version": consent_statement_current().version,
                "name_ar": organisation.name_ar,
                "kind": organisation.kind,
            },
        )
    return organisation, representative


def test_confirming_offers_an_account_with_the_address_already_verified(
    client, chapter, organiser, sent
):
    organisation, representative = confirm_from_link(client, chapter, organiser, sent)
    response = client.post("/ar/membership/done/")
    assert response["Location"] == f"/ar/my/organisations/{organisation.pk}/"
    user = get_user_model().objects.get(email="new-person@example.org")
    assert EmailAddress.objects.get(user=user).verified
    representative.refresh_from_db()
    assert representative.user == user
    assert client.get(response["Location"]).status_code == 200


def test_an_existing_account_is_linked_but_not_signed_in(
    client, chapter, organiser, sent
):
    existing = UserFactory(email="known@example.org")
    _organisation, representative = confirm_from_link(
        client, chapter, organiser, sent, email="known@example.org"
    )
    response = client.post("/ar/membership/done/")
    assert "/accounts/login/" in response["Location"]
    representative.refresh_from_db()
    assert representative.user == existing
    assert "_auth_user_id" not in client.session


def test_an_unverified_account_on_the_address_loses_its_password_when_linked(
    client, chapter, organiser, sent
):
    """Account pre-hijacking: someone registers the representative's address
    without proving it, hoping the representative verifies it for them."""
    squatter = get_user_model().objects.create_user(
        username="squatter", email="known@example.org", password="squatters-pass-1"
    )
    EmailAddress.objects.create(
        user=squatter, email="known@example.org", verified=False, primary=True
    )
    _organisation, representative = confirm_from_link(
        client, chapter, organiser, sent, email="known@example.org"
    )
    client.post("/ar/membership/done/")
    squatter.refresh_from_db()
    representative.refresh_from_db()
    assert representative.user == squatter
    assert EmailAddress.objects.get(user=squatter).verified
    assert not squatter.has_usable_password()
    assert not client.login(username="squatter", password="squatters-pass-1")


def test_done_page_needs_a_confirmation_in_this_session(client):
    assert client.get("/ar/membership/done/").status_code == 404
    assert client.post("/ar/membership/done/").status_code == 404


# Query counts -----------------------------------------------------------------------


def fill(chapter, count):
    for _ in range(count):
        organisation, _reps = on_outreach_list(chapter)
        MembershipFactory(chapter=chapter, organisation=organisation, state="confirmed")


def test_membership_board_queries_do_not_grow_with_rows(
    organiser_client, chapter, django_assert_max_num_queries
):
    fill(chapter, 3)
    with django_assert_max_num_queries(14) as few:
        organiser_client.get("/ar/manage/jo/membership/")
    fill(chapter, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get("/ar/manage/jo/membership/")


def test_task_list_queries_do_not_grow_with_rows(
    organiser_client, chapter, organiser, django_assert_max_num_queries
):
    initial_tasks.tasks_suggest(actor=organiser, chapter=chapter)
    fill(chapter, 2)
    with django_assert_max_num_queries(12) as few:
        organiser_client.get("/ar/manage/jo/membership/tasks/")
    fill(chapter, 10)
    for task in chapter.initial_tasks.all():
        for organisation in Membership.objects.filter(chapter=chapter).values_list(
            "organisation", flat=True
        ):
            initial_tasks.task_volunteer(
                task=task,
                organisation=OrganisationFactory._meta.model.objects.get(
                    pk=organisation
                ),
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        organiser_client.get("/ar/manage/jo/membership/tasks/")


def test_profile_queries_do_not_grow_with_tasks(
    client, chapter, organiser, django_assert_max_num_queries
):
    organisation, user = represented()
    MembershipFactory(chapter=chapter, organisation=organisation, state="confirmed")
    client.force_login(user)
    initial_tasks.tasks_suggest(actor=organiser, chapter=chapter)
    with django_assert_max_num_queries(16) as few:
        client.get(f"/ar/my/organisations/{organisation.pk}/")
    for task in chapter.initial_tasks.all():
        initial_tasks.task_volunteer(task=task, organisation=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/ar/my/organisations/{organisation.pk}/")


def test_stopping_links_counts_them_in_words_in_both_languages(
    organiser_client, organiser, chapter
):
    one, _reps = on_outreach_list(chapter, representatives=1)
    two, _reps = on_outreach_list(chapter, representatives=2)
    ask(organiser, chapter, one)
    ask(organiser, chapter, two)

    page = organiser_client.post(
        f"/en/manage/jo/membership/{membership_of(chapter, one).pk}/",
        {"do": "revoke"},
        follow=True,
    )
    assert "1 link was stopped." in page.content.decode()

    page = organiser_client.post(
        f"/ar/manage/jo/membership/{membership_of(chapter, two).pk}/",
        {"do": "revoke"},
        follow=True,
    )
    assert "أُوقف رابطان" in page.content.decode()


def test_asking_one_organisation_says_one_organisation(organiser_client, chapter):
    organisation, _reps = on_outreach_list(chapter)
    page = organiser_client.post(
        "/en/manage/jo/membership/",
        {"organisations": [organisation.pk], "remind_after_days": 7},
        follow=True,
    )
    assert "Confirmation requested from 1 organisation;" in page.content.decode()
