"""The members app speaks every language of settings.LANGUAGES and names
none: translated fields have one input, column and header per language,
the consent statement is read in the representative's language or another,
and an import file's headers may be in any of them."""

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from chapters import languages
from members import exports, import_files
from members.forms.initial_tasks import TaskForm
from members.forms.outreach import OrganisationForm
from members.forms.profile import DESCRIPTION_MAX_CHARS, PublicProfileForm
from members.models import ConsentStatement, ImportJob, InitialTask, Organisation
from members.selectors import organisation_duplicates
from members.services import imports
from members.services.consent import SHIPPED_TEXTS, consent_statement_current
from members.services.initial_tasks import SUGGESTED_TASKS, tasks_suggest
from tests.factories import MembershipFactory, OrganisationFactory, ProspectFactory
from tests.members.membership_helpers import (
    ask,
    links_for,
    membership_of,
    on_outreach_list,
)

pytestmark = pytest.mark.django_db

# The site's languages today (settings.LANGUAGES).
ARABIC, ENGLISH = "ar", "en"


def _url(name, *args, language=ENGLISH):
    with translation.override(language):
        return reverse(name, args=args)


# The consent statement -----------------------------------------------------


def test_the_first_statement_has_its_text_in_each_language_it_was_written_in():
    statement = consent_statement_current()
    for code in languages.codes():
        assert getattr(statement, f"text_{code}") == SHIPPED_TEXTS.get(code, "")


@pytest.fixture
def asked(chapter, organiser, sent):
    organisation, (representative,) = on_outreach_list(chapter)
    with sent():
        ask(organiser, chapter, organisation)
    return organisation, representative


def _confirm(client, representative, organisation, *, language, version):
    path = _url(
        "members:membership_answer",
        *links_for(representative.email)["respond"][1:],
        language=language,
    )
    return client.post(
        path,
        {
            "action": "confirm",
            "consent": "on",
            "role": "Director",
            "consent_version": version,
            **{
                column: getattr(organisation, column) or ""
                for column in languages.localized("name")
            },
            "kind": organisation.kind,
        },
    )


def test_a_statement_missing_the_readers_language_is_read_and_recorded_in_another(
    client, asked, chapter
):
    organisation, representative = asked
    ConsentStatement.objects.create(
        version="2026-2",
        text_ar="",
        text_en="English wording only",
        published_at=timezone.now(),
    )
    page = client.get(
        _url(
            "members:membership_answer",
            *links_for(representative.email)["respond"][1:],
            language=ARABIC,
        )
    )
    assert page.context["statement_text"] == "English wording only"
    assert page.context["statement_language"] == ENGLISH
    assert 'lang="en"' in page.content.decode()

    response = _confirm(
        client, representative, organisation, language=ARABIC, version="2026-2"
    )
    assert response.status_code == 302
    record = membership_of(chapter, organisation).events.get(action="confirm")
    assert (record.consent_language, record.consent_text) == (
        ENGLISH,
        "English wording only",
    )


def test_a_statement_in_the_readers_language_is_recorded_in_it(client, asked, chapter):
    organisation, representative = asked
    version = consent_statement_current().version
    _confirm(client, representative, organisation, language=ENGLISH, version=version)
    record = membership_of(chapter, organisation).events.get(action="confirm")
    assert record.consent_language == ENGLISH
    assert record.consent_text == SHIPPED_TEXTS[ENGLISH]


