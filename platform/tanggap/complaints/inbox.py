"""The staff inbox: which complaints a tab, a filter and a search select, and how many.

Queries only: a page of rows with what the table shows loaded alongside (no query per
row), and all tab counts in one statement. A page's total is the tab's count when nothing
else narrows it; otherwise it is counted only as far as it is worth counting (see
``COUNTED_UP_TO``), and the page says "more than" beyond that.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import (BindParameter, ColumnElement, Integer, ScalarSelect, Select, String, and_, bindparam, cast, false,
                        func, select, true)
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from .. import clock, days
from ..database import position_of, whole_number
from ..decrees.models import Decree, StandardComponent
from ..decrees.published import Outline
from ..extensions import db
from ..forms import CONTROL_CHARACTERS, NOT_TEXT
from ..tenancy.context import current_tenant_id
from . import outcomes, search
from .models import DEADLINE_BINDS, FINISHED, Complaint, Status, TicketCounter

PER_PAGE = 25
#: A narrowed list is counted this far, and said to hold "more than" this beyond it: an
#: exact count of a search that matches most of an office would read all its complaints.
COUNTED_UP_TO = 1000
#: A deadline this close is "due soon" (amber); past it, overdue (red).
DUE_SOON = timedelta(hours=24)

#: Statuses in which work is still owed: everything not finished.
OPEN = frozenset(Status) - FINISHED


@dataclass(frozen=True)
class Tab:
    """One tab of the inbox, declared once: the statuses it holds (every complaint when
    None) and, for the two deadline tabs, which side of now their deadlines lie. Its SQL
    condition (the list) and its count (from one reading grouped by status) both follow."""

    label: Any
    statuses: frozenset[Status] | None = None
    #: "soon": due within ``DUE_SOON``; "overdue": already past.
    due: str | None = None

    def condition(self, now: datetime | BindParameter[datetime],
                  soon: datetime | BindParameter[datetime] | None = None) -> ColumnElement[bool]:
        """The SQL condition; ``now`` and ``soon`` (``now + DUE_SOON``) are values, or bind
        parameters in a statement built once (``_listed``), where SQL cannot add the hours."""
        if self.statuses is None:
            held: ColumnElement[bool] = true()
        elif self.statuses == OPEN:
            held = Complaint.status.not_in(FINISHED)  # as the open complaints' partial indexes say it
        elif len(self.statuses) == 1:
            held = Complaint.status == next(iter(self.statuses))
        else:
            held = Complaint.status.in_(self.statuses)
        if self.due == "soon":
            return and_(held, Complaint.due_at >= now, Complaint.due_at < (now + DUE_SOON if soon is None else soon))
        if self.due == "overdue":
            return and_(held, Complaint.due_at < now)
        return held

    def count(self, open_by_status: Mapping[Status, tuple[int, int, int]]) -> int:
        """How many it holds, from the open complaints' (all, overdue, due soon) by status;
        only for tabs of open complaints (``counts`` works out the others)."""
        column = {None: 0, "overdue": 1, "soon": 2}[self.due]
        return sum(counted[column] for status, counted in open_by_status.items()
                   if self.statuses is not None and status in self.statuses)


TABS: dict[str, Tab] = {
    "open": Tab(_l("Open"), OPEN),
    "new": Tab(_l("New"), frozenset({Status.SUBMITTED})),
    "info": Tab(_l("Information requested"), frozenset({Status.INFO_REQUESTED})),
    "assessment": Tab(_l("Being assessed"), frozenset({Status.IN_ASSESSMENT})),
    "delivery": Tab(_l("To deliver"), frozenset({Status.UPHELD})),
    "due_soon": Tab(_l("Due soon"), DEADLINE_BINDS, due="soon"),
    "overdue": Tab(_l("Overdue"), DEADLINE_BINDS, due="overdue"),
    "finished": Tab(_l("Finished"), FINISHED),
    "all": Tab(_l("All")),
}

SORTS = {"due": _l("Deadline, soonest first"), "due_desc": _l("Deadline, latest first"),
         "newest": _l("Newest first"), "oldest": _l("Oldest first")}


def tab_condition(tab: str, now: datetime | BindParameter[datetime],
                  soon: datetime | BindParameter[datetime] | None = None) -> ColumnElement[bool]:
    """The condition of one tab (``Tab.condition``); an unknown tab selects nothing."""
    found = TABS.get(tab)
    return found.condition(now, soon) if found is not None else false()


@dataclass
class InboxQuery:
    """What the inbox's tabs, filters and search ask for."""

    tab: str = "open"
    status: str | None = None
    component: str | None = None
    unit_id: int | None = None
    assignee_id: int | None = None
    text: str | None = None
    sort: str = "due"
    page: int = 1
    #: Filed between these moments (the reports' periods link here).
    filed_from: datetime | None = None
    filed_until: datetime | None = None
    #: One of ``outcomes.OUTCOMES``.
    outcome: str | None = None

    @property
    def narrowed(self) -> bool:
        """Anything beyond the tab narrows the list, so the tab's count is not its total."""
        return any((self.status, self.component, self.unit_id, self.assignee_id, self.text, self.filed_from,
                    self.filed_until, self.outcome in outcomes.OUTCOMES))

    def statement(self, now: datetime) -> Select[tuple[Complaint]]:
        """This question as one statement with its values in it, for a caller that pages it
        itself (the API, the home page); the inbox asks ``shaped``'s statement with its values."""
        shape, values = self.shaped(now)
        return _listed(shape).params(values)

    def shaped(self, now: datetime) -> tuple[Shape, dict[str, Any]]:
        """The shape of this question's statement (``_listed`` builds each shape once) and the
        values to ask it with: every value a filter compares is a parameter, so one statement
        serves every question of a shape, whatever office, moment, unit or words it names."""
        values: dict[str, Any] = {"now": now, "soon": now + DUE_SOON}
        given = {"status": Status(self.status) if self.status else None,
                 "component": f'"{self.component}"' if self.component else None,  # in quotes, as the JSON list holds it
                 "unit": self.unit_id, "assignee": self.assignee_id,
                 "filed_from": self.filed_from, "filed_until": self.filed_until}
        values |= {name: value for name, value in given.items() if value}
        searched = None
        if self.text and self.text.strip():
            # What the citizen added afterwards (an answer, more information) is searched too.
            searched, found = search.matching(self.text.strip())
            values |= found
        shape = Shape(self.tab if self.tab in TABS else "", self.sort if self.sort in ORDERS else "due",
                      tuple(name for name in _FILTERS if given[name]),
                      self.outcome if self.outcome in outcomes.OUTCOMES else None, searched)
        return shape, values


