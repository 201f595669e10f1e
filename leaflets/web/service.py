"""Between the pages and the workers: what a choice is, its cache key, and the render that answers it.

A :class:`Choice` is what the clinic form asks for, validated against the
project (a topic it has, a language it ships, an edition the engine lists)
before anything runs: no request string reaches a job, a file path or a
cache key unvalidated.

The cache is content-addressed in two steps, as the build's manifest is
(:mod:`leaflets.plan`):

1. a choice's **inputs stamp** (the generator, the engine's files, the
   topic files and the locale's catalog chain by content, every option, and
   the server's clinic brand: its id, the digest of its brand file and logo,
   and the catalogs of its language-assistance taglines)
   is computed here, from file digests alone (cached by size and
   modification time), in well under a millisecond: ``stamp:<stamp>``
   names the engine's fingerprint of the file it made;
2. the worker localizes and computes the **fingerprint** (the engine's:
   equal fingerprints, equal bytes); ``meta:<fingerprint>``,
   ``file:<fingerprint>`` and ``img:<digest>`` hold the answer.  A worker
   that finds the fingerprint in the cache renders nothing (an edit to a
   catalog entry the topic does not use changes the stamp, not the file).

So a cached preview is two small cache reads and no localization; an
uncached one is one job in the pool, coalesced with any identical one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError
from leaflets.web.jobs import PersonalJob, RenderJob, TranslateJob, file_key, image_key, meta_key, tagline_catalogs

FORMATS = ("pdf", "pptx")
PAPERS = ("a4", "letter")


class BadChoice(LeafletsError):
    """A form value the project does not offer (the page says which values it does)."""

    def __init__(self, field: str, message: str):
        super().__init__(Diagnostic(field, 0, 0, message))
        self.field = field


class RenderFailed(LeafletsError):
    """The engine refused the render (a catalog error, text that does not fit...): its diagnostics."""


@dataclass(frozen=True)
class Choice:
    """One validated request of the clinic page (what its query string says)."""

    topic: str
    locale: str
    format: str = "pdf"
    paper: str | None = "a4"
    edition: str = "standard"
    second: str | None = None  # a bilingual edition's second language

    def query(self, **changes) -> dict:
        values = {"topic": self.topic, "lang": self.locale, "format": self.format, "paper": self.paper or "",
                  "edition": self.edition}
        if self.second:
            values["second"] = self.second
        values.update(changes)
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Rendered:
    fingerprint: str
    meta: dict
    cached: bool


@dataclass(frozen=True)
class TopicInfo:
    id: str
    title: str
    version: str
    last_reviewed: dt.date
    next_review: dt.date


@dataclass(frozen=True)
class LanguageInfo:
    """A language as the pages show it: how complete and how reviewed (``locales status``)."""

    locale: str
    name: str  # in its own language
    shipped: bool
    translated: int
    total: int
    complete: bool
    review: str  # "reviewed by ... on ..." / "draft: not reviewed"
    reviewed: bool
    review_date: dt.date | None
    problems: tuple[str, ...] = ()


class RenderService:
    """The project a server serves, its validated choices, and renders through a pool and a cache."""

    def __init__(self, settings, pool, cache):
        from leaflets import Engine, Project
        from leaflets.plan import FileDigests
        self.settings = settings
        self.project = Project(content_dir=Path(settings.content_dir), locales_dir=Path(settings.locales_dir))
        self.engine = Engine(self.project)  # for what the project offers; it never renders in this process
        self.pool = pool
        self.cache = cache
        self.digests = FileDigests()
        self._status_lock = threading.Lock()
        self._status: tuple[str, dict] | None = None

    # ------------------------------------------------------------ project
    def _inputs_digest(self) -> str:
        from leaflets.plan import digest_of
        files = self.project.topic_files() + sorted(Path(self.project.locales_dir).glob("*.po"))
        linguas = Path(self.project.locales_dir) / "LINGUAS"
        reviews = sorted((Path(self.project.locales_dir) / "reviews").glob("*.json"))
        return digest_of([self.digests.file(p) for p in [*files, linguas, *reviews]])

    def overview_if_current(self) -> dict | None:
        """The overview if no input changed since it was made (a stat per file, no reading)."""
        status = self._status
        if status is not None and status[0] == self._inputs_digest():
            return status[1]
        return None

    def overview(self) -> dict:
        """Topics and languages with their status, recomputed only when a topic or catalog changed
        (runs in a thread: it reads every catalog)."""
        digest = self._inputs_digest()
        with self._status_lock:
            if self._status is not None and self._status[0] == digest:
                return self._status[1]
            data = self._compute_overview()
            self._status = (digest, data)
            return data

    def _compute_overview(self) -> dict:
        from babel import Locale

        from leaflets.i18n import workflow
        topics, failures = self.engine.load_topics()
        infos = [TopicInfo(t.topic.topic.id, t.topic.topic.title, t.topic.topic.content_version,
                           t.topic.topic.last_reviewed, t.topic.topic.next_review) for t in topics]
        rows = workflow.status(self.project, topics) if topics else []
        languages = []
        for row in rows:
            try:
                name = Locale.parse(row.locale.replace("-", "_")).get_display_name() or row.locale
            except (ValueError, TypeError):
                name = row.locale
            dates = [t.review.date for t in row.topics if t.review.state == "reviewed" and t.review.date]
            languages.append(LanguageInfo(
                row.locale, name, row.shipped, row.translated, row.total, row.complete, row.review,
                bool(row.topics) and all(t.review.state in ("reviewed", "source") for t in row.topics),
                max(dates) if dates else None, tuple(str(p) for p in row.problems)))
        return {"topics": infos, "languages": languages,
                "failures": {f: [str(d) for d in ds] for f, ds in failures.items()}}

    def editions(self):
        return self.engine.editions()

    # ------------------------------------------------------------- choice
    def choose(self, params, overview: dict) -> Choice:
        """The clinic form's values, checked against what the project offers; BadChoice otherwise."""
        topics = [t.id for t in overview["topics"]]
        languages = {lang.locale: lang for lang in overview["languages"] if lang.shipped and not lang.problems}
        topic = params.get("topic") or (topics[0] if topics else "")
        if topic not in topics:
            raise BadChoice("topic", "choose a topic from the list")
        locale = params.get("lang") or "en"
        if locale not in languages:
            raise BadChoice("lang", "choose a language from the list")
        fmt = params.get("format") or "pdf"
        if fmt not in FORMATS:
            raise BadChoice("format", "choose the handout (PDF) or the slides (PowerPoint)")
        paper = params.get("paper") or "a4"
        if paper not in PAPERS:
            raise BadChoice("paper", "choose A4 or US Letter")
        edition_id = params.get("edition") or "standard"
        editions = {e.id: e for e in self.editions()}
        if edition_id not in editions:
            raise BadChoice("edition", "choose an edition from the list")
        edition = editions[edition_id]
        second = params.get("second") or None
        if edition.second_locale:
            if second not in languages or second == locale:
                raise BadChoice("second", "choose a second language, different from the first")
        else:
            second = None
        if edition.variant is not None and fmt != "pdf":
            raise BadChoice("format", "this edition is a handout: choose the PDF (the slides have one edition)")
        return Choice(topic, locale, fmt, paper if fmt == "pdf" else None, edition_id, second)

    # ------------------------------------------------------------- render
    def created(self) -> dt.datetime:
        """The date files carry: the configured one, else today (UTC): a day's files are identical."""
        if self.settings.created is not None:
            return self.settings.created
        today = dt.datetime.now(dt.timezone.utc).date()
        return dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)

    def stamp(self, choice: Choice, created: dt.datetime) -> str:
        """The inputs stamp of ``choice`` (see the module docstring): file digests and options only."""
        from leaflets.i18n.locales import catalog_chain
        from leaflets.plan import ASSETS_DIR, digest_of, generator_id
        files = [self.digests.file(p) for p in self.project.topic_files()]
        chain = [(tag, self.digests.file(p)) for tag, p in catalog_chain(self.project.locales_dir, choice.locale)]
        if choice.second:  # a bilingual edition is made from the second language's catalogs too
            chain += [(tag, self.digests.file(p)) for tag, p in catalog_chain(self.project.locales_dir, choice.second)]
        clinic = self.settings.clinic
        brand = None
        if clinic is not None:  # the brand file and logo by content, and the catalogs of its taglines
            brand = (clinic.id, clinic.digest,
                     [self.digests.file(p) for p in tagline_catalogs(self.project.locales_dir, clinic)])
        if len(self.digests.cache) > 4096:
            self.digests.cache.clear()
        return digest_of("web-render", generator_id(), self.digests.folder(ASSETS_DIR), files, chain,
                         choice.topic, choice.locale, choice.format, choice.paper, choice.edition, choice.second,
                         brand, int(created.timestamp()))

    def job(self, choice: Choice, created: dt.datetime, images: bool = True) -> RenderJob:
        edition = {e.id: e for e in self.editions()}[choice.edition]
        content, locales = self.settings.project_key
        return RenderJob(content, locales, choice.topic, choice.locale, choice.format, choice.paper,
                         edition.variant, self.settings.clinic, int(created.timestamp()), images=images,
                         second=choice.second)

    async def render(self, choice: Choice, images: bool = True) -> Rendered:
        """The rendered file of ``choice`` (with its page or slide images if ``images``: a
        download needs none, and slide images cost LibreOffice seconds): from the cache (one hop
        to a thread: the stamp and two small reads), else from a worker (coalesced with
        identical requests)."""
        created = self.created()
        stamp, known = await asyncio.to_thread(self._lookup, choice, created)
        if known is not None and (not images or known.meta.get("images") is not None
                                  or choice.format == "pptx" and not self.settings.soffice):
            return known
        key = stamp + (":images" if images else "")
        answer = await self.pool.submit(key, self.job(choice, created, images))
        if not answer.get("ok"):
            raise RenderFailed([Diagnostic(**d) for d in answer["diagnostics"]])
        await asyncio.to_thread(self.cache.put, f"stamp:{stamp}", answer["fingerprint"].encode())
        return Rendered(answer["fingerprint"], answer["meta"], answer.get("cached", False))

    async def render_personal(self, choice: Choice, patient) -> dict:
        """One patient's copy of ``choice`` (a handout): rendered by a pool worker under a key no
        other request shares (never coalesced, so never handed to another caller), past every
        cache (nothing is read or written), answered with the bytes.  Redis mode refuses it:
        the job would be stored in Redis on its way to a worker."""
        import secrets
        if self.settings.backend == "redis":
            raise RenderFailed(Diagnostic("patient", 0, 0, "this server (Redis mode) does not make patients' "
                                                           "copies: their details would pass through Redis"))
        if choice.format != "pdf":
            raise BadChoice("format", "a patient's copy is a handout (PDF)")
        job = PersonalJob(self.job(choice, self.created(), images=False), patient)
        answer = await self.pool.submit("personal:" + secrets.token_hex(16), job)
        if not answer.get("ok"):
            raise RenderFailed([Diagnostic(**d) for d in answer["diagnostics"]])
        return answer

    def _lookup(self, choice: Choice, created: dt.datetime) -> tuple[str, Rendered | None]:
        stamp = self.stamp(choice, created)
        return stamp, self._cached(stamp)

    def _cached(self, stamp: str) -> Rendered | None:
        fingerprint = self.cache.get(f"stamp:{stamp}")
        if fingerprint is None:
            return None
        fingerprint = fingerprint.decode()
        meta = self.cache.get(meta_key(fingerprint))
        if meta is None:
            return None
        meta = json.loads(meta)
        keys = [file_key(fingerprint)] + [image_key(d) for d in meta.get("images") or ()]
        if not all(self.cache.has(key) for key in keys):  # a part was evicted: render again
            return None
        return Rendered(fingerprint, meta, True)

    def file(self, fingerprint: str) -> bytes | None:
        return self.cache.get(file_key(fingerprint))

    def meta(self, fingerprint: str) -> dict | None:
        meta = self.cache.get(meta_key(fingerprint))
        return json.loads(meta) if meta is not None else None

    def image(self, digest: str) -> bytes | None:
        return self.cache.get(image_key(digest))

    # --------------------------------------------------------- translator
    async def translate(self, locale: str, data: bytes, name: str) -> dict:
        import hashlib
        content, locales = self.settings.project_key
        job = TranslateJob(content, locales, locale, data, name, int(self.created().timestamp()))
        key = "translate:" + hashlib.sha256(locale.encode() + b"\0" + data).hexdigest()
        return await self.pool.submit(key, job)
