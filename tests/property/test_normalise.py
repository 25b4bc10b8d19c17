"""Name folding (members.normalise), the rule behind duplicate detection
and search: stable, blind to the ways one name is typed, and never fails."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from members.normalise import fold, name_key, website_domain

from .strategies import ARABIC_LETTERS, ARABIC_MARKS, TATWEEL, examples

ALEF_FORMS = "اأإآٱ"


def is_url(text: str) -> bool:
    url = text if "://" in text else f"https://{text}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


VARIANTS = {
    **{alef: ALEF_FORMS for alef in ALEF_FORMS},
    "ه": "هة",
    "ة": "هة",
    "ي": "يى",
    "ى": "يى",
}
words = st.lists(
    st.text(
        alphabet=ARABIC_LETTERS + "abcdefghijklmnopqrstuvwxyz0123456789",
        min_size=1,
        max_size=10,
    ),
    min_size=1,
    max_size=5,
)


@st.composite
def typed_differently(draw, name: str) -> str:
    """The same name as another person might type it: other forms of alef,
    taa marbuta and alef maqsura, diacritics and tatweel after letters,
    other case, and spaces anywhere between words."""
    out = []
    for ch in name:
        if ch in VARIANTS:
            ch = draw(st.sampled_from(VARIANTS[ch]))
        if ch.isalpha() and draw(st.booleans()):
            ch = ch.upper()
        out.append(ch)
        if ch in ARABIC_LETTERS:
            out.append(draw(st.text(alphabet=ARABIC_MARKS + TATWEEL, max_size=3)))
        if ch == " ":
            out.append(draw(st.text(alphabet=" \t\u00a0", max_size=3)))
    return draw(st.text(alphabet=" ", max_size=2)) + "".join(out) + " "


@settings(max_examples=examples(500))
@given(st.text(max_size=200))
def test_folding_any_text_never_fails_and_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)
    assert name_key(name_key(text)) == name_key(text)
    assert fold(text) == fold(text).strip()
    assert "  " not in fold(text)


@settings(max_examples=examples(300))
@given(data=st.data(), parts=words)
def test_a_name_folds_the_same_however_it_is_typed(data, parts):
    name = " ".join(parts)
    variant = data.draw(typed_differently(name))
    assert fold(variant) == fold(name)
    assert name_key(variant) == name_key(name)


@settings(max_examples=examples(300))
@given(st.text(max_size=100))
def test_a_website_domain_of_any_text_never_fails(text):
    assert website_domain(text) == website_domain(text).lower()


@settings(max_examples=examples(300))
@given(
    st.from_regex(
        r"\A(https?://)?(www\.|WWW\.)?([a-z0-9-]{1,20}\.){1,3}[a-z]{2,6}(/\S*)?\Z"
    ).filter(is_url)
)
def test_a_website_domain_is_its_host_in_lower_case_without_www(url):
    """Addresses as the portal stores them (validated first): the folded
    domain is stable, so two spellings of one site compare equal."""
    domain = website_domain(url)
    assert domain and domain == domain.lower()
    assert not domain.startswith("www.")
    assert website_domain(domain) == domain
    assert website_domain(url.upper()) == domain
