"""A clinic's profile: its brand and contacts, read from a Posit/Quarto ``_brand.yml``.

A clinic does not hand out a generic leaflet: it prints its own name, logo,
phone numbers and web address, and tells the patient whom to call.  The
profile is an ordinary brand.yml file (the format Quarto, Shiny and
``brand-yml`` read: https://posit-dev.github.io/brand-yml/), so a clinic that
already has one for its reports reuses it:

- ``meta.name`` (``full``/``short``, or one string) and ``meta.link.home``;
- ``logo``: one image, or ``images`` with ``small``/``medium``/``large``; the
  image used is ``medium``, else ``small``, else ``large`` (the light variant
  of a light/dark pair), and it needs ``alt`` text (a tagged PDF says what a
  figure shows);
- ``color``: ``palette`` and the roles ``primary`` (headings, rules, links),
  ``secondary`` (the deck's second accent), ``foreground`` (body text) and
  ``danger`` (the "get help" box); each must keep WCAG AA contrast (4.5:1)
  where leaflets sets text in it, else it is refused naming the nearest
  darker shade that passes;
- ``typography``: leaflets sets every script in its shipped Noto fonts, so a
  family other than a Noto one is refused rather than silently ignored.

What brand.yml has no place for lives in one extension block, ``leaflets:``
(see :class:`ClinicContacts` and README.md, "Clinic editions"): the phone
number, opening hours, an out-of-hours number, the local emergency number,
the address, the web page of this leaflet (its QR code) and the languages
the clinic serves.

The file is validated by ``brand-yml``'s own pydantic models (so what Quarto
accepts, leaflets accepts) after leaflets' hostile-input YAML reader, and
every error names the file, line and column.  Paths stay inside the folder
of the brand file; a logo is a PNG or JPEG of at most :data:`MAX_LOGO_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import AfterValidator, Field, StringConstraints

from leaflets.content.model import Strict
from leaflets.content.yamlsource import SourceMap, load_yaml
from leaflets.design import DEFAULT_DESIGN, MM, WCAG_TEXT_CONTRAST, Density, Design, contrast
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.safefile import NotRegular, read_regular

from leaflets.project import BRAND_FILE, find_profile  # noqa: E402,F401 (there: found without pydantic)
EXTENSION = "leaflets"  # the top-level key of leaflets' own block
MAX_LOGO_BYTES = 1024 * 1024
MAX_BRAND_BYTES = 2 * 1024 * 1024  # as a topic file (leaflets.content.yamlsource.MAX_BYTES)
MAX_LOGO_PIXELS = 4096  # on each side
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Phone numbers are digits in groups joined by hyphens, optionally after a "+": a space
# between groups would let the bidi algorithm reorder the groups in right-to-left text.
PHONE = r"^\+?[0-9]{1,6}(-[0-9]{1,8}){0,5}$"
Phone = Annotated[str, StringConstraints(pattern=PHONE, max_length=32)]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=80)]


def _https(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[A-Za-z0-9._~%/?#=&+-]*)?", value) or len(value) > 200:
        raise ValueError(f"{value!r} is not a web address leaflets prints: write https://host/path "
                         "(at most 200 characters, no spaces)")
    return value


WebAddress = Annotated[str, AfterValidator(_https)]


class OpeningHours(Strict):
    """One rule of opening hours: the days, and the time the phones open and close (24-hour)."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1, max_length=7)
    opens: ClockTime
    closes: ClockTime


class LanguageAssistance(Strict):
    """The ``language_assistance:`` block: print the notice that free language help is
    available (US Section 1557, 45 CFR 92.11), one tagline in each language the clinic
    lists under ``languages``, each from that language's catalog."""

    phone: Phone | None = Field(None, description="the number to call for language help (default: the clinic's phone)")


class ClinicContacts(Strict):
    """The ``leaflets:`` block of a brand file: what brand.yml has no place for."""

    phone: Phone = Field(description="the clinic's number for patients, e.g. 555-0100")
    hours: list[OpeningHours] = Field(min_length=1, max_length=7, description="when that phone is answered")
    out_of_hours_phone: Phone | None = Field(None, description="evenings, nights, weekends")
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,6}$")] = Field(
        description="the local emergency number (911, 112, 999, 000...)")
    address: list[Line] = Field(default_factory=list, max_length=3)
    leaflet_url: WebAddress | None = Field(None, description="this leaflet online: the QR code's target "
                                                             "(default: meta.link.home)")
    languages: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]] = Field(
        default_factory=list, max_length=30, description="languages the clinic serves (language-assistance taglines)")
    language_assistance: LanguageAssistance | None = Field(
        None, description="print the language-assistance notice: a tagline in each of the languages")