class Shape(NamedTuple):
    """What a list's statement is made of, apart from the values it compares (``InboxQuery.shaped``)."""

    tab: str
    sort: str
    #: Which of ``_FILTERS`` narrow it.
    filters: tuple[str, ...]
    outcome: str | None
    #: The kind of search (``search.matching``), if any.
    searched: str | None


#: Each sort's order; the id last, so that a page never repeats or skips a complaint.
ORDERS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "due": (Complaint.due_at.asc(), Complaint.id.asc()),
    "due_desc": (Complaint.due_at.desc(), Complaint.id.desc()),
    "newest": (Complaint.submitted_at.desc(), Complaint.id.desc()),
    "oldest": (Complaint.submitted_at.asc(), Complaint.id.asc()),
}


def names_component(code: str) -> ColumnElement[bool]:
    """The complaint names this component: its short JSON list holds the code in quotes.

    Asked as "found at a position past 0", not as a LIKE. Behind row-level security
    PostgreSQL reads no column statistics for either, and guesses: a LIKE matches almost
    nothing, so it reads the whole office and sorts it; a comparison matches a third, so it
    walks the office's newest-first index and stops after the page (page 3 of one component
    among 100,000 complaints: 93 ms against 0.7 ms).
    """
    return _names_quoted(f'"{code}"')


def _names_quoted(quoted: Any) -> ColumnElement[bool]:
    """``names_component`` of a code already in quotes (a value, or a parameter given later)."""
    return position_of(quoted, cast(Complaint.components, String)) > 0


#: What a query string may say, and what the inbox says back when it cannot read it.
_CHOICES = {"tab": TABS, "status": {status.value for status in Status}, "sort": SORTS,
            "outcome": outcomes.OUTCOMES}
_NOT_A_CHOICE = _l("Not one of the choices.")
_NOT_A_NUMBER = _l("Give a whole number.")
_NOT_A_DAY = _l("Give a day as YYYY-MM-DD, between 2000 and 2099.")


