"""What a render worker does: one job in, a small picklable answer out, the bytes in the cache.

A job is plain data (:class:`RenderJob`, :class:`TranslateJob`); a worker
process (:mod:`leaflets.web.pool`, or an RQ worker in the Redis mode) runs it
with its own :class:`WorkerState`: one :class:`~leaflets.Engine` per project,
loaded topics and checked catalogs kept while their files are unchanged, and
the cache the web processes read.  The answer names the engine's
fingerprint and where the bytes are (cache keys), so what crosses a pipe or
Redis is small; a render whose fingerprint is in the cache already is not
rendered again (content-addressed: equal fingerprints, equal bytes).

Patient fields are never part of a job (see :mod:`leaflets.web.personal`):
nothing here stores or logs anything a patient typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.errors import Diagnostic, LeafletsError

if TYPE_CHECKING:
    from leaflets.clinic import ClinicProfile

IMAGE_SCALE = {"pdf": 1.25, "pptx": 0.75}  # pixels per PDF point: ~90 dpi pages, 720-pixel slides
SOFFICE_TIMEOUT = 120  # seconds for LibreOffice to turn a deck into a PDF


@dataclass(frozen=True)
class RenderJob:
    """One file of one topic, as the clinic page asks for it.  The clinic profile travels in the
    job (a few kB with its logo): the worker draws exactly the brand the server validated,
    whichever machine it runs on."""

    content_dir: str
    locales_dir: str
    topic: str
    locale: str
    format: str
    paper: str | None
    variant: str | None
    clinic: ClinicProfile | None  # the server's clinic brand (Settings.clinic), validated; None: generic
    created: int  # seconds since 1970 (UTC): the date the file carries
    images: bool = True  # also rasterize every page or slide for the preview
    second: str | None = None  # a bilingual edition's second language


@dataclass(frozen=True)
class PersonalJob:
    """One patient's copy of a handout (:class:`leaflets.patient.PatientNote`): rendered and
    returned through the pipe, never written to the cache, never kept by the worker, and
    never sent through Redis (:class:`leaflets.web.pool.RedisPool` refuses it)."""

    render: RenderJob
    patient: object  # a leaflets.patient.PatientNote

    def __repr__(self) -> str:  # a traceback or log line that shows the job never shows the patient
        return f"PersonalJob({self.render.topic!r}, {self.render.locale!r}, patient=<withheld>)"


@dataclass(frozen=True)
class TranslateJob:
    """A translator's uploaded catalog for ``locale``: check it, preview it, compare it."""

    content_dir: str
    locales_dir: str
    locale: str
    catalog: bytes
    name: str  # shown in findings: "es.po (uploaded)"
    created: int


@dataclass(frozen=True)
class ProbeJob:
    """A job that only waits ``seconds`` and names its worker process: what a deep health check
    sends to see that workers answer (and how the pool's limits are tested without rendering)."""

    seconds: float = 0.0


def meta_key(fingerprint: str) -> str:
    return f"meta:{fingerprint}"


def file_key(fingerprint: str) -> str:
    return f"file:{fingerprint}"


def image_key(digest: str) -> str:
    return f"img:{digest}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tagline_catalogs(locales_dir, clinic) -> list[Path]:
    """The catalog files ``clinic``'s language-assistance taglines are read from (each listed
    language's chain, as :meth:`leaflets.Engine.tagline_translations` reads them): a document
    of the clinic's edition depends on them whatever its own language."""
    from leaflets.i18n.locales import canonical_tag, catalog_chain
    files = []
    for tag in clinic.taglines if clinic is not None else ():
        try:
            files += [path for _, path in catalog_chain(Path(locales_dir), canonical_tag(tag))]
        except ValueError:  # not a language tag: the engine reports it at its line of the brand file
            continue
    return files


def open_cache(spec: tuple):
    """The cache a ``spec`` names: ("disk", folder, max bytes) or ("redis", url)."""
    from leaflets.web.cache import DiskCache, RedisCache
    if spec[0] == "disk":
        return DiskCache(Path(spec[1]), spec[2])
    return RedisCache(spec[1])


