"""The build plan: which files a build makes, and what each one depends on.

A :class:`Target` is one output file: (topic, locale, format, paper, and
later variant and brand).  Its *fingerprint* is a hash of exactly what
decides its bytes:

* the localized document it renders (:func:`document_digest`): the topic's
  content and the catalog entries that topic uses, already translated and
  formatted, so an edit to an unrelated entry, or to a comment, changes
  nothing;
* the assets (fonts, and later brand images) by content;
* the options that reach the renderer (format, paper, ``SOURCE_DATE_EPOCH``,
  a deck template) and the design in use (its
  :meth:`~leaflets.design.Design.digest`: every colour, size and page rule);
  ``--allow-incomplete`` reaches the document, and counts through it;
* the generator: the leaflets source code itself and the versions of the
  libraries that write the bytes.

Computing a fingerprint needs the localized document, i.e. parsing the
topics and catalogs.  A no-op rebuild should not pay for that, so each target
also records an *inputs stamp*: the same generator, assets and options, with
the raw digests of the files the document comes from (every topic file, the
locale's catalog).  An unchanged stamp proves an unchanged fingerprint; a
changed stamp only means "localize and compare fingerprints".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import leaflets
from leaflets.render.contract import PAPER
from leaflets.render.registry import formats, renderer_for
from leaflets.resources import resources

if TYPE_CHECKING:
    from leaflets.clinic import ClinicProfile
    from leaflets.presenter import PresenterProfile
    from leaflets.design import Design

PACKAGE_DIR = Path(leaflets.__file__).resolve().parent
ASSETS_DIR = resources().assets_dir.resolve()  # fonts and templates, from the package wherever it is installed
FORMATS = formats()  # the built-in formats (--format's choices); a build makes every registered one
PAPERS = ("a4", "letter")
# handout editions (leaflets.design.design_for_variant makes each design)
VARIANTS = ("standard", "large-print", "bilingual")
# Libraries whose version can change an artifact's bytes: distribution -> module.
RENDER_LIBRARIES = {"reportlab": "reportlab", "python-pptx": "pptx", "uharfbuzz": "uharfbuzz",
                    "python-bidi": "bidi", "babel": "babel", "lxml": "lxml", "fonttools": "fontTools"}


@dataclass(frozen=True, order=True)
class Target:
    """One output file."""

    topic: str
    locale: str
    format: str
    paper: str | None = None
    variant: str | None = None  # a handout edition other than the standard one: "large-print"
    brand: str | None = None  # a clinic's edition: the clinic profile's id (BuildOptions.clinic)
    second_locale: str | None = None  # a bilingual edition's second language (BuildOptions.second_locale)

    @property
    def name(self) -> str:
        """Path relative to the output folder, with ``/``: the manifest key (named by its renderer)."""
        return renderer_for(self.format).file_name(self)

    def path(self, out: Path) -> Path:
        return Path(out) / self.name

    @property
    def unit(self) -> tuple[str, str]:
        """The (topic, locale) whose localized document this target renders."""
        return self.topic, self.locale

    @property
    def second_unit(self) -> tuple[str, str] | None:
        """A bilingual edition's second document (topic, second locale); None for the others."""
        return (self.topic, self.second_locale) if self.second_locale else None


_DEFAULT = object()  # BuildOptions.design not given: the default design


class _DesignOption:
    """``BuildOptions.design``: the design given, else :data:`~leaflets.design.DEFAULT_DESIGN`,
    imported when first read.  Making options (a no-op build does) and stamping targets
    with the default design import no pydantic: the generator's code digest already
    names the default design (see :meth:`BuildOptions.for_stamp`)."""

    def __set_name__(self, owner, name):
        self._slot = "_" + name

    def __get__(self, options, owner=None):
        if options is None:
            return _DEFAULT  # the field's default
        value = options.__dict__.get(self._slot, _DEFAULT)
        if value is _DEFAULT:
            from leaflets.design import DEFAULT_DESIGN
            return DEFAULT_DESIGN
        return value

    def __set__(self, options, value):
        design_module = sys.modules.get("leaflets.design")  # not imported: value cannot be its default
        if value is _DEFAULT or (design_module is not None and value is design_module.DEFAULT_DESIGN):
            options.__dict__.pop(self._slot, None)  # the default, as given or read back (dataclasses.replace)
        else:
            options.__dict__[self._slot] = value

    @staticmethod
    def is_default(options) -> bool:
        """Whether ``options`` were made without a design (so they draw with the default one)."""
        return options.__dict__.get("_design", _DEFAULT) is _DEFAULT


