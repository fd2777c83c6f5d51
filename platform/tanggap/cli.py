"""The command line (DESIGN.md "Command line"): thin wrappers over the features' logic."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .database import unit_of_work
from .extensions import db

tenants_cli = AppGroup("tenants", help="Load and list the offices (tenants).")
audit_cli = AppGroup("audit", help="Check the audit log.")
decree_cli = AppGroup("decree", help="Check decree files and simulate what a complaint would get.")


@decree_cli.command("check")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def decree_check(path: Path) -> None:
    """Validate a decree file (or tenant folder); exit 1 if it has errors."""
    from .decrees.decree_file import check_file

    problems = check_file(path)
    for problem in problems:
        is_error = problem.severity == "error"
        click.echo(f"error: {problem}" if is_error else str(problem), err=is_error)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    click.echo(f"{path}: {errors} error(s), {warnings} warning(s)")
    sys.exit(1 if errors else 0)


@decree_cli.command("simulate")
@click.argument("slug")
@click.option("--component", "components", multiple=True, required=True, help="A violated component's code.")
@click.option("--delay", default=None, help="How long the citizen waited, e.g. 45m, 2h, 4d, \"2 jam\", \"1 hari 12 jam\", \"2 days\".")
@click.option("--overcharge", type=int, default=None, help="Rupiah charged above the tariff.")
@click.option("--submitted-at", default=None, help="ISO 8601 with an offset; now by default.")
@click.option("--json", "as_json", is_flag=True, help="Print the package as JSON.")
def decree_simulate(slug: str, components: tuple[str, ...], delay: str | None, overcharge: int | None,
                    submitted_at: str | None, as_json: bool) -> None:
    """The package and deadline a complaint would get under SLUG's decree in force."""
    import json
    from datetime import datetime

    from . import clock
    from .decrees.durations import parse_duration
    from .decrees.simulation import simulate
    from .decrees.store import in_force
    from .tenancy.context import bound_to
    from .tenancy.resolver import tenant_by_slug

    tenant = tenant_by_slug(slug)
    if tenant is None:
        raise click.UsageError(f"no office with slug {slug!r}")
    try:
        moment = datetime.fromisoformat(submitted_at) if submitted_at else clock.now()
        wait = parse_duration(delay) if delay else None
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if moment.tzinfo is None:
        raise click.UsageError("--submitted-at needs an offset, e.g. 2024-05-02T09:00:00+07:00")
    with bound_to(tenant):
        decree = in_force(tenant, moment)
        if decree is None:
            raise click.UsageError(f"{slug} has no decree in force at {moment.isoformat()}")
        known = {component.code for component in decree.components}
        unknown = [code for code in components if code not in known]
        if unknown:
            raise click.UsageError(f"unknown component(s) {', '.join(unknown)}; {slug} has {', '.join(sorted(known))}")
        result = simulate(tenant, decree, list(components), submitted_at=moment, delay=wait, overcharge=overcharge)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{result['tenant']} under {result['decree']}: due {result['due_at']}")
    for item in result["items"]:
        extra = f" (tier {item.get('tier')})" if item["kind"] == "souvenir" else ""
        extra += f" Rp {item['amount']}" if item.get("amount") else ""
        click.echo(f"  - {item['name']['en']}{extra}")
    for warning in result["warnings"]:
        click.echo(f"  ! {warning}")


@tenants_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def tenants_load(paths: tuple[Path, ...]) -> None:
    """Load or update offices from decree files or folders; idempotent and all-or-nothing."""
    from .decrees.loader import DecreeLoadError, load_paths

    try:
        with unit_of_work():
            results = load_paths(paths)
    except DecreeLoadError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo("Nothing was loaded.", err=True)
        sys.exit(1)
    for result in results:
        for warning in result.warnings:
            click.echo(str(warning))
        click.echo(f"{result.slug}: {result.summary}")


