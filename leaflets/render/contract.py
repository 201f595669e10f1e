"""The renderer contract: what an output format gives the build.

A renderer turns one localized document (:class:`~leaflets.document.LocalizedDocument`)
into the bytes of one file.  The build (:mod:`leaflets.build`), the worker pool
(:mod:`leaflets.workers`), ``build --only`` (:mod:`leaflets.preview`) and the layout
check (:mod:`leaflets.fit`) know formats only through this contract and the registry
(:mod:`leaflets.render.registry`), never by name: a new format is one renderer
registered there.

A renderer's module must be cheap to import.  Its library (ReportLab, python-pptx)
is imported inside :meth:`~Renderer.prepare`, :meth:`~Renderer.render` and
:meth:`~Renderer.excerpt`, so ``--help`` and a no-op rebuild never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from leaflets.errors import Diagnostic

if TYPE_CHECKING:
    from leaflets.document import LocalizedDocument, Place
    from leaflets.plan import BuildOptions, Target
    from leaflets.render.fontset import FontSet

PAPER = "paper"  # the option that makes one file per paper size (Target.paper)


class LayoutOverflow(Exception):
    """Text that no layout rule fits: a content or translation problem, not a crash.

    ``msgid`` names the string to shorten where the renderer knows it (a slide's
    text); an overflow of the document as a whole (a handout longer than its page
    limit) leaves it None and says how many ``pages`` it would need.  ``slide`` is
    the number of the slide that overflows, if any.
    """

    msgid: str | None = None
    slide: int | None = None
    pages: int | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """As a build error's: one diagnostic, without a file (the caller names the catalog or topic)."""
        return [Diagnostic("", 0, 0, str(self))]


@dataclass(frozen=True)
class Rendered:
    """One rendered file: its bytes, how many of its ``unit`` it has (2 pages, 28 slides), and warnings."""

    data: bytes
    count: int
    unit: str  # "page", "slide"
    warnings: tuple[str, ...] = ()
    # the layout choice measurement made (a handout's density name), for a renderer that
    # ``remembers_layout``: given back as ``layout=`` for the same inputs, it is drawn unmeasured
    layout: str | None = None

    @property
    def summary(self) -> str:
        """For the log and the manifest: ``2 pages``, ``1 slide``."""
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class Excerpt:
    """A preview file (``build --only``): the bytes, and which of the full file's pages or
    slides (``unit``) it holds, by their ``numbers`` in the full file of ``total``."""

    data: bytes
    unit: str  # "page", "slide"
    numbers: tuple[int, ...]
    total: int


class Memo(Protocol):
    """What previews learn about layouts and keep between runs (:class:`leaflets.preview.PreviewMemo`)."""

    def file_digest(self, path) -> str: ...

    def keys(self, kind: str, around: dict, items: list) -> list[str]: ...

    def known(self, keys: list[str]) -> dict[int, int]: ...

    def learn(self, keys: list[str], values: dict[int, int]) -> None: ...


@runtime_checkable
class Renderer(Protocol):
    """One output format.

    ``format`` is its name (``--format``, :attr:`Target.format <leaflets.plan.Target>`);
    ``media_type`` the IANA media type of its files; ``output`` the part of the document
    it renders, :data:`~leaflets.document.HANDOUT` or :data:`~leaflets.document.DECK` (as
    in :attr:`Place.output <leaflets.document.Place>`); ``options`` the options it takes
    besides the document: :data:`PAPER` (one file per paper size) or names of
    :class:`~leaflets.plan.BuildOptions` fields (``template``), which are part of its
    files' fingerprints.  An option it does not name is refused, not ignored.  Every
    renderer draws with ``options.design`` (:class:`~leaflets.design.Design`: colours,
    type sizes, pages), whose digest is in every fingerprint.

    A renderer that makes the ``bilingual`` variant (the handout's) also takes ``second=``, the
    same topic's document in the target's ``second_locale``, in :meth:`render` and
    :meth:`excerpt`; the engine passes it for those targets alone and refuses the variant
    for renderers without a paper (the deck).

    ``fonts`` (a :class:`~leaflets.render.fontset.FontSet`) is what text is measured and
    drawn with; renderers keep no fonts or caches of their own, so one renderer serves
    every engine and thread.
    """

    format: str
    media_type: str
    output: str
    options: tuple[str, ...]

    def file_name(self, target: Target) -> str:
        """The target's path relative to the output folder, with ``/`` (see :func:`standard_file_name`)."""
        ...

    def prepare(self, locales: set[str], fonts: FontSet) -> None:
        """Before the first render, and before worker processes fork: import the library and
        load what every render of ``locales`` shares (their fonts), so workers inherit it."""
        ...

    def render(self, document: LocalizedDocument, target: Target, options: BuildOptions, fonts: FontSet) -> Rendered:
        """The whole file.  Raises :class:`LayoutOverflow` for text that does not fit, and
        :class:`~leaflets.errors.LeafletsError` for other bad input (a deck template)."""
        ...

    # Optional: ``measure(document, target, options, fonts) -> int``, the page or slide count of
    # :meth:`render`'s file from the same layout, raising the same :class:`LayoutOverflow`, but
    # nothing drawn or written (``check`` calls it; a renderer without it is rendered instead).

    def excerpt(self, document: LocalizedDocument, target: Target, places: Sequence[Place],
                options: BuildOptions, memo: Memo, fonts: FontSet) -> Excerpt:
        """Only the pages or slides that show ``places`` (all of this renderer's output), each as in
        the full file; ``memo`` keeps what is worth knowing next time.  Raises as :meth:`render`."""
        ...


def standard_file_name(target: Target, kind: str, extension: str) -> str:
    """``<locale>/<topic>-<kind>[-<paper>][-<variant>[-<second locale>]][-<brand>].<extension>``, e.g.
    ``es/atopic-dermatitis-handout-a4.pdf``, ``ar/atopic-dermatitis-handout-a4-bilingual-en.pdf``
    or ``es/atopic-dermatitis-slides.pptx``."""
    parts = (target.paper, target.variant, getattr(target, "second_locale", None), target.brand)
    extra = "".join(f"-{part}" for part in parts if part)
    return f"{target.locale}/{target.topic}-{kind}{extra}.{extension}"
