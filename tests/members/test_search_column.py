"""Organisation.search_text: every name, the transliteration, the acronym
and the cities, folded by the one rule of chapters.folding; kept in step
however an organisation is written (a form, an import, a merge), and what
members.search.organisations_matching looks organisations up by."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from members.models import ImportJob, Organisation, Prospect
from members.search import organisations_matching
from members.services.merge import organisations_merge
from tests.factories import OrganisationFactory, ProspectFactory

pytestmark = pytest.mark.django_db

IMPORT = "/en/manage/jo/outreach/import/"


@pytest.fixture
def hope(db):
    return OrganisationFactory(
        name_ar="جمعيّة الأمل للتنمية",
        name_en="Hope Society",
        name_fr="Société de l’Espoir",
        name_transliteration="Jameiat Al-Amal",
        acronym="HS-J",
        city_ar="إربد",
        city_en="Irbid",
    )


def matching(query, queryset=None, path=""):
    queryset = Organisation.objects.all() if queryset is None else queryset
    return list(organisations_matching(queryset, query, path=path))


def test_an_organisation_stores_every_name_and_place_folded(hope):
    text = Organisation.objects.get(pk=hope.pk).search_text
    for part in [
        "جمعيه الامل للتنميه",
        "hope society",
        "societe de l espoir",
        "jameiat al amal",
        "hs j",
        "اربد",
        "irbid",
    ]:
        assert part in text


@pytest.mark.parametrize(
    "query",
    [
        "الأمل",  # hamza on the alef
        "الامل",  # typed without it
        "جمعية الأمل",  # ta marbuta
        "الأَمَل",  # harakat
        "HOPE",
        "societe",  # accents left out
        "Société",
        "al-amal",  # transliteration, punctuation
        "hs-j",  # acronym
        " irbid ",
        "اربد",
    ],
)
def test_organisations_are_found_in_any_language_and_spelling(hope, query):
    OrganisationFactory(name_en="Light Network", name_ar="شبكة النور")
    assert matching(query) == [hope]


def test_a_blank_query_narrows_nothing(hope):
    OrganisationFactory()
    assert organisations_matching(Organisation.objects.all(), "  ").count() == 2


@pytest.mark.parametrize("query", ["%", "_", "\x00", "'; --", "x" * 5000])
def test_odd_input_is_a_search_like_any_other_never_an_error(hope, query):
    # Punctuation folds to nothing, which narrows nothing like a blank box;
    # a very long query is cut and finds nothing.
    expected = [] if query.startswith("x") else [hope]
    assert matching(query) == expected


def test_prospects_are_filtered_through_their_organisation(hope, chapter):
    prospect = ProspectFactory(chapter=chapter, organisation=hope)
    ProspectFactory(chapter=chapter)
    assert matching("الامل", Prospect.objects.all(), path="organisation") == [prospect]


def test_a_search_is_one_query_whatever_the_number_of_organisations(hope):
    for number in range(40):
        OrganisationFactory(name_en=f"Hope branch {number}")
    with CaptureQueriesContext(connection) as captured:
        assert len(matching("hope")) == 41
    assert len(captured) == 1


def test_editing_an_organisation_keeps_its_search_column_in_step(hope):
    hope.acronym = "HOPE-JO"
    hope.city_en = "Zarqa"
    hope.save()
    assert matching("hope jo") == [hope]
    assert matching("zarqa") == [hope]
    assert matching("irbid") == []
    assert matching("اربد") == [hope]  # the Arabic city is unchanged
    hope.city_ar = ""
    hope.save(update_fields=["city_ar"])
    assert matching("اربد") == []


def test_a_queryset_update_is_caught_up_by_the_next_save(hope):
    Organisation.objects.filter(pk=hope.pk).update(name_en="Renamed")
    hope.refresh_from_db()
    hope.save()
    assert matching("renamed") == [hope]


def test_imported_organisations_are_searchable(organiser_client, chapter):
    header = "Name in Arabic,Name in English,Type,City in English"
    content = f'{header}\r\n"مركز الأفق","Horizon Centre","ngo","Aqaba"'.encode()
    response = organiser_client.post(
        IMPORT, {"file": SimpleUploadedFile("organisations.csv", content)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    response = organiser_client.post(f"{IMPORT}{job.pk}/commit/")
    assert response.status_code == 302
    horizon = Organisation.objects.get(name_en="Horizon Centre")
    for query in ["الافق", "horizon", "aqaba"]:
        assert matching(query) == [horizon], query


def test_a_merge_makes_the_kept_organisation_findable_by_what_it_gained(
    organiser, chapter
):
    keep = OrganisationFactory(name_en="", name_ar="مركز الأفق", acronym="")
    absorb = OrganisationFactory(name_en="Horizon Centre", acronym="HC")
    for organisation in (keep, absorb):
        ProspectFactory(chapter=chapter, organisation=organisation)
    with translation.override("en"):
        organisations_merge(actor=organiser, chapter=chapter, keep=keep, absorb=absorb)
    assert matching("horizon") == [keep]
    assert matching("hc") == [keep]


def test_the_data_migration_fills_organisations_saved_before_the_column(hope):
    Organisation.objects.update(search_text="")
    migration = importlib.import_module("members.migrations.0012_organisation_search")
    migration.fill_search_text(apps, connection.schema_editor())
    assert matching("hope") == [hope]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a trigram index exists on PostgreSQL"
)
def test_postgresql_serves_the_search_from_a_trigram_index(hope):
    queryset = organisations_matching(Organisation.objects.order_by(), "hope")
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'organisation_search_trgm'"
        )
        (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_search_trgm" in plan
