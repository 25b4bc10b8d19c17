"""A chapter works in some of the site's languages: what is missing is
flagged in those only, and the people it writes to choose among them."""

import pytest

from chapters import languages
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


def test_a_new_chapter_works_in_the_site_default_language_until_it_chooses():
    from chapters.models import Chapter

    chapter = Chapter.objects.create(country="MA", name_ar="الفرع")
    assert chapter.languages == [languages.default()]
    assert chapter.language_codes == [languages.default()]


def test_a_field_is_marked_missing_only_in_the_chapters_languages(
    organiser_client, chapter
):
    chapter.languages = ["ar", "fr"]
    chapter.introduction_ar = "مقدمة"
    chapter.save()
    body = organiser_client.get(url("chapters:edit", "jo")).content.decode()
    # The name and the introduction are missing in French; nothing is
    # marked for English, which the chapter does not publish in.
    assert body.count('data-testid="missing-mark"') == 2
    assert "Missing in French" in body and "Missing in English" not in body


def test_a_representative_is_written_to_in_one_of_the_chapters_languages(
    organiser_client, chapter
):
    chapter.languages = ["ar", "fr"]
    chapter.save()
    prospect = ProspectFactory(chapter=chapter, organisation=OrganisationFactory())
    form = organiser_client.get(
        url("members:representative_add", "jo", prospect.pk)
    ).context["form"]
    assert [code for code, _name in form.fields["language"].choices] == ["ar", "fr"]


def test_a_representative_keeps_a_language_the_chapter_no_longer_uses(
    organiser_client, chapter
):
    organisation = OrganisationFactory()
    prospect = ProspectFactory(chapter=chapter, organisation=organisation)
    representative = RepresentativeFactory(
        organisation=organisation, chapter=chapter, language="en"
    )
    chapter.languages = ["ar", "fr"]
    chapter.save()
    form = organiser_client.get(
        url("members:representative_edit", "jo", prospect.pk, representative.pk)
    ).context["form"]
    assert [code for code, _n in form.fields["language"].choices] == ["ar", "en", "fr"]


def test_a_walk_up_invitation_offers_the_chapters_languages(
    organiser_client, organiser, chapter
):
    meeting = MeetingFactory(chapter=chapter, created_by=organiser)
    form = organiser_client.get(url("meetings:invite", "jo", meeting.pk)).context[
        "form"
    ]
    assert [c for c, _n in form.fields["extra_language"].choices] == ["ar", "en"]


def test_the_audit_trail_names_the_languages_a_chapter_chose(organiser_client, chapter):
    from tests.chapters.test_manage import form_data

    organiser_client.post(
        url("chapters:edit", "jo"), form_data(chapter, languages=["ar", "fr"])
    )
    body = organiser_client.get(url("chapters:audit", "jo")).content.decode()
    assert "Arabic and French" in body
    assert "[&#x27;ar&#x27;" not in body and "ar, fr" not in body


@pytest.mark.parametrize(
    ("country", "example"), [("JO", "+962 7 9012 3456"), ("MA", "+212 6 50 12 34 56")]
)
def test_the_phone_hint_is_a_number_of_the_chapters_country(client, country, example):
    from chapters.models import Chapter
    from tests.factories import OrganiserFactory

    chapter = Chapter.objects.create(country=country, name_ar="الفرع")
    organiser = OrganiserFactory(chapter=chapter).user
    client.force_login(organiser)
    prospect = ProspectFactory(chapter=chapter, organisation=OrganisationFactory())
    form = client.get(
        url("members:representative_add", chapter.iso2, prospect.pk)
    ).context["form"]
    assert example in str(form.fields["phone"].help_text)
    assert "+962" not in str(form.fields["phone"].help_text) or country == "JO"
