"""Organisation.search_text (members.normalise.organisation_search_text),
filled for existing organisations, with a trigram index on PostgreSQL so
`search_text LIKE '%…%'` does not scan."""

from django.db import migrations, models

from members.normalise import organisation_search_text

INDEX = "organisation_search_trgm"


def fill_search_text(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    changed = []
    for organisation in Organisation.objects.iterator(chunk_size=1000):
        organisation.search_text = organisation_search_text(organisation)
        changed.append(organisation)
        if len(changed) == 1000:
            Organisation.objects.bulk_update(changed, ["search_text"])
            changed = []
    Organisation.objects.bulk_update(changed, ["search_text"])


def create_trigram_index(apps, schema_editor):
    # SQLite has no trigram index; it scans, which is fine at its sizes.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_organisation "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("chapters", "0009_chapter_search"),
        ("members", "0011_governance_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
