"""One rule decides whether two names or websites are the same organisation."""

import pytest

from members.normalise import fold, name_key, website_domain


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("أمل", "امل"),
        ("إحسان", "احسان"),
        ("آفاق", "افاق"),
        ("ٱلنور", "النور"),
        ("مدرسة", "مدرسه"),
        ("ملتقى", "ملتقي"),
        ("التَّنْمِيَةُ", "التنمية"),
        ("التنـــمية", "التنمية"),
        ("  Olive   Valley  ", "olive valley"),
        ("OLIVE-VALLEY", "olive valley"),
        ("Réseau des Élèves", "reseau des eleves"),
        ("ÉCOLE ŒCUMÉNIQUE", "ecole œcumenique"),
        ("Fès-Boulemane", "fes boulemane"),
    ],
)
def test_arabic_variants_case_and_spaces_fold_to_the_same_text(first, second):
    assert fold(first) == fold(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("جمعية الأمل للتنمية", "الامل للتنميه"),
        ("مؤسسة جسور", "جسور"),
        ("منظمة النور", "النور"),
        ("The Hope Network", "hope network"),
        ("Association Hope Network", "Hope  Network"),
        ("Foundation for Local Voices", "for local voices"),
        ("Fondation Réseau Citoyen", "reseau citoyen"),
    ],
)
def test_common_prefixes_are_ignored_in_name_keys(first, second):
    assert name_key(first) == name_key(second)


def test_a_name_made_only_of_a_prefix_keeps_it():
    assert name_key("جمعية") == "جمعيه"
    assert name_key("The") == "the"


def test_different_organisations_keep_different_keys():
    assert name_key("جمعية الأمل") != name_key("جمعية النور")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.org/about", "example.org"),
        ("http://example.org:8080", "example.org"),
        ("example.org/path", "example.org"),
        ("WWW.EXAMPLE.ORG.", "example.org"),
        ("", ""),
        ("http://[bad", ""),
        ("example.org /about", "example.org"),
    ],
)
def test_website_domain_ignores_scheme_www_case_and_path(url, domain):
    assert website_domain(url) == domain


def test_arabic_hamza_letters_are_not_taken_for_accents():
    """Only Latin letters lose their accents: ؤ and ئ stay what they are."""
    assert fold("مؤسسة رئيسية") == "مؤسسه رئيسيه"