@dataclass(frozen=True)
class BuildOptions:
    """Everything besides the document that reaches a renderer.

    Threaded unchanged from the command line to the worker processes; a new
    option (e.g. a deck ``template``) is added here and named in the ``options``
    of the renderers it reaches (:class:`~leaflets.render.contract.Renderer`).
    The ``design`` reaches every renderer, and its digest every fingerprint.
    """

    allow_incomplete: bool = False
    created: dt.datetime | None = None  # SOURCE_DATE_EPOCH, validated (leaflets.runtime)
    template: Path | None = None  # a .pptx deck template (None: the project's, written from the design)
    build_in: bool | None = None  # decks: bullets appear one click at a time (None: all at once)
    design: Design = _DesignOption()  # (default: DEFAULT_DESIGN, imported when read)
    clinic: ClinicProfile | None = None  # a clinic's edition (leaflets.clinic): its targets' brand is clinic.id
    presenter: PresenterProfile | None = None  # fills the deck's title and disclosure slides (leaflets.presenter)
    second_locale: str | None = None  # the second language of bilingual editions (``--second-locale``)

    def design_for(self, target: Target) -> Design:
        """The design ``target`` is drawn in: the options' design as the target's variant
        (large print...) in the clinic's colours if the target is a clinic's edition."""
        from leaflets.design import design_for_variant
        design = design_for_variant(self.design, target.variant)
        if self.clinic is not None and target.brand is not None:
            design = self.clinic.design(design)
        return design

    def for_target(self, target: Target, digests: "FileDigests", *, design: str | None = None) -> dict:
        """The options that can change ``target``'s bytes once its document is made, as plain
        data (a file by its content, the design by its digest, or ``design`` if given): what a
        renderer gets besides the document."""
        data = {"format": target.format, "paper": target.paper, "variant": target.variant, "brand": target.brand,
                "second_locale": target.second_locale,
                "created": int(self.created.timestamp()) if self.created else None,
                "design": design if design is not None else self.design_for(target).digest()}
        if target.brand is not None and self.clinic is not None:
            data["clinic"] = self.clinic.digest  # the brand file and its logo, by content
        for name in renderer_for(target.format).options:
            value = None if name == PAPER else getattr(self, name)  # the paper is the target's own
            if value is not None:
                data[name] = digests.file(value) if isinstance(value, Path) else value
        return data

    def for_stamp(self, target: Target, digests: "FileDigests") -> dict:
        """:meth:`for_target`, and ``allow_incomplete``, which decides the document made from the
        same files: an inputs stamp stands for the document too.

        The default design of a standard edition without a clinic is named, not digested:
        it is defined in leaflets' code, whose digest is in every stamp (the generator), so
        the name stands for it exactly, and a no-op build does not import pydantic to make
        it.  (A fingerprint names it by its digest: it is computed once the document is,
        with pydantic loaded anyway.)"""
        design = None
        if _DesignOption.is_default(self) and target.variant in (None, "standard") and target.brand is None:
            design = "default"
        return {**self.for_target(target, digests, design=design), "allow_incomplete": self.allow_incomplete}


def plan(topics: list[tuple[str, Path]] | list, locales: list[str], formats: list[str], papers: list[str],
         variants: list[str | None] | tuple = (None,), brand: str | None = None,
         second_locale: str | None = None) -> list[Target]:
    """Every target for the topics (ids, or loaded topics) × locales × formats (× papers × variants,
    for the formats that take a paper: the deck has one edition).  ``brand`` is a clinic's id;
    ``second_locale`` the second language of the ``bilingual`` variant's targets (a locale's
    bilingual edition with itself is not planned: it would say everything twice)."""
    targets = []
    variants = [None if v in (None, "standard") else v for v in dict.fromkeys(variants)] or [None]
    for topic in topics:
        topic_id = topic if isinstance(topic, str) else topic.topic.topic.id
        for locale in locales:
            for fmt in formats:
                papers_of = papers_for(fmt, papers)
                for variant in (variants if papers_of != (None,) else [None]):
                    second = second_locale if variant == "bilingual" else None
                    if variant == "bilingual" and (second is None or second == locale):
                        continue
                    targets += [Target(topic_id, locale, fmt, paper, variant, brand, second) for paper in papers_of]
    return targets


