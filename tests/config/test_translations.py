"""Every string of the interface exists in English, Dutch and German, and the compiled files match."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "fr"]
IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    "node_modules",
    "staticfiles",
    "var",
    "test-artifacts",
    "*.sqlite3*",
)
# Folders makemessages leaves out, here and in `make messages`.
MAKEMESSAGES_IGNORED = (
    ".venv",
    "tests",
    "bench",
    "staticfiles",
    "var",
    "test-artifacts",
    "node_modules",
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The catalogues makemessages would write today, made in a copy so the tree is untouched."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing: apt-get install gettext (CI installs it).")
    copy = tmp_path_factory.mktemp("catalogues") / "relais"
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    command = [sys.executable, "manage.py", "makemessages", "--add-location=file"]
    for ignored in MAKEMESSAGES_IGNORED:
        command.append(f"--ignore={ignored}")
    for code in TRANSLATED:
        command.append(f"--locale={code}")
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)
    return copy / "locale"


def test_the_site_offers_four_languages_with_french_first():
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en", "nl", "de"]
    assert settings.LANGUAGE_CODE == "fr"


@pytest.mark.parametrize("code", TRANSLATED)
def test_makemessages_leaves_nothing_untranslated(extracted, code):
    committed = polib.pofile(ROOT / "locale" / code / "LC_MESSAGES" / "django.po")
    translations = {
        (entry.msgctxt, entry.msgid): entry
        for entry in committed
        if not entry.obsolete and "fuzzy" not in entry.flags
    }
    missing = []
    for entry in polib.pofile(extracted / code / "LC_MESSAGES" / "django.po"):
        if entry.obsolete:
            continue
        found = translations.get((entry.msgctxt, entry.msgid))
        done = found is not None and (
            all(found.msgstr_plural.values()) if entry.msgid_plural else bool(found.msgstr)
        )
        if not done:
            missing.append(entry.msgid[:80])
    assert not missing, f"{len(missing)} untranslated in {code}: {missing[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_matches_its_source(code):
    folder = ROOT / "locale" / code / "LC_MESSAGES"
    source = {
        e.msgid: e.msgstr
        for e in polib.pofile(folder / "django.po")
        if e.translated() and not e.msgid_plural
    }
    compiled = {e.msgid: e.msgstr for e in polib.mofile(folder / "django.mo") if not e.msgid_plural}
    assert compiled == source, "run: manage.py compilemessages"


def test_make_messages_extracts_as_this_test_does():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(MESSAGES_\w+) := (.*)$", makefile, flags=re.MULTILINE))
    assert variables["MESSAGES_LOCALES"].split() == TRANSLATED
    assert variables["MESSAGES_IGNORE"].split() == list(MAKEMESSAGES_IGNORED)
    assert "makemessages --add-location=file" in makefile