@dataclass(frozen=True)
class Logo:
    """A logo image, read and checked: its bytes, kind, size in pixels and alt text."""

    data: bytes = field(repr=False)
    kind: str  # "png" or "jpeg"
    width: int
    height: int
    alt: str
    digest: str


@dataclass(frozen=True)
class ClinicProfile:
    """A clinic's validated profile: what the localizer and renderers need, and a digest of
    the file and logo for fingerprints."""

    id: str  # a slug for the output's brand (from the file's folder name or meta.name.short)
    name: str
    short_name: str
    home: str | None
    contacts: ClinicContacts
    logo: Logo | None
    colours: tuple[tuple[str, str], ...]  # (palette role, #RRGGBB)
    source: str  # the file as users read it
    digest: str
    # (language, line) of each entry of ``leaflets.languages``: where a language without a catalog is reported
    language_lines: tuple[tuple[str, int], ...] = ()

    @property
    def taglines(self) -> tuple[str, ...]:
        """The languages of the language-assistance notice (none unless the block asks for it)."""
        if self.contacts.language_assistance is None:
            return ()
        return tuple(dict.fromkeys(self.contacts.languages))

    @property
    def language_help_phone(self) -> str:
        """The number the taglines give: the block's own, else the clinic's."""
        assistance = self.contacts.language_assistance
        return (assistance.phone if assistance is not None and assistance.phone else None) or self.contacts.phone

    def language_place(self, language: str) -> tuple[str, int]:
        """The file and line where ``language`` is listed (for an error about it)."""
        return self.source, dict(self.language_lines).get(language, 0)

    @property
    def leaflet_url(self) -> str | None:
        """Where the QR code leads: the leaflet's own page, else the clinic's home page."""
        return self.contacts.leaflet_url or self.home

    def design(self, base: Design = DEFAULT_DESIGN) -> Design:
        """``base`` in the clinic's colours (the palette roles its brand colours fill).

        A clinic's edition carries a band (logo, name, contacts, QR code) and longer
        whom-to-call lines, some 60 pt more than the generic handout, which the
        longest translations cannot spare on two Letter pages.  So the standard
        variant gets one more density, :data:`CLINIC_DENSITY`, tried last: lines
        0.3 pt closer than the standard's densest (body still 12 pt, leading 1.08).

        The language-assistance notice (:attr:`taglines`) is a final section of its own,
        one line per language at body size, which two full Letter pages cannot hold: with
        it the standard edition may take :data:`TAGLINE_PAGE_LIMIT` pages (the third page
        holds the notice and what the references leave).
        """
        changes: dict = {"name": f"{base.name}-{self.id}", "palette": dict(self.colours)}
        densities = base.variant.densities
        variant: dict = {}
        if base.variant.name == "standard" and CLINIC_DENSITY.name not in [d.name for d in densities]:
            variant["densities"] = [d.model_dump() for d in densities] + [CLINIC_DENSITY.model_dump()]
        if self.taglines and base.page_limit < TAGLINE_PAGE_LIMIT:
            variant["page_limit"] = TAGLINE_PAGE_LIMIT
        if variant:
            changes["variant"] = variant
        return base.updated(changes)


TAGLINE_PAGE_LIMIT = 3  # a standard clinic edition with the language-assistance notice

CLINIC_DENSITY = Density(name="clinic-band", margin=9 * MM, leading=13.0, space_after=1, heading_size=12.5,
                         heading_before=1.5, title_size=17)


# brand.yml colour roles -> the palette roles they fill, and what each is used for (messages)
COLOUR_ROLES: dict[str, tuple[tuple[str, ...], str]] = {
    "primary": (("accent", "link"), "titles, headings and links"),
    "secondary": (("accent_secondary",), "the deck's second accent"),
    "foreground": (("ink",), "body text"),
    "danger": (("danger",), "the heading and frame of the 'get help' box"),
}
TEXT_ROLES = {"primary", "foreground", "danger"}  # set as text on the paper (and their tints)