@tenants_cli.command("list")
def tenants_list() -> None:
    """Every office with its region and state."""
    from .tenancy.models import Tenant

    for tenant in db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars():
        state = "active" if tenant.active else "inactive"
        click.echo(f"{tenant.slug:24} {state:8} {tenant.region.slug:20} {tenant.name.get('id', '')}")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Walk every audit chain; report the first broken link of each and exit 1 if any."""
    from .audit.log import chains, verify
    from .tenancy.models import Tenant

    broken = 0
    for tenant_id in chains():
        label = "platform" if tenant_id is None else db.session.get_one(Tenant, tenant_id).slug
        link = verify(tenant_id)
        if link is None:
            click.echo(f"{label}: intact")
        else:
            broken += 1
            where = f"entry {link.seq}" + (f" (id {link.entry_id})" if link.entry_id is not None else "")
            click.echo(f"{label}: broken at {where}: {link.reason}", err=True)
    sys.exit(1 if broken else 0)


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign each chain's length and head into its checkpoint file (TANGGAP_AUDIT_CHECKPOINTS).

    `flask audit verify` then finds entries removed from a chain's end, or a chain rewritten
    up to its head, even by the database's owner. The cron schedule runs it every five minutes.
    """
    from .audit.checkpoints import write

    for checkpoint in write():
        label = "platform" if checkpoint.chain is None else str(checkpoint.chain)
        click.echo(f"chain {label}: {checkpoint.length} entries, head {checkpoint.head[:12]}")


@click.command("demo")
@with_appcontext
@click.option("--password", default="tanggap-demo", show_default=True, help="Password of every demo account.")
@click.option("--base-url", default=None, help="Where the server answers (default: TANGGAP_PUBLIC_URL).")
@click.option("--complaints", "volume", type=int, default=0, help="Also generate this many complaints (bulk).")
@click.option("--tenants", "offices", type=int, default=50, show_default=True,
              help="Spread the generated complaints over this many generated offices.")
def demo(password: str, base_url: str | None, volume: int, offices: int) -> None:
    """Demo accounts for every shipped office; prints their logins and URLs.

    With ``--complaints N`` it also makes ``--tenants T`` offices like Metro's and fills them
    with N complaints of the last twelve months, for the reports and their benchmark.
    """
    from flask import current_app

    from . import mailer
    from .database import across_offices
    from .demo import create_demo_accounts

    base_url = (base_url or current_app.config["PUBLIC_URL"]).rstrip("/")
    # Links in the demo's mail point at the server; the demo fills every shipped office, so
    # it works across offices (the cross role on PostgreSQL) although a request is pushed.
    # Its many notices go to the mail folder without a log line each, so the logins come
    # last: they leave in its own app context's teardown, before ``quietly`` ends.
    with mailer.quietly(), current_app.app_context(), current_app.test_request_context(base_url=base_url), \
            across_offices(), unit_of_work():
        accounts = create_demo_accounts(password)
    if volume:
        import time

        from .auth.passwords import hash_password
        from .demo_data import complaints, offices as make_offices

        started = time.perf_counter()
        with unit_of_work():
            made = make_offices(offices, hash_password(password))
            complaints(volume, made)
        click.echo(f"{volume:,} complaints across {len(made)} offices in {time.perf_counter() - started:.0f} s")
    click.echo(f"\nTanggap is at {base_url}/  (password for every account: {password})\n")
    for line in accounts:
        click.echo(f"  {line.role:10} {line.email:36} {base_url}{line.url}")
    click.echo(f"\n{mailer.where()}\n")


alerts_cli = AppGroup("alerts", help="Deadline alerts.")


@alerts_cli.command("sweep")
def alerts_sweep() -> None:
    """Run the deadline sweep once (rq cron runs it every minute)."""
    from .alerts.sweep import sweep

    with unit_of_work():
        result = sweep()
    click.echo(f"{result.complaints} complaints looked at, {result.alerts} alerts sent")


reports_cli = AppGroup("reports", help="Reports.")


@reports_cli.command("refresh")
def reports_refresh() -> None:
    """Bring the inspectorate's rollup up to date (rq cron does it every five minutes)."""
    from .reports.rollup import refresh

    with unit_of_work():
        changed = refresh()
    click.echo("rollup rebuilt" if changed < 0 else f"{changed} office-days recomputed")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """The development server; on the embedded default it also runs the sweep every minute."""
    from flask import current_app
    from werkzeug.serving import run_simple

    from . import mailer

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE"):
        from .alerts import background
        from .alerts.tasks import new_complaints_job, sweep_job
        from .notifications.tasks import redrive
        from .reports.tasks import refresh_job

        background.start(app, (sweep_job, new_complaints_job, redrive, refresh_job))
        click.echo("No REDIS_URL: jobs run inline and the deadline sweep runs here every minute.")
    click.echo(mailer.where())
    run_simple(host, port, app, use_reloader=False, use_debugger=app.debug, threaded=True)


