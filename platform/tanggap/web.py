"""Cross-cutting web behaviour: security headers, error pages, htmx answers, safe redirects."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (Flask, Response, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from flask.globals import request_ctx
from flask.json.provider import DefaultJSONProvider
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, UnicodeConverter
from werkzeug.wrappers import Response as BaseResponse

from flask_talisman import Talisman

from .database import LARGEST_ID, discard
from .extensions import db, htmx

#: The content security policy: everything from this origin, nothing inline.
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

#: The policy of a file served from the office's address that is not a page (an SVG logo):
#: opened on its own, it runs nothing and fetches nothing.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def content_policy(policy: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view's own content security policy in place of CSP (Talisman reads it off the view)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view.talisman_view_options = {"content_security_policy": policy}  # type: ignore[attr-defined]
        return view

    return decorate


ERROR_TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You may not do this"),
    404: lambda: _("Page not found"),
    405: lambda: _("This action is not allowed here"),
    413: lambda: _("The upload is too large"),
    503: lambda: _("The service is briefly unavailable"),
    422: lambda: _("The request could not be processed"),
    429: lambda: _("Too many attempts"),
    500: lambda: _("Something went wrong on our side"),
}

ERROR_EXPLANATIONS = {
    400: lambda: _("Please go back, reload the page and try again."),
    403: lambda: _("Your role in this office does not include this. Ask the office admin if you need it."),
    404: lambda: _("The page or office you are looking for does not exist, or is not available."),
    405: lambda: _("Please go back and use the buttons on the page."),
    413: lambda: _("Please choose smaller files and try again."),
    422: lambda: _("Please go back, reload the page and try again."),
    429: lambda: _("For your safety we have paused this for a while. Please try again in a few minutes."),
    500: lambda: _("The error has been recorded. Please try again in a moment."),
    503: lambda: _("Its database cannot be reached just now. Please try again in a minute."),
}

#: Seconds a client is asked to wait while the database is away.
RETRY_AFTER = 30


def _database_away(error: HTTPException) -> bool:
    original = getattr(error, "original_exception", None)
    return isinstance(original, (OperationalError, DisconnectionError))


class DatabaseInteger(IntegerConverter):
    """Flask's ``<int:...>``, bounded to what an id column holds: a larger number matches no
    route (404) instead of reaching the database as a value it refuses (500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class DatabaseText(UnicodeConverter):
    """Flask's ``<...>`` and ``<string:...>``, without NUL: PostgreSQL cannot compare text
    that holds one, so an address with ``%00`` in a part matches no route (404) instead of
    reaching the database as a value it refuses (500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00]", 1)  # its lengths kept


def _refuse_nul_in_the_query() -> None:
    """The query string's counterpart of ``DatabaseText``: a NUL in a name or value is answered
    400 before any view reads it (the inbox's search, the Open311 filters, ...)."""
    if any("\x00" in name or "\x00" in value for name, value in request.args.items(multi=True)):
        abort(400)


#: Half of a UTF-16 pair on its own: JSON can write one (``"\ud800"``), but it is no character,
#: and neither UTF-8 nor PostgreSQL can hold it.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

#: A JSON escape of half a pair, ``\\uD800`` to ``\\uDFFF``.
ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def may_hold_surrogate(text: str) -> bool:
    """Whether a JSON text can parse into a lone surrogate: it holds an escape of one, or the
    character itself (never in ASCII). Most texts hold neither (every session cookie is read
    through the app's JSON), so the parsed document is walked only when this says so."""
    return ("\\u" in text and bool(ESCAPED_SURROGATE.search(text))) or (
        not text.isascii() and bool(LONE_SURROGATE.search(text)))


class ReadableJSON(DefaultJSONProvider):
    """The app's JSON, which refuses, as it refuses malformed JSON, a body that parses into
    something no view can use: one nested deeper than Python's stack (``json`` raises
    ``RecursionError``, which ``request.get_json`` would let out as a 500), or one holding a
    lone surrogate (it failed in ``str.encode`` or in the database). ``get_json`` then
    answers 400, or None when asked to be silent, for every view that reads JSON."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if isinstance(s, bytes | bytearray):  # decoded as ``json.loads`` would, surrogates kept
            s = s.decode(json.detect_encoding(s), "surrogatepass")
        try:
            found = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if may_hold_surrogate(s) and _holds_lone_surrogate(found):
            raise ValueError("JSON text holding a lone surrogate")
        return found


def _holds_lone_surrogate(value: Any) -> bool:
    pending = [value]  # walked without recursion: the document may be nearly as deep as the stack
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site; None for anything that could leave it."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def render_page_or_fragment(full: str, fragment: str, status: int = 200, **context: Any) -> Response:
    """The fragment for an htmx request, the whole page otherwise (and on history restore)."""
    return page_answer(render_template(full if whole_page_asked() else fragment, **context), status)


def whole_page_asked() -> bool:
    """Whether this request is for a whole page: not htmx's, or htmx's restoring its history."""
    return not htmx or bool(htmx.history_restore_request)


def page_answer(html: str, status: int = 200) -> Response:
    """A page or its fragment as asked. ``Vary: HX-Request`` keeps caches from serving one in
    place of the other."""
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for mail and jobs, always on ``PUBLIC_URL``.

    Never on the request's ``Host`` or ``X-Forwarded-Host``: whoever sends a request
    chooses those, and a link mailed on their host would hand them the token in it. So
    the URL is built on the configured address, the same inside a request as in a job.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base = urlsplit(app.config["PUBLIC_URL"])
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    app.inject_url_defaults(endpoint, values)  # the bound office's slug, as url_for would add it
    return adapter.build(endpoint, values, force_external=True)


#: What a part of a URL may hold to read the same unquoted: a complaint's number, a code.
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
#: Stands for the part in the URL built once; no slug, path or query of ours holds it.
_PART = "__part__"


def url_for_each(endpoint: str, part: str, **values: Any) -> Callable[[Any], str]:
    """``url_for`` for many values of one text part of a URL (a page of complaints' links):
    the URL is built once and each value set into it. Building each one was a tenth of the
    inbox's time. A value that would need quoting is built the usual way."""
    marked: dict[str, Any] = {**values, part: _PART}
    pattern = url_for(endpoint, **marked)

    def link(value: Any) -> str:
        text = str(value)
        if _URL_SAFE.fullmatch(text):
            return pattern.replace(_PART, text, 1)
        given: dict[str, Any] = {**values, part: value}
        return url_for(endpoint, **given)

    return link


def redirect_htmx(location: str) -> BaseResponse:
    """Redirect a normal request with 303, an htmx request with ``HX-Redirect``."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, 303)


#: Faces with their own error format (the APIs) answer errors on their URLs: each is asked
#: in turn and returns a response, or None to leave the error to the next (and the page).
ErrorAnswer = Callable[[HTTPException], Response | None]


def answer_errors_with(app: Flask, answer: ErrorAnswer) -> None:
    app.extensions.setdefault("tanggap.error_answers", []).append(answer)


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])()
    text = ERROR_EXPLANATIONS.get(code, ERROR_EXPLANATIONS[500])()
    return render_template("error.html", code=code, title=title, text=text), code


def _unavailable_page() -> Response:
    """The database is away: a page that asks nothing of it, not even who is signed in."""
    language = request.accept_languages.best_match(current_app.config["SUPPORTED_LOCALES"]) or "id"
    with force_locale(language):
        response = make_response(render_template("unavailable.html", title=ERROR_TITLES[503](),
                                                 text=ERROR_EXPLANATIONS[503]()), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def init_app(app: Flask) -> None:
    # One Talisman per app: it keeps its settings on itself, not on the app.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    app.before_request(_refuse_nul_in_the_query)
    app.json = ReadableJSON(app)

    @app.after_request
    def _kept_by_no_cache(response: Response) -> Response:
        """Pages, JSON and files may carry citizens' personal data, so no browser or proxy
        cache keeps them: every answer is ``no-store`` unless its view marked it public (the
        office's stylesheet and logo) or it is a static file. A new route is covered the day
        it is added."""
        if request.endpoint != "static" and not response.cache_control.public:
            response.cache_control.no_store = True
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        """Browsers ask for it on every site whatever the page links; an icon, not a 404 in each log."""
        response = app.send_static_file("img/favicon.ico")
        response.cache_control.no_cache = None  # the same icon for everyone: kept for a week
        response.cache_control.public, response.cache_control.max_age = True, 7 * 24 * 3600
        return response

    app.add_template_global(url_for_each)

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        from .tenancy.context import current_tenant
        from .tenancy.domains import path_as_asked

        # Permissions (can, Permission, Role) come from auth.permissions.template_context.
        return {"tenant": current_tenant(), "path_as_asked": path_as_asked}

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        if request_ctx.url_adapter is None:
            # The request named a host this site does not answer to (TRUSTED_HOSTS): no page
            # can be built for it, and none should be.
            return make_response(ERROR_TITLES[400](), 400, {"Content-Type": "text/plain; charset=utf-8"})
        if error.code == 500:
            # An unhandled exception lands here wrapped; leave no half-done transaction behind.
            try:
                discard()
            except Exception:  # noqa: BLE001 (the connection itself may be gone)
                db.session.close()
            if _database_away(error):
                error = ServiceUnavailable(retry_after=RETRY_AFTER)
        for answer in app.extensions.get("tanggap.error_answers", []):
            response = answer(error)
            if response is not None:
                return response
        if error.code == 503:
            return _unavailable_page()
        return _error_page(error)


class TrustedProxies:
    """Believe ``X-Forwarded-*`` only from the proxies the operator named, and only as many hops as there are.

    Werkzeug's ProxyFix believes the headers of whoever connects; if the app can be reached
    past the proxy, a client could name any address it likes and walk around every limit
    keyed on it, and write that address into the audit log. A request whose peer is not a
    trusted proxy keeps its peer as its address and loses the forwarded headers altogether.
    Settings are read per request (``PROXY_COUNT``, ``TRUSTED_PROXIES``).
    """

    FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")

    def __init__(self, wsgi_app: Callable[..., Any], app: Flask) -> None:
        self.wsgi_app, self.app = wsgi_app, app
        self._fixes: dict[int, ProxyFix] = {}

    def _trusted(self, peer: str | None) -> bool:
        if peer == "":
            # gunicorn on a unix socket: only a process allowed to open the socket (nginx on
            # this host) can be the peer, and a TCP peer always has an address.
            return True
        try:
            address = ipaddress.ip_address((peer or "").split("%", 1)[0])
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False)
                   for net in self.app.config.get("TRUSTED_PROXIES", ()))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        count = int(self.app.config.get("PROXY_COUNT") or 0)
        if count and self._trusted(environ.get("REMOTE_ADDR")):
            fix = self._fixes.get(count)
            if fix is None:
                fix = self._fixes[count] = ProxyFix(self.wsgi_app, x_for=count, x_proto=count, x_host=count)
            return fix(environ, start_response)
        for header in self.FORWARDED:
            environ.pop(header, None)
        return self.wsgi_app(environ, start_response)