def load_profile(path: Path | str) -> ClinicProfile:
    """Read and validate a brand file; a :class:`LeafletsError` names every problem's line."""
    path = Path(path)
    data, smap = load_yaml(path)
    if not isinstance(data, dict):
        raise LeafletsError(smap.diagnostic((), "expected a brand.yml mapping (meta, logo, color, typography) "
                                                f"with a '{EXTENSION}:' block of contacts"))
    extension = data.pop(EXTENSION, None)
    errors: list[Diagnostic] = []
    if extension is None:
        errors.append(smap.diagnostic((), f"no '{EXTENSION}:' block: a clinic edition needs at least the phone, "
                                          "hours and emergency_number (see README.md, 'Clinic editions')"))
    brand = _brand(data, smap, errors)
    contacts = None
    if extension is not None:
        try:
            contacts = ClinicContacts.model_validate(extension)
        except pydantic.ValidationError as exc:
            errors += [_diagnostic(smap, (EXTENSION,), err) for err in exc.errors()]
        else:
            errors += _check_hours(contacts, smap)
            if contacts.language_assistance is not None and not contacts.languages:
                errors.append(smap.diagnostic((EXTENSION, "language_assistance"), (
                    "language_assistance: list the languages the clinic serves under 'languages' (e.g. "
                    "[es, zh-Hans, ar]); the notice has one tagline in each")))
    if brand is None or errors:
        raise LeafletsError(sorted(set(errors)) or [smap.diagnostic((), "not a valid brand file")])
    name, short = _names(brand, smap, errors)
    colours = _colours(brand, data, smap, errors)
    _typography(data, smap, errors)
    logo = _logo(brand, data, path, smap, errors)
    home = str(brand.meta.link.home) if brand.meta and brand.meta.link and brand.meta.link.home else None
    if home is not None:
        try:
            _https(home.rstrip("/") if home.endswith("/") and home.count("/") == 3 else home)
        except ValueError as exc:
            errors.append(smap.diagnostic(("meta", "link", "home"), str(exc), value=True))
    if errors:
        raise LeafletsError(sorted(set(errors)))
    digest = hashlib.sha256(read_regular(path, MAX_BRAND_BYTES) + (logo.digest.encode() if logo else b"")).hexdigest()
    slug = re.sub(r"[^a-z0-9]+", "-", short.lower()).strip("-") or "clinic"
    profile = ClinicProfile(id=slug, name=name, short_name=short, home=home, contacts=contacts, logo=logo,
                            colours=colours, source=smap.file, digest="sha256:" + digest,
                            language_lines=tuple((tag, smap.position((EXTENSION, "languages", i), value=True)[0])
                                                 for i, tag in enumerate(contacts.languages)))
    try:
        profile.design()
    except pydantic.ValidationError as exc:
        message = "; ".join(err["msg"].removeprefix("Value error, ") for err in exc.errors())
        raise LeafletsError(smap.diagnostic(("color",), f"the brand colours make an unreadable design: {message}"))
    return profile


# ------------------------------------------------------------------ parts
def _brand(data: dict, smap: SourceMap, errors: list[Diagnostic]):
    """``data`` validated by brand-yml's own model (Quarto's rules), errors at their lines."""
    from brand_yml import Brand
    try:
        return Brand.model_validate(data)
    except pydantic.ValidationError as exc:
        errors += [_diagnostic(smap, (), err) for err in exc.errors()]
    except (ValueError, TypeError) as exc:  # brand-yml's own checks (an unknown palette colour...)
        errors.append(smap.diagnostic(("color",) if "color" in str(exc).lower() else (), str(exc)))
    return None


def _diagnostic(smap: SourceMap, base: tuple, err: dict) -> Diagnostic:
    loc = base + tuple(part for part in err["loc"] if isinstance(part, (str, int)) and not (
        isinstance(part, str) and ("[" in part or part in ("str", "dict", "list", "function-after"))))
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'"
    elif err["type"] == "missing":
        message = f"'{loc[-1]}' is required"
    where = ".".join(str(p) for p in loc)
    return smap.diagnostic(loc, f"{where}: {message}" if where else message,
                           value=err["type"] not in ("missing", "extra_forbidden"))


def _check_hours(contacts: ClinicContacts, smap: SourceMap) -> list[Diagnostic]:
    errors = []
    for index, rule in enumerate(contacts.hours):
        if rule.closes <= rule.opens:
            errors.append(smap.diagnostic((EXTENSION, "hours", index, "closes"),
                                          f"closes {rule.closes} is not after opens {rule.opens}", value=True))
        if len(set(rule.days)) != len(rule.days):
            errors.append(smap.diagnostic((EXTENSION, "hours", index, "days"), "a day is listed twice", value=True))
    return errors


