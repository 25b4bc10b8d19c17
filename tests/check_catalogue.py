"""Fails when a catalogue (Arabic, French: every language folder under
locale/) has an untranslated or fuzzy entry, or when the committed .mo is
not the compilation of the committed .po.

Run as `python -m tests.check_catalogue`."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "locale"
# Ours, one per language but English (the msgids), and the corrections to
# Django's and allauth's own catalogues.
CATALOGUES = sorted(
    folder
    for folder in [*ROOT.glob("*/LC_MESSAGES"), *ROOT.glob("overrides/*/LC_MESSAGES")]
    if (folder / "django.po").exists()
)


def problems() -> list[str]:
    found = []
    for folder in CATALOGUES:
        name = folder.parent.relative_to(ROOT)
        found += [f"{name}: {p}" for p in _problems(folder)]
    return found


def _problems(folder: Path) -> list[str]:
    po = polib.pofile(str(folder / "django.po"))
    found = []
    for entry in po.untranslated_entries():
        found.append(f"untranslated: {entry.msgid!r}")
    for entry in po.fuzzy_entries():
        found.append(f"fuzzy: {entry.msgid!r}")
    for entry in po.translated_entries():
        if entry.msgid_plural and not all(entry.msgstr_plural.values()):
            found.append(f"missing plural form: {entry.msgid!r}")
    mo = polib.mofile(str(folder / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        got = compiled.get((entry.msgctxt, entry.msgid))
        if got is None or (
            got[0] != entry.msgstr
            and {int(k): v for k, v in got[1].items()}
            != {int(k): v for k, v in entry.msgstr_plural.items()}
        ):
            found.append(f"django.mo is stale for: {entry.msgid!r}")
    return found


if __name__ == "__main__":
    issues = problems()
    for line in issues:
        print(line)
    names = ", ".join(str(folder.parent.relative_to(ROOT)) for folder in CATALOGUES)
    print(f"Catalogues ({names}): {len(issues)} problem(s)")
    sys.exit(1 if issues else 0)
