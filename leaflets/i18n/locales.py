"""Locale identifiers: validated before they touch a path, then handed to Babel.

Users and file names use BCP 47 tags with hyphens (``es``, ``zh-Hans``,
``pt-BR``); Babel uses underscores.  A tag is accepted only if it has the
shape of a language tag *and* Babel knows the locale, so a value such as
``../../etc`` can never become a file path.

>>> parse_tag("zh-Hans").script
'Hans'
>>> parse_tag("../x")
Traceback (most recent call last):
...
ValueError: '../x' is not a locale tag; expected a BCP 47 tag such as es, fr-CA or zh-Hans
>>> normalize_tag("pt-br"), normalize_tag("ZH-hant"), normalize_tag("es_us")
('pt-BR', 'zh-Hant', 'es-US')
>>> catalog_candidates("es-US")
['es-US', 'es']
>>> catalog_candidates("zh-Hant-TW")
['zh-Hant-TW', 'zh-Hant']
"""

from __future__ import annotations

import re
from pathlib import Path

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

SOURCE_LOCALE = "en"
PSEUDO_LOCALES = {"en-XA": "en"}  # pseudo-locale -> the locale it is made from (leaflets.i18n.pseudo)
TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")
LOOSE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?$")


def normalize_tag(tag: str) -> str:
    """BCP 47 tags are case-insensitive: write one in its canonical case.

    Language lower case, script title case, region upper case; ``_`` is
    accepted for ``-``.  Only the shape is normalized; :func:`parse_tag`
    checks that CLDR knows the locale.
    """
    if not isinstance(tag, str) or not LOOSE_TAG.match(tag):
        raise ValueError(f"{tag!r} is not a locale tag; expected a BCP 47 tag such as es, fr-CA or zh-Hans")
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


@lru_cache(maxsize=1)
def _locale_data() -> Path | None:
    """Babel's folder of CLDR locale data, found without importing Babel (None if not found)."""
    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "locale-data"


def _exactly_known(canonical: str) -> bool:
    """Whether CLDR has data for exactly this canonical tag (``zh-Hans``: ``zh_Hans.dat``).

    Babel's ``Locale.parse`` first loads the locale as it is named, so for such a tag
    it succeeds with the tag's own language, script and region: no need to import
    Babel (some 50 ms) to validate the tags of a build that turns out to be up to
    date.  Any other tag (``zh-TW``, which CLDR knows as ``zh_Hant_TW``) goes to Babel."""
    folder = _locale_data()
    return folder is not None and (folder / f"{canonical.replace('-', '_')}.dat").is_file()


def _subtags(canonical: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a canonical tag."""
    parts = canonical.split("-")
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) != 4), None)
    return parts[0], script, region


def parse_tag(tag: str) -> Locale:
    """Validate a BCP 47 tag (any case) and return the Babel locale; ValueError otherwise."""
    from babel import Locale, UnknownLocaleError
    try:
        canonical = normalize_tag(tag)
    except ValueError:
        raise ValueError(f"{tag!r} is not a locale tag; expected a BCP 47 tag such as es, fr-CA or zh-Hans") from None
    try:
        return Locale.parse(canonical, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"{tag!r} is not a locale Babel (CLDR) knows") from None


def canonical_tag(tag: str) -> str:
    """The canonical form of a tag CLDR knows (``pt-br`` -> ``pt-BR``); ValueError otherwise."""
    try:
        canonical = normalize_tag(tag)
    except ValueError:
        canonical = None
    if canonical is not None and _exactly_known(canonical):
        return canonical
    parse_tag(tag)
    return normalize_tag(tag)


@lru_cache(maxsize=256)
def script_of(tag: str) -> str:
    """The ISO 15924 script of a tag, explicit or from CLDR likely subtags.

    >>> script_of("zh-Hant"), script_of("zh"), script_of("ko"), script_of("ru")
    ('Hant', 'Hans', 'Kore', 'Cyrl')
    """
    from babel.core import get_global
    locale = parse_tag(tag)
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        for part in (likely.get(key) or "").split("_")[1:]:
            if len(part) == 4 and part.isalpha():
                return part
    return "Latn"


def catalog_candidates(tag: str) -> list[str]:
    """Catalog tags to try for a locale, most specific first: es-US, then es.

    A regional locale uses its language's catalog (and its own number and
    date formats); a script subtag is kept, since zh-Hant text is not zh-Hans.
    """
    canonical = canonical_tag(tag)
    if _exactly_known(canonical):
        language, script, territory = _subtags(canonical)
    else:
        locale = parse_tag(tag)
        language, script, territory = locale.language, locale.script, locale.territory
    out = [canonical]
    if territory:
        base = "-".join(p for p in (language, script) if p)
        if base not in out:
            out.append(base)
    return out


def tag_of(locale: Locale) -> str:
    """The BCP 47 tag of a Babel locale: zh_Hans -> zh-Hans."""
    return "-".join(p for p in (locale.language, locale.script, locale.territory) if p)


def region_tag(locale: Locale) -> str:
    """Tag with a region, for Office's ``lang`` attributes: es -> es-ES, zh-Hans -> zh-CN.

    >>> region_tag(parse_tag("zh-Hans"))
    'zh-CN'
    """
    from babel import Locale
    from babel.core import get_global
    if locale.territory:
        return f"{locale.language}-{locale.territory}"
    likely = get_global("likely_subtags")
    full = Locale.parse(likely.get(str(locale)) or likely.get(locale.language) or str(locale))
    return f"{full.language}-{full.territory}" if full.territory else locale.language


def catalog_path(locales_dir: Path, tag: str) -> Path:
    """``locales/<tag>.po`` for a validated tag: the existing file whatever its case, else canonical case."""
    canonical = canonical_tag(tag)
    exact = Path(locales_dir) / f"{canonical}.po"
    if not exact.exists():
        for path in Path(locales_dir).glob("*.po"):
            try:
                if normalize_tag(path.stem) == canonical:
                    return path
            except ValueError:
                continue
    return exact


def catalog_for(locales_dir: Path, tag: str) -> tuple[str, Path] | None:
    """The most specific catalog a locale's build reads: (catalog tag, path); None if none."""
    chain = catalog_chain(locales_dir, tag)
    return chain[0] if chain else None