def query_from(args: Mapping[str, str], timezone: str) -> tuple[InboxQuery, dict[str, str]]:
    """The inbox's question from a query string, and what in it could not be read, by name.

    The staff page ignores what it cannot read (an old link still opens the inbox); the API
    tells the caller. Both read the same way, so both ask the same question.
    """
    problems: dict[str, str] = {}
    chosen: dict[str, str | None] = {}
    for name, choices in _CHOICES.items():
        value = args.get(name) or None
        if value is not None and value not in choices:
            problems[name], value = str(_NOT_A_CHOICE), None
        chosen[name] = value
    numbers: dict[str, int | None] = {}
    for name in ("unit", "assignee", "page"):
        value = args.get(name) or ""
        numbers[name] = whole_number(value) or None  # ids and pages start at 1
        if value and numbers[name] is None:
            problems[name] = str(_NOT_A_NUMBER)
    bounds: dict[str, datetime] = {}
    for name, key, bound in (("from", "filed_from", clock.start_of), ("to", "filed_until", clock.end_of)):
        day = days.parse(args.get(name))
        if day is not None:
            bounds[key] = bound(day, timezone)
        elif args.get(name):
            problems[name] = str(_NOT_A_DAY)
    texts: dict[str, str | None] = {}
    for name in ("component", "q"):
        value = (args.get(name) or "").strip()
        if CONTROL_CHARACTERS.search(value):  # never in a document or a code, and PostgreSQL cannot take a NUL
            problems[name], value = str(NOT_TEXT), ""
        texts[name] = value or None
    query = InboxQuery(
        tab=chosen["tab"] or "open", status=chosen["status"], component=texts["component"],
        unit_id=numbers["unit"], assignee_id=numbers["assignee"], text=(texts["q"] or "")[:100] or None,
        sort=chosen["sort"] or "due", page=numbers["page"] or 1, outcome=chosen["outcome"], **bounds,
    )
    return query, problems


@dataclass
class InboxPage:
    """One page of the list, and how many the list holds: exactly, or at least ``total``."""

    items: list[Complaint]
    page: int
    total: int
    #: The count stopped at ``total``: the list holds more than that.
    more: bool = False
    per_page: int = field(default=PER_PAGE)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total or self.more

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


#: A page's complaints with their unit and assignee, whole.
WHOLE_ROWS: tuple[ORMOption, ...] = (joinedload(Complaint.unit), joinedload(Complaint.assignee))


def page_of(query: InboxQuery, now: datetime, tab_counts: Mapping[str, int] | None = None,
            loading: tuple[ORMOption, ...] = WHOLE_ROWS) -> InboxPage:
    """One page of complaints with their unit and assignee loaded (or what ``loading`` says:
    a table that shows a few columns loads only those), and the list's total.

    The total costs no statement when the tab's count is it (``tab_counts``, nothing else
    narrows the list) or when this page is the last; otherwise it is counted up to
    ``COUNTED_UP_TO`` (further when the page asked for lies beyond).
    """
    shape, values = query.shaped(now)
    offset = (query.page - 1) * PER_PAGE
    asked = {**values, "limit": PER_PAGE, "offset": offset}
    counted: int | None = None
    if shape.searched == search.IDS:
        rows = db.session.execute(_listed_page_counted(shape, loading), asked).all()
        items = [row[0] for row in rows]
        counted = rows[0][1] if rows else None
    else:
        items = list(db.session.execute(_listed_page(shape, loading), asked).scalars())
    if tab_counts is not None and not query.narrowed and query.tab in tab_counts:
        return InboxPage(items, query.page, tab_counts[query.tab], per_page=PER_PAGE)
    if 0 < len(items) < PER_PAGE or (not items and query.page == 1):
        return InboxPage(items, query.page, offset + len(items), per_page=PER_PAGE)
    bound = max(COUNTED_UP_TO, offset + PER_PAGE)
    if counted is None:
        counted = db.session.execute(_counted_up_to(shape), {**values, "bound": bound + 1}).scalar_one()
    return InboxPage(items, query.page, min(counted, bound), more=counted > bound, per_page=PER_PAGE)


#: The moment a statement built once is asked at, and that moment plus ``DUE_SOON``.
_NOW = bindparam("now", type_=Complaint.due_at.type)
_SOON = bindparam("soon", type_=Complaint.due_at.type)

#: Each filter's condition, its value given when asked (``InboxQuery.shaped`` names them).
_FILTERS: dict[str, ColumnElement[bool]] = {
    "status": Complaint.status == bindparam("status", type_=Complaint.__table__.c.status.type),
    "component": _names_quoted(bindparam("component", type_=String())),
    "unit": Complaint.unit_id == bindparam("unit", type_=Integer()),
    "assignee": Complaint.assignee_id == bindparam("assignee", type_=Integer()),
    "filed_from": Complaint.submitted_at >= bindparam("filed_from", type_=Complaint.submitted_at.type),
    "filed_until": Complaint.submitted_at < bindparam("filed_until", type_=Complaint.submitted_at.type),
}


