"""What every request passes through: size limits, the access token, CSRF, security headers.

Everything a browser sends is untrusted.  This module holds the rules that
do not depend on the page:

* :class:`BodyLimit` refuses a request body over the server's bound (413)
  before any of it is parsed or spooled, whether its length is declared
  or not;
* :class:`AccessToken` (optional, for deployments): without the token (a
  cookie set by the sign-in form, or ``Authorization: Bearer``) a request
  gets the sign-in page (401);
* :class:`SecurityHeaders`: a Content Security Policy with no inline
  script or style (``script-src 'self'``), no framing, no referrer, no
  MIME sniffing, and ``no-store`` on every page that may show what a
  person typed;
* CSRF: every form carries a token signed with the server's secret and
  bound to a random cookie (:func:`csrf_token`, :func:`check_csrf`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CSRF_COOKIE = "leaflets_csrf"
TOKEN_COOKIE = "leaflets_token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'; connect-src 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class BodyLimit:
    """ASGI middleware: a request body larger than ``limit`` bytes is answered 413, unread."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _plain(send, 413, "The file or form is too large.")
        received = 0
        too_large = False

        async def limited():
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    too_large = True
                    raise TooLarge()
            return message

        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except TooLarge:
            if not started:
                await _plain(send, 413, "The file or form is too large.")


class TooLarge(Exception):
    pass


async def _plain(send, status: int, text: str, headers=()) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            *HEADERS, *headers]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every response (and ``no-store`` unless set)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(HEADERS)]
                headers += HEADERS
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class AccessToken:
    """ASGI middleware: with a token configured, only requests that carry it reach the app
    (``/signin`` and the stylesheet excepted, so the sign-in form can be shown and sent)."""

    OPEN = ("/signin", "/static/", "/fonts/")

    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.token is None or scope["path"].startswith(self.OPEN):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        offered = None
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.startswith("Bearer "):
            offered = auth[7:].strip()
        else:
            for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
                name, _, value = part.strip().partition("=")
                if name == TOKEN_COOKIE:
                    offered = value
        if offered is not None and hmac.compare_digest(offered.encode(), self.token.encode()):
            return await self.app(scope, receive, send)
        await _plain(send, 401, "Sign in with the server's access token at /signin.",
                     headers=[(b"www-authenticate", b'Bearer realm="leaflets"')])


def new_cookie() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(secret: str, cookie: str) -> str:
    """The form token for a browser whose CSRF cookie is ``cookie``."""
    return hmac.new(secret.encode(), b"csrf\0" + cookie.encode(), hashlib.sha256).hexdigest()


def check_csrf(secret: str, cookie: str | None, token: str | None) -> bool:
    if not cookie or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie), str(token))
