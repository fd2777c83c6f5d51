"""Loading offices from decree files into the database: idempotent, versioned, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select

from tanggap.audit.models import AuditLog
from tanggap.decrees.models import Decree
from tanggap.decrees.store import in_force
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Region, Tenant
from tanggap.tenancy.scoping import every_office

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def _count(model) -> int:
    """Rows of ``model`` in every office: a count across offices, said as such."""
    return db.session.execute(every_office(select(func.count()).select_from(model))).scalar_one()


def _load(app, *paths) -> Result:
    return app.test_cli_runner().invoke(args=["tenants", "load", *map(str, paths)])


def test_both_seed_offices_load_with_their_regions(app, ctx):
    result = _load(app, TENANTS)
    assert result.exit_code == 0, result.output
    assert "dinsos-lampung: decree 400.9.3.21//4 IV.07/B.II/2024 loaded as version 1" in result.output
    assert "disdikbud-metro: decree 002.b/KPTS/D-1/2024 loaded as version 1" in result.output
    assert "no category covers delays from 1 hour to under 3 days" in result.output
    with ctx():
        metro = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
        assert metro.region.slug == "kota-metro"
        assert metro.region.parent.slug == "provinsi-lampung"
        assert metro.region.parent.name == "Pemerintah Provinsi Lampung"
        assert metro.logo_mimetype == "image/svg+xml"
        with bound_to(metro):
            decree = in_force(metro)
            assert decree.signer["nip"] == "19670512 200003 1 009"
            assert decree.revokes == ["009.a/KPTS/D-1/2022"]
            assert len(decree.copies_to) == 6 and decree.funding == "APBD"
            assert [t.code for t in decree.tiers] == ["A", "B"]
            assert decree.deadline.hours == 72
            assert any("09 Januari" in note for note in decree.notes)


def test_loading_twice_changes_nothing(app, ctx):
    _load(app, TENANTS)
    with ctx():
        before = (_count(Decree), _count(AuditLog), _count(Region))
    again = _load(app, TENANTS)
    assert again.exit_code == 0 and again.output.count(": unchanged") == 2
    with ctx():
        assert (_count(Decree), _count(AuditLog), _count(Region)) == before


def test_a_changed_file_makes_a_new_version_and_keeps_the_old(app, ctx, tmp_path):
    folder = tmp_path / "disdikbud-metro"
    shutil.copytree(TENANTS / "disdikbud-metro", folder)
    _load(app, folder)
    toml = folder / "decree.toml"
    toml.write_text(toml.read_text().replace("hours = 72", "hours = 48").replace(
        'effective_from = "2024-01-04"', 'effective_from = "2025-01-01"'))
    result = _load(app, folder)
    assert "loaded as version 2" in result.output, result.output
    with ctx():
        metro = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
        with bound_to(metro):
            from datetime import datetime, timezone

            old = in_force(metro, datetime(2024, 6, 1, tzinfo=timezone.utc))
            new = in_force(metro, datetime(2025, 6, 1, tzinfo=timezone.utc))
            assert (old.version, old.deadline.hours) == (1, 72)
            assert (new.version, new.deadline.hours) == (2, 48)
            assert old.effective_until.isoformat() == "2025-01-01"


def test_a_bad_file_among_good_ones_loads_nothing(app, ctx, tmp_path):
    for slug in ("dinsos-lampung", "disdikbud-metro"):
        shutil.copytree(TENANTS / slug, tmp_path / slug)
    broken = tmp_path / "disdikbud-metro" / "decree.toml"
    broken.write_text(broken.read_text().replace('compensations = ["apology", "refund"', 'compensations = ["apology", "refnud"'))
    result = _load(app, tmp_path)
    assert result.exit_code == 1
    assert "components[3].compensations[1]" in result.output and "refnud" in result.output
    assert "Nothing was loaded." in result.output
    with ctx():
        assert _count(Tenant) == 0 and _count(AuditLog) == 0


def test_decree_check_passes_both_seeds_with_metros_gap_warning(app):
    runner = app.test_cli_runner()
    metro = runner.invoke(args=["decree", "check", str(TENANTS / "disdikbud-metro")])
    lampung = runner.invoke(args=["decree", "check", str(TENANTS / "dinsos-lampung" / "decree.toml")])
    assert metro.exit_code == 0 and "0 error(s), 1 warning(s)" in metro.output
    assert "souvenir_tiers: warning: no category covers delays from 1 hour to under 3 days" in metro.output
    assert lampung.exit_code == 0 and "0 error(s)" in lampung.output


def test_decree_check_names_key_and_reason_and_exits_1(app, tmp_path):
    bad = tmp_path / "decree.toml"
    bad.write_text((TENANTS / "disdikbud-metro" / "decree.toml").read_text()
                   .replace('timezone = "Asia/Jakarta"', 'timezone = "Asia/Atlantis"')
                   .replace('min_delay = "30m"', 'min_delay = "30 menitan"'))
    result = app.test_cli_runner().invoke(args=["decree", "check", str(bad)])
    assert result.exit_code == 1
    assert "tenant.timezone" in result.output and "souvenir_tiers[0].min_delay" in result.output


@pytest.mark.parametrize("metro_first", [True, False])
def test_a_file_placing_a_region_inside_one_it_contains_is_refused_and_loads_nothing(app, ctx, tmp_path, metro_first):
    """Kota Metro is part of Provinsi Lampung: a Lampung file placing the province in Kota Metro
    would loop, whether Metro was loaded before or comes in the same load (after Lampung)."""
    folder = tmp_path / "dinsos-lampung"
    shutil.copytree(TENANTS / "dinsos-lampung", folder)
    toml = folder / "decree.toml"
    toml.write_text(toml.read_text().replace('name = "Pemerintah Provinsi Lampung" }',
                                             'name = "Pemerintah Provinsi Lampung", parent = "kota-metro" }'))
    if metro_first:
        assert _load(app, TENANTS / "disdikbud-metro").exit_code == 0
        refused = f"{toml}: tenant.region.parent: region 'provinsi-lampung' cannot be part of 'kota-metro': " \
                  "that is the region itself or lies inside it"
    else:
        shutil.copytree(TENANTS / "disdikbud-metro", tmp_path / "disdikbud-metro")
        refused = f"{tmp_path / 'disdikbud-metro' / 'decree.toml'}: tenant.region.parent: region 'kota-metro' " \
                  "cannot be part of 'provinsi-lampung': that is the region itself or lies inside it"
    with ctx():
        before = (_count(Tenant), _count(Decree), _count(AuditLog), _count(Region))
    result = _load(app, tmp_path)
    assert result.exit_code == 1 and f"error: {refused}" in result.output and "Nothing was loaded." in result.output
    with ctx():
        assert (_count(Tenant), _count(Decree), _count(AuditLog), _count(Region)) == before
        parents = dict(db.session.execute(select(Region.slug, Region.parent_id)).all())
        assert parents.get("provinsi-lampung") is None
