"""Row-level security, the second wall: with the ORM's tenant filter deliberately broken,
PostgreSQL alone still keeps every office's rows from another office's requests.

The suite runs on PostgreSQL as a role that owns no table (``conftest.APP_ROLE``), so every
test already runs behind the policies; these tests show the wall on its own.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy import event, text

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
    event.remove(db.session, "do_orm_execute", scoping._scope_queries)
    try:
        yield
    finally:
        event.listen(db.session, "do_orm_execute", scoping._scope_queries)


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


def _me() -> tuple:
    me = db.session.execute(text(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
    owned = db.session.execute(text(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).scalar()
    return (*me, owned)


def test_the_app_connects_as_roles_that_own_nothing_and_bypass_nothing(app, ctx):
    from tests.conftest import CROSS_ROLE

    with app.test_request_context("/dinas-alpha/staff/"):
        assert _me() == (APP_ROLE, False, False, 0)  # a request: an office's work
        db.session.remove()
    with ctx():
        assert _me() == (CROSS_ROLE, False, False, 0)  # outside requests: jobs, commands


def test_raw_sql_reads_only_the_bound_office(make, app, two_offices):
    alpha, beta = two_offices
    with app.test_request_context():  # an office's work, through the app role
        with bound_to(beta.tenant):
            numbers = db.session.execute(text("SELECT tenant_id FROM complaint")).scalars().all()
            assert set(numbers) == {beta.tenant.id}
            with pytest.raises(Exception, match="row-level security"):
                db.session.execute(text("UPDATE complaint SET tenant_id = :a"), {"a": alpha.tenant.id})
            db.session.rollback()


def test_a_streamed_read_that_comes_first_is_declared_for_too(make, app, two_offices):
    """A read streamed in batches goes through a server-side cursor; the office must be declared
    before it all the same, not merely DECLAREd on that cursor and never run."""
    alpha, beta = two_offices
    with app.test_request_context():
        with bound_to(alpha.tenant):
            assert db.session.execute(text("SELECT DISTINCT tenant_id FROM complaint")).scalars().all() == [
                alpha.tenant.id]
        with bound_to(beta.tenant):  # the office changes, and the next statement is the streamed read
            streamed = db.session.execute(
                text("SELECT tenant_id FROM complaint").execution_options(yield_per=10)).scalars().all()
            assert streamed and set(streamed) == {beta.tenant.id}
        db.session.remove()


def test_an_offices_request_declares_the_office_in_the_statement_that_reads_it(two_offices, new_visitor,
                                                                                monkeypatch):
    """No round trip of its own: the office's look-up declares it (``row_security.declaring``),
    and what the page then reads passes the wall under that declaration."""
    alpha, beta = two_offices
    leader = new_visitor()
    leader.login(alpha.leader.email)
    leader.get(f"/{beta.tenant.slug}/")  # the connection last declared another office
    declared: list[str] = []
    send = psycopg.Connection.execute

    def noted(self, query, params=None, **kwargs):
        if "set_config" in str(query):
            declared.append(params[1])
        return send(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", noted)
    page = leader.get(f"/{alpha.tenant.slug}/staff/complaints/")
    assert page.status_code == 200 and alpha.tenant.name["id"] in page.get_data(as_text=True)
    assert str(alpha.tenant.id) not in declared, declared


def _objects_of(alpha: SimpleNamespace, make) -> SimpleNamespace:
    """Alpha's objects under numbers and ids that beta does not have (numbers repeat per office)."""
    extra = make.complaint(alpha, upheld=True, with_file=True)
    extra.evidence_id = make.evidence(alpha, extra.item_id)
    extra.letter_id = make.letter(alpha, extra.item_id)
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


# The wall against the app's own connection: what a leaked connection of the role serving
# office pages (an injected statement, a stolen password) can read, tried on committed rows
# of a database of its own, from a raw connection of that role and nothing else.

SECRETS = ("complaint", "complaint_event", "api_token", "audit_log")