def catalog_chain(locales_dir: Path, tag: str) -> list[tuple[str, Path]]:
    """Every catalog a locale reads, most specific first: ``es-US.po`` over ``es.po``.

    A regional catalog overrides its language's message by message
    (:func:`leaflets.i18n.catalog.overlay`); without one, the language's
    catalog serves the region, with the region's number and date formats.
    """
    found = []
    for candidate in catalog_candidates(tag):
        path = catalog_path(locales_dir, candidate)
        if path.exists():
            found.append((candidate, path))
    return found


LINGUAS = "LINGUAS"


def catalog_locales(locales_dir: Path) -> list[str]:
    """Every ``<tag>.po`` in ``locales_dir`` that CLDR knows, shipped or in progress (sorted).

    Names are case-insensitive (``pt-br.po`` is ``pt-BR``).  Files named like
    a tag that CLDR does not know (``xx-QQ.po``) are not locales:
    :func:`unknown_catalogs` reports them.
    """
    tags = set()
    for path in Path(locales_dir).glob("*.po"):
        try:
            tags.add(canonical_tag(path.stem))
        except ValueError:
            continue
    return sorted(t for t in tags if t != SOURCE_LOCALE)


def read_linguas(locales_dir: Path) -> tuple[list[str], list[tuple[int, str]]] | None:
    """The shipped languages of ``locales/LINGUAS`` (gettext's convention), and its problems.

    One or more tags per line, ``#`` starts a comment.  None if there is no
    such file (then every catalog ships).  Problems are (line, message).
    """
    path = Path(locales_dir) / LINGUAS
    from leaflets.safefile import outside
    if path.is_symlink() and outside(path, path.parent):  # its words would be quoted in the problems
        return [], [(0, "is a link to a file outside its folder; not read")]
    try:
        if not path.is_file() or path.stat().st_size > 64 * 1024:
            return None if not path.exists() else ([], [(0, "not a small text file")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [(0, f"cannot read: {exc}")]
    tags, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        for word in line.split("#", 1)[0].split():
            try:
                tag = canonical_tag(word)
            except ValueError as exc:
                problems.append((number, str(exc)))
                continue
            if tag == SOURCE_LOCALE:
                continue
            if not catalog_chain(locales_dir, tag):
                problems.append((number, f"{tag!r} is listed as shipped but there is no {tag}.po "
                                         f"(nor a catalog of its language)"))
                continue
            if tag not in tags:
                tags.append(tag)
    return tags, problems


def linguas_problems(locales_dir: Path) -> list:
    """Problems of ``locales/LINGUAS`` (an unknown tag, a language without a catalog), as
    diagnostics at their lines."""
    from leaflets.errors import Diagnostic, display_path
    declared = read_linguas(locales_dir)
    if declared is None:
        return []
    name = display_path(Path(locales_dir) / "LINGUAS")
    return [Diagnostic(name, line, 1 if line else 0, message) for line, message in declared[1]]


def shipped_locales(locales_dir: Path) -> list[str]:
    """The locales a default build makes: the source, then ``LINGUAS`` (or every catalog without one).

    A catalog not listed in ``LINGUAS`` is *in progress*: it lives in the
    repository, ``status`` reports it and ``build --locale`` previews it, but
    the default build and ``status --strict`` do not require it complete.
    """
    declared = read_linguas(locales_dir)
    tags = declared[0] if declared is not None else catalog_locales(locales_dir)
    return [SOURCE_LOCALE] + sorted(tags)


def unknown_catalogs(locales_dir: Path) -> list[tuple[Path, str]]:
    """(file, problem) for each ``*.po`` named like a tag that Babel (CLDR) does not know."""
    found = []
    for path in sorted(Path(locales_dir).glob("*.po")):
        if LOOSE_TAG.match(path.stem) and not _known(path.stem):
            found.append((path, f"{path.stem!r} is not a locale Babel (CLDR) knows, so this catalog is not "
                                f"built; rename it to a BCP 47 tag such as es, fr-CA or zh-Hans"))
    return found


def _known(tag: str) -> bool:
    try:
        canonical_tag(tag)
    except ValueError:
        return False
    return True
