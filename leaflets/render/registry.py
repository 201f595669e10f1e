"""The output formats a build can make: one registered renderer each.

>>> formats()
('pdf', 'pptx')

A new format is a class that follows :class:`~leaflets.render.contract.Renderer`,
registered with :func:`register`; the build, its workers, previews and the layout
check then make it like any other.  Worker processes are forked, so they see what
was registered before the build started.
"""

from __future__ import annotations

from leaflets.errors import Diagnostic, LeafletsError
from leaflets.render.contract import Renderer
from leaflets.render.deck_renderer import DeckRenderer
from leaflets.render.handout_renderer import HandoutRenderer

_RENDERERS: dict[str, Renderer] = {}


class UnknownFormat(LeafletsError):
    """A format no renderer is registered for."""

    def __init__(self, name: str):
        super().__init__(Diagnostic("format", 0, 0, f"no renderer for format {name!r}; the formats are "
                                                    f"{', '.join(formats())}"))
        self.format = name


def register(renderer: Renderer) -> Renderer:
    """Make ``renderer`` available under its format name, which must be new; returns it."""
    if not isinstance(renderer, Renderer):
        raise TypeError(f"{renderer!r} is not a renderer (see leaflets.render.contract.Renderer)")
    if renderer.format in _RENDERERS:
        raise ValueError(f"a renderer for format {renderer.format!r} is already registered")
    _RENDERERS[renderer.format] = renderer
    return renderer


def unregister(name: str) -> None:
    """Forget the renderer of format ``name``."""
    if _RENDERERS.pop(name, None) is None:
        raise UnknownFormat(name)


def renderer_for(name: str) -> Renderer:
    """The renderer of format ``name``; :class:`UnknownFormat` if there is none."""
    try:
        return _RENDERERS[name]
    except KeyError:
        raise UnknownFormat(name) from None


def formats() -> tuple[str, ...]:
    """Every registered format, in the order registered (the order a build makes them in)."""
    return tuple(_RENDERERS)


def renderers(names=None) -> list[Renderer]:
    """The renderers of ``names`` (every one if None), in registration order."""
    if names is not None:
        for name in names:
            renderer_for(name)  # an unknown name is an error, not a silent omission
    return [r for f, r in _RENDERERS.items() if names is None or f in names]


register(HandoutRenderer())
register(DeckRenderer())
