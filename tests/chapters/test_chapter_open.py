"""Staff open a chapter in the portal: a country without one, its names and
languages, a time zone of that country, and its first organisers, who are
invited by e-mail; the chapter shows in the directory as "interest"."""

import pytest
from django.core import mail

from chapters.models import AuditEntry, Chapter, OrganiserInvitation
from tests.factories import ChapterFactory, StaffFactory
from tests.urls import url

pytestmark = pytest.mark.django_db


def opening(**changes) -> dict:
    data = {
        "country": "LB",
        "name_ar": "الفرع الوطني اللبناني",
        "name_fr": "Chapitre national du Liban",
        "languages": ["ar", "fr"],
        "time_zone": "Asia/Beirut",
        "organisers": "Rima@Example.org\nrima@example.org\nkarim@example.org",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_staff_open_a_chapter_and_its_organisers_are_invited_in_its_language(
    staff_client, sent
):
    with sent():
        response = staff_client.post(
            url("chapters:staff_chapter_open", language="fr"), opening()
        )
    chapter = Chapter.objects.get(country="LB")
    assert response.status_code == 302
    assert response["Location"] == url("chapters:manage", "lb", language="fr")
    assert chapter.status == Chapter.Status.INTEREST
    assert chapter.languages == ["ar", "fr"]
    assert chapter.time_zone == "Asia/Beirut"
    assert chapter.name_fr == "Chapitre national du Liban"
    invited = OrganiserInvitation.objects.filter(chapter=chapter)
    assert sorted(invited.values_list("email", flat=True)) == [
        "karim@example.org",
        "rima@example.org",
    ]
    assert set(invited.values_list("language", flat=True)) == {"fr"}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "karim@example.org",
        "rima@example.org",
    ]
    entry = AuditEntry.objects.get(action="chapter.create")
    assert entry.chapter == chapter and entry.after["languages"] == ["ar", "fr"]
    directory = staff_client.get(url("chapters:directory", language="fr"))
    assert "Chapitre national du Liban" in directory.content.decode()


def test_a_country_that_has_a_chapter_is_not_offered(staff_client):
    ChapterFactory(country="LB")
    response = staff_client.post(url("chapters:staff_chapter_open"), opening())
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert Chapter.objects.filter(country="LB").count() == 1


def test_a_zone_of_another_country_and_a_bad_address_are_refused(staff_client):
    response = staff_client.post(
        url("chapters:staff_chapter_open"),
        opening(time_zone="Asia/Tokyo", organisers="rima@example.org\nnot an address"),
    )
    errors = response.context["form"].errors
    assert "time_zone" in errors
    assert errors["organisers"] == ["“not an address” is not an e-mail address."]
    assert not Chapter.objects.filter(country="LB").exists()


def test_the_name_is_needed_in_one_of_the_chapters_languages(staff_client):
    response = staff_client.post(
        url("chapters:staff_chapter_open"),
        opening(name_ar="", name_fr="", name_en="Lebanon"),
    )
    assert response.status_code == 200
    assert not Chapter.objects.filter(country="LB").exists()


def test_the_time_zones_follow_the_country_chosen_without_saving(staff_client):
    response = staff_client.post(
        url("chapters:staff_chapter_open"), {"country": "MA", "refresh": "1"}
    )
    zones = [
        key
        for _group, options in response.context["form"].fields["time_zone"].choices
        for key, _label in options
    ]
    assert zones[0] == "Africa/Casablanca"
    assert not Chapter.objects.filter(country="MA").exists()


def test_only_staff_open_chapters(client, organiser):
    client.force_login(organiser)
    response = client.post(url("chapters:staff_chapter_open"), opening())
    assert response.status_code == 404
    assert not Chapter.objects.filter(country="LB").exists()
