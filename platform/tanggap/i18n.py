"""Language and time zone of each request, the language switch, and display helpers.

The locale comes from the user's explicit choice (session, then profile), then the
browser's Accept-Language, then the office's default. Times are shown in the office's
time zone (WIB/WITA/WIT); they are stored in UTC. A message written outside the office's
own request (a job, the deadline sweep across offices, a transfer's notice) says whose
words and whose clock with ``writing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import cache
from typing import Any, Literal, cast, get_args

from babel import Locale, dates
from babel.support import NullTranslations
from babel.dates import get_date_format, get_datetime_format, get_time_format
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import (
    force_locale,
    format_currency,
    format_date,
    format_decimal,
    format_percent,
    format_timedelta,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import clock
from .tenancy.context import current_tenant

bp = Blueprint("i18n", __name__)

#: The zone times are written in inside ``writing``; otherwise the request's office's.
_writing_zone: ContextVar[tzinfo | None] = ContextVar("writing_zone", default=None)


def template_gettext(translations: NullTranslations) -> dict[str, Callable[..., str]]:
    """A page's ``_``/``gettext`` and ``ngettext``, bound to the catalogue of the language it is
    rendered in, as Jinja's new-style gettext behaves (``jinja2.ext``: escaped under
    autoescape, then ``%`` with the keyword variables; ``num`` given to ``ngettext``).

    Flask-Babel's own resolve the request's language and catalogue on every call, a few
    context look-ups each: a page of complaints asks for a hundred strings. Given to each
    page by the context processor, they look the catalogue up once per page; templates
    rendered without the page's context (a macro imported without it) keep Flask-Babel's.
    """

    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}


def supported() -> tuple[str, ...]:
    return current_app.config["SUPPORTED_LOCALES"]


def select_locale() -> str:
    if not has_request_context():
        # Commands and jobs: messages in English unless a block forces a locale.
        return current_app.config.get("OFFLINE_LOCALE", "en")
    chosen = session.get("locale")
    if chosen in supported():
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported():
        return current_user.locale
    from_browser = request.accept_languages.best_match(supported())
    if from_browser:
        return from_browser
    tenant = current_tenant()
    if tenant is not None and tenant.default_locale in supported():
        return tenant.default_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    tenant = current_tenant()
    return tenant.timezone if tenant is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def localized(value: dict[str, str] | None, locale: str | None = None) -> str:
    """The current language's text of a bilingual value ({"id": ..., "en": ...})."""
    if not value:
        return ""
    locale = locale or str(get_locale() or "id")
    return value.get(locale) or value.get("id") or next(iter(value.values()), "")


def rupiah(amount: int | float | None) -> str:
    if amount is None:
        return ""
    return format_currency(amount, "IDR", format="¤#,##0", currency_digits=False)


def number(value: int | float | None) -> str:
    """A whole number with the reader's grouping: "1.250" in Indonesian, "1,250" in English."""
    return "" if value is None else format_decimal(round(value), format="#,##0")


def decimal(value: int | float | None, places: int = 1) -> str:
    """A number with a fixed count of decimals and the reader's separator: "1,5" / "1.5"."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def percent(value: float | None, places: int = 0) -> str:
    """A share (0.25) as a percentage in the reader's words: "25%", "12,5%"."""
    if value is None:
        return ""
    return format_percent(value, format="#,##0." + "0" * places + "%" if places else "#,##0%")


def ratio(value: float | None, places: int = 1) -> str:
    """A ratio to one, such as a colour contrast: "4,5 : 1" / "4.5 : 1"."""
    return "" if value is None else f"{decimal(value, places)} : 1"


def figure(value: Any) -> str:
    """A table cell as the reader writes it: numbers grouped and with the reader's decimal
    sign and no trailing zeros ("1,5", "4", "1.250"); text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value)


def month_name(key: str, fmt: str = "MMMM y") -> str:
    """A report's month key ("2026-12") in the reader's words: "Desember 2026", "Dec 26"."""
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), fmt)


def local_date(day: date | None) -> str:
    return "" if day is None else format_date(day, "long")


def time_left(delta: timedelta) -> str:
    """Time until a deadline, in words: "36 hours", "3 days", "45 minutes"."""
    return format_timedelta(max(delta, timedelta()), threshold=2, granularity="minute")


def iso_datetime(value: str | None, fmt: str = "medium") -> str:
    """An ISO 8601 time (as the simulator returns it) in the office's zone and the reader's words;
    ``"deadline"`` to the minute with the zone's name, as a receipt promises it."""
    if not value:
        return ""
    return local_datetime(datetime.fromisoformat(value), fmt)


