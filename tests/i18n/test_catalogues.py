"""The translation catalogues themselves: complete, nothing fuzzy, placeholders kept, English
written with English punctuation, and the committed .mo files compiled from the current .po
files (a fresh clone has no gettext tools to compile them)."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.helpers import CJK, QUOTED

LOCALE = Path(settings.BASE_DIR) / "locale"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
CATALOGUES = [EN, ZH]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|%%|\{\w*\}")
FULL_WIDTH_PUNCTUATION = re.compile(r"[：，；。！？（）【】《》、]")

needs_gettext = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("msgattrib")), reason="gettext tools missing"
)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True)


def msgids(attrib_output):
    """The msgids of msgattrib --no-wrap output (the header's empty msgid left out)."""
    found = re.findall(r'^msgid "(.*)"$', attrib_output, flags=re.M)
    return [m.encode().decode("unicode_escape").encode("latin-1").decode() for m in found if m]


def compiled(mo_path):
    with open(mo_path, "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


@needs_gettext
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_catalogue_compiles_cleanly_and_has_no_fuzzy_entries(po):
    stats = run("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)).stderr
    assert "fuzzy" not in stats, stats
    fuzzy = run("msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", str(po)).stdout
    assert msgids(fuzzy) == []


@needs_gettext
def test_the_english_catalogue_translates_every_message():
    stats = run("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(EN)).stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", stats), stats


@needs_gettext
def test_the_chinese_catalogue_leaves_only_chinese_msgids_untranslated():
    """Chinese msgids are their own translation; every English (third-party) one needs one."""
    untranslated = run("msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(ZH))
    english = [m for m in msgids(untranslated.stdout) if not CJK.search(m)]
    assert english == []


@needs_gettext
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_committed_mo_file_is_compiled_from_the_po_file(po, tmp_path):
    fresh = tmp_path / "django.mo"
    run("msgfmt", "--check-format", "-o", str(fresh), str(po))
    assert compiled(po.with_suffix(".mo")) == compiled(fresh), "run: make messages"


def english_translations():
    for key, text in compiled(EN.with_suffix(".mo")).items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid:  # not the header
            yield msgid.split("\x04")[-1], text  # without a msgctxt


def test_english_translations_keep_every_placeholder():
    changed = {
        msgid: text
        for msgid, text in english_translations()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert changed == {}


def test_english_translations_are_english():
    """Chinese left in a translation is only what it quotes (“关山镇魏埭村”, a place name
    or a date as the user may type it), and the language switch's own name."""
    chinese = {
        msgid: text
        for msgid, text in english_translations()
        if msgid != "简体中文" and CJK.search(QUOTED.sub("", text))
    }
    assert chinese == {}


def test_english_translations_have_no_full_width_punctuation():
    found = {
        msgid: text for msgid, text in english_translations() if FULL_WIDTH_PUNCTUATION.search(text)
    }
    assert found == {}
