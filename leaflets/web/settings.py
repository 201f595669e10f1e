"""What one web server is configured with: every value explicit, validated once, never global.

``leaflets serve`` makes one :class:`Settings` from its options;
:func:`leaflets.web.app.create_app` takes it.  Nothing in the app reads the
environment or a module-level setting, so two apps with different settings
can live in one process (the tests do).

The clinic brand is a brand file (``_brand.yml``, :mod:`leaflets.clinic`), read and
validated here, once, when the settings are made: a bad file stops the server
before it listens, with the file and line of every problem, and every render
job then carries the validated :class:`~leaflets.clinic.ClinicProfile` itself
(its digest is part of every cache key), so a worker on another machine never
reads a different file than the server checked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.errors import Diagnostic, LeafletsError

if TYPE_CHECKING:
    from leaflets.clinic import ClinicProfile

BACKENDS = ("local", "redis")
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Settings:
    """One server's configuration (defaults suit one clinic on one machine)."""

    content_dir: Path
    locales_dir: Path
    cache_dir: Path  # the content-addressed render cache (local backend, or shared storage)
    host: str = LOOPBACK  # the local default: this machine only
    port: int = 8000
    workers: int = 2  # render processes (local backend)
    queue_limit: int = 8  # renders waiting beyond those running; more answers 429
    render_timeout: float = 60.0  # seconds for one render job; a worker over it is killed and replaced
    recycle_after: int = 200  # renders before a worker process is replaced (bounds slow growth)
    cache_bytes: int = 512 * 2**20  # the disk cache's size bound
    upload_bytes: int = 2 * 2**20  # the largest catalog a translator may upload
    form_bytes: int = 4 * 2**20  # the largest request body of any form (uploads included)
    access_token: str | None = None  # if set, every page asks for it (deployments)
    secret: str = field(default_factory=lambda: secrets.token_hex(32))  # signs CSRF tokens
    backend: str = "local"  # "local": worker processes here; "redis": RQ workers sharing a queue and cache
    redis_url: str | None = None
    brand: Path | None = None  # the clinic's brand file (a _brand.yml; None: the generic edition)
    created: dt.datetime | None = None  # the date files carry (None: the day they are served, UTC)
    admin_writes: bool = False  # allow the documented admin action that writes an uploaded catalog
    retry_after: int = 5  # seconds a 429 asks a client to wait
    soffice: str | None = None  # LibreOffice, for slide images (None: slides are previewed as text)
    clinic: ClinicProfile | None = field(init=False, default=None, repr=False, compare=False)  # brand, validated

    def __post_init__(self):
        problems = []
        if self.backend not in BACKENDS:
            problems.append(f"backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        if self.backend == "redis" and not self.redis_url:
            problems.append("the redis backend needs a redis URL (--redis-url redis://127.0.0.1:6379/0)")
        for name, low in (("workers", 1), ("queue_limit", 0), ("recycle_after", 1), ("cache_bytes", 1 << 20),
                          ("upload_bytes", 1024), ("form_bytes", 1024), ("retry_after", 1)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                problems.append(f"{name} must be a whole number of at least {low}, not {value!r}")
        if not (isinstance(self.render_timeout, (int, float)) and 0.1 <= self.render_timeout <= 3600):
            problems.append(f"render_timeout must be 0.1 to 3600 seconds, not {self.render_timeout!r}")
        if not (isinstance(self.port, int) and 0 <= self.port <= 65535):
            problems.append(f"port must be 0 to 65535, not {self.port!r}")
        if self.access_token is not None and len(self.access_token) < 16:
            problems.append("an access token must have at least 16 characters")
        if self.created is not None and self.created.tzinfo is None:
            problems.append("created must be a timezone-aware datetime")
        if problems:
            raise LeafletsError([Diagnostic("serve", 0, 0, p) for p in problems])
        if self.brand is not None:
            object.__setattr__(self, "clinic", self._load_brand(Path(self.brand)))

    def _load_brand(self, path: Path) -> ClinicProfile:
        """The clinic profile of ``path``, checked as ``leaflets build --brand`` checks it: the
        file itself (every error at its line), and a catalog in this project for each language
        of its language-assistance notice (an error at that language's line)."""
        from leaflets import Engine, Project
        if not path.is_file():
            raise LeafletsError(Diagnostic(str(path), 0, 0, "no such brand file (expected a _brand.yml with a "
                                                            "leaflets: block of contacts)"))
        engine = Engine(Project(content_dir=Path(self.content_dir), locales_dir=Path(self.locales_dir)))
        profile = engine.clinic(path)
        engine.tagline_translations(profile)
        return profile

    @property
    def project_key(self) -> tuple[str, str]:
        """The project as worker jobs name it: its two folders, absolute."""
        return str(Path(self.content_dir).resolve()), str(Path(self.locales_dir).resolve())
