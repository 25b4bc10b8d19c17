"""Chapter.search_text (chapters.folding), filled for existing chapters, with
a trigram index on PostgreSQL so `search_text LIKE '%…%'` does not scan."""

from django.db import migrations, models

from chapters import languages
from chapters.folding import chapter_search_text

INDEX = "chapter_search_trgm"


def fill_search_text(apps, schema_editor):
    Chapter = apps.get_model("chapters", "Chapter")
    changed = []
    for chapter in Chapter.objects.all():
        chapter.search_text = chapter_search_text(
            code=str(chapter.country or ""),
            names=(
                getattr(chapter, f"name_{code}", "") or "" for code in languages.codes()
            ),
        )
        changed.append(chapter)
    Chapter.objects.bulk_update(changed, ["search_text"], batch_size=1000)


def create_trigram_index(apps, schema_editor):
    # SQLite has no trigram index; it scans, which is fine at its sizes.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON chapters_chapter "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("chapters", "0008_notification_kind_governance")]

    operations = [
        migrations.AddField(
            model_name="chapter",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
