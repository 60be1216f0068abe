"""Every user-facing string is translated into Finnish, Swedish and English."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "aspa"
LANGUAGES = ["fi", "sv", "en"]


def catalogue(root: Path, language: str) -> polib.POFile:
    path = root / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make translations`"
    return polib.pofile(str(path))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The msgids that makemessages finds in the source today."""
    copy = tmp_path_factory.mktemp("source") / "aspa"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    # Without a locale folder of its own, makemessages would write into settings.LOCALE_PATHS,
    # that is into the committed catalogues, and leave none in the copy.
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "aspa.cli", "makemessages", "-l", "fi", "-v", "0"],
        cwd=copy, check=True, capture_output=True,
    )
    return {entry.msgid for entry in catalogue(copy, "fi") if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_every_string_of_the_source(extracted, language):
    committed = {entry.msgid for entry in catalogue(SOURCE, language) if not entry.obsolete}
    missing = sorted(extracted - committed)
    assert not missing, f"{language}: run `make translations` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = catalogue(SOURCE, language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy (check and clear the flag): {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translations_keep_the_placeholders(language):
    for entry in catalogue(SOURCE, language).translated_entries():
        # A plural entry keeps its translations in msgstr_plural, one per plural form.
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            for placeholder in ("%(", "%s", "{"):
                assert entry.msgid.count(placeholder) == translation.count(placeholder), entry.msgid
