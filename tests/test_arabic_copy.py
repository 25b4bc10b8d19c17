"""The Arabic copy keeps clear of the defects a native reviewer found: counts
repeated after the words or dodged with "(العدد: n)", masculine or singular
address to people who are often women, the tatweel used as a joiner, buttons
in the imperative, the older brand "التنمية المجتمعية", Latin commas inside
Arabic, and words the glossary replaced.

Reads the catalogue with polib, so it needs no database. Point ARABIC_PO at a
copy to check a catalogue before it replaces the real one:
    ARABIC_PO=/tmp/django_ar_fixed.po pytest tests/test_arabic_copy.py
"""

import os
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path(
    os.environ.get("ARABIC_PO", ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po")
)
TEMPLATES = ROOT / "templates"

LETTER = "\u0621-\u064a"  # Arabic letters, without the harakat
WORD_START = rf"(?<![{LETTER}])"
WORD_END = rf"(?![{LETTER}\u064b-\u0652])"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def offenders_of(catalogue, pattern: re.Pattern) -> list[str]:
    found = []
    for entry in catalogue:
        for number, text in enumerate(forms(entry)):
            match = pattern.search(text)
            if match:
                form = f" (form {number})" if entry.msgid_plural else ""
                found.append(f"{label(entry)}{form}: «{match.group(0)}» in {text!r}")
    return found


def report(offenders: list[str]) -> str:
    return f"{len(offenders)} offending entr(y/ies):\n  " + "\n  ".join(offenders)


# Counts ---------------------------------------------------------------------


def counted_placeholders(entry: polib.POEntry) -> set[str]:
    """The placeholder the plural is chosen by: the one whose next English
    word changes between msgid and msgid_plural ("%(n)s organisation" /
    "%(n)s organisations"), else the plural's first placeholder."""

    def following(text: str) -> dict[str, str]:
        # The word right after each placeholder, the one its number inflects
        # ("organisation" / "organisations"); "" when another placeholder
        # follows.
        words = [*text.split(), ""]
        return {
            name: "" if PLACEHOLDER.search(words[i + 1]) else words[i + 1]
            for i, word in enumerate(words[:-1])
            for name in PLACEHOLDER.findall(word)
        }

    singular, plural = following(entry.msgid), following(entry.msgid_plural)
    changed = {name for name, words in plural.items() if singular.get(name) != words}
    if changed:
        return changed
    first = PLACEHOLDER.search(entry.msgid_plural)
    return {first.group(1)} if first else set()


def test_the_catalogue_declares_the_six_arabic_plural_forms(catalogue):
    assert "nplurals=6;" in catalogue.metadata.get("Plural-Forms", "")


def test_singular_and_dual_forms_do_not_print_the_number(catalogue):
    offenders = []
    for entry in catalogue:
        if not entry.msgid_plural:
            continue
        counted = counted_placeholders(entry)
        for number in (1, 2):
            text = entry.msgstr_plural.get(number, "")
            printed = counted & set(PLACEHOLDER.findall(text))
            digits = re.findall(r"[0-9\u0660-\u0669\u06f0-\u06f9]", text)
            if printed or digits:
                offenders.append(
                    f"{label(entry)} form {number} prints "
                    f"{sorted(printed) or digits}: {text!r}"
                )
    assert not offenders, report(offenders)


def test_forms_from_three_up_print_the_number(catalogue):
    offenders = []
    for entry in catalogue:
        if not entry.msgid_plural:
            continue
        counted = counted_placeholders(entry)
        for number in (3, 4, 5):
            text = entry.msgstr_plural.get(number, "")
            if not text or not counted & set(PLACEHOLDER.findall(text)):
                offenders.append(f"{label(entry)} form {number}: {text!r}")
    assert not offenders, report(offenders)


def test_no_count_is_dodged_with_a_number_label(catalogue):
    # "(العدد: 3)", "(عدد الرسائل: 3)": the noun has to agree with the number.
    dodge = re.compile(r"\((?:ال)?عدد[^)]*?:?\s*%\(\w+\)[sd]\)|\(العدد")
    offenders = offenders_of(catalogue, dodge)
    assert not offenders, report(offenders)


# Letters and punctuation ------------------------------------------------------


def test_no_tatweel(catalogue):
    # Not even as a joiner: "لـ%(country)s" gives "لـالمغرب".
    offenders = offenders_of(catalogue, re.compile(".{0,12}\u0640.{0,12}"))
    assert not offenders, report(offenders)


# Placeholders that only ever hold a word with the article: the Arabic names
# of the site's languages (العربية، الإنجليزية، الفرنسية), so "ب" + the name
# reads «بالعربية», the import headers organisations' files already use.
ARTICLE_PLACEHOLDERS = {"%(field)s in %(language)s"}


def test_no_placeholder_is_glued_to_a_one_letter_preposition(catalogue):
    # "ب%(language)s", "ل%(country)s": wrong as soon as the name has an article
    # or is written in Latin letters. The conjunction و is fine.
    glued = re.compile(rf"{WORD_START}[بلك]\u0640?%\(\w+\)[sd]")
    offenders = [
        offender
        for offender in offenders_of(catalogue, glued)
        if not any(offender.startswith(repr(msgid)) for msgid in ARTICLE_PLACEHOLDERS)
    ]
    assert not offenders, report(offenders)


def test_the_names_of_the_languages_carry_the_article(catalogue):
    """What ARTICLE_PLACEHOLDERS relies on."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(None):
        names = {str(name) for _code, name in settings.LANGUAGES}
    found = [e for e in catalogue if e.msgid in names and not e.msgctxt]
    assert len(found) == len(names)
    for entry in found:
        assert entry.msgstr.startswith("ال"), entry.msgid


def test_no_latin_comma_in_arabic_text(catalogue):
    # "2 ديسمبر، 2026" takes the Arabic comma; a Latin one is allowed only
    # between digits ("1,000").
    offenders = []
    for entry in catalogue:
        for text in forms(entry):
            if not re.search(f"[{LETTER}]", text):
                continue
            for match in re.finditer(r".{0,10}(?<![0-9]),|,(?![0-9]).{0,10}", text):
                offenders.append(f"{label(entry)}: «{match.group(0)}» in {text!r}")
                break
    assert not offenders, report(offenders)


# Brand and glossary -----------------------------------------------------------


def test_the_movement_is_named_as_in_the_glossary(catalogue):
    # "التنمية المجتمعية" is community development, an older, different idea.
    brand = re.compile(
        "التنمية المجتمعية|(?:حراك|فروع|لحراك|بفروع) التنمية(?! التي تقودها المجتمعات المحلية)"
    )
    offenders = offenders_of(catalogue, brand)
    assert not offenders, report(offenders)


REPLACED_WORDS = {
    "خامل": "a dormant chapter is «متوقف عن النشاط»",
    "قائمة عدم المراسلة": "the do-not-contact list is «قائمة عدم التواصل»",
    "المهام الأولى": "initial tasks are «المهام الأولية»",
}
# Whole labels in the wrong voice: an accepted invitation is a confirmed
# attendance («أكّدت الحضور», «الحضور مؤكَّد»), not «was accepted».
REPLACED_LABELS = {"قُبلت", "قبلت", "قَبِل الدعوة"}


def test_words_the_glossary_replaced_are_gone(catalogue):
    offenders = []
    for entry in catalogue:
        for text in forms(entry):
            for word, why in REPLACED_WORDS.items():
                if re.search(rf"{WORD_START}{word}{WORD_END}", text):
                    offenders.append(f"{label(entry)}: «{word}» ({why}) in {text!r}")
            if text.strip() in REPLACED_LABELS:
                offenders.append(f"{label(entry)}: «{text}» (wrong voice)")
    assert not offenders, report(offenders)


# Form of address ----------------------------------------------------------------

# Forms that are masculine in writing, not only when read aloud.
MASCULINE = [
    r"أنتَ?\s+مدعو",  # "أنت مدعو": "نتشرف بدعوتكم"
    rf"{WORD_START}أنتَ{WORD_END}",
    rf"[{LETTER}]ت(?:َّ|َّ|َ)(?:ه|ها|هم)?{WORD_END}",  # أكّدتَ، رددتَ، أثبتَّه
    r"يوافق على ذكر اسمه",
    r"بصفتك\s+(?:منس|ممثل)",
    r"لتصبح\s+منس",
    r"تكون\s+مستعد",
    r"أصبحتَ?\s+(?:الآن\s+)?منس",
    # A masculine verb whose subject is a person's name or address.
    r"(?:وافق|ردّ|حفظه|يدعوك|أصبح|لم يعد)\s+%\((?:name|email|inviter)\)s",
    # Imperatives written with their masculine vowel.
    rf"{WORD_START}(?:أعطِ|أبدِ|أبقِ|أضِف|أدخِل|حدِّد|سجِّل|أرسِل){WORD_END}",
]


def test_no_masculine_address(catalogue):
    offenders = offenders_of(catalogue, re.compile("|".join(MASCULINE)))
    assert not offenders, report(offenders)


# House style: people are addressed in the plural of respect ("يمكنكم",
# "منظمتكم"), so one page never mixes "منظمتك" and "منظمتكم".
SINGULAR_ADDRESS = [
    "لك",
    "بك",
    "إليك",
    "عليك",
    "منك",
    "معك",
    "أنك",
    "لأنك",
    "يمكنك",
    "لديك",
    "يصلك",
    "تصلك",
    "ينتظرك",
    "نراسلك",
    "دعاك",
    "دعوك",
    "يدعوك",
    "لإبلاغك",
    "إبلاغك",
    "مراسلتك",
    "سبقك",
    "كنت",
    "منظمتك",
    "حسابك",
    "بريدك",
    "ردّك",
    "ردك",
    "صفحتك",
    "رابطك",
    "دورك",
    "فكرتك",
    "سؤالك",
    "مساهمتك",
    "مساهماتك",
    "تقويمك",
    "نصك",
    "شبكتك",
    "جلستك",
    "عضويتك",
    "موافقتك",
    "اهتمامك",
    "تصحيحاتك",
    "أمانك",
    "طلبك",
    "بياناتك",
    "فروعك",
    "ملخصك",
    "تعديلاتك",
    "أفكارك",
    "أسئلتك",
    "كتابتك",
    "حضورك",
    "اسمك",
    "بدورك",
    "زملائك",
    "بصفتك",
    "اعتمادك",
    "تعديلك",
    "رسالتك",
    "عنك",
    "وحدك",
    "مشاركتك",
    "سيخبرونك",
]


def test_people_are_addressed_in_the_plural_of_respect(catalogue):
    words = "|".join(SINGULAR_ADDRESS)
    pattern = re.compile(rf"{WORD_START}[وفلب]?(?:{words}){WORD_END}|هل تريد{WORD_END}")
    offenders = offenders_of(catalogue, pattern)
    assert not offenders, report(offenders)


# Imperatives whose past tense is written differently, so that one opening a
# sentence can only be the masculine singular imperative ("اكتب الاسم").
IMPERATIVES = [
    "اكتب",
    "اختر",
    "أضف",
    "احفظ",
    "احذف",
    "ارفع",
    "افتح",
    "انسخ",
    "اطلب",
    "ادمج",
    "اعرض",
    "ابحث",
    "خذ",
    "اجعل",
    "ابدأ",
    "أعد",
    "ارجع",
    "اذكر",
    "اختصر",
    "انشر",
    "ضع",
    "اقرأ",
    "أجب",
    "اترك",
    "اسأل",
    "افصل",
    "أعطِ",
    "أبدِ",
    "أبقِ",
    "أضِف",
    "أدخِل",
    "حدِّد",
    "سجِّل",
]


def test_instructions_are_not_masculine_imperatives(catalogue):
    # "يُرجى كتابة الاسم" or "يمكنكم ..." instead.
    opening = r"(?:^|[.:؛،!؟\n]\s*|\s(?:أو|ثم)\s+)"
    # Two-letter ones take no و/ف before them: "وضع" is a noun.
    longer = "|".join(word for word in IMPERATIVES if len(word) > 2)
    shorter = "|".join(word for word in IMPERATIVES if len(word) <= 2)
    pattern = re.compile(
        rf"{opening}(?:[وف]?(?:{longer})|(?:{shorter})){WORD_END}", re.MULTILINE
    )
    offenders = offenders_of(catalogue, pattern)
    assert not offenders, report(offenders)


# Buttons ------------------------------------------------------------------------

# Openers a button must not start with: imperatives (including those whose
# past tense looks the same, since a button never narrates) and the first
# person. Buttons use the verbal noun: "حفظ", "إرسال الدعوات".
BUTTON_OPENERS = [
    *IMPERATIVES,
    *[
        "أرسل",
        "أرسِل",
        "نزّل",
        "نزل",
        "استورد",
        "سجّل",
        "عدّل",
        "قارن",
        "أكمل",
        "خطّط",
        "عرّف",
        "استخدم",
        "تحقّق",
        "راسل",
        "جرّب",
        "صحّح",
        "أدخل",
        "أؤكد",
        "أحتاج",
    ],
]
TRANSLATE = re.compile(r'{%\s*(?:translate|trans)\s+"([^"]+)"')
BLOCK = re.compile(
    r"{%\s*blocktranslate\b[^%]*%}(.*?)(?:{%\s*plural\s*%}(.*?))?{%\s*endblocktranslate\s*%}",
    re.S,
)
CLICKABLE = re.compile(
    r"<button\b[^>]*>(.*?)</button>"
    r'|<a\b[^>]*(?:class="[^"]*\bbtn\b[^"]*"|style="[^"]*background:)[^>]*>(.*?)</a>',
    re.S,
)


def _msgid(block_text: str) -> str:
    text = re.sub(r"{{\s*(\w+)[^}]*}}", r"%(\1)s", block_text)
    return " ".join(text.split())


def button_msgids() -> dict[str, str]:
    """msgid -> where it is a button or a button-styled link."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for match in CLICKABLE.finditer(source):
            inner = match.group(1) or match.group(2) or ""
            line = source.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(ROOT)}:{line}"
            for msgid in TRANSLATE.findall(inner):
                found.setdefault(msgid, where)
            for singular, _plural in BLOCK.findall(inner):
                found.setdefault(_msgid(singular), where)
    return found


def test_buttons_are_found_in_the_templates():
    # Guards the guard: the template pattern still finds the buttons.
    buttons = button_msgids()
    assert {"Save", "Send the invitations", "Check in"} <= set(buttons)


def test_buttons_use_the_verbal_noun(catalogue):
    buttons = button_msgids()
    opener = re.compile(rf"^\s*(?:{'|'.join(BUTTON_OPENERS)}){WORD_END}")
    offenders = []
    for entry in catalogue:
        if entry.msgid not in buttons:
            continue
        for text in forms(entry):
            if opener.search(text):
                offenders.append(f"{label(entry)} ({buttons[entry.msgid]}): {text!r}")
    assert not offenders, report(offenders)
