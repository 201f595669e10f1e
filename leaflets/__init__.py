"""leaflets: one YAML content model becomes localized PDF handouts and PPTX decks.

The pipeline has three stages, each in its own subpackage:

1. :mod:`leaflets.content` loads and validates a topic YAML file into a typed
   model (errors point at file, line and column);
2. :mod:`leaflets.localize` translates and formats that model once, for one
   locale, into a format-neutral :class:`leaflets.document.LocalizedDocument`;
3. :mod:`leaflets.render` turns that document into a PDF handout or a PPTX
   deck.  Renderers never call gettext or Babel.

:class:`leaflets.Engine` is the library's one entry point to all three (see
README.md, "Use it as a library"); the command line (:mod:`leaflets.cli`) is
built on it.  The names below are imported when first used, so ``import
leaflets`` costs nothing.

Importing leaflets changes nothing in the process but ReportLab's start-up:
ReportLab runs ``~/.reportlab_mods`` and ``~/.reportlab_settings`` and reads
``RL_*`` variables when it is first imported; :func:`leaflets.runtime.guard_reportlab`
neutralises both before any leaflets module can import it, without touching
the environment.
"""

__version__ = "0.1.0"

from leaflets.runtime import guard_reportlab as _guard_reportlab  # noqa: E402

_guard_reportlab()

_PUBLIC = {
    "Engine": "leaflets.engine",
    "Artifact": "leaflets.engine",
    "BadRequest": "leaflets.engine",
    "DoesNotFit": "leaflets.engine",
    "MissingGlyphs": "leaflets.engine",
    "Project": "leaflets.project",
    "FontSet": "leaflets.render.fontset",
    "LeafletsError": "leaflets.errors",
    "Diagnostic": "leaflets.errors",
    "LocalizedDocument": "leaflets.document",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    """``leaflets.Engine`` and the other public names, imported on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'leaflets' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
