"""A chapter publishes in its own languages, one of them the default. A
visitor who asks for another language reads the default one, and the page
says so, with links to the languages the chapter publishes in."""

import pytest

from chapters.models import Chapter
from tests.chapters.test_manage import form_data
from tests.urls import url

pytestmark = pytest.mark.django_db

INTRO = {
    "ar": "منظمات مغربية تؤسس فرعًا وطنيًا.",
    "en": "",
    "fr": "Des organisations marocaines fondent un chapitre national.",
}


@pytest.fixture
def morocco():
    return Chapter.objects.create(
        country="MA",
        languages=["ar", "fr"],
        name_ar="الفرع الوطني المغربي",
        name_fr="Chapitre national du Maroc",
        introduction_ar=INTRO["ar"],
        introduction_fr=INTRO["fr"],
        time_zone="Africa/Casablanca",
    )


def page(client, language):
    response = client.get(url("chapters:country", "ma", language=language))
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_language_shows_its_own_texts_without_a_notice(client, morocco):
    for language in ("ar", "fr"):
        body = page(client, language)
        assert INTRO[language] in body
        assert 'data-testid="language-notice"' not in body
        assert "fallback-mark" not in body


def test_an_unpublished_language_shows_the_default_marked_with_links(client, morocco):
    body = page(client, "en")
    assert 'data-testid="language-notice"' in body
    assert (
        "The chapter publishes its page in Arabic and French: its texts are "
        "shown here in Arabic." in body
    )
    assert INTRO["ar"] in body and INTRO["fr"] not in body
    for code in ("ar", "fr"):
        assert (
            f'href="{url("chapters:country", "ma", language=code)}" hreflang="{code}"'
            in body
        )


def test_the_default_language_is_the_one_the_chapter_chose(client, morocco):
    morocco.languages = ["fr", "ar"]
    morocco.save()
    body = page(client, "en")
    assert "its texts are shown here in French." in body
    assert INTRO["fr"] in body and INTRO["ar"] not in body


def test_organisers_choose_the_default_among_the_chapters_languages(
    organiser_client, chapter
):
    edit = url("chapters:edit", "jo")
    response = organiser_client.post(
        edit, form_data(chapter, languages=["ar", "en"], default_language="fr")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["default_language"] == [
        "Choose the default language among the ticked ones."
    ]
    chapter.refresh_from_db()
    assert chapter.default_language == "ar"

    response = organiser_client.post(
        edit, form_data(chapter, languages=["ar", "en"], default_language="en")
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.languages == ["en", "ar"]
    assert chapter.default_language == "en"
    assert chapter.language_codes == ["ar", "en"]
    form = organiser_client.get(edit).context["form"]
    assert form["default_language"].value() == "en"
