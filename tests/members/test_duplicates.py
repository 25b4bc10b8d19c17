"""Adding an organisation that is probably already known: the organiser sees
the likely duplicate and chooses to merge or to keep both."""

import pytest

from members.models import Organisation, Prospect
from members.selectors import organisation_duplicates
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

ADD = "/{lang}/manage/jo/outreach/add/"


def test_duplicates_match_names_across_languages_variants_and_domains():
    hope = OrganisationFactory(name_ar="جمعية الأمل", name_en="Hope Society")
    light = OrganisationFactory(
        name_ar="", name_en="Light", website="https://light.org"
    )
    OrganisationFactory(name_ar="النور", name_en="Another")
    assert list(organisation_duplicates(name_ar="الامل")) == [hope]
    assert list(organisation_duplicates(name_en="the hope  SOCIETY")) == [hope]
    assert list(organisation_duplicates(website="www.light.org/about")) == [light]
    assert list(organisation_duplicates(name_ar="الامل", exclude=hope)) == []
    assert not organisation_duplicates(name_ar="", name_en="", website="").exists()


def post(**extra):
    data = {
        "name_ar": "مؤسسة الأمل",
        "name_en": "",
        "kind": "ngo",
        "website": "",
        "contact-name": "Amal",
        "contact-email": "amal@example.org",
        "contact-language": "ar",
        "contact-is_primary": "True",
    }
    data.update(extra)
    return data


def test_likely_duplicate_is_shown_and_nothing_is_written_yet(
    organiser_client, chapter
):
    known = OrganisationFactory(name_ar="جمعية الامل", name_en="Hope Society")
    RepresentativeFactory(organisation=known, email="secret@example.org")
    response = organiser_client.post(ADD.format(lang="en"), post())
    assert response.status_code == 200
    assert response.context["duplicates"] == [known]
    html = response.content.decode()
    assert "Hope Society" in html and f'value="merge-{known.pk}"' in html
    assert "secret@example.org" not in html  # not this chapter's contact
    assert Organisation.objects.count() == 1 and not Prospect.objects.exists()


def test_merge_fills_empty_fields_and_adds_the_representative(
    organiser_client, chapter
):
    known = OrganisationFactory(name_ar="جمعية الامل", name_en="", city_en="Amman")
    response = organiser_client.post(
        ADD.format(lang="en"),
        post(
            decision=f"merge-{known.pk}",
            name_en="Hope Society",
            city_en="Zarqa",
        ),
    )
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.name_en == "Hope Society"  # was empty: filled
    assert known.city_en == "Amman"  # already known: kept
    assert known.name_ar == "جمعية الامل"
    assert known.representatives.get().email == "amal@example.org"
    assert Prospect.objects.get(chapter=chapter).organisation == known
    assert Organisation.objects.count() == 1


def test_keep_creates_a_separate_organisation(organiser_client, chapter):
    OrganisationFactory(name_ar="جمعية الامل")
    response = organiser_client.post(ADD.format(lang="en"), post(decision="keep"))
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_merge_into_an_organisation_that_is_not_a_duplicate_is_not_possible(
    organiser_client, chapter
):
    OrganisationFactory(name_ar="جمعية الامل")
    unrelated = OrganisationFactory(name_ar="شيء آخر")
    response = organiser_client.post(
        ADD.format(lang="en"), post(decision=f"merge-{unrelated.pk}")
    )
    assert response.status_code == 200
    assert response.context["duplicates"]
    assert not unrelated.representatives.exists()


def test_duplicate_already_on_this_list_says_so(organiser_client, chapter):
    known = OrganisationFactory(name_ar="جمعية الامل")
    ProspectFactory(chapter=chapter, organisation=known)
    ProspectFactory(chapter=ChapterFactory(country="EG"), organisation=known)
    response = organiser_client.post(ADD.format(lang="en"), post())
    assert "already on this chapter" in response.content.decode()


def test_keys_follow_the_name_when_saved_through_update_or_create():
    organisation = OrganisationFactory(name_ar="الأمل")
    Organisation.objects.update_or_create(
        pk=organisation.pk, defaults={"name_ar": "جمعية النور", "website": "www.n.org"}
    )
    organisation.refresh_from_db()
    assert organisation.name_key_ar == "النور"
    assert organisation.website_domain == "n.org"


# On the outreach list ------------------------------------------------------------


def outreach_rows(client) -> str:
    return client.get("/en/manage/jo/outreach/").content.decode()


def test_outreach_list_flags_organisations_the_duplicate_rule_takes_for_one(
    organiser_client, chapter
):
    ProspectFactory(
        chapter=chapter, organisation=OrganisationFactory(name_ar="جمعية الأمل")
    )
    # The same organisation as it came in through the public interest form.
    ProspectFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_ar="الامل", name_en="Al Amal"),
        source=Prospect.Source.INTEREST_FORM,
    )
    ProspectFactory(chapter=chapter, organisation=OrganisationFactory(name_ar="النور"))
    html = outreach_rows(organiser_client)
    assert html.count('data-testid="likely-duplicate"') == 2


def test_outreach_list_flags_a_name_typed_in_the_other_languages_field(
    organiser_client, chapter
):
    # The prospect page's rule matches either language against either
    # language; an English name typed into the Arabic field (as the interest
    # form does for a visitor reading in Arabic) is the same organisation.
    ProspectFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_ar="", name_en="Hope Society"),
    )
    ProspectFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_ar="Hope Society", name_en=""),
        source=Prospect.Source.INTEREST_FORM,
    )
    assert outreach_rows(organiser_client).count('data-testid="likely-duplicate"') == 2


def test_a_namesake_on_another_chapters_list_is_not_flagged(organiser_client, chapter):
    ProspectFactory(
        chapter=chapter, organisation=OrganisationFactory(name_ar="جمعية الأمل")
    )
    ProspectFactory(
        chapter=ChapterFactory(country="EG"),
        organisation=OrganisationFactory(name_ar="الامل"),
    )
    assert 'data-testid="likely-duplicate"' not in outreach_rows(organiser_client)