def _names(brand, smap: SourceMap, errors: list[Diagnostic]) -> tuple[str, str]:
    name = brand.meta.name if brand.meta else None
    full = getattr(name, "full", None) or (name if isinstance(name, str) else None)
    short = getattr(name, "short", None) or full
    if not full:
        errors.append(smap.diagnostic(("meta",), "meta.name is required: the clinic's name is printed on every "
                                                 "handout"))
        return "", ""
    for value, key in ((full, "full"), (short, "short")):
        if len(value) > 60 or any(ord(ch) < 32 for ch in value):
            errors.append(smap.diagnostic(("meta", "name", key), f"meta.name.{key}: at most 60 characters of "
                                                                 "plain text", value=True))
    return full, short


def _colours(brand, data: dict, smap: SourceMap, errors: list[Diagnostic]) -> tuple[tuple[str, str], ...]:
    """The palette roles the brand's colours fill, each checked for contrast where it is text."""
    color = brand.color
    if color is None:
        return ()
    paper = DEFAULT_DESIGN.palette.paper
    out: list[tuple[str, str]] = []
    for key, (roles, use) in COLOUR_ROLES.items():
        value = getattr(color, key, None)
        if value is None:
            continue
        hex_value = _hex(str(value))
        where = ("color", key)
        if hex_value is None:
            errors.append(smap.diagnostic(where, f"color.{key}: {value!r} is not a colour leaflets can print: "
                                                 "write #RRGGBB or #RGB (or a palette name that is one)", value=True))
            continue
        if key in TEXT_ROLES:
            ratio = contrast(hex_value, paper)
            if ratio < WCAG_TEXT_CONTRAST:
                errors.append(smap.diagnostic(where, (
                    f"color.{key} {hex_value} is used for {use}; on white paper its contrast is {ratio:.2f}:1 and "
                    f"text needs at least {WCAG_TEXT_CONTRAST}:1 (WCAG 2 AA); the nearest darker shade that passes "
                    f"is {darkest_passing(hex_value, paper)}"), value=True))
                continue
        out += [(role, hex_value) for role in roles]
    if "background" in (data.get("color") or {}):
        errors.append(smap.diagnostic(("color", "background"), "color.background: handouts are printed on white "
                                                                "paper; remove it (leaflets does not tint the page)"))
    if dict(out).get("accent"):
        out.append(("accent_tint", tint(dict(out)["accent"], 0.1)))
    if dict(out).get("danger"):
        out.append(("danger_tint", tint(dict(out)["danger"], 0.08)))
    return tuple(out)


def _hex(value: str) -> str | None:
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(ch * 2 for ch in value[1:]).upper()
    return None


def tint(colour: str, share: float) -> str:
    """``colour`` at ``share`` strength on white (the background of a box in that colour)."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in channels)


def darkest_passing(colour: str, background: str) -> str:
    """The lightest darkening of ``colour`` (toward black, same hue) with AA contrast on
    ``background``: what to write instead of a brand colour that is too light for text."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(101):
        factor = 1 - step / 100
        candidate = "#" + "".join(f"{round(c * factor):02X}" for c in channels)
        if contrast(candidate, background) >= WCAG_TEXT_CONTRAST:
            return candidate
    return "#000000"


SHIPPED_FAMILIES = re.compile(r"^Noto (Sans|Serif)( [A-Za-z ]+)?$")


def _typography(data: dict, smap: SourceMap, errors: list[Diagnostic]) -> None:
    """Families other than the shipped Noto fonts are refused: leaflets draws every script with
    its own fonts and never substitutes silently."""
    typography = data.get("typography")
    if not isinstance(typography, dict):
        return
    for key, value in typography.items():
        family = value if isinstance(value, str) else value.get("family") if isinstance(value, dict) else None
        if key == "fonts" or family is None:
            continue
        if not SHIPPED_FAMILIES.match(str(family)):
            errors.append(smap.diagnostic(("typography", key), (
                f"typography.{key}: {family!r} is not a font leaflets ships; handouts and decks are set in Noto "
                "Sans (with Noto Sans Arabic, Devanagari, CJK... by script): name 'Noto Sans' or remove it"),
                value=True))


