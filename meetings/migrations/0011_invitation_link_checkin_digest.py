# The digest of each personal link's check-in code (chapters.tokens.checkin_code).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_french_content"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitationlink",
            name="checkin_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
    ]
