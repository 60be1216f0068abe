"""Fill the fi/sv catalogues from JSON files of translations, and the English one from the source.

Run `make translations` first, so that the catalogues hold every string of the source; then

    .venv/bin/python scripts/apply_translations.py new-strings.json [more.json ...]

Each JSON file maps a msgid to its translations:
    {"My errands": {"fi": "Omat asiat", "sv": "Mina ärenden"},
     "%(count)s file": {"fi": ["%(count)s tiedosto", "%(count)s tiedostoa"], "sv": [...]}}
A list gives the plural forms of a `blocktranslate count` / ngettext entry. English entries
get their msgid (and msgid_plural). Fuzzy flags on entries given here are cleared. The script
ends by listing what is still untranslated in each language."""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "aspa" / "locale"


def fill(entry: polib.POEntry, value) -> None:
    if entry.msgid_plural:
        forms = value if isinstance(value, list) else [value, value]
        entry.msgstr_plural = {index: form for index, form in enumerate(forms)}
    else:
        entry.msgstr = value[0] if isinstance(value, list) else value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None


def main(paths: list[str]) -> int:
    given: dict[str, dict] = {}
    for path in paths:
        given.update(json.loads(Path(path).read_text(encoding="utf-8")))
    for language in ("fi", "sv", "en"):
        po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path), wrapwidth=79)
        for entry in po:
            if entry.obsolete:
                continue
            if language == "en":
                if not entry.translated() or "fuzzy" in entry.flags:
                    fill(entry, [entry.msgid, entry.msgid_plural] if entry.msgid_plural else entry.msgid)
            elif entry.msgid in given and language in given[entry.msgid]:
                fill(entry, given[entry.msgid][language])
        po.save(str(po_path))
        left = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
        print(f"{language}: {len(left)} still to translate" + "".join(f"\n  {m!r}" for m in left[:40]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
