"""The audit log is a hash chain per office: appends link up, tampering is found."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tanggap.audit.log import GENESIS, record, verify
from tanggap.audit.models import AuditLog
from tanggap.extensions import db
from tests.conftest import ON_POSTGRES


def _write_three(ctx, tenant_id: int) -> None:
    with ctx():
        for n in range(3):
            record("thing.changed", tenant_id=tenant_id, actor_label="test", object_type="Thing", object_id=n,
                   before={"n": n}, after={"n": n + 1})
        db.session.commit()


def test_entries_link_into_a_chain_per_office(make, ctx):
    alpha, beta = make.tenant("dinas-alpha"), make.tenant("dinas-beta", region="kota-beta")
    _write_three(ctx, alpha.id)
    _write_three(ctx, beta.id)
    with ctx():
        rows = db.session.execute(select(AuditLog).where(AuditLog.tenant_id == alpha.id).order_by(AuditLog.seq)).scalars().all()
        assert [r.seq for r in rows] == [1, 2, 3]
        assert rows[0].prev_hash == GENESIS
        assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
        assert verify(alpha.id) is None and verify(beta.id) is None


def _tamper(statement: str, **params) -> None:
    if ON_POSTGRES:
        # The append-only trigger stops the application's own role; an owner can lift it.
        db.session.execute(text("SET LOCAL ROLE postgres"))
        db.session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    db.session.execute(text(statement), params)
    db.session.commit()


def test_a_changed_entry_breaks_the_chain_at_that_entry(make, ctx):
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    with ctx():
        _tamper("UPDATE audit_log SET after = :after WHERE tenant_id = :t AND seq = 2", after='{"n": 99}', t=alpha.id)
        broken = verify(alpha.id)
        assert broken is not None and broken.seq == 2 and "hash" in broken.reason


def test_a_removed_entry_breaks_the_chain(make, ctx):
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    with ctx():
        _tamper("DELETE FROM audit_log WHERE tenant_id = :t AND seq = 2", t=alpha.id)
        broken = verify(alpha.id)
        assert broken is not None and broken.seq == 2 and "missing" in broken.reason


def test_audit_verify_command_reports_the_first_broken_link(make, ctx, app):
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "dinas-alpha: intact" in intact.output
    with ctx():
        _tamper("UPDATE audit_log SET action = 'x' WHERE tenant_id = :t AND seq = 3", t=alpha.id)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "dinas-alpha: broken at entry 3" in broken.output


@pytest.mark.postgres
def test_the_database_refuses_to_change_audit_rows(make, ctx):
    from sqlalchemy.exc import DBAPIError

    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    with ctx():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE audit_log SET action = 'x' WHERE tenant_id = :t"), {"t": alpha.id})
        db.session.rollback()


def _recompute_plain_hashes(tenant_id: int) -> None:
    """What the table's owner could always do: recompute every hash after a rewrite, the
    way the chain used to be hashed (SHA-256 of the content, no key)."""
    import hashlib

    from tanggap.audit.log import _canonical, _timestamp

    previous = GENESIS
    for entry in db.session.execute(select(AuditLog).where(AuditLog.tenant_id == tenant_id).order_by(AuditLog.seq)).scalars():
        content = {"tenant": entry.tenant_id, "seq": entry.seq, "at": _timestamp(entry.created_at),
                   "actor": entry.actor_id, "actor_label": entry.actor_label, "action": entry.action,
                   "object": [entry.object_type, entry.object_id], "before": entry.before, "after": entry.after,
                   "ip": entry.ip, "prev": previous}
        digest = hashlib.sha256(_canonical(content).encode()).hexdigest()
        db.session.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :id"),
                           {"p": previous, "h": digest, "id": entry.id})
        previous = digest
    db.session.commit()


def test_a_rewritten_entry_with_every_hash_recomputed_is_found(make, ctx, app):
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    with ctx():
        _tamper("UPDATE audit_log SET after = :after WHERE tenant_id = :t AND seq = 2", after='{"n": 99}', t=alpha.id)
        _recompute_plain_hashes(alpha.id)
        broken = verify(alpha.id)
        assert broken is not None and broken.seq == 1 and "hash" in broken.reason
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "dinas-alpha: broken at entry 1" in result.output


def test_entries_removed_from_the_end_after_a_checkpoint_are_found(make, ctx, app):
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    with ctx():
        _tamper("DELETE FROM audit_log WHERE tenant_id = :t AND seq = 3", t=alpha.id)
        broken = verify(alpha.id)
        assert broken is not None and broken.seq == 3 and "entries 3 to 3 are missing" in broken.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "dinas-alpha: broken at entry 3: entries 3 to 3 are missing" in result.output


def test_a_chain_rewritten_up_to_its_head_differs_from_its_checkpoint(make, ctx, app, monkeypatch):
    """Even one who learnt the key later cannot make a rewritten head match the signed checkpoint."""
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    with ctx():
        _tamper("UPDATE audit_log SET after = :after WHERE tenant_id = :t AND seq = 3", after='{"n": 99}', t=alpha.id)
        entry = db.session.execute(select(AuditLog).where(AuditLog.tenant_id == alpha.id, AuditLog.seq == 3)).scalar_one()
        from tanggap.audit.log import entry_hash

        db.session.execute(text("UPDATE audit_log SET hash = :h WHERE id = :id"), {"h": entry_hash(entry), "id": entry.id})
        db.session.commit()
        db.session.expire_all()
        broken = verify(alpha.id)
        assert broken is not None and broken.seq == 3 and "checkpoint" in broken.reason


def test_a_growing_chain_verifies_against_its_checkpoints(make, ctx, app):
    alpha = make.tenant("dinas-alpha")
    runner = app.test_cli_runner()
    _write_three(ctx, alpha.id)
    assert "3 entries" in runner.invoke(args=["audit", "checkpoint"]).output
    _write_three(ctx, alpha.id)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert "6 entries" in runner.invoke(args=["audit", "checkpoint"]).output
    assert runner.invoke(args=["audit", "checkpoint"]).output == ""  # nothing moved, nothing written
    with ctx():
        assert verify(alpha.id) is None


def test_a_forged_checkpoint_is_not_believed(make, ctx, app):
    from pathlib import Path

    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    folder = Path(app.config["AUDIT_CHECKPOINTS"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"chain-{alpha.id}.jsonl").write_text(
        f'{{"at":"2026-01-01T00:00:00.000000Z","chain":{alpha.id},"head":"{"0" * 64}","length":9,"signature":"{"0" * 64}"}}\n')
    with ctx():
        assert verify(alpha.id) is None


def test_staff_read_their_office_log_with_the_chain_verdict(make, ctx, visitor):
    office = make.office_with_staff("dinas-alpha")
    _write_three(ctx, office.tenant.id)
    visitor.login(office.leader.email)
    html = visitor.get("/dinas-alpha/staff/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The chain is intact" in html
    assert html.count("Other change") == 3 and "thing.changed" not in html  # an unknown code still reads as words
    assert html.count("n: 1 → 2") == 1


def test_officers_may_not_read_the_audit_log(make, visitor):
    office = make.office_with_staff("dinas-alpha")
    visitor.login(office.officer.email)
    assert visitor.get("/dinas-alpha/staff/audit").status_code == 403


def test_logins_and_password_changes_are_audited_in_the_platform_chain(make, ctx, visitor):
    office = make.office_with_staff("dinas-alpha")
    visitor.login(office.admin.email)
    with ctx():
        actions = db.session.execute(
            select(AuditLog.action).where(AuditLog.tenant_id.is_(None), AuditLog.actor_id == office.admin.id)
        ).scalars().all()
        assert actions == ["auth.login"]
        assert verify(None) is None


def _plain_chain_app(tmp_path):
    """An embedded database at the revision before the chain was keyed, with a platform chain
    of three entries hashed the old way."""
    from flask_migrate import upgrade

    from tanggap import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "SECRET_KEY": "x",
                      "REDIS_URL": None, "AUDIT_CHECKPOINTS": str(tmp_path / "checkpoints")})
    with app.app_context():
        upgrade(revision="b5e3c1f0a9d2")
        for n in range(3):
            record("thing.changed", tenant_id=None, actor_label="test", after={"n": n})
        db.session.commit()
        import hashlib

        from tanggap.audit.log import _canonical, _timestamp

        previous = GENESIS
        for entry in db.session.execute(select(AuditLog).order_by(AuditLog.seq)).scalars():
            content = {"tenant": None, "seq": entry.seq, "at": _timestamp(entry.created_at), "actor": None,
                       "actor_label": "test", "action": entry.action, "object": [None, None], "before": None,
                       "after": entry.after, "ip": None, "prev": previous}
            entry.prev_hash, entry.hash = previous, hashlib.sha256(_canonical(content).encode()).hexdigest()
            previous = entry.hash
        db.session.commit()
        assert verify(None) is not None  # hashed the old way: not under the key
    return app


def test_the_migration_rekeys_a_chain_hashed_the_old_way(tmp_path):
    from flask_migrate import upgrade

    app = _plain_chain_app(tmp_path)
    with app.app_context():
        db.session.remove()
        upgrade()
        assert verify(None) is None
        db.engine.dispose()


def test_the_migration_refuses_to_rekey_a_broken_chain(tmp_path):
    from flask_migrate import upgrade

    app = _plain_chain_app(tmp_path)
    with app.app_context():
        db.session.execute(text("UPDATE audit_log SET action = 'x' WHERE seq = 2"))
        db.session.commit()
        db.session.remove()
        with pytest.raises(SystemExit):  # Flask-Migrate logs "... broken at entry 2 ..." and exits 1
            upgrade()
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert revision == "b5e3c1f0a9d2"
        db.session.remove()
        db.engine.dispose()


def test_the_checkpoint_job_is_on_the_cron_schedule(make, ctx, app):
    import importlib

    from rq import cron

    import tanggap.schedule
    from tanggap.audit.tasks import checkpoint_job

    cron._job_data_registry.clear()
    importlib.reload(tanggap.schedule)
    assert {job["name"]: job["func"] for job in cron._job_data_registry}["audit-checkpoint"] is checkpoint_job
    alpha = make.tenant("dinas-alpha")
    _write_three(ctx, alpha.id)
    with app.app_context():
        assert checkpoint_job() == 1