def _deadline_pattern(locale: Locale | None = None) -> str:
    """The locale's full date with the time to the minute and the zone's name: a deadline is
    promised to the minute, and seconds on a receipt only read as noise."""
    locale = locale or get_locale()
    return (str(get_datetime_format("full", locale=locale))
            .replace("{1}", get_date_format("full", locale=locale).pattern)
            .replace("{0}", get_time_format("short", locale=locale).pattern + " zzzz"))


def local_datetime(moment: datetime | None, fmt: str = "medium") -> str:
    """``moment`` in the office's zone (or the writing zone) and the reader's words; ``fmt``
    is Babel's (short, medium, full) or ``deadline``: the full date, hours and minutes, the zone."""
    return datetime_writer(fmt)(moment)


def datetime_writer(fmt: str = "medium") -> Callable[[datetime | None], str]:
    """``local_datetime`` for many moments in the words and on the clock in force now: the
    language, the zone and the patterns are looked up once, not once a moment (an inbox page
    writes 25 deadlines, a deadline sweep thousands)."""
    locale = get_locale()
    zone = _writing_zone.get() or get_timezone()
    words = _words(locale or Locale.parse(dates.LC_TIME or "en"), fmt)  # outside the app: Babel's default

    def write(moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt_timezone.utc)
        if zone is not None:
            local = local.astimezone(zone)
            if hasattr(zone, "normalize"):  # a pytz zone, as Flask-Babel gives them
                local = zone.normalize(local)
        return words(local)

    return write


#: Babel's four lengths of a date and time.
_Length = Literal["full", "long", "medium", "short"]
_LENGTHS = get_args(_Length)


@cache
def _words(locale: Locale, fmt: str) -> Callable[[datetime], str]:
    """A moment already on its clock in ``locale``'s words, as Babel's ``format_datetime``
    writes it, with the locale's patterns found and parsed once: its date and time patterns
    joined by the locale's glue for Babel's four lengths; ``deadline`` (``_deadline_pattern``)
    or a pattern of one's own, applied whole. Looking the patterns up again for every moment
    was most of writing one."""
    if fmt not in _LENGTHS:
        whole = dates.parse_pattern(_deadline_pattern(locale) if fmt == "deadline" else fmt)
        return lambda local: whole.apply(local, locale)
    length = cast(_Length, fmt)
    glue = str(get_datetime_format(length, locale=locale)).replace("'", "")
    on_day, at_time = get_date_format(length, locale=locale), get_time_format(length, locale=locale)

    def words(local: datetime) -> str:
        day = local.date()
        return (glue.replace("{0}", at_time.apply(local.timetz(), locale, reference_date=day))
                .replace("{1}", on_day.apply(day, locale)))

    return words


@contextmanager
def writing(locale: str, office: clock.Office) -> Iterator[None]:
    """Words in ``locale`` and times on ``office``'s clock, whatever office (if any) the
    request or job is bound to: the sweep writes for WIB, WITA and WIT offices in one run."""
    token = _writing_zone.set(clock.zone(office))
    try:
        with force_locale(locale):
            yield
    finally:
        _writing_zone.reset(token)


@bp.get("/locale/<code>")
def switch(code: str):
    """Remember the chosen language and go back where the user was."""
    from .web import safe_next_url

    if code in supported():
        session["locale"] = code
    return redirect(safe_next_url(request.args.get("next")) or url_for("citizen.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(localized, "localized")
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(number, "number")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(ratio, "ratio")
    app.add_template_filter(figure, "figure")
    app.add_template_filter(local_datetime, "localtime")
    app.add_template_global(datetime_writer)
    app.add_template_filter(local_date, "localdate")
    app.add_template_filter(iso_datetime, "isotime")
    app.add_template_filter(month_name, "month")
    app.add_template_filter(time_left, "timeleft")

    @app.context_processor
    def _i18n_context() -> dict[str, Any]:
        return {"current_locale": str(get_locale() or "id"), "locales": supported(),
                **template_gettext(get_translations())}