def _logo(brand, data: dict, brand_file: Path, smap: SourceMap, errors: list[Diagnostic]) -> Logo | None:
    logo = brand.logo
    if logo is None:
        return None
    resource, where = None, ("logo",)
    if hasattr(logo, "root"):  # one file
        resource = logo
    else:
        for size in ("medium", "small", "large"):
            chosen = getattr(logo, size, None)
            if chosen is not None:
                resource = getattr(chosen, "light", None) or chosen
                where = ("logo", size)
                break
    if resource is None:
        errors.append(smap.diagnostic(("logo",), "logo: name the image to print as medium, small or large"))
        return None
    location = getattr(resource, "path", resource)
    alt = getattr(resource, "alt", None)
    raw = str(getattr(location, "root", location))
    if re.match(r"^[a-z][a-z0-9+.-]*://", raw):
        errors.append(smap.diagnostic(where, f"logo {raw!r}: a logo is a file in the clinic's folder, never a web "
                                             "address (builds do not use the network)", value=True))
        return None
    if not alt:
        errors.append(smap.diagnostic(where, "logo: give the image alt text (images: NAME: {path: ..., alt: ...}): "
                                             "a tagged PDF says what every figure shows"))
        return None
    folder = brand_file.resolve().parent
    file = (folder / raw).resolve()
    if not file.is_relative_to(folder):
        errors.append(smap.diagnostic(where, f"logo {raw!r} is outside the brand file's folder "
                                             f"({display_path(folder)}); keep it beside the brand file", value=True))
        return None
    if file.suffix.lower() == ".svg":
        errors.append(smap.diagnostic(where, f"logo {raw!r}: SVG logos are not drawn yet; export the logo as PNG",
                                      value=True))
        return None
    try:  # a regular file of bounded size, checked on the open file (a FIFO or device is refused unread)
        image = read_regular(file, MAX_LOGO_BYTES)
    except NotRegular as exc:
        detail = (f"a logo may be at most {MAX_LOGO_BYTES // 1024} kB" if "larger" in str(exc) else str(exc))
        errors.append(smap.diagnostic(where, f"logo {raw!r}: {detail}", value=True))
        return None
    except OSError as exc:
        errors.append(smap.diagnostic(where, f"logo {raw!r} cannot be read: {exc.strerror or exc}", value=True))
        return None
    kind = "png" if image.startswith(b"\x89PNG\r\n\x1a\n") else "jpeg" if image.startswith(b"\xff\xd8\xff") else None
    if kind is None:
        errors.append(smap.diagnostic(where, f"logo {raw!r} is not a PNG or JPEG image", value=True))
        return None
    try:
        from PIL import Image
        with Image.open(io.BytesIO(image)) as img:
            width, height = img.size
            if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
                raise ValueError(f"{width}x{height} pixels; at most {MAX_LOGO_PIXELS} on each side")
            img.load()
    except Exception as exc:  # noqa: BLE001 - any decoder error is a bad image, said plainly
        errors.append(smap.diagnostic(where, f"logo {raw!r} cannot be used: {exc}", value=True))
        return None
    return Logo(image, kind, width, height, str(alt), "sha256:" + hashlib.sha256(image).hexdigest())


# ------------------------------------------------------------ formatting
def opening_hours(contacts: ClinicContacts, locale, numbering: str) -> str:
    """The opening hours in ``locale``: day names and times by CLDR (Babel), e.g. ``Mon–Fri 8:00 AM – 6:00 PM``
    in English, ``lun–vie 8:00–18:00`` in Spanish; rules joined by the locale's list pattern."""
    from babel.dates import format_interval

    from leaflets.i18n import formatting as fmt
    names = locale.days["format"]["abbreviated"]
    skeleton = "hm" if "h" in str(locale.time_formats["short"].pattern) else "Hm"
    parts = []
    for rule in contacts.hours:
        days = sorted(WEEKDAYS.index(day) for day in rule.days)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            day_text = f"{names[days[0]]}–{names[days[-1]]}"
        else:
            day_text = fmt.format_text_list([names[d] for d in days], "standard-narrow", locale)
        opens, closes = (dt.time(*map(int, t.split(":"))) for t in (rule.opens, rule.closes))
        parts.append(f"{day_text} {format_interval(opens, closes, skeleton, locale=locale)}")
    return fmt.native(fmt.format_text_list(parts, "standard", locale), numbering)
