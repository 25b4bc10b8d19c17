"""One tone per status: every value of every status field of every model
has its tone in chapters/badges.py, and the badge renders it."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import Context, Template

from chapters import badges
from chapters.models import Chapter
from meetings.models import Idea, Invitation, Meeting
from members.models import ImportJob, InitialTask, Membership, Prospect

STATUS_FIELD_NAMES = ("status", "state", "stage")
OUR_APPS = ("chapters", "members", "meetings")


def status_fields():
    """Every field of the portal's models that holds a status, read from the
    models themselves (not from badges.py)."""
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.name in STATUS_FIELD_NAMES and field.choices:
                yield model, field


def test_the_statuses_the_pages_show_are_all_found():
    found = {(model, field.name) for model, field in status_fields()}
    assert {
        (Chapter, "status"),
        (Invitation, "status"),
        (Membership, "state"),
        (Idea, "status"),
        (ImportJob, "status"),
        (InitialTask, "status"),
        (Meeting, "status"),
        (Prospect, "stage"),
    } <= found


def test_every_status_value_of_every_model_has_a_tone():
    missing = []
    for model, field in status_fields():
        kind = badges.kind_of(model, field.name)
        tones = badges.TONES.get(kind, {})
        for value, _label in field.choices:
            if value not in tones:
                missing.append(f"{model._meta.label}.{field.name}={value!r} ({kind})")
    assert not missing, "No tone in chapters/badges.py for:\n" + "\n".join(missing)


def test_no_tone_is_left_for_a_status_that_no_longer_exists():
    choices = {
        badges.kind_of(model, field.name): {value for value, _ in field.choices}
        for model, field in status_fields()
    }
    stale = [
        f"{kind}={value!r}"
        for kind, values in badges.TONES.items()
        for value in values
        if value not in choices.get(kind, set())
    ]
    assert not stale, stale


def test_every_tone_is_one_of_the_palettes():
    used = {tone for values in badges.TONES.values() for tone in values.values()}
    assert used <= set(badges.Tone)


def test_the_catalogue_lists_every_kind_with_its_labels():
    catalogue = {item["kind"]: item for item in badges.catalogue()}
    assert list(catalogue) == list(badges.TONES)
    launched = [
        status
        for status in catalogue["chapter_status"]["statuses"]
        if status["value"] == "launched"
    ]
    assert launched[0]["tone"] == badges.Tone.SUCCESS
    assert str(launched[0]["label"]) == str(Chapter.Status.LAUNCHED.label)


def render(source: str, **context) -> str:
    return Template("{% load badges %}" + source).render(Context(context))


def test_the_badge_shows_the_label_in_the_tone_of_its_status():
    html = render(
        '{% status_badge "invitation_status" value label %}',
        value="bounced",
        label="Bounced",
    )
    assert html == (
        '<span class="status-badge tone-danger" data-kind="invitation_status" '
        'data-status="bounced">Bounced</span>'
    )


def test_the_label_is_escaped():
    html = render(
        '{% status_badge "chapter_status" "launched" label %}', label="<b>x</b>"
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_an_unknown_kind_fails_loudly_and_an_unknown_value_is_neutral():
    with pytest.raises(badges.UnknownStatusKind):
        render('{% status_badge "chapter_stauts" "launched" "x" %}')
    assert "tone-neutral" in render('{% status_badge "chapter_status" "gone" "x" %}')


def test_a_flag_takes_the_same_shape_without_a_status():
    html = render('{% flag_badge "warning" "gone quiet" testid="quiet" %}')
    assert html == (
        '<span class="status-badge tone-warning" data-testid="quiet">gone quiet</span>'
    )
    with pytest.raises(ValueError):
        render('{% flag_badge "blue" "x" %}')


@pytest.mark.django_db
def test_the_directory_shows_a_chapter_status_as_a_badge(client):
    from tests.factories import ChapterFactory

    ChapterFactory(country="JO", status=Chapter.Status.LAUNCHED)
    html = client.get("/en/countries/").content.decode()
    assert (
        '<span class="status-badge tone-success" data-kind="chapter_status" '
        'data-status="launched">Launched</span>'
    ) in html
    assert "text-bg-" not in html


def test_a_badge_can_carry_a_tally_and_a_test_id():
    html = render(
        '{% status_badge "invitation_status" "sent" "Sent" count=12 testid="x" %}'
    )
    assert html == (
        '<span class="status-badge tone-info" data-kind="invitation_status" '
        'data-status="sent" data-testid="x">Sent <span class="status-count">12'
        "</span></span>"
    )
    assert "status-count" in render(
        '{% status_badge "invitation_status" "sent" "Sent" count=0 %}'
    )


HAND_MADE_STATUS = re.compile(
    r'<span class="badge[^"]*"[^>]*>[^<]*get_(?:status|state|stage)_display'
    r'|class="[^"]*status-\{\{'
)


def test_no_page_colours_a_status_by_hand():
    """Statuses go through {% status_badge %}; a Bootstrap badge around a
    status label (or a class built from its code) would pick its own colour."""
    root = Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        if "emails" not in path.parts
        for match in HAND_MADE_STATUS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)
