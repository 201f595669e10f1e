"""The web app: a clinic page, a translator page and a catalogue, on Starlette.

:func:`create_app` takes a :class:`~leaflets.web.settings.Settings` and
returns an ASGI app that owns its render pool and cache (started and stopped
with the app): no module-level state, so tests make as many apps as they
like.  Pages are rendered on the server (Jinja2, autoescaped; no inline
script); the only script (``static/app.js``) adds a print button.

* ``GET /`` (clinic page): the choice is in the query string, so a URL is
  shareable; every page or slide of the chosen file is shown as an image.
* ``GET /download``: the chosen file (cached by fingerprint).
* ``POST /download/personal``: one patient's copy (name, follow-up date, note in
  the form's body, never in a URL): rendered past every cache, never stored or logged.
* ``GET /img/<sha256>.png``: a page image, content-addressed (immutable).
* ``GET /translate``, ``POST /translate``: a translator's uploaded catalog,
  checked and previewed; nothing is written.  ``POST /admin/catalog``
  writes one into the project, only on a server started with
  ``--allow-catalog-writes`` (see README, "Web app").
* ``GET /catalogue``: every topic × language × edition, with links.

Every file is the edition of the server's clinic brand (``Settings.brand``, a
``_brand.yml``), or the generic one without; the clinic page and the
catalogue say which.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from urllib.parse import urlencode

from leaflets.errors import LeafletsError
from leaflets.web.security import CSRF_COOKIE, TOKEN_COOKIE, check_csrf, csrf_token, new_cookie

HERE = Path(__file__).resolve().parent
DIGEST = re.compile(r"^[0-9a-f]{64}$")
PO_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,60}\.po$")  # a plain file name, shown; anything else is LANG.po
MAX_PARAM = 64  # characters of any query value (longer ones are not a choice the page offers)


def N_(msgid: str) -> str:
    """Marks an interface string for extraction (:mod:`leaflets.web.i18n`); the page translates it."""
    return msgid


EDITION_LABELS = (N_("Standard"), N_("Large print"), N_("Bilingual"))  # Edition.label, as the pages translate it
TRY_AGAIN = N_("Please try again; if it happens again, tell the person who runs this server.")


def create_app(settings):
    """The ASGI app for ``settings`` (see the module docstring)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from leaflets.web.i18n import UiCatalogs
    from leaflets.web.pool import LocalPool, QueueFull, RedisPool, RenderTimeout, WorkerCrashed
    from leaflets.web.security import AccessToken, BodyLimit, SecurityHeaders
    from leaflets.web.service import BadChoice, RenderFailed, RenderService

    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                            trim_blocks=True, lstrip_blocks=True)
    ui = UiCatalogs()
    ui_names = ui.names()
    state: dict = {}

    def make_pool_and_cache():
        from leaflets.web.cache import DiskCache, RedisCache
        if settings.backend == "redis":
            cache_spec = ("redis", settings.redis_url)
            cache = RedisCache(settings.redis_url)
            pool = RedisPool(url=settings.redis_url, workers=settings.workers, queue_limit=settings.queue_limit,
                             timeout=settings.render_timeout, retry_after=settings.retry_after,
                             cache_spec=cache_spec, soffice=settings.soffice)
        else:
            cache_spec = ("disk", str(Path(settings.cache_dir).resolve()), settings.cache_bytes)
            cache = DiskCache(Path(settings.cache_dir), settings.cache_bytes)
            pool = LocalPool(workers=settings.workers, queue_limit=settings.queue_limit,
                             timeout=settings.render_timeout, recycle_after=settings.recycle_after,
                             retry_after=settings.retry_after, cache_spec=cache_spec, soffice=settings.soffice,
                             warm=settings.project_key)
        return pool, cache

    @contextlib.asynccontextmanager
    async def lifespan(app):
        pool, cache = make_pool_and_cache()
        await pool.start()
        service = RenderService(settings, pool, cache)
        app.state.service = service
        state["service"] = service
        try:
            yield
        finally:
            await pool.close()

    # ------------------------------------------------------------ helpers
    def params(request) -> dict:
        return {k: v[:MAX_PARAM] for k, v in request.query_params.items() if isinstance(v, str)}

    def page(request, name: str, status: int = 200, headers=None, **context) -> Response:
        language = ui.pick(request.query_params.get("ui"), request.headers.get("accept-language"))
        cookie = request.cookies.get(CSRF_COOKIE) or new_cookie()
        ui_query = {"ui": language.tag} if request.query_params.get("ui") == language.tag else {}
        html = templates.get_template(name).render(
            _=language.gettext, ui_format=language.format, lang=language.tag, dir=language.direction, ui_tags=ui_names,
            csrf=csrf_token(settings.secret, cookie), path=request.url.path, ui_query=ui_query,
            urlencode=urlencode, **context)
        response = HTMLResponse(html, status_code=status, headers=headers)
        if request.cookies.get(CSRF_COOKIE) != cookie:
            response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        return response

    async def overview():
        """The project's topics and languages: recomputed in a thread when a file changed (it reads
        every catalog); between changes, a check of the files' sizes and times."""
        import asyncio
        service = state["service"]
        known = service.overview_if_current()
        return known if known is not None else await asyncio.to_thread(service.overview)

    def busy(request, exc: QueueFull) -> Response:
        return page(request, "error.html", 429, {"Retry-After": str(exc.retry_after)},
                    title_msgid=N_("The server is busy"),
                    detail_msgid=N_("Many files are being prepared right now. Please try again in a few seconds."))

    def failed(request, exc: Exception) -> Response:
        if isinstance(exc, QueueFull):
            return busy(request, exc)
        if isinstance(exc, RenderTimeout):
            return page(request, "error.html", 504, title_msgid=N_("This file took too long to prepare"),
                        detail_msgid=TRY_AGAIN)
        if isinstance(exc, WorkerCrashed):
            return page(request, "error.html", 503, title_msgid=N_("This file could not be prepared"),
                        detail_msgid=TRY_AGAIN)
        raise exc

    # -------------------------------------------------------------- pages
    async def clinic(request):
        service = state["service"]
        info = await overview()
        values = params(request)
        error = None
        rendered = choice = None
        try:
            choice = service.choose(values, info)
        except BadChoice as exc:
            error = exc
        if choice is not None:
            try:
                rendered = await service.render(choice)
            except RenderFailed as exc:
                error = exc
            except (QueueFull, RenderTimeout, WorkerCrashed) as exc:
                return failed(request, exc)
        return page(request, "clinic.html", 200 if error is None else 422, info=info, choice=choice,
                    values=values, rendered=rendered, error=error, editions=service.editions(),
                    brand=settings.clinic)

    async def download(request):
        service = state["service"]
        info = await overview()
        try:
            choice = service.choose(params(request), info)
            rendered = await service.render(choice, images=False)
        except BadChoice as exc:
            return PlainTextResponse(f"{exc.field}: {exc.diagnostics[0].message}", status_code=400)
        except RenderFailed as exc:
            return PlainTextResponse("\n".join(str(d) for d in exc.diagnostics), status_code=422)
        except (QueueFull, RenderTimeout, WorkerCrashed) as exc:
            return failed(request, exc)
        import asyncio
        data = await asyncio.to_thread(service.file, rendered.fingerprint)
        if data is None:
            return PlainTextResponse("the file was removed from the cache; please ask again", status_code=503)
        name = rendered.meta["file_name"].replace("/", "-")
        disposition = "inline" if request.query_params.get("disposition") == "inline" else "attachment"
        return Response(data, media_type=rendered.meta["media_type"], headers={
            "Content-Disposition": f'{disposition}; filename="{name}"', "ETag": f'"{rendered.fingerprint[7:39]}"',
            "Cache-Control": "private, max-age=300"})

    async def download_personal(request):
        """One patient's copy: the choice and the patient's fields come in a POST form (with the
        CSRF token), so nothing personal is in a URL, a server log line or a browser history;
        the file is rendered past the cache and sent with ``Cache-Control: no-store``.  Error
        messages name the field, never its value."""
        from leaflets.patient import patient_note
        service = state["service"]
        try:
            form = await request.form(max_files=0, max_fields=16, max_part_size=64 * 1024)  # BodyLimit bounds the whole
        except Exception:  # noqa: BLE001 - a malformed form: a message, not a traceback
            return PlainTextResponse("the form could not be read", status_code=400)
        if not check_csrf(settings.secret, request.cookies.get(CSRF_COOKIE), form.get("csrf")):
            return PlainTextResponse("the form expired: reload the page and send it again", status_code=400)
        values = {k: v[:MAX_PARAM] for k, v in form.items()
                  if k in ("topic", "lang", "format", "paper", "edition", "second") and isinstance(v, str)}
        fields = {k: form.get(k) for k in ("name", "follow_up", "note")}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            return PlainTextResponse("patient: text fields only", status_code=400)
        info = await overview()
        try:
            choice = service.choose(values, info)
            patient = patient_note(**fields)
            if patient is None:
                return PlainTextResponse("patient: fill in at least one of name, follow-up date and note "
                                         "(or use the ordinary download)", status_code=400)
            answer = await service.render_personal(choice, patient)
        except BadChoice as exc:
            return PlainTextResponse(f"{exc.field}: {exc.diagnostics[0].message}", status_code=400)
        except RenderFailed as exc:
            return PlainTextResponse("\n".join(str(d) for d in exc.diagnostics), status_code=422)
        except LeafletsError as exc:  # the patient's fields: messages name the field and the rule
            return PlainTextResponse("\n".join(d.message for d in exc.diagnostics), status_code=400)
        except (QueueFull, RenderTimeout, WorkerCrashed) as exc:
            return failed(request, exc)
        name = answer["file_name"].replace("/", "-")
        return Response(answer["data"], media_type=answer["media_type"], headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    async def image(request):
        import asyncio
        digest = request.path_params["digest"]
        if not DIGEST.match(digest):
            return PlainTextResponse("not found", status_code=404)
        data = await asyncio.to_thread(state["service"].image, digest)
        if data is None:
            return PlainTextResponse("not found", status_code=404)
        return Response(data, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})

    async def catalogue(request):
        info = await overview()
        return page(request, "catalogue.html", info=info, editions=state["service"].editions(), brand=settings.clinic)

    async def translate_form(request):
        info = await overview()
        return page(request, "translate.html", info=info, result=None, error=None, admin=settings.admin_writes)

    async def read_upload(request):
        """(locale, bytes, name) of a translator's upload, or an error message id."""
        try:
            form = await request.form(max_files=1, max_fields=8, max_part_size=settings.upload_bytes)
        except Exception:  # noqa: BLE001 - malformed multipart: a message, not a traceback
            return None, N_("The form could not be read. Choose a PO file and send it again.")
        if not check_csrf(settings.secret, request.cookies.get(CSRF_COOKIE), form.get("csrf")):
            return None, N_("The form expired. Reload the page and send it again.")
        info = await overview()
        locales = {lang.locale for lang in info["languages"] if lang.locale != "en"}
        locale = form.get("lang")
        if not isinstance(locale, str) or locale not in locales:
            return None, N_("Choose the language of the catalog.")
        upload = form.get("catalog")
        if upload is None or isinstance(upload, str):
            return None, N_("Choose a PO file to upload.")
        data = await upload.read(settings.upload_bytes + 1)
        await upload.close()
        if len(data) > settings.upload_bytes:
            return None, N_("The file is too large for a catalog.")
        if not data:
            return None, N_("The file is empty.")
        name = upload.filename or ""
        shown = name if PO_NAME.match(name) else f"{locale}.po"  # never a path, never markup
        return (locale, data, f"{shown} (uploaded)"), None

    async def translate(request):
        info = await overview()
        upload, message = await read_upload(request)
        if upload is None:
            return page(request, "translate.html", 400, info=info, result=None, error=message,
                        admin=settings.admin_writes)
        locale, data, name = upload
        try:
            result = await state["service"].translate(locale, data, name)
        except (QueueFull, RenderTimeout, WorkerCrashed) as exc:
            return failed(request, exc)
        return page(request, "translate.html", info=info, result=result, error=None, locale=locale,
                    upload_name=name, admin=settings.admin_writes)

    async def install_catalog(request):
        """The documented admin action: write a checked upload into the project's catalog."""
        if not settings.admin_writes:
            return PlainTextResponse("this server does not write catalogs (start it with --allow-catalog-writes)",
                                     status_code=403)
        info = await overview()
        upload, message = await read_upload(request)
        if upload is None:
            return page(request, "translate.html", 400, info=info, result=None, error=message, admin=True)
        locale, data, name = upload
        try:
            result = await state["service"].translate(locale, data, name)
        except (QueueFull, RenderTimeout, WorkerCrashed) as exc:
            return failed(request, exc)
        if not result.get("ok") or result["summary"]["broken"] or any(
                f["message"].startswith("[") for f in result["findings"]):
            return page(request, "translate.html", 422, info=info, result=result, error=N_(
                "Not installed: the catalog has errors. Fix the findings below first."), locale=locale,
                upload_name=name, admin=True)
        import asyncio

        from leaflets.i18n.catalogs import write_atomic
        from leaflets.i18n.locales import catalog_path
        target = catalog_path(Path(settings.locales_dir), locale)
        await asyncio.to_thread(write_atomic, target, data)
        return page(request, "translate.html", info=info, result=result, error=None, locale=locale,
                    upload_name=name, admin=True, installed=target.name)

    async def signin(request):
        if request.method == "POST":
            form = await request.form(max_files=0, max_fields=4, max_part_size=1024)
            if not check_csrf(settings.secret, request.cookies.get(CSRF_COOKIE), form.get("csrf")):
                return page(request, "signin.html", 400, error=N_("The form expired. Reload the page and send it again."))
            import hmac
            offered = str(form.get("token") or "")
            if settings.access_token and hmac.compare_digest(offered.encode(), settings.access_token.encode()):
                response = RedirectResponse("/", status_code=303)
                response.set_cookie(TOKEN_COOKIE, offered, httponly=True, samesite="strict",
                                    secure=request.url.scheme == "https")
                return response
            return page(request, "signin.html", 401, error=N_("That is not this server's access token."))
        return page(request, "signin.html", error=None)

    async def health(request):
        service = state["service"]
        stats = service.pool.stats
        return JSONResponse({"ok": True, "backend": settings.backend, "pending": service.pool.pending,
                             "brand": settings.clinic.id if settings.clinic is not None else None,
                             "submitted": stats.submitted, "coalesced": stats.coalesced, "rejected": stats.rejected,
                             "completed": stats.completed, "timeouts": stats.timeouts,
                             "workers_started": stats.started,
                             "worker_pids": service.pool.pids() if hasattr(service.pool, "pids") else []})

    from leaflets.resources import resources
    fonts_dir = resources().assets_dir / "fonts"
    font_files = {p.name: p for p in fonts_dir.glob("*.ttf")}  # the shipped Noto fonts, by exact name only

    async def font(request):
        """The shipped fonts, so every script the pages show (language names in Hindi, Korean,
        Chinese...) is drawn whatever fonts the visitor's machine has (app.css loads each by
        unicode-range, only when a page uses that script)."""
        path = font_files.get(request.path_params["name"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        from starlette.responses import FileResponse
        return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"})

    async def not_found(request, exc):
        return page(request, "error.html", 404, title_msgid=N_("Page not found"),
                    detail_msgid=N_("There is no page at this address."))

    routes = [
        Route("/", clinic),
        Route("/download", download),
        Route("/download/personal", download_personal, methods=["POST"]),
        Route("/img/{digest}.png", image),
        Route("/catalogue", catalogue),
        Route("/translate", translate_form, methods=["GET"]),
        Route("/translate", translate, methods=["POST"]),
        Route("/admin/catalog", install_catalog, methods=["POST"]),
        Route("/signin", signin, methods=["GET", "POST"]),
        Route("/healthz", health),
        Route("/fonts/{name}", font),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found})
    app.state.settings = settings
    app.state.ui = ui
    wrapped = AccessToken(app, settings.access_token)
    wrapped = BodyLimit(wrapped, settings.form_bytes)
    wrapped = SecurityHeaders(wrapped)
    wrapped.app_state = app.state  # what tests and the CLI need to reach
    wrapped.starlette = app
    return wrapped