def papers_for(fmt: str, papers) -> tuple[str | None, ...]:
    """The papers of a format's targets: each of ``papers`` if its renderer takes a paper size, else none."""
    return tuple(papers) if PAPER in renderer_for(fmt).options else (None,)


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def digest_of(*parts) -> str:
    """A digest of JSON-serialisable parts (order matters)."""
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=True, default=str).encode())


@dataclass
class FileDigests:
    """Content digests of files, computed by this process.

    Never taken from the manifest or trusted on size and modification time:
    an edit that keeps both (``touch -r``, ``cp -p``, an editor within the
    same clock tick) still changes the digest.  A build makes a new one, so
    it hashes every input once (some 30 ms, the fonts' 11 MB are most of
    it); an engine that lives on keeps its own and hashes a file again
    whenever anything of its status changed, the inode change time (which
    no program can set back) included.  ``computed`` counts real reads.
    """

    cache: dict[str, tuple] = field(default_factory=dict)
    computed: int = 0

    def file(self, path: Path) -> str:
        path = Path(path)
        key = str(path.resolve())
        try:
            info = path.stat()
        except OSError:
            return "missing"
        status = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        cached = self.cache.get(key)
        if cached and cached[0] == status:
            return cached[1]
        try:
            digest = file_sha256(path)
        except (OSError, ValueError):
            return "missing"
        self.computed += 1
        self.cache[key] = (status, digest)
        return digest

    def folder(self, folder: Path) -> str:
        """One digest of every file under ``folder`` (names and contents)."""
        folder = Path(folder)
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        return digest_of([(p.relative_to(folder).as_posix(), self.file(p)) for p in files])


def file_sha256(path: Path) -> str:
    """The digest of a regular file's bytes (a FIFO or device is refused before reading: ValueError)."""
    import os
    import stat
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{path} is not a regular file")
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


_GENERATOR: str | None = None


def generator_id() -> str:
    """The generator's identity: leaflets' version, a digest of its source
    code, and the versions of the libraries that write the bytes."""
    global _GENERATOR
    if _GENERATOR is None:
        code = hashlib.sha256()
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            code.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        versions = [f"{name} {library_version(name, module)}" for name, module in RENDER_LIBRARIES.items()]
        _GENERATOR = f"leaflets {leaflets.__version__} (code {code.hexdigest()[:16]}; {', '.join(versions)})"
    return _GENERATOR


def library_version(distribution: str, module: str) -> str:
    """A library's installed version, without importing it: the name of the
    ``.dist-info`` folder next to the module (``importlib.metadata`` scans
    every path entry and costs some 60 ms for these seven)."""
    import importlib.util
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin:
        origin = Path(spec.origin)
        folder = origin.parent.parent if origin.name == "__init__.py" else origin.parent
        prefix = distribution.replace("-", "_").lower() + "-"
        for info in folder.glob("*.dist-info"):
            if info.name.lower().startswith(prefix):
                return info.name[len(prefix):-len(".dist-info")]
    from importlib import metadata
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def document_digest(document) -> str:
    """The digest of a localized document's full content (its golden JSON form)."""
    from leaflets.document import to_json
    return _sha(to_json(document).encode("utf-8"))


def fingerprint(target: Target, document_sha: str, common: dict, options: dict) -> str:
    """A target's fingerprint: its document, assets, options and generator."""
    return digest_of("fingerprint", common, options, document_sha)


def inputs_stamp(target: Target, sources: dict[str, str], common: dict, options: dict) -> str:
    """A target's inputs stamp: the raw files its document comes from, with the
    same assets, options and generator as its fingerprint."""
    return digest_of("inputs", common, options, sorted(sources.items()))
