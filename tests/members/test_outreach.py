"""The chapter's outreach list: who sees it, what it shows, how it filters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chapters.models import AuditEntry
from members.models import Organisation, Prospect, Representative
from members.selectors import (
    chapter_contacts,
    organisation_contacts,
    outreach_coverage,
)
from tests.factories import (
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/{lang}/manage/jo/outreach/"


def listed(chapter, **organisation):
    prospect = ProspectFactory(
        chapter=chapter, organisation=OrganisationFactory(**organisation)
    )
    return prospect


def test_anonymous_visitor_is_sent_to_sign_in(client, chapter):
    response = client.get(LIST.format(lang="ar"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_organiser_of_other_chapter_gets_404_on_every_outreach_page(
    other_chapter_client, chapter
):
    prospect = listed(chapter)
    RepresentativeFactory(organisation=prospect.organisation, email="secret@x.org")
    for path in [
        "",
        "add/",
        "import/",
        f"{prospect.pk}/",
        f"{prospect.pk}/edit/",
        f"{prospect.pk}/representatives/add/",
        "export.csv",
    ]:
        response = other_chapter_client.get(LIST.format(lang="en") + path)
        assert response.status_code == 404, path
        assert b"secret@x.org" not in response.content


def test_organiser_cannot_open_another_chapters_prospect_through_own_chapter(
    organiser_client, chapter
):
    from tests.factories import ChapterFactory

    foreign = ProspectFactory(chapter=ChapterFactory(country="MA"))
    response = organiser_client.get(LIST.format(lang="en") + f"{foreign.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_list_shows_organisations_in_the_page_language(organiser_client, chapter, lang):
    listed(chapter, name_ar="شبكة الزيتون", name_en="Olive Network")
    html = organiser_client.get(LIST.format(lang=lang)).content.decode()
    assert ("شبكة الزيتون" if lang == "ar" else "Olive Network") in html
    assert f'<html lang="{lang}"' in html


def test_list_query_count_does_not_grow_with_rows(
    organiser_client, chapter, django_assert_max_num_queries
):
    for _ in range(3):
        prospect = listed(chapter)
        RepresentativeFactory(organisation=prospect.organisation)
    with django_assert_max_num_queries(14) as few:
        organiser_client.get(LIST.format(lang="ar"))
    for _ in range(20):
        prospect = listed(chapter)
        RepresentativeFactory(organisation=prospect.organisation)
        RepresentativeFactory(organisation=prospect.organisation, is_primary=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = organiser_client.get(LIST.format(lang="ar"))
    assert response.context["page_obj"].paginator.count == 23


def test_search_ignores_arabic_letter_variants_and_finds_english(
    organiser_client, chapter
):
    listed(chapter, name_ar="جمعية الأمل", name_en="Hope Society")
    listed(chapter, name_ar="شبكة النور", name_en="Light Network")
    for query in ["الامل", "الأمل", "hope", "HOPE society"]:
        response = organiser_client.get(LIST.format(lang="ar"), {"q": query})
        names = [p.organisation.name_en for p in response.context["prospects"]]
        assert names == ["Hope Society"], query


def test_filters_by_type_stage_city_language_and_email(organiser_client, chapter):
    network = listed(
        chapter, kind=Organisation.Kind.NETWORK, city_ar="إربد", city_en="Irbid"
    )
    network.stage = Prospect.Stage.INVITED
    network.save()
    RepresentativeFactory(organisation=network.organisation, language="en")
    academic = listed(chapter, kind=Organisation.Kind.ACADEMIC, city_en="Amman")
    RepresentativeFactory(organisation=academic.organisation, email="", language="ar")

    def names(**params):
        response = organiser_client.get(LIST.format(lang="en"), params)
        return {p.pk for p in response.context["prospects"]}

    assert names(kind="network") == {network.pk}
    assert names(stage="invited") == {network.pk}
    assert names(city="اربد") == set() or names(city="إربد") == {network.pk}
    assert names(city="irbid") == {network.pk}
    assert names(language="en") == {network.pk}
    assert names(language="ar") == {academic.pk}
    assert names(has_email="yes") == {network.pk}
    assert names(has_email="no") == {academic.pk}


def test_coverage_counts_kinds_and_progress_toward_first_meeting(chapter):
    kinds = Organisation.Kind
    for kind, stage in [
        (kinds.COMMUNITY_BASED, Prospect.Stage.RESPONDED),
        (kinds.NATIONAL_NGO, Prospect.Stage.IDENTIFIED),
        (kinds.INTERNATIONAL_NGO, Prospect.Stage.ATTENDED),
        (kinds.NETWORK, Prospect.Stage.MEMBER),
        (kinds.ACADEMIC, Prospect.Stage.INVITED),
        (kinds.GOVERNMENT, Prospect.Stage.RESPONDED),
    ]:
        ProspectFactory(
            chapter=chapter, organisation=OrganisationFactory(kind=kind), stage=stage
        )
    coverage = outreach_coverage(chapter=chapter)
    groups = {group["key"]: group for group in coverage["groups"]}
    assert groups["civil_society"] == {
        "key": "civil_society",
        "listed": 3,
        "engaged": 2,
    }
    assert groups["networks"]["engaged"] == 1
    assert groups["academics"] == {"key": "academics", "listed": 1, "engaged": 0}
    assert groups["think_tanks"]["listed"] == 0
    assert coverage["engaged"] == 4
    assert coverage["meeting_percent"] == 40
    assert not coverage["meeting_reached"]


def test_each_chapter_sees_only_the_contacts_it_collected(chapter):
    from tests.factories import ChapterFactory

    prospect = listed(chapter)
    organisation = prospect.organisation
    other = ChapterFactory(country="EG")
    ProspectFactory(chapter=other, organisation=organisation)
    ours = RepresentativeFactory(organisation=organisation, chapter=chapter)
    theirs = RepresentativeFactory(organisation=organisation, chapter=other)
    assert list(chapter_contacts(chapter=chapter, organisation=organisation)) == [ours]
    assert list(chapter_contacts(chapter=other, organisation=organisation)) == [theirs]
    ours.user = UserFactory()
    ours.save()
    assert list(organisation_contacts(organisation=organisation, viewer=ours.user)) == [
        ours
    ]


def test_prospect_page_shows_contacts_and_saves_follow_up_with_audit(
    organiser_client, organiser, chapter
):
    prospect = listed(chapter)
    RepresentativeFactory(
        organisation=prospect.organisation,
        email="amal@example.org",
        phone="+962791234567",
    )
    url = LIST.format(lang="en") + f"{prospect.pk}/"
    html = organiser_client.get(url).content.decode()
    assert "amal@example.org" in html
    assert "+962 7 9123 4567" in html
    response = organiser_client.post(
        url, {"stage": "invited", "owner": organiser.pk, "notes": "Called on Monday"}
    )
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.owner, prospect.notes) == (
        "invited",
        organiser,
        "Called on Monday",
    )
    entry = AuditEntry.objects.get(action="prospect.update")
    assert entry.before["stage"] == "identified" and entry.after["stage"] == "invited"


def test_owner_must_be_an_organiser_of_the_chapter(organiser_client, chapter):
    prospect = listed(chapter)
    response = organiser_client.post(
        LIST.format(lang="en") + f"{prospect.pk}/",
        {"stage": "invited", "owner": UserFactory().pk, "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["prospect_form"].errors["owner"]


def test_several_representatives_one_primary(organiser_client, chapter):
    prospect = listed(chapter)
    url = LIST.format(lang="en") + f"{prospect.pk}/representatives/add/"
    for name in ["Amal", "Basel"]:
        response = organiser_client.post(
            url,
            {
                "name": name,
                "email": f"{name.lower()}@example.org",
                "phone": "079 123 4567",
                "role": "Director",
                "language": "ar",
                "is_primary": "True",
            },
        )
        assert response.status_code == 302
    representatives = prospect.organisation.representatives.order_by("name")
    assert [r.is_primary for r in representatives] == [False, True]
    assert representatives[0].phone == "+962791234567"


@pytest.mark.parametrize("phone", ["12", "phone me", "+1 555"])
def test_malformed_phone_is_refused_with_a_translated_message(
    organiser_client, chapter, phone
):
    prospect = listed(chapter)
    response = organiser_client.post(
        LIST.format(lang="ar") + f"{prospect.pk}/representatives/add/",
        {"name": "أمل", "phone": phone, "language": "ar", "is_primary": "True"},
    )
    assert response.status_code == 200
    assert "ليس رقم هاتف" in response.content.decode()
    assert not Representative.objects.exists()


def _png(width=1200, height=600, size_padding=0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, format="PNG")
    return buffer.getvalue() + b"\0" * size_padding


def organisation_post(**extra):
    data = {
        "name_ar": "جمعية الأمل",
        "name_en": "Hope Society",
        "kind": "ngo",
        "website": "https://hope.example.org",
        "contact-name": "Amal",
        "contact-email": "Amal@Example.org",
        "contact-language": "en",
        "contact-is_primary": "True",
    }
    data.update(extra)
    return data


def test_adding_an_organisation_lists_it_with_its_representative_and_resized_logo(
    organiser_client, organiser, chapter
):
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = organiser_client.post(
        LIST.format(lang="en") + "add/",
        organisation_post(logo=logo, focus_sdgs=["1", "17"], tags="water, youth"),
    )
    assert response.status_code == 302
    prospect = Prospect.objects.get(chapter=chapter)
    organisation = prospect.organisation
    assert prospect.source == "organiser" and prospect.owner == organiser
    assert organisation.focus_sdgs == [1, 17]
    assert organisation.tags == ["water", "youth"]
    assert organisation.website_domain == "hope.example.org"
    with Image.open(organisation.logo.path) as image:
        assert max(image.size) == 512
    assert organisation.representatives.get().email == "amal@example.org"
    assert AuditEntry.objects.filter(action="organisation.create").exists()


def test_a_file_that_is_not_an_image_is_refused_as_logo(organiser_client, chapter):
    logo = SimpleUploadedFile("logo.png", b"<svg>not really</svg>")
    response = organiser_client.post(
        LIST.format(lang="en") + "add/", organisation_post(logo=logo)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert not Organisation.objects.exists()


def test_a_logo_over_two_megabytes_is_refused(organiser_client, chapter):
    logo = SimpleUploadedFile(
        "logo.png", _png(size_padding=2 * 1024 * 1024), content_type="image/png"
    )
    response = organiser_client.post(
        LIST.format(lang="en") + "add/", organisation_post(logo=logo)
    )
    assert response.status_code == 200
    assert "2 MB" in str(response.context["form"].errors["logo"])


def test_an_organisation_needs_a_name_in_one_language(organiser_client, chapter):
    response = organiser_client.post(
        LIST.format(lang="en") + "add/", organisation_post(name_ar="", name_en="")
    )
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_organiser_edits_the_organisation(organiser_client, chapter):
    prospect = listed(chapter, name_en="Old name")
    response = organiser_client.post(
        LIST.format(lang="en") + f"{prospect.pk}/edit/",
        {"name_ar": "اسم", "name_en": "New name", "kind": "network", "tags": ""},
    )
    assert response.status_code == 302
    prospect.organisation.refresh_from_db()
    assert prospect.organisation.name_en == "New name"
    assert prospect.organisation.name_key_en == "new name"
    assert AuditEntry.objects.get(action="organisation.update").after["name_en"] == (
        "New name"
    )


def test_export_neutralises_formula_looking_cells(organiser_client, chapter):
    listed(chapter, name_en='=HYPERLINK("http://evil")', name_ar="+جمعية")
    body = organiser_client.get(LIST.format(lang="en") + "export.csv").content
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'+جمعية" in text
