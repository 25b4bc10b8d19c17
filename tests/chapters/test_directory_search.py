"""The directory search: one folding rule (chapters.folding) for what people
type and what is stored, the chapter's search column kept in step with its
names, answers matched on that column and served from the cache."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from chapters import folding, selectors
from chapters.models import Chapter
from members import normalise
from tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/countries/"


def shown(client, query, **params):
    """The ISO codes of the chapters the directory's table shows for `query`."""
    response = client.get(DIRECTORY, {"q": query, **params})
    assert response.status_code == 200
    body = response.content.decode()
    table = body.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in body else ""
    return sorted(set(re.findall(r'href="/en/countries/([a-z]{2})/"', table)))


@pytest.fixture
def chapters(db):
    return {
        code: ChapterFactory(country=code, name_en=name, name_ar=arabic)
        for code, name, arabic in [
            ("JO", "CLD Jordan", "فرع الأردن"),
            ("EG", "Egyptian chapter", "الفرع المصري"),
            ("CI", "Réseau ivoirien", "شبكة ساحل العاج"),
        ]
    }


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("الأردن", "الاردن"),
        ("إربد", "اربد"),
        ("آمنة", "امنه"),  # madda alef and ta marbuta
        ("مُسْتَشْفَى", "مستشفي"),  # harakat and alef maqsura
        ("العـــربية", "العربيه"),  # tatweel
        ("Côte d’Ivoire", "cote d ivoire"),  # accents, case, punctuation
        ("  RÉSEAU   Ivoirien ", "reseau ivoirien"),
        ("ＪＯＲＤＡＮ", "jordan"),  # full-width letters
    ],
)
def test_every_search_folds_text_by_one_rule(typed, folded):
    assert folding.fold(typed) == folded
    assert selectors.search_normalise(typed) == folded
    assert normalise.fold(typed) == folded


def test_a_chapter_stores_its_code_and_every_name_folded(chapters):
    text = Chapter.objects.get(country="JO").search_text
    for part in ["jo", "jordan", "الاردن", "jordanie", "cld jordan", "فرع الاردن"]:
        assert part in text
    assert "cote d ivoire" in Chapter.objects.get(country="CI").search_text


def test_renaming_a_chapter_keeps_its_search_column_in_step(chapters):
    chapter = chapters["JO"]
    chapter.name_en = "Hashemite network"
    chapter.save(update_fields=["name_en"])
    chapter.refresh_from_db()
    assert "hashemite network" in chapter.search_text
    assert "cld jordan" not in chapter.search_text


def test_the_data_migration_fills_chapters_saved_before_the_column(chapters):
    Chapter.objects.update(search_text="")
    migration = importlib.import_module("chapters.migrations.0009_chapter_search")
    migration.fill_search_text(apps, connection.schema_editor())
    assert "jordan" in Chapter.objects.get(country="JO").search_text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("jordan", ["jo"]),
        ("JORD", ["jo"]),
        ("الأردن", ["jo"]),
        ("الاردن", ["jo"]),
        ("الأُرْدُنّ", ["jo"]),  # with diacritics
        ("Jordanie", ["jo"]),  # the French name on the English page
        ("jo", ["jo"]),
        ("cote d'ivoire", ["ci"]),
        ("Côte", ["ci"]),
        ("reseau", ["ci"]),  # the chapter's own name, accent left out
        ("المصري", ["eg"]),
        ("chapter", ["eg"]),
    ],
)
def test_directory_search_matches_names_in_every_language_and_spelling(
    client, chapters, query, found
):
    assert shown(client, query) == found


def test_search_and_status_combine(client, chapters):
    Chapter.objects.filter(country="EG").update(status=Chapter.Status.LAUNCHED)
    assert shown(client, "e", status="launched") == ["eg"]
    assert shown(client, "jordan", status="launched") == []


def test_search_matching_nothing_says_so_in_the_visitors_language(client, chapters):
    response = client.get("/ar/countries/", {"q": "zzqx"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="zzqx"' in body
    assert 'data-testid="directory"' not in body
    assert 'role="status"' in body


@pytest.mark.parametrize(
    "query",
    ["x" * 5000, "!!!", "\x00", "%", "_", "' OR 1=1 --", "<script>"],
)
def test_odd_or_long_input_is_an_answer_never_an_error(client, chapters, query):
    response = client.get(DIRECTORY, {"q": query})
    assert response.status_code == 200
    assert 'value="<script>"' not in response.content.decode()


def test_punctuation_only_shows_every_chapter_with_an_empty_box(client, chapters):
    assert shown(client, "?!") == ["ci", "eg", "jo"]
    assert 'value=""' in client.get(DIRECTORY, {"q": "?!"}).content.decode()


def test_each_spelling_keeps_what_the_visitor_typed_in_the_box(client, chapters):
    first = client.get(DIRECTORY, {"q": "Jordan"}).content.decode()
    second = client.get(DIRECTORY, {"q": "jordan"}).content.decode()
    assert 'value="Jordan"' in first
    assert 'value="jordan"' in second


def test_a_repeated_search_is_served_from_the_cache_with_one_query(
    client, chapters, django_assert_max_num_queries
):
    client.get(DIRECTORY, {"q": "jordan"})
    # Only the version of the directory is read from the database.
    with django_assert_max_num_queries(1):
        response = client.get(DIRECTORY, {"q": "jordan"}, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200


def test_a_search_costs_the_same_queries_for_3_or_60_chapters(client, chapters):
    def first_search_queries(query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DIRECTORY, {"q": query}).status_code == 200
        return len(captured)

    few = first_search_queries("a")
    free = [code for code, _name in countries if code not in chapters]
    for code in free[:57]:
        ChapterFactory(country=code)
    assert first_search_queries("e") <= few


def test_a_renamed_chapter_is_found_by_its_new_name_at_once(client, chapters):
    assert shown(client, "hashemite") == []
    chapter = chapters["JO"]
    chapter.name_en = "Hashemite network"
    chapter.save()
    assert shown(client, "hashemite") == ["jo"]


def test_a_signed_in_visitor_searches_too(client, chapters, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", "r@x.org"))
    assert shown(client, "الاردن") == ["jo"]
    assert shown(client, "الاردن") == ["jo"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a trigram index exists on PostgreSQL"
)
def test_postgresql_serves_the_search_from_a_trigram_index(chapters):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'chapter_search_trgm'"
        )
        (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition
        # The plan the ORM's lookup gets, once a scan is not an option.
        sql, params = (
            Chapter.objects.filter(search_text__contains="jordan")
            .order_by()
            .values("pk")
            .query.sql_with_params()
        )
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "chapter_search_trgm" in plan
