from django.db import migrations

from members.normalise import name_key


def refold_keys(apps, schema_editor):
    """Keys now fold Latin accents ("Réseau" = "Reseau"): the stored ones are
    made again, so an organisation saved before is still found."""
    Organisation = apps.get_model("members", "Organisation")
    columns = [
        field.name
        for field in Organisation._meta.fields
        if field.name.startswith("name_key_")
    ]
    names = [column.replace("name_key_", "name_") for column in columns]
    changed = []
    for organisation in Organisation.objects.only("pk", *names).iterator(
        chunk_size=1000
    ):
        for column, name in zip(columns, names, strict=True):
            setattr(organisation, column, name_key(getattr(organisation, name) or ""))
        changed.append(organisation)
    Organisation.objects.bulk_update(changed, columns, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("members", "0008_consent_text_translated")]

    operations = [migrations.RunPython(refold_keys, migrations.RunPython.noop)]
