"""What an uploaded material really is, decided by its first bytes (and, for
Office files, by the parts inside the zip), never by its name or by the type
the browser claims."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
GIF = FileKind("gif", "image/gif")
WEBP = FileKind("webp", "image/webp")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
PPTX = FileKind(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
# Old binary Office files share one container signature; both are served
# as a download, so the generic type is honest.
OLE = FileKind("doc", "application/msword")

OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def sniff_file_kind(upload) -> FileKind | None:
    """The one place that maps content to an allowed kind, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(OLE_SIGNATURE):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "ppt/presentation.xml" in names:
                return PPTX
    return None


class UploadRejected(ValueError):
    pass


def max_upload_bytes() -> int:
    return getattr(settings, "MEETINGS_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload) -> FileKind:
    """The kind of an acceptable upload; raises UploadRejected with a message
    for the organiser otherwise."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise UploadRejected(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    kind = sniff_file_kind(upload)
    if kind is None:
        raise UploadRejected(
            _(
                "This file is not a PDF, Word, PowerPoint or image file "
                "(its content was checked, not its name)."
            )
        )
    return kind


def safe_original_name(name: str, extension: str) -> str:
    """A name for the download: the uploader's words kept where safe, the
    extension always that of the detected type."""
    stem = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    try:
        stem = get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".."
        stem = ""
    return f"{stem or 'material'}.{extension}"