@pytest.fixture(scope="module")
def committed_offices():
    """Two offices with a complaint, a token and staff each, committed, and the two roles'
    URLs on that database: (alpha id, beta id, app role URL, cross role URL)."""
    from tests.conftest import CROSS_ROLE, TEST_DATABASE_URL, _as_role
    from tests.factories import Factories
    from tests.throwaway import throwaway_app

    with throwaway_app(TEST_DATABASE_URL, TESTING=True,
                       ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 1024, "parallelism": 1}) as scratch:
        assert scratch.test_cli_runner().invoke(args=["rls", "grant", APP_ROLE, "--cross", CROSS_ROLE]).exit_code == 0

        @contextmanager
        def ctx():
            with scratch.app_context():
                yield
                db.session.remove()

        db.session.session_factory.configure(expire_on_commit=False)  # as the suite's factories expect
        make = Factories(scratch, ctx)
        offices = make.office_with_staff("dinas-alpha"), make.office_with_staff("dinas-beta", region="kota-beta")
        for office in offices:
            make.complaint(office)
            make.api_token(office)
        with scratch.app_context():
            url = str(db.engine.url.render_as_string(hide_password=False)).replace("postgresql+psycopg://", "postgresql://")
        yield offices[0].tenant.id, offices[1].tenant.id, _as_role(url, APP_ROLE), _as_role(url, CROSS_ROLE)


def _raw(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _offices_seen(connection, table: str) -> set[int]:
    return {row[0] for row in connection.execute(f'SELECT DISTINCT tenant_id FROM "{table}" WHERE tenant_id IS NOT NULL')}


def test_the_app_role_declaring_no_office_reads_nothing(committed_offices):
    _alpha, _beta, app_url, _cross = committed_offices
    with _raw(app_url) as connection:
        for table in SECRETS:
            assert _offices_seen(connection, table) == set(), table


@pytest.mark.parametrize("setting", [("tanggap.all_tenants", "on"), ("tanggap.all_tenants", "true"),
                                     ("tanggap.cross", "on"), ("tanggap.tenant_id", "")])
def test_no_setting_lets_the_app_role_read_every_office(committed_offices, setting):
    alpha, beta, app_url, _cross = committed_offices
    name, value = setting
    with _raw(app_url) as connection:
        connection.execute("SELECT set_config(%s, %s, false)", (name, value))
        for table in SECRETS:
            assert _offices_seen(connection, table) == set(), table
        # Declaring its own office, then any setting on top: still that office's rows alone.
        connection.execute("SELECT set_config('tanggap.tenant_id', %s, false)", (str(alpha),))
        connection.execute("SELECT set_config(%s, %s, false)", (name, value) if name != "tanggap.tenant_id"
                           else ("tanggap.all_tenants", "on"))
        for table in ("complaint", "complaint_event", "api_token"):
            assert _offices_seen(connection, table) == {alpha}, table
        assert connection.execute("UPDATE complaint SET status = status WHERE tenant_id = %s", (beta,)).rowcount == 0
        with pytest.raises(Exception, match="row-level security"):
            connection.execute("UPDATE complaint SET tenant_id = %s WHERE tenant_id = %s", (beta, alpha))


def test_the_app_role_can_not_become_the_cross_role(committed_offices):
    from tests.conftest import CROSS_ROLE

    _alpha, _beta, app_url, _cross = committed_offices
    with _raw(app_url) as connection:
        for role in (CROSS_ROLE, "tanggap_cross"):
            with pytest.raises(Exception, match="permission denied"):
                connection.execute(f'SET ROLE "{role}"')


def test_the_cross_role_reads_every_office(committed_offices):
    alpha, beta, _app, cross_url = committed_offices
    with _raw(cross_url) as connection:
        for table in ("complaint", "complaint_event", "api_token"):
            assert _offices_seen(connection, table) == {alpha, beta}, table


def test_a_request_for_no_office_reads_no_office_rows(app, two_offices):
    """Pages outside any office (sign-in, the landing page) go through the app role too, and
    with no office declared the policies admit no office's rows: not all of them."""
    with app.test_request_context("/auth/login"):
        assert db.session.execute(text("SELECT DISTINCT tenant_id FROM complaint")).scalars().all() == []
        assert db.session.execute(text("SELECT count(*) FROM api_token")).scalar_one() == 0
        db.session.remove()

