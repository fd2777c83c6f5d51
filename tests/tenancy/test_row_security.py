"""Row-level security, the second wall: with the ORM's tenant filter deliberately broken,
PostgreSQL alone still keeps every office's rows from another office's requests.

The suite runs on PostgreSQL as a role that owns no table (``conftest.APP_ROLE``), so every
test already runs behind the policies; these tests show the wall on its own.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tanggap.extensions import db
from tanggap.tenancy import scoping
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.row_security import TABLES
from tanggap.tenancy.scoping import TenantScoped

from ..conftest import APP_ROLE
from ..test_isolation import EXAMPLES

pytestmark = pytest.mark.postgres
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


@contextmanager
def orm_scoping_broken():
    """Take the ORM's automatic tenant filter away, as a bug would."""
    event.remove(Session, "do_orm_execute", scoping._scope_queries)
    try:
        yield
    finally:
        event.listen(Session, "do_orm_execute", scoping._scope_queries)


@contextmanager
def as_superuser(app):
    """Run as the database's superuser, which row-level security never stops."""
    connection = db._app_engines[app][None]
    connection.execute(text("SET ROLE postgres"))
    try:
        yield
    finally:
        connection.execute(text("RESET ROLE"))


def test_every_tenant_owned_table_is_behind_the_wall(ctx):
    scoped = {m.class_.__table__.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)}
    assert scoped <= set(TABLES)
    with ctx():
        rows = db.session.execute(text(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity AND relforcerowsecurity"
        )).scalars().all()
    assert set(TABLES) | {"audit_log"} <= set(rows)


def test_the_app_connects_as_a_role_that_owns_nothing_and_bypasses_nothing(ctx):
    with ctx():
        me = db.session.execute(text(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owned = db.session.execute(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).scalar()
    assert tuple(me) == (APP_ROLE, False, False) and owned == 0


def test_raw_sql_reads_only_the_bound_office(make, ctx, two_offices):
    alpha, beta = two_offices
    with ctx():
        with bound_to(beta.tenant):
            numbers = db.session.execute(text("SELECT tenant_id FROM complaint")).scalars().all()
            assert set(numbers) == {beta.tenant.id}
            with pytest.raises(Exception, match="row-level security"):
                db.session.execute(text("UPDATE complaint SET tenant_id = :a"), {"a": alpha.tenant.id})
            db.session.rollback()


def _objects_of(alpha: SimpleNamespace, make) -> SimpleNamespace:
    """Alpha's objects under numbers and ids that beta does not have (numbers repeat per office)."""
    extra = make.complaint(alpha, upheld=True, with_file=True)
    return SimpleNamespace(**{**vars(alpha), "complaint": extra})


def _walk(app, beta, alpha_objects, visitor) -> dict[str, int]:
    """Every staff route of beta's own address, naming alpha's objects: status per URL."""
    statuses = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "/staff/" not in rule.rule or "GET" not in rule.methods:
            continue
        objects = rule.arguments - {"tenant_slug"}
        if not objects or objects <= {"name", "kind", "version"}:  # versions are numbered per office
            continue
        url = ARGUMENT.sub(lambda m: beta.tenant.slug if m.group(1) == "tenant_slug"
                           else EXAMPLES[m.group(1)](alpha_objects), rule.rule)
        try:
            statuses[url] = visitor.get(url).status_code
        except Exception:  # a view that met rows it never expected: a leak too  # noqa: BLE001
            statuses[url] = 500
    return statuses


def test_with_the_orm_filter_broken_row_security_alone_stops_the_leak(app, two_offices, make,
                                                                       new_visitor):
    alpha, beta = two_offices
    alpha_objects = _objects_of(alpha, make)
    leader = new_visitor()
    leader.login(beta.leader.email)
    with orm_scoping_broken():
        behind_the_wall = _walk(app, beta, alpha_objects, leader)
        with as_superuser(app):
            without_it = _walk(app, beta, alpha_objects, leader)
    assert len(behind_the_wall) >= 8
    # 403: the leader's role lacks the page, decided before any row is read; nothing shows.
    assert {url: s for url, s in behind_the_wall.items() if s not in (403, 404)} == {}
    assert list(behind_the_wall.values()).count(404) >= 8
    # The walk would see a leak: without the wall (a superuser passes it), alpha's rows show.
    assert [url for url, status in without_it.items() if status in (200, 500)]


def test_with_the_orm_filter_broken_an_api_token_still_reaches_only_its_office(app, two_offices, make):
    alpha, beta = two_offices
    alpha_objects = _objects_of(alpha, make)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {beta.token.secret}"}
    with orm_scoping_broken():
        for path in (f"/api/v1/complaints/{alpha_objects.complaint.number}",
                     f"/api/v1/complaints/{alpha_objects.complaint.number}/timeline"):
            assert client.get(path, headers=headers).status_code == 404, path
        listed = client.get("/api/v1/complaints?tab=all", headers=headers).json
        assert alpha_objects.complaint.number not in str(listed)
