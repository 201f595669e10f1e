"""The leaflets web app (``leaflets serve``): pick, preview, print; check a catalog; the catalogue.

:func:`create_app` makes the ASGI app from explicit :class:`Settings`;
rendering happens in worker processes (:mod:`leaflets.web.pool`) through
:class:`leaflets.Engine`, cached by the engine's fingerprint
(:mod:`leaflets.web.cache`).  See README.md, "Web app".
"""

from leaflets.web.settings import Settings


def create_app(settings: Settings):
    """The ASGI app for ``settings`` (see :mod:`leaflets.web.app`)."""
    from leaflets.web.app import create_app as make
    return make(settings)


__all__ = ["Settings", "create_app"]
