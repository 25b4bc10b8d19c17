"""A chapter's initial tasks: suggested defaults, organisers' edits, and
member organisations volunteering. Not public."""

import pytest

from members.models import InitialTask, Membership, Volunteering
from members.services import initial_tasks, membership
from members.services.consent import consent_statement_current
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
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


@pytest.fixture
def tasks(chapter, organiser):
    initial_tasks.tasks_suggest(actor=organiser, chapter=chapter)
    return list(InitialTask.objects.filter(chapter=chapter))


def member_of(chapter, **kwargs):
    return MembershipFactory(
        chapter=chapter, state=Membership.State.CONFIRMED, **kwargs
    ).organisation


def test_suggested_tasks_are_the_movements_six_in_both_languages_once(
    chapter, organiser, tasks
):
    assert len(tasks) == 6
    titles = [task.title_en for task in tasks]
    assert titles[0] == "Coordinate the next meeting"
    assert "Liaise with UNDP on SDG localisation" in titles
    assert all(
        task.title_ar and task.description_ar and task.description_en for task in tasks
    )
    assert initial_tasks.tasks_suggest(actor=organiser, chapter=chapter) == 0
    assert InitialTask.objects.filter(chapter=chapter).count() == 6


def test_organiser_adds_the_suggested_tasks_from_the_page(organiser_client, chapter):
    response = organiser_client.post("/ar/manage/jo/membership/tasks/")
    assert response.status_code == 302
    assert InitialTask.objects.filter(chapter=chapter).count() == 6


def test_organiser_edits_a_task_and_names_a_member_as_lead(
    organiser_client, chapter, tasks
):
    lead = member_of(chapter)
    response = organiser_client.post(
        f"/en/manage/jo/membership/tasks/{tasks[1].pk}/",
        {
            "title_ar": "صياغة الإطار المرجعي",
            "title_en": "Draft the terms of reference",
            "description_ar": "",
            "description_en": "By June.",
            "status": "in_progress",
            "lead": lead.pk,
        },
    )
    assert response.status_code == 302
    tasks[1].refresh_from_db()
    assert (tasks[1].status, tasks[1].lead, tasks[1].description_en) == (
        "in_progress",
        lead,
        "By June.",
    )


def test_a_lead_must_be_a_member(chapter, organiser, tasks):
    stranger = OrganisationFactory()
    with pytest.raises(initial_tasks.TaskError):
        initial_tasks.task_save(
            actor=organiser, chapter=chapter, task=tasks[0], values={"lead": stranger}
        )


def test_organiser_creates_a_task_of_their_own(organiser_client, chapter):
    response = organiser_client.post(
        "/en/manage/jo/membership/tasks/add/",
        {
            "title_ar": "",
            "title_en": "Youth network",
            "description_ar": "",
            "description_en": "",
            "status": "open",
            "lead": "",
        },
    )
    assert response.status_code == 302
    assert InitialTask.objects.get(chapter=chapter).title_en == "Youth network"


def test_only_members_volunteer(chapter, tasks):
    with pytest.raises(initial_tasks.TaskError):
        initial_tasks.task_volunteer(task=tasks[0], organisation=OrganisationFactory())
    member = member_of(chapter)
    initial_tasks.task_volunteer(task=tasks[0], organisation=member)
    initial_tasks.task_volunteer(task=tasks[0], organisation=member)
    assert Volunteering.objects.filter(task=tasks[0]).count() == 1


def test_representative_volunteers_on_the_confirmation_page(
    client, chapter, organiser, tasks, sent
):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    path = links_for(representative.email)["respond"][0]
    page = client.get(path).content.decode()
    assert tasks[0].title_ar in page
    with sent():
        client.post(
            path,
            {
                "action": "confirm",
                "consent": "on",
                "role": "Director",
                "consent_version": consent_statement_current().version,
                "name_ar": organisation.name_ar,
                "name_en": organisation.name_en,
                "kind": organisation.kind,
                "tasks": [tasks[0].pk, tasks[3].pk],
            },
        )
    volunteering = Volunteering.objects.get(task=tasks[0], organisation=organisation)
    assert volunteering.representative == representative and volunteering.link_id
    assert set(organisation.volunteered_tasks.all()) == {tasks[0], tasks[3]}
    assert tasks[0].title_ar in client.get("/ar/membership/done/").content.decode()


def test_volunteering_on_consult_waits_for_the_confirmation(
    client, chapter, organiser, tasks, sent
):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    client.post(
        links_for(representative.email)["respond"][0],
        {
            "action": "consult",
            "name_ar": organisation.name_ar,
            "kind": organisation.kind,
            "consent_version": "x",
            "tasks": [tasks[0].pk],
        },
    )
    assert membership_of(chapter, organisation).state == "consulting"
    assert not Volunteering.objects.exists()


def test_representative_volunteers_and_leaves_from_their_profile(
    client, chapter, tasks
):
    member = member_of(chapter)
    user = UserFactory()
    RepresentativeFactory(organisation=member, user=user, email=user.email)
    client.force_login(user)
    page = client.get(f"/ar/my/organisations/{member.pk}/").content.decode()
    assert tasks[2].title_ar in page
    client.post(f"/ar/my/organisations/{member.pk}/tasks/{tasks[2].pk}/volunteer/")
    assert Volunteering.objects.filter(task=tasks[2], organisation=member).exists()
    client.post(
        f"/ar/my/organisations/{member.pk}/tasks/{tasks[2].pk}/volunteer/",
        {"volunteer": "no"},
    )
    assert not Volunteering.objects.filter(task=tasks[2], organisation=member).exists()


def test_representative_of_a_non_member_sees_no_task_and_cannot_volunteer(
    client, chapter, tasks
):
    candidate = MembershipFactory(chapter=chapter, state="consulting").organisation
    user = UserFactory()
    RepresentativeFactory(organisation=candidate, user=user, email=user.email)
    client.force_login(user)
    page = client.get(f"/ar/my/organisations/{candidate.pk}/").content.decode()
    assert tasks[0].title_ar not in page
    response = client.post(
        f"/ar/my/organisations/{candidate.pk}/tasks/{tasks[0].pk}/volunteer/"
    )
    assert response.status_code == 404
    assert not Volunteering.objects.exists()


def test_tasks_are_not_on_the_public_country_page(client, chapter, tasks):
    member_of(chapter)
    page = client.get("/ar/countries/jo/").content.decode()
    assert tasks[0].title_ar not in page
    assert tasks[0].title_en not in client.get("/api/v1/countries/jo/").content.decode()


def test_withdrawing_leaves_the_tasks(client, chapter, tasks, sent):

    member = member_of(chapter)
    user = UserFactory()
    RepresentativeFactory(organisation=member, user=user, email=user.email)
    initial_tasks.task_volunteer(task=tasks[0], organisation=member)
    InitialTask.objects.filter(pk=tasks[0].pk).update(lead=member)
    with sent():
        membership.membership_withdraw(
            membership=membership_of(chapter, member), actor=user
        )
    assert not Volunteering.objects.filter(organisation=member).exists()
    tasks[0].refresh_from_db()
    assert tasks[0].lead is None


def test_other_chapters_organiser_gets_404_on_tasks(
    other_chapter_client, chapter, tasks
):
    assert (
        other_chapter_client.get("/ar/manage/jo/membership/tasks/").status_code == 404
    )
    assert (
        other_chapter_client.get(
            f"/ar/manage/jo/membership/tasks/{tasks[0].pk}/"
        ).status_code
        == 404
    )
