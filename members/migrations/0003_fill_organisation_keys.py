from django.db import migrations

from members.normalise import name_key, website_domain


def fill_keys(apps, schema_editor):
    """Organisations saved before the keys existed get them now, so they are
    found as duplicates like every other."""
    Organisation = apps.get_model("members", "Organisation")
    changed = []
    for organisation in Organisation.objects.only(
        "pk", "name_ar", "name_en", "website"
    ).iterator(chunk_size=1000):
        organisation.name_key_ar = name_key(organisation.name_ar or "")
        organisation.name_key_en = name_key(organisation.name_en or "")
        organisation.website_domain = website_domain(organisation.website)
        changed.append(organisation)
    Organisation.objects.bulk_update(
        changed, ["name_key_ar", "name_key_en", "website_domain"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_organisation_keys_optout_imports")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