class WorkerState:
    """A worker process's engines, topics and catalogs, kept while their files are unchanged."""

    MAX_ENTRIES = 64  # loaded catalogs kept (each a few hundred kB)

    def __init__(self, cache_spec: tuple, soffice: str | None = None):
        from leaflets.plan import FileDigests
        self.cache = open_cache(cache_spec)
        self.soffice = soffice
        self.engines: dict = {}
        self.topics: dict = {}
        self.translations: dict = {}
        self.documents: dict = {}  # localized documents: one for a handout's two papers and its deck
        self.digests = FileDigests()
        self._profile = None

    # ------------------------------------------------------------ inputs
    def engine(self, content_dir: str, locales_dir: str):
        from leaflets import Engine, Project
        key = (content_dir, locales_dir)
        if key not in self.engines:
            self.engines[key] = Engine(Project(content_dir=Path(content_dir), locales_dir=Path(locales_dir)))
        return self.engines[key]

    def topic(self, engine, topic_id: str):
        files = engine.project.topic_files()
        key = (str(engine.project.content_dir), topic_id, tuple(self.digests.file(p) for p in files))
        if key not in self.topics:
            if len(self.topics) >= self.MAX_ENTRIES:
                self.topics.clear()
                self.documents.clear()
            self.topics[key] = engine.topic(topic_id)
        return self.topics[key]

    def translations_for(self, engine, locale: str):
        from leaflets.i18n.locales import catalog_chain
        files = engine.project.topic_files()
        chain = catalog_chain(engine.project.locales_dir, locale)
        key = (str(engine.project.locales_dir), locale, tuple(self.digests.file(p) for p in files),
               tuple(self.digests.file(p) for _, p in chain))
        if key not in self.translations:
            if len(self.translations) >= self.MAX_ENTRIES:
                self.translations.clear()
                self.documents.clear()
            self.translations[key] = engine.translations(locale)
        if len(self.digests.cache) > 4096:
            self.digests.cache.clear()
        return self.translations[key]

    def warm(self, content_dir: str, locales_dir: str) -> None:
        """Load the project's topics and the fonts of its languages before the first job, so the
        first preview costs what every other one does.  A project that does not load is
        reported by the jobs themselves."""
        engine = self.engine(content_dir, locales_dir)
        try:
            for topic in engine.topics():
                self.topic(engine, topic.topic.topic.id)
            engine.prepare(set(engine.locales()))
        except LeafletsError:
            pass

    # --------------------------------------------------------------- jobs
    def run(self, job) -> dict:
        """Run ``job``; bad input is an answer with diagnostics, never an exception across the pipe."""
        try:
            if isinstance(job, RenderJob):
                return self.render(job)
            if isinstance(job, PersonalJob):
                return self.personal(job)
            if isinstance(job, TranslateJob):
                return self.translate(job)
            if isinstance(job, ProbeJob):
                import time
                time.sleep(min(max(job.seconds, 0.0), 3600.0))
                return {"ok": True, "pid": os.getpid()}
            raise TypeError(f"unknown job {type(job).__name__}")
        except LeafletsError as exc:
            return {"ok": False, "diagnostics": [asdict(d) for d in exc.diagnostics]}

    def document(self, engine, topic, locale: str, clinic=None):
        """``topic`` localized for ``locale`` (the ``clinic``'s edition if one is given), kept while
        its topic and catalogs are unchanged (a clinic's language-assistance taglines come from
        other languages' catalogs: those count too)."""
        translations = self.translations_for(engine, locale)
        key = (id(topic), id(translations), locale)  # both kept while their files are unchanged
        if clinic is not None:
            key += (clinic.digest, self.tagline_files(engine, clinic))
        document = self.documents.get(key)
        if document is None:
            document = engine.localize(topic, locale, translations=translations, clinic=clinic)
            if len(self.documents) >= self.MAX_ENTRIES:
                self.documents.clear()
            self.documents[key] = document
        return document

    def tagline_files(self, engine, clinic) -> tuple:
        """The digests of the catalogs ``clinic``'s language-assistance taglines are read from."""
        return tuple(self.digests.file(path) for path in tagline_catalogs(engine.project.locales_dir, clinic))

    def render(self, job: RenderJob) -> dict:
        from leaflets.plan import BuildOptions, Target
        engine = self.engine(job.content_dir, job.locales_dir)
        topic = self.topic(engine, job.topic)
        clinic = job.clinic
        document = self.document(engine, topic, job.locale, clinic)
        second = self.document(engine, topic, job.second, clinic) if job.second else None  # localized on its own
        target = Target(job.topic, document.locale, job.format, job.paper, job.variant,
                        clinic.id if clinic is not None else None, second.locale if second is not None else None)
        options = BuildOptions(created=dt.datetime.fromtimestamp(job.created, dt.timezone.utc),
                               second_locale=target.second_locale, clinic=clinic)
        fingerprint = engine.fingerprint(document, target, options, second=second)
        cached = self.cache.get(meta_key(fingerprint))
        if cached is not None:
            meta = json.loads(cached)
            parts = [file_key(fingerprint)] + [image_key(d) for d in meta.get("images") or ()]
            if (not job.images or meta.get("images") is not None or job.format == "pptx" and not self.soffice) \
                    and all(self.cache.has(key) for key in parts):
                return {"ok": True, "fingerprint": fingerprint, "meta": meta, "cached": True}
        artifact = engine.render_target(document, target, options, fingerprint=fingerprint, second=second)
        images = self.images(artifact.data, job.format) if job.images else None  # None: not drawn (yet)
        meta = {"file_name": artifact.file_name, "media_type": artifact.media_type, "count": artifact.count,
                "unit": artifact.unit, "warnings": list(artifact.warnings), "bytes": len(artifact.data),
                "images": images, "locale": document.locale}
        self.cache.put(file_key(fingerprint), artifact.data)
        self.cache.put(meta_key(fingerprint), json.dumps(meta).encode())  # last: an entry is whole or absent
        return {"ok": True, "fingerprint": fingerprint, "meta": meta, "cached": False}

    def personal(self, job: PersonalJob) -> dict:
        """One patient's file: localized with the patient's lines and rendered in memory; the
        document and the bytes are not kept (no cache, no document memo) and go back to the
        caller only."""
        from leaflets.plan import BuildOptions, Target
        spec = job.render
        if spec.format != "pdf":
            raise LeafletsError(Diagnostic("format", 0, 0, "a patient's copy is a handout (PDF)"))
        engine = self.engine(spec.content_dir, spec.locales_dir)
        topic = self.topic(engine, spec.topic)
        translations = self.translations_for(engine, spec.locale)
        clinic = spec.clinic
        document = engine.localize(topic, spec.locale, translations=translations, patient=job.patient,
                                   clinic=clinic)
        # a bilingual copy: the patient's lines go with the first language; the second is the
        # shared, unpersonal translation (the document memo may keep it)
        second = self.document(engine, topic, spec.second, clinic) if spec.second else None
        target = Target(spec.topic, document.locale, spec.format, spec.paper, spec.variant,
                        clinic.id if clinic is not None else None, second.locale if second is not None else None)
        options = BuildOptions(created=dt.datetime.fromtimestamp(spec.created, dt.timezone.utc),
                               second_locale=target.second_locale, clinic=clinic)
        artifact = engine.render_target(document, target, options, fingerprint="personal", second=second)
        return {"ok": True, "data": artifact.data, "file_name": artifact.file_name,
                "media_type": artifact.media_type}

    # ------------------------------------------------------------ images
    def images(self, data: bytes, fmt: str) -> list[str] | None:
        """Every page (or slide) as a PNG in the cache; their digests in order.  Slides need
        LibreOffice; without it a deck has no images (the page lists its slides as text)."""
        if fmt == "pptx":
            if not self.soffice:
                return None
            data = self.deck_pdf(data)
        digests = []
        for png in rasterize(data, IMAGE_SCALE.get(fmt, 1.0)):
            digest = _sha(png)
            self.cache.put(image_key(digest), png)
            digests.append(digest)
        return digests

    def deck_pdf(self, data: bytes) -> bytes:
        """The deck as LibreOffice prints it (its own profile per worker, so workers never share one)."""
        if self._profile is None:
            self._profile = tempfile.mkdtemp(prefix="leaflets-soffice-")
        with tempfile.TemporaryDirectory(prefix="leaflets-deck-") as work:
            source = Path(work) / "deck.pptx"
            source.write_bytes(data)
            try:
                subprocess.run([self.soffice, f"-env:UserInstallation=file://{self._profile}", "--headless",
                                "--convert-to", "pdf", "--outdir", work, str(source)],
                               capture_output=True, timeout=SOFFICE_TIMEOUT, check=False)
            except subprocess.TimeoutExpired:
                raise LeafletsError(Diagnostic("preview", 0, 0, "LibreOffice took too long to draw the slides"))
            out = Path(work) / "deck.pdf"
            if not out.exists():
                raise LeafletsError(Diagnostic("preview", 0, 0, "LibreOffice could not draw the slides"))
            return out.read_bytes()

    def close(self) -> None:
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)

    # --------------------------------------------------------- translator
    def translate(self, job: TranslateJob) -> dict:
        """The uploaded catalog checked as ``locales status --strict`` checks a shipped one, its
        handout and deck previewed, and the pages and slides that differ from the shipped
        catalog's.  The upload lives in a private temporary folder, removed before the answer."""
        from leaflets import Engine, Project
        from leaflets.i18n import workflow
        from leaflets.i18n.locales import catalog_chain, catalog_path
        shipped = self.engine(job.content_dir, job.locales_dir)
        with tempfile.TemporaryDirectory(prefix="leaflets-upload-") as work:
            locales = Path(work) / "locales"
            (locales / "reviews").mkdir(parents=True)
            source_locales = Path(job.locales_dir)
            for name in ("LINGUAS", f"reviews/{job.locale}.json"):
                if (source_locales / name).is_file():
                    shutil.copyfile(source_locales / name, locales / name)
            for tag, path in catalog_chain(source_locales, job.locale):  # a regional catalog's base
                if tag != job.locale:
                    shutil.copyfile(path, locales / path.name)
            upload = catalog_path(locales, job.locale)
            upload.write_bytes(job.catalog)
            project = Project(content_dir=Path(job.content_dir), locales_dir=locales)

            def shown(text: str) -> str:
                return text.replace(str(upload), job.name).replace(str(locales) + "/", "").replace(work, "upload")

            engine = Engine(project, fonts=shipped.fonts)
            try:
                rows = workflow.status(project, layout=True, locales=[job.locale])
            except LeafletsError as exc:
                return {"ok": False, "diagnostics": [{**asdict(d), "file": shown(d.file)} for d in exc.diagnostics]}
            row = rows[-1]
            findings = [{"file": shown(d.file), "line": d.line, "column": d.column, "message": d.message}
                        for d in row.problems]
            findings += [{"file": shown(f.file), "line": f.line, "column": 0,
                          "message": f"[{f.check}] {f.message} (msgid {f.msgid[:80]!r})"} for f in row.findings]
            findings += [{"file": shown(f.diagnostic().file), "line": f.diagnostic().line, "column": 0,
                          "message": f.diagnostic().message} for f in row.layout]
            findings += [{"file": shown(e.file), "line": e.line, "column": 0, "message": f"fuzzy: {e.msgid[:80]!r}"}
                         for e in row.fuzzy_entries]
            findings += [{"file": shown(e.file), "line": e.line, "column": 0,
                          "message": f"untranslated: {e.msgid[:80]!r}"} for e in row.missing]
            summary = {"translated": row.translated, "total": row.total, "fuzzy": row.fuzzy,
                       "untranslated": row.untranslated, "errors": row.errors, "review": row.review,
                       "broken": row.broken, "complete": row.complete}
            if row.broken:
                return {"ok": True, "summary": summary, "findings": findings, "previews": []}
            created = dt.datetime.fromtimestamp(job.created, dt.timezone.utc)
            previews = []
            for topic in engine.topics():
                previews += self._compare(shipped, engine, topic.topic.topic.id, job.locale, created, shown)
        return {"ok": True, "summary": summary, "findings": findings, "previews": previews}

    def _compare(self, shipped, uploaded, topic_id: str, locale: str, created, shown) -> list[dict]:
        """Handout (A4) and deck of ``topic_id`` with the uploaded catalog (English where an entry is
        missing or failing, marked as such), each page or slide flagged where the shipped catalog's differs."""
        from leaflets.plan import BuildOptions, Target
        out = []
        documents = {}
        for name, engine in (("uploaded", uploaded), ("shipped", shipped)):
            try:
                documents[name] = engine.localize(engine.topic(topic_id), locale, allow_incomplete=True)
            except LeafletsError as exc:
                if name == "uploaded":
                    raise LeafletsError([Diagnostic(shown(d.file), d.line, d.column, d.message)
                                         for d in exc.diagnostics]) from None
                documents[name] = None  # no shipped catalog to compare with: every page is new
        options = BuildOptions(created=created, allow_incomplete=True)
        for fmt, paper in (("pdf", "a4"), ("pptx", None)):
            parts = {}
            for name, engine in (("uploaded", uploaded), ("shipped", shipped)):
                document = documents[name]
                if document is None:
                    parts[name] = None
                    continue
                artifact = engine.render_target(document, Target(topic_id, locale, fmt, paper), options)
                parts[name] = artifact.data
            pages_new = page_texts(parts["uploaded"], fmt)
            pages_old = page_texts(parts["shipped"], fmt) if parts["shipped"] is not None else []
            images = self.images(parts["uploaded"], fmt)
            changed = [i >= len(pages_old) or pages_old[i] != text for i, text in enumerate(pages_new)]
            out.append({"topic": topic_id, "format": fmt, "unit": "page" if fmt == "pdf" else "slide",
                        "images": images, "texts": [t[:400] for t in pages_new], "changed": changed,
                        "removed": max(0, len(pages_old) - len(pages_new))})
        return out