# Outside a transaction: SQLite's schema editor cannot run inside one.
@pytest.mark.django_db(transaction=True)
def test_the_consent_migration_keeps_each_languages_text_both_ways():
    old, new = (
        [("members", "0007_languages_from_settings")],
        [("members", "0008_consent_text_translated")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps
    apps.get_model("members", "ConsentStatement").objects.create(
        version="old-1", text_ar="نص قديم", text_en="Old text"
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(new)
        apps = executor.loader.project_state(new).apps
        statements = apps.get_model("members", "ConsentStatement").objects
        statement = statements.get(version="old-1")
        assert (statement.text, statement.text_ar, statement.text_en) == (
            "نص قديم",
            "نص قديم",
            "Old text",
        )
        # Possible once translated: a version without one language's text.
        statements.create(version="new-1", text="New text", text_en="New text")
        executor = MigrationExecutor(connection)
        executor.migrate(old)
        apps = executor.loader.project_state(old).apps
        statements = apps.get_model("members", "ConsentStatement").objects
        statement = statements.get(version="old-1")
        assert (statement.text_ar, statement.text_en) == ("نص قديم", "Old text")
        statement = statements.get(version="new-1")
        assert (statement.text_ar, statement.text_en) == ("New text", "New text")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# Forms -----------------------------------------------------------------------


@pytest.mark.parametrize("form_class", [OrganisationForm, PublicProfileForm])
def test_organisation_forms_have_one_input_per_language_labelled_and_directed(
    form_class,
):
    form = form_class()
    for field in ("name", "city", "description"):
        inputs = form.in_languages[field]
        assert [bound.name for bound in inputs] == languages.localized(field)
        for bound, code in zip(inputs, languages.codes(), strict=True):
            attrs = bound.field.widget.attrs
            assert (attrs["lang"], attrs["dir"]) == (code, languages.direction(code))
    with translation.override(ENGLISH):
        assert str(form.fields["name_ar"].label) == "Name (Arabic)"
        assert str(form.fields["city_en"].label) == "City (English)"


def test_the_task_form_labels_each_language(chapter):
    form = TaskForm(members=Organisation.objects.none())
    assert [bound.name for bound in form.in_languages["title"]] == (
        languages.localized("title")
    )
    with translation.override(ENGLISH):
        assert str(form.fields["title_en"].label) == "Title (English)"
        assert str(form.fields["description_ar"].label) == "Description (Arabic)"


def test_a_task_title_in_any_one_language_is_enough(chapter):
    for code in languages.codes():
        form = TaskForm(
            {f"title_{code}": "Map the programmes", "status": "open"},
            members=Organisation.objects.none(),
        )
        assert form.is_valid(), form.errors
    form = TaskForm({"status": "open"}, members=Organisation.objects.none())
    assert not form.is_valid()


def test_an_organisation_named_in_any_one_language_is_enough():
    for code in languages.codes():
        form = OrganisationForm({f"name_{code}": "Hope", "kind": "ngo"})
        assert form.is_valid(), form.errors
    form = OrganisationForm({"kind": "ngo"})
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "name_missing"


def test_a_public_description_over_the_limit_is_refused_in_every_language():
    for code in languages.codes():
        form = PublicProfileForm(
            {
                "name_en": "Hope",
                "kind": "ngo",
                f"description_{code}": "x" * (DESCRIPTION_MAX_CHARS + 1),
            }
        )
        assert not form.is_valid()
        assert f"description_{code}" in form.errors
        attrs = form.fields[f"description_{code}"].widget.attrs
        assert attrs["maxlength"] == DESCRIPTION_MAX_CHARS


# Organisations ---------------------------------------------------------------


def test_every_language_of_a_name_gets_its_duplicate_key():
    organisation = OrganisationFactory(name_ar="جمعية الأمل", name_en="The Hope")
    assert organisation.name_key_ar == "الامل"
    assert organisation.name_key_en == "hope"
    assert [*organisation_duplicates(name_en="الأمل")] == [organisation]
    assert [*organisation_duplicates(name_ar="hope")] == [organisation]


def test_a_duplicate_search_refuses_a_column_that_is_not_a_name():
    with pytest.raises(TypeError):
        organisation_duplicates(city_en="Amman")


def test_the_exports_have_one_name_column_per_language(chapter):
    organisation = OrganisationFactory(name_ar="منظمة الأمل", name_en="Hope")
    ProspectFactory(chapter=chapter, organisation=organisation)
    MembershipFactory(chapter=chapter, organisation=organisation)
    zone = ZoneInfo("Asia/Amman")
    with translation.override(ENGLISH):
        for build in (exports.outreach, exports.members):
            header, rows = build(chapter, zone)
            first = next(iter(rows))
            names = len(languages.codes())
            assert header[:names] == [
                f"Organisation ({languages.name(code)})" for code in languages.codes()
            ]
            assert first[:names] == [
                getattr(organisation, f"name_{code}") or ""
                for code in languages.codes()
            ]


def test_suggested_tasks_are_stored_in_each_language_they_are_written_in(
    chapter, organiser
):
    tasks_suggest(actor=organiser, chapter=chapter)
    for suggested in SUGGESTED_TASKS:
        task = InitialTask.objects.get(chapter=chapter, key=suggested.key)
        for code in languages.codes():
            title, description = suggested.texts.get(code, ("", ""))
            assert getattr(task, f"title_{code}") == title
            assert getattr(task, f"description_{code}") == description


# Import files ----------------------------------------------------------------


def _check(chapter, rows):
    job = imports.import_job_create(
        actor=None,
        chapter=chapter,
        filename="list.csv",
        content=import_files.csv_bytes(rows),
    )
    return imports.import_job_check(actor=None, job=job)


@pytest.mark.parametrize("language", [ARABIC, ENGLISH])
def test_a_file_with_headers_in_one_language_is_read_as_that_language(
    chapter, language
):
    header = import_files.header_row(language)
    values = {"name_ar": "جمعية الأمل", "name_en": "Hope", "kind": "ngo"}
    row = [values.get(column.key, "") for column in import_files.COLUMNS]
    row[[c.key for c in import_files.COLUMNS].index("contact_name")] = "Amal"
    row[[c.key for c in import_files.COLUMNS].index("contact_email")] = "a@ex.org"
    job = _check(chapter, [header, row])
    assert job.status == ImportJob.Status.PREVIEWED, job.problem
    (checked,) = job.rows
    assert checked["errors"] == []
    assert checked["values"]["name_ar"] == "جمعية الأمل"
    # A contact without a language gets the language of the headers.
    assert checked["values"]["contact_language"] == language


def test_the_headers_language_is_the_one_most_headers_are_in():
    arabic = dict(
        zip(
            [c.key for c in import_files.COLUMNS],
            import_files.header_row(ARABIC),
            strict=True,
        )
    )
    english = dict(
        zip(
            [c.key for c in import_files.COLUMNS],
            import_files.header_row(ENGLISH),
            strict=True,
        )
    )
    header = [english["name_en"], arabic["kind"], english["website"], english["notes"]]
    positions, language = import_files.match_headers(header)
    assert sorted(positions.values()) == ["kind", "name_en", "notes", "website"]
    assert language == ENGLISH
    # Only keys: nothing says which language, so the default one.
    _positions, language = import_files.match_headers(["name_en", "kind"])
    assert language == languages.default()


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Name in Arabic", "name_ar"),
        ("الاسم بالعربية", "name_ar"),
        ("Name in English", "name_en"),
        ("الاسم بالإنجليزية", "name_en"),
        ("  NAME IN ENGLISH ", "name_en"),
        ("المدينة بالإنجليزية", "city_en"),
        ("ملاحظات", "notes"),
        ("Representative e-mail", "contact_email"),
        ("البريد الإلكتروني لممثل المنظمة", "contact_email"),
    ],
)
def test_the_headers_of_todays_files_are_still_read(header, key):
    positions, _language = import_files.match_headers([header, "Type", "name_en"])
    assert key in positions.values()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ar", ARABIC),
        ("en", ENGLISH),
        ("Arabic", ARABIC),
        ("english", ENGLISH),
        ("العربية", ARABIC),
        ("العربيّة", ARABIC),
        ("عربي", ARABIC),
        ("عربية", ARABIC),
        ("الإنجليزية", ENGLISH),
        ("انجليزي", ENGLISH),
        ("إنجليزي", ENGLISH),
        ("انجليزية", ENGLISH),
    ],
)
def test_a_preferred_language_may_be_written_as_people_write_it(typed, code):
    values, errors = import_files.check_row(
        {"name_en": "Hope", "kind": "ngo", "contact_language": typed},
        region="JO",
        default_language=languages.default(),
        kinds=import_files.kind_aliases(),
        languages=import_files.language_aliases(),
    )
    assert errors == []
    assert values["contact_language"] == code


