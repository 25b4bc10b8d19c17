"""Strings that Django and allauth leave untranslated in Arabic are filled in
by locale/overrides, so no English shows through on an Arabic page."""

from django.utils import translation

from tests import check_catalogue


def test_the_blank_choice_of_a_select_reads_in_arabic():
    from members.models import Organisation

    field = Organisation._meta.get_field("kind").formfield(required=False)
    with translation.override("ar"):
        rendered = field.widget.render("kind", "")
    assert "Select an option" not in rendered
    assert "- اختر -" in rendered


def test_every_catalogue_is_complete_and_compiled():
    assert check_catalogue.problems() == []