def rasterize(pdf: bytes, scale: float) -> list[bytes]:
    """Every page of ``pdf`` as PNG bytes (PDFium)."""
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=scale)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, format="PNG", optimize=False, compress_level=1)
                bitmap.close()
                images.append(buffer.getvalue())
            finally:
                page.close()
        return images
    finally:
        document.close()


def page_texts(data: bytes | None, fmt: str) -> list[str]:
    """The text of every page (PDFium's extraction) or slide (every text run of its XML, notes
    included), for telling which ones an edit changed."""
    if data is None:
        return []
    if fmt == "pdf":
        import pypdfium2 as pdfium
        document = pdfium.PdfDocument(data)
        try:
            texts = []
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return texts
        finally:
            document.close()
    from pptx import Presentation
    deck = Presentation(io.BytesIO(data))
    texts = []
    for slide in deck.slides:
        runs = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for shape in slide.shapes:
            if shape.has_table:
                runs += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            runs.append(slide.notes_slide.notes_text_frame.text)
        texts.append("\n".join(runs))
    return texts


# --------------------------------------------------------------- processes
def worker_main(conn, cache_spec: tuple, soffice: str | None, warm: tuple | None = None) -> None:
    """A pool worker: warm up, say ready, then answer jobs until told to stop (or the pipe closes)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    state = WorkerState(cache_spec, soffice)
    try:
        if warm is not None:
            state.warm(*warm)
        conn.send(("ready", os.getpid()))
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            try:
                answer = state.run(job)
            except Exception as exc:  # a bug, not bad input: reported, and the worker is replaced
                answer = {"ok": False, "crashed": True,
                          "diagnostics": [{"file": "render", "line": 0, "column": 0,
                                           "message": f"internal error: {type(exc).__name__}"}]}
                conn.send(answer)
                return
            conn.send(answer)
    finally:
        state.close()


_RQ_STATE: dict = {}  # an RQ worker process's WorkerState, made on its first job (the worker's own process)


def rq_run(job, cache_spec: tuple, soffice: str | None) -> dict:
    """The function RQ workers run (Redis mode): the same job, the same answer."""
    state = _RQ_STATE.get(cache_spec)
    if state is None:
        state = _RQ_STATE[cache_spec] = WorkerState(cache_spec, soffice)
    return state.run(job)