@lru_cache(maxsize=128)
def _listed(shape: Shape) -> Select[tuple[Complaint]]:
    """The statement of one shape of list, built once, its values bound when asked: a
    statement asked again keeps its scoped form and its cache key (``tenancy.scoping``),
    where building, keying and scoping one per request was about 0.9 ms of a 10 ms inbox
    page. Bounded in number: shapes are few, but a process need not keep every one."""
    statement = select(Complaint).where(tab_condition(shape.tab, _NOW, _SOON), *(_FILTERS[name] for name in shape.filters))
    if shape.outcome is not None:
        statement = statement.where(outcomes.condition(shape.outcome, _NOW))
    if shape.searched is not None:
        statement = statement.where(search.condition(shape.searched))
    return statement.order_by(*ORDERS[shape.sort])


@lru_cache(maxsize=128)
def _listed_page(shape: Shape, loading: tuple[ORMOption, ...]) -> Select[tuple[Complaint]]:
    """One page of ``_listed``, its length and offset bound when asked (loader options made
    afresh by a caller would each take a place: the cache is bounded)."""
    return (_listed(shape).options(*loading)
            .limit(bindparam("limit", type_=Integer())).offset(bindparam("offset", type_=Integer())))


@lru_cache(maxsize=128)
def _listed_page_counted(shape: Shape, loading: tuple[ORMOption, ...]) -> Select[tuple[Complaint, int]]:
    """``_listed_page`` with the whole list's length beside each row, for a search whose
    matches are a list of at most ``search.CANDIDATES`` ids: the page reads every match to
    order them anyway, so counting them there spares a second statement reading them again."""
    return _listed_page(shape, loading).add_columns(func.count().over())


@lru_cache(maxsize=128)
def _counted_up_to(shape: Shape) -> Select[tuple[int]]:
    """How many of ``_listed`` there are, up to ``bound`` (given when asked)."""
    listed = _listed(shape).order_by(None).with_only_columns(Complaint.id).limit(bindparam("bound", type_=Integer()))
    return select(func.count()).select_from(listed.subquery())


#: Tabs that hold finished complaints too; every other tab holds open complaints only.
_WHOLE = ("finished", "all")


def counts(now: datetime) -> dict[str, int]:
    """How many complaints each tab holds, from one statement served by an index.

    Open complaints are few and have a partial index that holds their status and deadline,
    so they are read from it alone, grouped by status with how many of each are overdue or
    due soon, and each open tab adds up its statuses (``Tab.count``). Finished ones are most
    of an office's history, so the finished tab is all minus open. "All" is the numbers the
    office has issued: every complaint takes exactly one, a rolled-back filing hands its
    number back, and complaints are never deleted, so the ticket counters (a row a year)
    hold the count without an office's 100,000 complaints being read on every inbox page.
    """
    asked = {"now": now, "soon": now + DUE_SOON, "office": current_tenant_id()}
    rows = db.session.execute(_counted(), asked).all()
    open_by_status = {row[0]: (row[1], row[2], row[3]) for row in rows}
    found = {key: tab.count(open_by_status) for key, tab in TABS.items() if key not in _WHOLE}
    found["all"] = rows[0][4] if rows else db.session.execute(select(_issued()), asked).scalar_one()
    found["finished"] = found["all"] - found["open"]
    return {key: found[key] for key in TABS}


def _issued() -> ScalarSelect[Any]:
    return (select(func.coalesce(func.sum(TicketCounter.last), 0))
            .where(TicketCounter.tenant_id == bindparam("office")).scalar_subquery())


@cache
def _counted() -> Select[Any]:
    """``counts``' statement, built once: every inbox page asks it, and only the moment and
    the office differ (building it was a sixth of its time)."""
    return (select(Complaint.status, func.count(), func.count().filter(Complaint.due_at < _NOW),
                   func.count().filter(Complaint.due_at >= _NOW, Complaint.due_at < _SOON), _issued())
            .where(Complaint.status.not_in(FINISHED)).group_by(Complaint.status))


def component_names(complaints: Sequence[Complaint], known: Outline | Decree | None = None
                    ) -> dict[tuple[int, str], dict[str, str]]:
    """Names of the components the listed complaints mention, per decree version, in one
    query, or none when they were all filed under ``known``, whose components are loaded."""
    decree_ids = {complaint.decree_id for complaint in complaints}
    if not decree_ids:
        return {}
    if known is not None and decree_ids == {known.id}:
        return {(known.id, component.code): component.name for component in known.components}
    rows = db.session.execute(
        select(StandardComponent.decree_id, StandardComponent.code, StandardComponent.name)
        .where(StandardComponent.decree_id.in_(decree_ids))
    )
    return {(row.decree_id, row.code): row.name for row in rows}


def due_state(complaint: Complaint, now: datetime) -> str | None:
    """green, amber or red while the deadline binds; None once it no longer does."""
    if not complaint.deadline_binds:
        return None
    if complaint.due_at < now:
        return "red"
    if complaint.due_at < now + DUE_SOON:
        return "amber"
    return "green"
