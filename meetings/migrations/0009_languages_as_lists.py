# A meeting's working languages and a material's languages become lists of
# language codes ("ar_en" -> ["ar", "en"]), and an agenda note's version is
# a translated field (its version_ar and version_en columns stay).

import chapters.languages
from django.db import migrations, models

# The old single codes and the lists they stand for, written out: a
# migration keeps the shapes of its day, whatever the settings say later.
AS_LIST = {"ar": ["ar"], "en": ["en"], "ar_en": ["ar", "en"]}
BOTH = "ar_en"


def as_code(codes) -> str:
    """The old code of a list: one language alone, else both."""
    chosen = [code for code in ("ar", "en") if code in (codes or [])]
    return chosen[0] if len(chosen) == 1 else BOTH


def lists_from_codes(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Material = apps.get_model("meetings", "Material")
    for code, codes in AS_LIST.items():
        Meeting.objects.filter(working_languages_code=code).update(
            working_languages=codes
        )
        Material.objects.filter(language=code).update(languages=codes)


def codes_from_lists(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Material = apps.get_model("meetings", "Material")
    meetings = list(Meeting.objects.only("pk", "working_languages"))
    for meeting in meetings:
        meeting.working_languages_code = as_code(meeting.working_languages)
    Meeting.objects.bulk_update(meetings, ["working_languages_code"], batch_size=500)
    materials = list(Material.objects.only("pk", "languages"))
    for material in materials:
        material.language = as_code(material.languages)
    Material.objects.bulk_update(materials, ["language"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_languages_from_settings"),
    ]

    operations = [
        migrations.RenameField(
            model_name="meeting",
            old_name="working_languages",
            new_name="working_languages_code",
        ),
        migrations.AddField(
            model_name="meeting",
            name="working_languages",
            field=models.JSONField(
                default=chapters.languages.codes,
                validators=[chapters.languages.validate_codes],
                verbose_name="working languages",
            ),
        ),
        migrations.AddField(
            model_name="material",
            name="languages",
            field=models.JSONField(
                default=chapters.languages.codes,
                validators=[chapters.languages.validate_codes],
                verbose_name="languages",
            ),
        ),
        migrations.RunPython(lists_from_codes, codes_from_lists),
        migrations.RemoveField(
            model_name="meeting",
            name="working_languages_code",
        ),
        migrations.RemoveField(
            model_name="material",
            name="language",
        ),
        migrations.AddField(
            model_name="agendanote",
            name="version",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="agendanote",
            name="version_ar",
            field=models.PositiveIntegerField(default=0, null=True),
        ),
        migrations.AlterField(
            model_name="agendanote",
            name="version_en",
            field=models.PositiveIntegerField(default=0, null=True),
        ),
    ]
