"""The staff design page: every component in both directions, for staff
only, reached from the other staff pages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from chapters import badges
from chapters.templatetags.icons import sprite_names
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def design_url(language: str) -> str:
    with translation.override(language):
        return reverse("chapters:staff_design")


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    ("language", "other", "direction", "other_direction"),
    [("ar", "en", "rtl", "ltr"), ("en", "ar", "ltr", "rtl")],
)
def test_staff_see_every_component_in_both_directions(
    staff_client, language, other, direction, other_direction
):
    response = staff_client.get(design_url(language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    # The second block is written in the other language, the other way.
    assert re.search(
        rf'<section class="design-block design-block-other" lang="{other}" '
        rf'dir="{other_direction}"',
        html,
    )
    statuses = sum(len(kind["statuses"]) for kind in badges.catalogue())
    for prefix in ("here", "other"):
        block = html.split(f'data-testid="design-{prefix}"')[1]
        for testid in ("contrast", "badges", "icons", "design-form"):
            assert f'data-testid="{testid}-{prefix}"' in block
        badges_block = block.split(f'data-testid="badges-{prefix}"')[1]
        badges_block = badges_block.split("</dl>")[0]
        assert badges_block.count('class="status-badge tone-') == statuses
        for name in sprite_names():
            assert f'#{name}"></use></svg><code lang="zxx" dir="ltr">{name}</code>' in (
                block
            )
    assert 'class="table' in html and 'class="empty-state"' in html
    assert 'class="form-section"' in html and "is-invalid" in html
    assert "style=" not in html  # the CSP allows no style attribute


def test_every_kind_of_status_is_on_the_design_page(staff_client):
    html = staff_client.get(design_url("en")).content.decode()
    for kind, values in badges.TONES.items():
        for value, tone in values.items():
            badge = (
                f'<span class="status-badge tone-{tone}" data-kind="{kind}" '
                f'data-status="{value}">'
            )
            assert html.count(badge) >= 2, badge  # once in each block


def test_the_design_page_shows_arabic_labels_in_arabic(staff_client):
    html = staff_client.get(design_url("ar")).content.decode()
    here = html.split('data-testid="design-here"')[1].split(
        'data-testid="design-other"'
    )[0]
    assert "الحالة" in here  # the specimen form's label, in Arabic
    assert ">Launched<" not in here


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_organiser_gets_404(organiser_client, language):
    assert organiser_client.get(design_url(language)).status_code == 404


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_visitor_is_sent_to_sign_in(client, language):
    response = client.get(design_url(language))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["chapters:staff_overview", "chapters:staff_audit", "chapters:staff_design"]
)
def test_every_staff_page_links_to_the_design_page(staff_client, name):
    with translation.override("en"):
        url = reverse(name)
    html = staff_client.get(url).content.decode()
    assert f'href="{design_url("en")}"' in html
    assert 'aria-label="Staff pages"' in html
