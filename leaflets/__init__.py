"""leaflets: one YAML content model becomes localized PDF handouts and PPTX decks.

The pipeline has three stages, each in its own subpackage:

1. :mod:`leaflets.content` loads and validates a topic YAML file into a typed
   model (errors point at file, line and column);
2. :mod:`leaflets.localize` translates and formats that model once, for one
   locale, into a format-neutral :class:`leaflets.document.LocalizedDocument`;
3. :mod:`leaflets.render` turns that document into a PDF handout or a PPTX
   deck.  Renderers never call gettext or Babel.
"""

__version__ = "0.1.0"

# ReportLab executes ~/.reportlab_mods and ~/.reportlab_settings and reads RL_*
# variables when first imported; neutralise both before any leaflets module can
# import it, without touching the environment (leaflets.runtime.guard_reportlab).
from leaflets.runtime import guard_reportlab as _guard_reportlab  # noqa: E402

_guard_reportlab()
