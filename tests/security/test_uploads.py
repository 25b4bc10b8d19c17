"""Uploaded files are data, never pages of the portal: a file's type comes
from its content, materials leave as downloads with a sandboxing policy, and
logos are re-encoded images."""

import importlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches
from PIL import Image

from meetings.models import Material
from members.forms.outreach import OrganisationForm
from members.services.organisations import organisation_update
from tests.security.world import PDF_BYTES, build_world
from tests.urls import url

pytestmark = pytest.mark.django_db

HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def organiser_client(client, world):
    client.force_login(world.users["organiser"])
    return client


def _material_add(client, world, name, content, content_type):
    meeting = world.objects["meeting"]
    return client.post(
        url("meetings:material_add", "jo", meeting.pk),
        {
            "title": "Report",
            "languages": ["en"],
            "file": SimpleUploadedFile(name, content, content_type),
        },
    )


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("report.pdf", "application/pdf"),
        ("report.html", "text/html"),
        ("image.png", "image/png"),
        ("slides.pptx", "application/octet-stream"),
    ],
)
def test_an_html_file_is_refused_whatever_it_calls_itself(
    organiser_client, world, name, content_type
):
    before = Material.objects.count()
    response = _material_add(organiser_client, world, name, HTML, content_type)
    assert response.status_code == 400
    assert "its content was checked, not its name" in response.content.decode()
    assert Material.objects.count() == before


def test_html_behind_a_pdf_signature_is_still_only_a_download(organiser_client, world):
    """A file that starts like a PDF is accepted as one; even if a browser
    were to look inside, it is sent as an attachment, typed as PDF, with
    nosniff and a sandboxing policy that runs nothing."""
    disguised = b"%PDF-1.4\n" + HTML
    response = _material_add(organiser_client, world, "x.html", disguised, "text/html")
    assert response.status_code == 302
    material = Material.objects.latest("pk")
    assert material.original_name == "x.pdf"
    assert material.file.name.endswith(".pdf")
    download = organiser_client.get(url("meetings:material", "jo", material.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")


def _assert_safe_download(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="concept.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_organiser_downloads_a_material_as_an_attachment(organiser_client, world):
    material = world.objects["material"]
    _assert_safe_download(
        organiser_client.get(url("meetings:material", "jo", material.pk, language="ar"))
    )


def test_an_invitee_downloads_a_material_as_an_attachment(client, world):
    token, material = world.objects["invitation_token"], world.objects["material"]
    _assert_safe_download(
        client.get(url("meetings:invitation_material", token, material.pk))
    )


def test_an_html_file_is_refused_as_a_logo(world):
    form = OrganisationForm(
        data={},
        files={"logo": SimpleUploadedFile("logo.png", HTML, "image/png")},
    )
    assert not form.is_valid()
    assert "logo" in form.errors


def _png(size=(8, 8)) -> bytes:
    output = BytesIO()
    Image.new("RGB", size, "red").save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def demo_urls(settings):
    """The URLs of the embedded demo (DEBUG), which serve uploaded logos."""
    settings.DEBUG = True
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_demo_serves_logos_as_images_and_never_materials(client, world, demo_urls):
    organisation = world.objects["organisation"]
    form = OrganisationForm(
        data={}, files={"logo": SimpleUploadedFile("l.gif", _png(), "image/gif")}
    )
    form.is_valid()
    organisation_update(
        actor=world.users["organiser"],
        chapter=world.objects["chapter"],
        organisation=organisation,
        values={},
        logo=form.prepared_logo,
    )
    organisation.refresh_from_db()
    try:
        logo = client.get(organisation.logo.url)
        assert logo.status_code == 200
        assert logo["Content-Type"] == "image/png"
        assert logo["X-Content-Type-Options"] == "nosniff"
        material = world.objects["material"]
        # Literal: where the material would be if the media folder served it.
        assert client.get(f"/media/{material.file.name}").status_code == 404
    finally:
        organisation.logo.delete(save=False)