def test_an_unknown_language_is_explained_with_the_sites_languages():
    _values, errors = import_files.check_row(
        {"name_en": "Hope", "kind": "ngo", "contact_language": "Klingon"},
        region="JO",
        default_language=languages.default(),
        kinds=import_files.kind_aliases(),
        languages=import_files.language_aliases(),
    )
    assert [error["code"] for error in errors] == ["language_unknown"]
    with translation.override(ENGLISH):
        text = import_files.message_text(errors[0])
        names = languages.names_list(languages.codes())
    assert "Klingon" in text and names in text


def test_the_upload_page_offers_a_template_in_every_language(organiser_client, chapter):
    page = organiser_client.get(_url("members:import", chapter.iso2))
    html = page.content.decode()
    for code in languages.codes():
        for file_format in ("xlsx", "csv"):
            assert (
                _url("members:import_template", chapter.iso2, code, file_format) in html
            )
    assert [len(headers) for headers in page.context["column_headers"]] == [
        len(languages.codes())
    ] * len(import_files.COLUMNS)


@pytest.mark.parametrize("language", [ARABIC, ENGLISH])
def test_a_known_organisation_is_named_in_the_previews_language(
    organiser_client, chapter, language
):
    OrganisationFactory(name_ar="جمعية الأمل", name_en="Hope Society")
    header = import_files.header_row(ENGLISH)
    keys = [column.key for column in import_files.COLUMNS]
    row = ["" for _ in keys]
    row[keys.index("name_en")] = "Hope Society"
    row[keys.index("kind")] = "ngo"
    job = _check(chapter, [header, row])
    response = organiser_client.get(
        _url("members:import_job", chapter.iso2, job.pk, language=language)
    )
    (shown,) = response.context["preview_rows"]
    expected = {ARABIC: "جمعية الأمل", ENGLISH: "Hope Society"}[language]
    assert shown["duplicate_label"] == expected
