"""Input beyond what the database can hold is a 404 or a form error, never
a 500: ids past the 64-bit range of a BigAutoField in every address and
form, and search terms as long as a pasted page in every search box."""

import re

import pytest
from django.urls import Resolver404, get_resolver, resolve
from django.urls.converters import IntConverter
from django.urls.resolvers import URLPattern, URLResolver

from chapters.ids import MAX_DATABASE_ID, DatabaseIdConverter
from members.forms.membership import RequestForm
from members.models import Organisation
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    UserFactory,
)
from tests.urls import url

HUGE = "9" * 25
JUST_BEYOND = str(MAX_DATABASE_ID + 1)
LONG_SEARCH = "x" * 60_000


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.converters


def _id_routes():
    return [
        route
        for route, converters in _patterns(get_resolver().url_patterns)
        if any(isinstance(c, DatabaseIdConverter) for c in converters.values())
    ]


def test_no_address_of_ours_takes_an_unbounded_integer():
    unbounded = [
        route
        for route, converters in _patterns(get_resolver().url_patterns)
        if any(isinstance(c, IntConverter) for c in converters.values())
        and not route.startswith(("en/admin/", "ar/admin/"))
    ]
    assert unbounded == []
    assert len(_id_routes()) > 30


@pytest.mark.parametrize("number", [HUGE, JUST_BEYOND])
def test_every_address_with_an_id_beyond_the_range_is_not_found(number):
    for route in _id_routes():
        path = re.sub(r"<id:\w+>", number, route)
        path = re.sub(r"<str:\w+>", "jo", path)
        with pytest.raises(Resolver404):
            resolve("/" + path)
        assert resolve(
            "/" + re.sub(r"<id:\w+>", "7", re.sub(r"<str:\w+>", "jo", route))
        )


# Literal addresses below where an id is beyond the range: no route reverses
# to them (the converter refuses them), and they are what is tested.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/en/membership/{HUGE}/{'a' * 43}/",
        f"/en/membership/{HUGE}/{'a' * 43}/withdraw/",
        f"/ar/membership/{JUST_BEYOND}/token/",
    ],
)
def test_a_personal_membership_link_with_a_huge_id_is_404(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "confirm"}).status_code == 404


@pytest.fixture
def organiser_client(client, db):
    chapter = ChapterFactory(country="JO")
    client.force_login(OrganiserFactory(chapter=chapter).user)
    client.chapter = chapter
    return client


@pytest.mark.django_db
def test_merging_with_a_huge_id_is_404(organiser_client):
    prospect = ProspectFactory(chapter=organiser_client.chapter)
    # Literal: an id beyond the range, which no route reverses to.
    base = f"/en/manage/jo/outreach/{prospect.pk}/merge/"
    assert organiser_client.get(f"{base}{HUGE}/").status_code == 404
    assert organiser_client.post(f"{base}{HUGE}/", {"keep": HUGE}).status_code == 404
    assert organiser_client.get(f"/en/manage/jo/outreach/{HUGE}/").status_code == 404


@pytest.mark.django_db
def test_a_merge_confirmation_keeping_a_huge_id_is_refused(organiser_client):
    chapter = organiser_client.chapter
    one, other = ProspectFactory(chapter=chapter), ProspectFactory(chapter=chapter)
    response = organiser_client.post(
        url("members:merge_confirm", "jo", one.pk, other.pk), {"keep": HUGE}
    )
    assert response.status_code == 400
    assert Organisation.objects.filter(pk=other.organisation_id).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, JUST_BEYOND, "-1", "0"])
def test_a_membership_request_for_a_huge_id_is_a_form_error(organiser_client, number):
    response = organiser_client.post(
        url("members:memberships", "jo"),
        {"organisations": [number], "remind_after_days": 10},
    )
    assert response.status_code == 400
    assert "organisations" in response.context["form"].errors


@pytest.mark.django_db
def test_id_choice_fields_refuse_a_huge_id_as_not_a_choice():
    organisation = OrganisationFactory()
    form = RequestForm(
        {"organisations": [str(organisation.pk), HUGE], "remind_after_days": 10},
        organisations=Organisation.objects.all(),
    )
    assert not form.is_valid()
    assert "organisations" in form.errors


@pytest.mark.django_db
def test_the_idea_form_refuses_a_huge_organisation_id():
    from meetings.forms.ideas import IdeaForm

    OrganisationFactory()
    form = IdeaForm(
        {"organisation": HUGE, "kind": "", "text": "x"},
        organisations=list(Organisation.objects.all()),
    )
    assert not form.is_valid()
    assert "organisation" in form.errors


@pytest.mark.django_db
def test_a_search_as_long_as_a_pasted_page_is_cut_on_the_outreach_list(
    organiser_client,
):
    ProspectFactory(
        chapter=organiser_client.chapter,
        organisation=OrganisationFactory(name_en="Hope"),
    )
    for field in ("q", "city"):
        response = organiser_client.get(
            url("members:outreach", "jo"), {field: LONG_SEARCH}
        )
        assert response.status_code == 200
    response = organiser_client.get(
        url("members:outreach", "jo"), {"q": "Hope" + "x" * 300}
    )
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "language", "field"),
    [
        ("chapters:directory", "en", "q"),
        ("chapters:directory", "ar", "q"),
        ("chapters:audit", "en", "actor"),
        ("meetings:checkin", "en", "q"),
        ("members:merge", "en", "q"),
    ],
)
def test_every_search_box_answers_a_pasted_page(
    organiser_client, name, language, field
):
    meeting = MeetingFactory(chapter=organiser_client.chapter)
    prospect = ProspectFactory(chapter=organiser_client.chapter)
    args = {
        "chapters:directory": [],
        "chapters:audit": ["jo"],
        "meetings:checkin": ["jo", meeting.pk],
        "members:merge": ["jo", prospect.pk],
    }[name]
    path = url(name, *args, language=language)
    assert organiser_client.get(path, {field: LONG_SEARCH}).status_code == 200


@pytest.mark.django_db
def test_staff_audit_search_answers_a_pasted_page(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(url("chapters:staff_audit"), {"actor": LONG_SEARCH})
    assert response.status_code == 200
