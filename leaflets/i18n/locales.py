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
"""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

SOURCE_LOCALE = "en"
TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


def parse_tag(tag: str) -> Locale:
    """Validate a BCP 47 tag and return the Babel locale; ValueError otherwise."""
    if not isinstance(tag, str) or not TAG.match(tag):
        raise ValueError(f"{tag!r} is not a locale tag; expected a BCP 47 tag such as es, fr-CA or zh-Hans")
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"{tag!r} is not a locale Babel (CLDR) knows") from None


def tag_of(locale: Locale) -> str:
    """The BCP 47 tag of a Babel locale: zh_Hans -> zh-Hans."""
    return "-".join(p for p in (locale.language, locale.script, locale.territory) if p)


def region_tag(locale: Locale) -> str:
    """Tag with a region, for Office's ``lang`` attributes: es -> es-ES, zh-Hans -> zh-CN.

    >>> region_tag(parse_tag("zh-Hans"))
    'zh-CN'
    """
    if locale.territory:
        return f"{locale.language}-{locale.territory}"
    likely = get_global("likely_subtags")
    full = Locale.parse(likely.get(str(locale)) or likely.get(locale.language) or str(locale))
    return f"{full.language}-{full.territory}" if full.territory else locale.language


def catalog_path(locales_dir: Path, tag: str) -> Path:
    """``locales/<tag>.po``, only for a validated tag."""
    parse_tag(tag)
    return Path(locales_dir) / f"{tag}.po"


def shipped_locales(locales_dir: Path) -> list[str]:
    """The source locale plus every ``<tag>.po`` in ``locales_dir``, sorted (source first).

    Files named like a tag that CLDR does not know (``xx-QQ.po``) are not
    locales: :func:`unknown_catalogs` reports them.
    """
    tags = sorted(p.stem for p in Path(locales_dir).glob("*.po") if TAG.match(p.stem) and _known(p.stem))
    return [SOURCE_LOCALE] + [t for t in tags if t != SOURCE_LOCALE]


def unknown_catalogs(locales_dir: Path) -> list[tuple[Path, str]]:
    """(file, problem) for each ``*.po`` named like a tag that Babel (CLDR) does not know."""
    found = []
    for path in sorted(Path(locales_dir).glob("*.po")):
        if TAG.match(path.stem) and not _known(path.stem):
            found.append((path, f"{path.stem!r} is not a locale Babel (CLDR) knows, so this catalog is not "
                                f"built; rename it to a BCP 47 tag such as es, fr-CA or zh-Hans"))
    return found


def _known(tag: str) -> bool:
    try:
        parse_tag(tag)
    except ValueError:
        return False
    return True
