"""Every shipped catalog passes GNU gettext's and translate-toolkit's checks."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT, require_tool

CATALOGS = sorted((ROOT / "locales").glob("*.po"))
# pofilter's tests in its 'critical' category (translate.filters.checks: @critical)
POFILTER_CRITICAL = ["escapes", "newlines", "tabs", "printf", "pythonbraceformat", "variables", "xmltags", "nplurals"]


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_msgfmt_check(po, tmp_path):
    msgfmt = require_tool("msgfmt")
    result = subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "out.mo"), str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_pofilter_critical_tests(po, tmp_path):
    pofilter = require_tool("pofilter")
    out = tmp_path / "failures.po"
    tests = [arg for name in POFILTER_CRITICAL for arg in ("-t", name)]
    result = subprocess.run([pofilter, "--progress=none", *tests, str(po), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    failures = out.read_text(encoding="utf-8") if out.exists() else ""
    assert "(pofilter)" not in failures, failures


def test_pofilter_catches_a_broken_placeholder(tmp_path):
    """The external check is real: it fails on a catalog we break on purpose."""
    pofilter = require_tool("pofilter")
    broken = tmp_path / "es.po"
    broken.write_text((ROOT / "locales" / "es.po").read_text(encoding="utf-8").replace(
        "adultos: {lesion_sites_clinical}", "adultos: {lesion_sites_clinicl}", 1), encoding="utf-8")
    out = tmp_path / "failures.po"
    subprocess.run([pofilter, "--progress=none", "-t", "pythonbraceformat", str(broken), str(out)], check=True)
    assert "(pofilter) pythonbraceformat" in out.read_text(encoding="utf-8")


# ----------------------------------------------- every pofilter test, with --language (issue 15)
# Each shipped catalog passes every pofilter test except these.  Every failure the excluded tests
# gave on the shipped catalogs was triaged: all were false positives of the kind named, except one
# (brackets: ar dropped "(MSCs)"; fixed).  A test excluded here is excluded because of what our
# catalogs are (placeholders, <b>/<i>, scripts and conventions translate-toolkit does not model),
# and test_every_exclusion_is_still_needed keeps the list from outliving its reason.
POFILTER_EXCLUDED: dict[str, str] = {
    "acronyms": "acronyms are translated where the language has its own (US: EE. UU., США, 美国; AD: DA, АтД; "
                "RCT: ECA; WHO: OMS, ВОЗ; GVHD: EICH, GvHD): a language's decision",
    "brackets": "counts the braces of {placeholders} and only ASCII brackets: Chinese uses full-width （）; translators "
                "add plain-language glosses in brackets (hay fever → сенная лихорадка (поллиноз)), Russian writes "
                "'n = {x}' and Arabic singular and dual forms bracket their placeholder. Once it found a real "
                "omission (ar dropped '(MSCs)'): reviewers look for dropped acronyms",
    "doublequoting": "counts ASCII quotes against each language's own (« », „ “, “ ”); its Vietnamese rules expect « »; "
                     "translators quote a term the source leaves bare (“皮肤屏障”)",
    "puncspacing": "treats the '}' of {placeholders} and the '>' of </b> as punctuation, so word order changes the "
                   "spacing it counts; Korean particles and the Arabic comma follow a closing bracket without a space; "
                   "its Vietnamese rules expect a space before ';' and ':'",
    "sentencecount": "abbreviations (et al., vs., inkl., EE. UU., г.) and a </b> after a full stop change its count, "
                     "and plain language splits long sentences or joins short ones",
    "simplecaps": "a ratio of capital letters that Cyrillic acronyms (США, АтД) and moved placeholders upset; its own "
                  "documentation says it picks up many false positives",
    "spellcheck": "needs PyEnchant and a dictionary per language (not installed here, where it passes silently), and "
                  "would flag every drug name, acronym and medical term",
    "startcaps": "German capitalises nouns (hands: Hände), and word order moves a leading placeholder "
                 "({x} adults: Взрослые (n = {x}))",
    "startpunc": "a placeholder that starts the source moves with word order ({x} adults: 성인 {x}명)",
    "unchanged": "drug names (Dupilumab), targets (IL-4Rα), trial labels (Kim {trial_year}) and placeholder-only "
                 "table cells ({dupilumab_approval}) are the same in every language; our own 'same' check finds "
                 "forgotten strings of three or more words",
}
# Per pofilter language code (the tag without script or region): tests excluded for it alone.
POFILTER_EXCLUDED_FOR: dict[str, dict[str, str]] = {
    "ar": {"numbers": "ordinals are Arabic words, as Arabic prose writes them (phase 2: المرحلة الثانية); our 'numbers' "
                      "check still refuses a digit the source does not have"},
    "de": {"doublewords": "'Lassen Sie sie' (you, it) repeats a word correctly"},
    "hi": {"endpunc": "translate-toolkit's Hindi rules do not know the danda '।' that ends a Hindi sentence (our "
                      "'punctuation' check requires it)",
           "doublewords": "'खाना खाना' is a noun and a verb (food, to eat)"},
    "ko": {"short": "one syllable block translates a short word (hands: 손)"},
    "vi": {"endpunc": "translate-toolkit's Vietnamese rules expect French spacing before ':'; Vietnamese writes none"},
    "zh": {"numbers": "trial phases are Roman numerals in Chinese medical writing (phase 2: II期)",
           "short": "one hanzi translates a short word (hands: 手)"},
}
# Excluded tests that cannot fail on this machine, so their exclusion is never stale.
POFILTER_UNAVAILABLE = {"spellcheck"}


def pofilter_language(po) -> str:
    """pofilter's language code: the tag without script or region (zh-Hans: zh)."""
    return po.stem.split("-")[0]


