import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce


def assign_chapters(apps, schema_editor):
    """Each existing contact goes to the chapter that brought it in: the
    chapter of the audit entry that created it, else the chapter that first
    put its organisation on an outreach list, else the first chapter it is a
    member of. A contact with none of these stays without a chapter, so no
    chapter's organisers see it (its organisation's representatives still do).
    """
    Representative = apps.get_model("members", "Representative")
    Prospect = apps.get_model("members", "Prospect")
    Membership = apps.get_model("members", "Membership")
    AuditEntry = apps.get_model("chapters", "AuditEntry")
    created_by = AuditEntry.objects.filter(
        action="representative.create",
        object_type="members.representative",
        object_id=Cast(OuterRef("pk"), models.CharField()),
        chapter__isnull=False,
    ).order_by("created_at", "pk")
    first_list = Prospect.objects.filter(
        organisation=OuterRef("organisation")
    ).order_by("created_at", "pk")
    first_membership = Membership.objects.filter(
        organisation=OuterRef("organisation")
    ).order_by("created_at", "pk")
    Representative.objects.filter(chapter__isnull=True).update(
        chapter=Coalesce(
            Subquery(created_by.values("chapter")[:1]),
            Subquery(first_list.values("chapter")[:1]),
            Subquery(first_membership.values("chapter")[:1]),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chapters", "0003_organiser_notifications"),
        ("members", "0004_membership_consent_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="representative",
            name="chapter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="representatives",
                to="chapters.chapter",
                verbose_name="collected by the chapter",
            ),
        ),
        migrations.RunPython(assign_chapters, migrations.RunPython.noop),
    ]
