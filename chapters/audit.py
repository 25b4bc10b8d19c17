"""The one way services record an audit entry."""

from django.db import models

from .models import AuditEntry, Chapter


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model,
    chapter: Chapter | None = None,
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        chapter=chapter,
        actor=user,
        actor_label=actor_label or (user.email if user else ""),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before or {},
        after=after or {},
    )
