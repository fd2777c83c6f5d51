"""The reports at scale: the office dashboard and the inspectorate overview over N complaints
across 50 offices, against a single plain SQL aggregate over the same rows.

Builds a PostgreSQL database of its own (dropped afterwards), fills it with
``flask demo --complaints N --tenants 50`` and, side by side in one run, times:

  dashboard   GET /<office>/staff/reports/ as the office's leader (this month; all its queries and
              the page), against SELECT count(*) of that office's complaints of the month
  public      GET /<office>/akuntabilitas as a citizen (twelve months by month, with their medians,
              and the promise), against SELECT count(*) ... GROUP BY month of that office's twelve months
  overview    GET /inspektorat/ as the province's inspector (this year, 50 offices), against
              SELECT tenant_id, count(*) ... GROUP BY tenant_id over the year; read live first,
              then from the rollup (``flask reports refresh``), whose build and incremental
              refresh are timed too

at N/10 and N, reporting the median of several requests, ratios and absolute times.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py --complaints 1000000
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from harness import ROOT, arguments  # first: puts the package on the path

from sqlalchemy import text

from tanggap import clock
from tanggap.extensions import db
from tests.throwaway import throwaway_app

REPEAT = 7


def timed(action, repeat: int = REPEAT) -> float:
    """Median seconds of ``repeat`` runs, after one warm-up run."""
    action()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def login(client, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/auth/login", data={"csrf_token": token, "email": email, "password": "tanggap-demo"})
    assert answer.status_code == 302, answer.status_code


def run(base_url: str, total: int) -> dict[str, float]:
    with throwaway_app(base_url, WTF_CSRF_ENABLED=True) as app:
        runner = app.test_cli_runner()
        assert runner.invoke(args=["tenants", "load", str(ROOT / "tenants")]).exit_code == 0
        started = time.perf_counter()
        result = runner.invoke(args=["demo", "--complaints", str(total), "--tenants", "50"])
        assert result.exit_code == 0, result.output
        generated = time.perf_counter() - started
        with app.app_context():
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            office = db.session.execute(text(
                "SELECT t.id, t.slug FROM tenant t JOIN complaint c ON c.tenant_id = t.id "
                "GROUP BY t.id, t.slug ORDER BY count(*) DESC LIMIT 1")).one()
        today = clock.office_time("Asia/Jakarta")
        month_start = today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        year_start = month_start.replace(month=1)

        def plain(sql: str, **values) -> float:
            def once() -> None:
                with app.app_context():
                    db.session.execute(text(sql), values).all()
                    db.session.rollback()
            return timed(once)

        leader, inspector = app.test_client(), app.test_client()
        login(leader, f"leader.{office.slug}@tanggap.demo")
        login(inspector, "inspector.provinsi-lampung@tanggap.demo")
        dashboard = timed(lambda: _ok(leader.get(f"/{office.slug}/staff/reports/")))
        public = timed(lambda: _ok(app.test_client().get(f"/{office.slug}/akuntabilitas")))
        year_ago = (month_start - timedelta(days=11 * 31)).replace(day=1)
        before = timed(lambda: _ok(inspector.get("/inspektorat/")), repeat=3)  # no rollup yet: read live

        started = time.perf_counter()
        assert runner.invoke(args=["reports", "refresh"]).exit_code == 0
        built = time.perf_counter() - started
        overview = timed(lambda: _ok(inspector.get("/inspektorat/")))
        with app.app_context():  # a hundred complaints change, as in a few minutes of a busy day
            db.session.execute(text("UPDATE complaint SET updated_at = now() WHERE id IN "
                                    "(SELECT id FROM complaint ORDER BY random() LIMIT 100)"))
            db.session.commit()
        started = time.perf_counter()
        assert runner.invoke(args=["reports", "refresh"]).exit_code == 0
        incremental = time.perf_counter() - started
        return {
            "generated": generated,
            "overview_live": before,
            "rollup_build": built,
            "rollup_refresh": incremental,
            "dashboard": dashboard,
            "dashboard_plain": plain("SELECT count(*) FROM complaint WHERE tenant_id = :t AND submitted_at >= :s",
                                     t=office.id, s=month_start),
            "public": public,
            "public_plain": plain("SELECT date_trunc('month', submitted_at AT TIME ZONE 'Asia/Jakarta'), count(*) "
                                  "FROM complaint WHERE tenant_id = :t AND submitted_at >= :s GROUP BY 1",
                                  t=office.id, s=year_ago),
            "overview": overview,
            "overview_plain": plain("SELECT tenant_id, count(*) FROM complaint WHERE submitted_at >= :s "
                                    "GROUP BY tenant_id", s=year_start),
        }


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code


def main() -> None:
    complaints, base = arguments(__doc__)
    results = {}
    for total in (complaints // 10, complaints):
        results[total] = found = run(base, total)
        print(f"{total:,} complaints across 50 offices (generated in {found['generated']:.0f} s):")
        for name, label in (("dashboard", "office dashboard, this month"),
                            ("public", "office's public accountability page, twelve months"),
                            ("overview", "inspectorate overview, this year (rollup)")):
            page, plain = found[name], found[f"{name}_plain"]
            print(f"  {label}: {page * 1000:.0f} ms; plain aggregate {plain * 1000:.1f} ms; ratio {page / plain:.1f} x",
                  flush=True)
        print(f"  inspectorate overview read live (before the rollup): {found['overview_live'] * 1000:.0f} ms; "
              f"ratio {found['overview_live'] / found['overview_plain']:.1f} x")
        print(f"  rollup: first build {found['rollup_build']:.1f} s, refresh after 100 changed complaints "
              f"{found['rollup_refresh'] * 1000:.0f} ms", flush=True)
    small, large = (results[t] for t in sorted(results))
    for name in ("dashboard", "public", "overview"):
        print(f"{name}: ten times the complaints takes {large[name] / small[name]:.1f} x the time "
              f"(the plain aggregate {large[name + '_plain'] / small[name + '_plain']:.1f} x)")


if __name__ == "__main__":
    main()
