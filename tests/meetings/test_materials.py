"""Materials: the type is read from the content, the size is limited, the
stored name is never the uploader's, and files are served as downloads to
organisers of the chapter (and to invitees through their link)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.files import safe_original_name
from meetings.models import Material
from meetings.services.errors import MeetingError
from meetings.services.materials import material_add
from tests.factories import ChapterFactory, OrganiserFactory

from .conftest import PDF_BYTES, docx_bytes

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(client, action, name, content, **extra):
    data = {"title": "Brief", "languages": ["ar", "en"], **extra}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, "application/pdf")
    return client.post(action, data)


def test_organiser_uploads_a_pdf_for_a_meeting(organiser_client, meeting):
    response = _upload(
        organiser_client,
        f"/en/manage/jo/meetings/{meeting.pk}/materials/add/",
        "../../etc/موجز الحراك.pdf",
        PDF_BYTES,
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.meeting == meeting
    assert material.content_type == "application/pdf"
    assert material.original_name == "موجز_الحراك.pdf"
    stored = material.file.name
    assert stored.startswith(f"materials/{meeting.chapter_id}/") and ".." not in stored
    assert "موجز" not in stored  # the stored name is random


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused(
    organiser_client, meeting
):
    response = _upload(
        organiser_client,
        f"/en/manage/jo/meetings/{meeting.pk}/materials/add/",
        "brief.pdf",
        b"<html><script>alert(1)</script></html>",
    )
    assert response.status_code == 400
    assert "content was checked" in response.content.decode()
    assert not Material.objects.exists()


def test_a_file_over_the_size_limit_is_refused(settings, organiser_client, meeting):
    settings.MEETINGS_MATERIAL_MAX_BYTES = 1024
    response = _upload(
        organiser_client,
        f"/en/manage/jo/meetings/{meeting.pk}/materials/add/",
        "big.pdf",
        PDF_BYTES + b"0" * 2048,
    )
    assert response.status_code == 400
    assert "The file is larger than 1.0" in response.content.decode()
    assert not Material.objects.exists()


def test_a_zip_that_is_not_an_office_file_is_refused(organiser, meeting):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(MeetingError):
        material_add(
            actor=organiser,
            chapter=meeting.chapter,
            title="x",
            languages=["en"],
            upload=SimpleUploadedFile("x.docx", buffer.getvalue()),
        )


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (PDF_BYTES, "pdf", "application/pdf"),
        (PNG_BYTES, "png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpg", "image/jpeg"),
        (None, "docx", "wordprocessingml"),
    ],
)
def test_allowed_types_are_recognised_by_content(
    organiser, meeting, content, extension, content_type
):
    material = material_add(
        actor=organiser,
        chapter=meeting.chapter,
        title="x",
        languages=["en"],
        upload=SimpleUploadedFile("whatever.bin", content or docx_bytes()),
    )
    assert material.original_name == f"whatever.{extension}"
    assert content_type in material.content_type


def test_a_material_is_a_file_or_a_link_not_both(organiser_client):
    response = _upload(
        organiser_client,
        "/en/manage/jo/materials/add/",
        "b.pdf",
        PDF_BYTES,
        url="https://example.org/x",
    )
    assert "Give either a file or a link, not both." in response.content.decode()
    response = _upload(organiser_client, "/en/manage/jo/materials/add/", "", None)
    assert "Give either a file or a link, not both." in response.content.decode()


def test_chapter_materials_are_shared_with_every_meeting(organiser_client, meeting):
    organiser_client.post(
        "/en/manage/jo/materials/add/",
        {"title": "About the movement", "languages": ["ar"], "url": "https://mcld.org"},
    )
    material = Material.objects.get()
    assert material.meeting is None
    assert list(Material.objects.for_meeting(meeting)) == [material]
    listing = organiser_client.get("/en/manage/jo/meetings/").content.decode()
    assert "About the movement" in listing


def test_organiser_downloads_as_an_attachment_never_inline(organiser_client, meeting):
    _upload(
        organiser_client,
        f"/en/manage/jo/meetings/{meeting.pk}/materials/add/",
        "x.png",
        PNG_BYTES,
    )
    material = Material.objects.get()
    response = organiser_client.get(f"/en/manage/jo/materials/{material.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_organiser_of_another_chapter_and_anonymous_cannot_fetch_materials(
    client, organiser, meeting
):
    material = material_add(
        actor=organiser,
        chapter=meeting.chapter,
        title="x",
        languages=["en"],
        upload=SimpleUploadedFile("x.pdf", PDF_BYTES),
    )
    url = f"/en/manage/jo/materials/{material.pk}/"
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    assert client.get(url).status_code == 404
    assert client.get(f"/en/manage/eg/materials/{material.pk}/").status_code == 404
    assert client.post(url).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_organiser_removes_a_material_and_its_file(
    organiser_client, organiser, meeting
):
    material = material_add(
        actor=organiser,
        chapter=meeting.chapter,
        meeting=meeting,
        title="x",
        languages=["en"],
        upload=SimpleUploadedFile("x.pdf", PDF_BYTES),
    )
    storage, name = material.file.storage, material.file.name
    organiser_client.post(f"/en/manage/jo/materials/{material.pk}/")
    assert not Material.objects.exists()
    # The file goes once the removal commits (in tests: never committed).
    assert storage.exists(name)


def test_safe_original_names_keep_words_and_drop_paths():
    assert safe_original_name("C:\\x\\report v2.PDF", "pdf") == "report_v2.pdf"
    assert safe_original_name("..", "png") == "material.png"
    assert safe_original_name("<script>.docx", "docx") == "script.docx"