def excluded_for(language: str) -> dict[str, str]:
    return {**POFILTER_EXCLUDED, **POFILTER_EXCLUDED_FOR.get(language, {})}


def pofilter_failures(po, tmp_path, *, only: list[str] | None = None,
                      exclude: list[str] = ()) -> list[tuple[str, str, str]]:
    """(test, msgid, message) for every pofilter failure in ``po``'s live entries.

    Obsolete entries (#~) are history for translation memory and are never built, so they are
    left out (GNU msgattrib --no-obsolete) before pofilter runs; fuzzy entries are never built
    either (--nofuzzy).
    """
    import polib

    msgattrib, pofilter = require_tool("msgattrib"), require_tool("pofilter")
    live = tmp_path / f"{po.stem}.live.po"
    subprocess.run([msgattrib, "--no-obsolete", "-o", str(live), str(po)], check=True)
    out = tmp_path / f"{po.stem}.failures.po"
    tests = [a for name in only for a in ("-t", name)] if only else [a for n in exclude for a in ("--excludefilter", n)]
    result = subprocess.run([pofilter, "--progress=none", f"--language={pofilter_language(po)}", "--nofuzzy", *tests,
                             "-i", str(live), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if not out.exists():
        return []
    failures = []
    for entry in polib.pofile(str(out)):
        for note in (entry.tcomment or "").splitlines():
            if note.startswith("(pofilter) "):
                test, _, message = note[len("(pofilter) "):].partition(": ")
                failures.append((test, entry.msgid, message))
    return failures


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_pofilter_every_kept_test_passes(po, tmp_path):
    failures = pofilter_failures(po, tmp_path, exclude=sorted(excluded_for(pofilter_language(po))))
    assert failures == [], "\n".join(f"{po.name}: [{t}] msgid {m[:60]!r}: {why}" for t, m, why in failures)


def test_pofilter_exclusions_name_real_tests():
    pofilter = require_tool("pofilter")
    listed = subprocess.run([pofilter, "--listfilters"], capture_output=True, text=True, check=True).stdout
    known = {line.split("\t")[0] for line in listed.splitlines() if "\t" in line}
    named = set(POFILTER_EXCLUDED) | {t for tests in POFILTER_EXCLUDED_FOR.values() for t in tests}
    assert named <= known, named - known
    languages = {pofilter_language(po) for po in CATALOGS}
    assert set(POFILTER_EXCLUDED_FOR) <= languages  # no exclusion for a catalog we do not ship


def test_every_exclusion_is_still_needed(tmp_path):
    """An exclusion whose test no longer fails anywhere is removed, so the test protects again."""
    failing: dict[str, set[str]] = {}
    for po in CATALOGS:
        language = pofilter_language(po)
        failing[language] = {t for t, _, _ in pofilter_failures(po, tmp_path, only=sorted(excluded_for(language)))}
    stale = [f"{test} (all languages)" for test in POFILTER_EXCLUDED
             if test not in POFILTER_UNAVAILABLE and not any(test in tests for tests in failing.values())]
    stale += [f"{test} ({language})" for language, tests in POFILTER_EXCLUDED_FOR.items() for test in tests
              if test not in failing.get(language, set())]
    assert stale == [], f"these pofilter exclusions no longer fail on any shipped catalog; remove them: {stale}"


# A real error of a kept test, made in a copy of a shipped catalog: (catalog, msgid, change, test).
INJECTED = [
    ("es", "Do not stop eating a food unless a doctor tells you to.", lambda s: s.rstrip("."), "endpunc"),
    ("ru", "Phase 2 ({seo_year})", lambda s: s.replace("2", "3"), "numbers"),
    ("ko", "Do not stop eating a food unless a doctor tells you to.", lambda s: s.replace("어떤", "어떤 어떤"),
     "doublewords"),
    ("zh-Hans", "<b>There is no approved stem cell treatment for eczema.</b> Some clinics still sell it, with no "
                "proof that it works or is safe. US health officials have had reports of blindness, tumours and "
                "infections after such treatments.",
     lambda s: s.replace("<b>", "<strong>").replace("</b>", "</strong>"), "xmltags"),
    ("ar", "Phase 2 ({seo_year})", lambda s: s.replace("{seo_year}", "{seo_yaer}"), "pythonbraceformat"),
    ("de", "Medicine for skin infections", lambda s: s + " ", "endwhitespace"),
]


@pytest.mark.parametrize("tag, msgid, change, test", INJECTED, ids=[f"{c[0]}-{c[3]}" for c in INJECTED])
def test_kept_tests_still_catch_real_errors(tag, msgid, change, test, tmp_path):
    """The exclusions leave pofilter able to catch a real error of each kind it is kept for."""
    import polib

    catalog = polib.pofile(str(ROOT / "locales" / f"{tag}.po"))
    entry = catalog.find(msgid)
    assert entry is not None and entry.msgstr, msgid
    entry.msgstr = change(entry.msgstr)
    broken = tmp_path / "broken" / f"{tag}.po"
    broken.parent.mkdir()
    catalog.save(str(broken))
    failures = pofilter_failures(broken, tmp_path, exclude=sorted(excluded_for(pofilter_language(broken))))
    assert [(t, m) for t, m, _ in failures] == [(test, msgid)], failures
