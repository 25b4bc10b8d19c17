"""Writes of materials: files (checked by content, stored under a random
name) and links attached to a chapter or a meeting, their removal, and the
count of invitees who opened them."""

from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.languages import in_order, validate_codes

from ..files import UploadRejected, check_upload, safe_original_name
from ..models import Invitation, Material, MaterialOpening, Meeting
from .effects import invitation_mark_opened
from .errors import MeetingError


@transaction.atomic
def material_add(
    *,
    actor,
    chapter,
    title: str,
    languages: list[str],
    meeting: Meeting | None = None,
    upload=None,
    url: str = "",
) -> Material:
    """Attach a file or a link to the chapter (reusable) or to one meeting.
    A file's type is decided by its content, never by its name or by what the
    browser claims, and it is stored under a random name. `languages` are
    the codes of the languages it is written in."""
    if bool(upload) == bool(url):
        raise MeetingError(_("Give either a file or a link, not both."))
    try:
        validate_codes(languages)
    except ValidationError as error:
        raise MeetingError(error.messages[0], field="languages") from error
    material = Material(
        chapter=chapter,
        meeting=meeting,
        title=title,
        languages=in_order(languages),
        url=url,
        created_by=actor,
    )
    if upload:
        try:
            kind = check_upload(upload)
        except UploadRejected as error:
            raise MeetingError(str(error), field="file") from error
        material.original_name = safe_original_name(upload.name, kind.extension)
        material.content_type = kind.content_type
        material.size = upload.size
        upload.seek(0)
        material.file.save(f"{uuid4().hex}.{kind.extension}", File(upload), save=False)
    material.save()
    audit_log(
        actor=actor,
        action="material.add",
        obj=material,
        chapter=chapter,
        after={
            "title": title,
            "meeting": meeting.pk if meeting else None,
            "file": material.original_name,
            "url": url,
        },
    )
    return material


@transaction.atomic
def material_remove(*, actor, material: Material) -> None:
    audit_log(
        actor=actor,
        action="material.remove",
        obj=material,
        chapter=material.chapter,
        before={"title": material.title, "file": material.original_name},
    )
    stored = material.file.name
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def material_record_opening(*, invitation: Invitation, material: Material) -> None:
    """Count that the invitee opened the material (and so the invitation)."""
    opening, created = MaterialOpening.objects.get_or_create(
        material=material, invitation=invitation
    )
    if not created:
        MaterialOpening.objects.filter(pk=opening.pk).update(count=F("count") + 1)
    invitation_mark_opened(invitation)
