"""Writes of the chapters app. Each runs in one transaction and records an
audit entry beside the change."""

from django.db import transaction
from django.utils import timezone

from .audit import audit_log
from .models import Chapter, Organiser


@transaction.atomic
def organiser_grant(*, actor, chapter: Chapter, user) -> Organiser:
    """Give the user the organiser role; granting an active role again is a
    no-op, so a double click or a retry changes nothing."""
    Chapter.objects.select_for_update().get(pk=chapter.pk)
    role = Organiser.objects.filter(
        chapter=chapter, user=user, revoked_at__isnull=True
    ).first()
    if role:
        return role
    role = Organiser.objects.create(chapter=chapter, user=user, granted_by=actor)
    audit_log(
        actor=actor,
        action="organiser.grant",
        obj=role,
        chapter=chapter,
        after={"user": user.email},
    )
    return role


@transaction.atomic
def organiser_revoke(*, actor, role: Organiser) -> Organiser:
    role = Organiser.objects.select_for_update().get(pk=role.pk)
    if role.revoked_at is not None:
        return role
    role.revoked_at = timezone.now()
    role.revoked_by = actor
    role.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor,
        action="organiser.revoke",
        obj=role,
        chapter=role.chapter,
        before={"user": role.user.email, "active": True},
        after={"active": False},
    )
    return role
