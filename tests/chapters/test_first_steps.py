"""A new chapter's overview says what to do first: write the public texts
in each of the chapter's languages, build an outreach list big enough for a
first meeting, and plan that meeting. The checklist goes once all three are
done."""

import pytest

from chapters import services
from chapters.dashboard import OUTREACH_FIRST_GOAL
from chapters.models import Chapter, Organiser
from tests.factories import MeetingFactory, ProspectFactory, StaffFactory, UserFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(django_capture_on_commit_callbacks):
    """A chapter as staff open it: names only, one organiser invited."""
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        chapter = services.chapter_open(
            actor=staff,
            values={
                "country": "LB",
                "languages": ["ar", "fr"],
                "time_zone": "Asia/Beirut",
                "name_ar": "الفرع الوطني اللبناني",
                "name_en": "",
                "name_fr": "Chapitre national du Liban",
            },
            organiser_emails=[],
            language="fr",
        )
    return chapter


@pytest.fixture
def overview(client, opened):
    user = UserFactory()
    Organiser.objects.create(chapter=opened, user=user)
    client.force_login(user)

    def get():
        response = client.get(url("chapters:manage", "lb", language="fr"))
        assert response.status_code == 200
        return response

    return get


def steps(response) -> dict:
    first = response.context["first_steps"]
    return {step["key"]: step["done"] for step in first["steps"]} if first else {}


def test_a_new_chapter_starts_with_three_steps_to_do(overview):
    response = overview()
    assert steps(response) == {"texts": False, "outreach": False, "meeting": False}
    body = response.content.decode()
    assert 'data-testid="first-steps"' in body
    assert response.context["first_steps"]["done"] == 0
    assert url("chapters:edit", "lb", language="fr") in body
    assert url("members:outreach", "lb", language="fr") in body
    assert url("meetings:create", "lb", language="fr") in body


def test_each_step_is_done_by_the_work_itself_and_the_list_then_goes(overview, opened):
    Chapter.objects.filter(pk=opened.pk).update(
        introduction_ar="منظمات لبنانية تؤسس فرعًا وطنيًا.",
        introduction_fr="Des organisations libanaises fondent un chapitre national.",
    )
    assert steps(overview()) == {"texts": True, "outreach": False, "meeting": False}

    for _ in range(OUTREACH_FIRST_GOAL - 1):
        ProspectFactory(chapter=opened)
    assert steps(overview())["outreach"] is False
    ProspectFactory(chapter=opened)
    assert steps(overview())["outreach"] is True

    MeetingFactory(chapter=opened)
    response = overview()
    assert response.context["first_steps"] is None
    assert 'data-testid="first-steps"' not in response.content.decode()


def test_texts_in_one_of_the_chapters_languages_only_are_not_done(overview, opened):
    Chapter.objects.filter(pk=opened.pk).update(
        introduction_ar="منظمات لبنانية تؤسس فرعًا وطنيًا."
    )
    assert steps(overview())["texts"] is False