rls_cli = AppGroup("rls", help="PostgreSQL row-level security.")


@rls_cli.command("grant")
@click.argument("role")
@click.option("--cross", "cross_role", default=None,
              help="The cross-office login role (TANGGAP_CROSS_DATABASE_URL), which joins tanggap_cross.")
def rls_grant(role: str, cross_role: str | None) -> None:
    """Give ROLE, the app's own database role, the rights on rows it needs (run as the tables' owner),
    and with --cross the cross-office role its rights and every office's rows.

    Both should own no table and have no BYPASSRLS, so that the row-level policies hold for
    every statement they send: ROLE's admit only the office it declares; the cross role's,
    used only by jobs, commands, the console and the inspectorate, admit every office.
    """
    from sqlalchemy import text

    from .extensions import db
    from .tenancy.row_security import grant_statements

    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("row-level security needs PostgreSQL")
    if cross_role == role:
        raise click.ClickException("the role serving office pages must not be the cross-office role")
    with db.engine.begin() as connection:
        for statement in grant_statements(role):
            connection.execute(text(statement))
        if cross_role:
            for statement in grant_statements(cross_role, cross=True):
                connection.execute(text(statement))
    click.echo(f"{role} may now read and write rows; the tenant policies apply to it.")
    if cross_role:
        click.echo(f"{cross_role} may now read and write every office's rows; give it only to cross-office work.")


files_cli = AppGroup("files", help="The file store (TANGGAP_FILE_STORE): backup, restore and check.")
_ENDPOINT = click.option("--endpoint-url", default=None,
                         help="The other store's S3-compatible server (default: TANGGAP_S3_ENDPOINT_URL).")


def _other_store(place: str, endpoint_url: str | None):
    from flask import current_app

    from . import filestore

    return filestore.from_url(place, endpoint_url=endpoint_url or current_app.config.get("S3_ENDPOINT_URL"),
                              region=current_app.config.get("S3_REGION"))


@files_cli.command("backup")
@click.argument("target")
@_ENDPOINT
def files_backup(target: str, endpoint_url: str | None) -> None:
    """Copy every kept file (attachments, evidence, exports) to TARGET: a folder or s3://bucket/prefix.

    Run it after `pg_dump`, so every file the dump names is in the copy (README, "Backups").
    """
    from . import filestore

    copied = filestore.copy_all(filestore.current(), _other_store(target, endpoint_url))
    click.echo(f"{copied} files copied to {target}")


@files_cli.command("restore")
@click.argument("source")
@_ENDPOINT
def files_restore(source: str, endpoint_url: str | None) -> None:
    """Copy every file of a backup (a folder or s3://bucket/prefix) into this platform's store."""
    from . import filestore

    copied = filestore.copy_all(_other_store(source, endpoint_url), filestore.current())
    click.echo(f"{copied} files restored from {source}")


@files_cli.command("verify")
@click.option("--contents", is_flag=True, help="Also read every file and compare its SHA-256 (slow on a big store).")
def files_verify(contents: bool) -> None:
    """Check that every file the database names is in the store; exit 1 naming those that are not."""
    import hashlib

    from . import filestore
    from .assessments.models import DeliveryEvidence
    from .complaints.attachments import key_of
    from .complaints.models import Attachment
    from .tenancy.scoping import every_office

    store, problems, checked = filestore.current(), 0, 0
    present = set(store.keys("uploads/"))
    for model in (Attachment, DeliveryEvidence):
        named = select(model.id, model.storage_key, model.sha256).order_by(model.id)
        for row in db.session.execute(every_office(named)):
            checked += 1
            key, which = key_of(row.storage_key), f"{model.__tablename__} {row.id}"
            if key not in present:
                problems += 1
                click.echo(f"missing: {key} ({which})", err=True)
            elif contents:
                with store.open(key) as content:
                    if hashlib.sha256(content.read()).hexdigest() != row.sha256:  # 5 MB at most
                        problems += 1
                        click.echo(f"changed: {key} ({which})", err=True)
    click.echo(f"{checked} files checked, {problems} missing or changed")
    sys.exit(1 if problems else 0)


def init_app(app: Flask) -> None:
    app.cli.add_command(files_cli)
    app.cli.add_command(rls_cli)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(serve)
    app.cli.add_command(tenants_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(decree_cli)
    app.cli.add_command(demo)
