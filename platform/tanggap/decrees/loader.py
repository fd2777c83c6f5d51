"""Loading offices from decree files: ``flask tenants load`` and the console's upload.

All files are read and checked before anything is written, and everything is written in
one transaction: a bad file changes nothing. Loading the same content twice changes
nothing; a changed decree becomes a new version (the old one stays for the complaints
judged under it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from ..database import discard
from ..audit.log import record
from ..extensions import db
from ..tenancy.context import bound_to
from ..tenancy.models import Tenant
from ..tenancy.logos import LogoRefused, checked_logo
from ..tenancy.setup import RegionLoop, RegionSpec, TenantSpec, set_logo, upsert_tenant
from .decree_file import DecreeFile, DecreeFileError, load_file
from .drafts import backdating
from .file_reader import Problem
from .models import DecreeStatus
from .store import digest, new_version, newest

LOGO_NAMES = ("logo.svg", "logo.png")


class DecreeLoadError(ValueError):
    """One or more files did not load; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class LoadResult:
    slug: str
    summary: str
    warnings: list[Problem] = field(default_factory=list)


def decree_files(paths: Iterable[Path]) -> list[Path]:
    """Decree files named directly, in tenant folders, or in a folder of tenant folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif (path / "decree.toml").is_file():
            found.append(path / "decree.toml")
        elif path.is_dir():
            found.extend(sorted(path.glob("*/decree.toml")))
    return found


def tenant_spec(loaded: DecreeFile) -> TenantSpec:
    """The office as the tenancy feature describes it, from the file's ``[tenant]``."""
    spec = loaded.tenant
    letterhead: dict[str, object] = {
        key: getattr(spec, key)
        for key in ("address", "phone", "fax", "website", "email", "postal_code")
        if getattr(spec, key)
    }
    if spec.letterhead is not None:
        if spec.letterhead.header:
            letterhead["government"] = spec.letterhead.header.as_dict()
        if spec.letterhead.office:
            letterhead["office"] = spec.letterhead.office.as_dict()
        letterhead["lines"] = list(spec.letterhead.lines)
    office = TenantSpec(
        slug=spec.slug,
        name=spec.name.as_dict(),
        region=RegionSpec(slug=spec.region.slug, name=spec.region.name, parent=spec.region.parent),
        timezone=spec.timezone,
        default_locale=spec.default_locale,
        letterhead=letterhead,
    )
    return replace(office, brand_color=spec.brand_color) if spec.brand_color else office


def apply(loaded: DecreeFile, logo: Path | None = None, *, actor=None) -> tuple[Tenant, str]:
    """Write one checked file: the office, its logo, and a new decree version if it changed."""
    tenant, tenant_changed = upsert_tenant(tenant_spec(loaded))
    db.session.flush()
    if logo is not None:
        tenant_changed |= set_logo(tenant, *checked_logo(logo.read_bytes()))
    if tenant_changed:
        record("tenant.loaded", tenant_id=tenant.id, actor=actor, actor_label=None if actor else "loader",
               obj=tenant, after={"slug": tenant.slug, "name": tenant.name, "region": tenant.region.slug})
    fingerprint = digest(loaded.decree, loaded.rules)
    with bound_to(tenant):
        current = newest(tenant)
        if current is not None and current.source_digest == fingerprint:
            return tenant, "unchanged" if not tenant_changed else "office updated, decree unchanged"
        # A file states its legal date, usually past: the entry says so, as a published draft's does.
        reached_back = backdating(tenant, loaded.decree.effective_from)
        decree = new_version(tenant, loaded.decree, loaded.rules, status=DecreeStatus.PUBLISHED,
                             source_digest=fingerprint)
        db.session.flush()
    after: dict[str, Any] = {"number": decree.number, "version": decree.version,
                             "effective_from": loaded.decree.effective_from.isoformat()}
    if reached_back is not None:
        after |= {"backdated": True, "office_today": reached_back.today.isoformat()}
    record("decree.published", tenant_id=tenant.id, actor=actor, actor_label=None if actor else "loader",
           obj=decree, after=after)
    return tenant, f"decree {decree.number} loaded as version {decree.version}"


def load_paths(paths: Iterable[Path]) -> list[LoadResult]:
    """Load every decree file under ``paths`` in one transaction, or raise and write nothing."""
    files = decree_files(paths)
    loaded: list[tuple[Path, DecreeFile]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            loaded.append((file, load_file(file)))
        except DecreeFileError as error:
            problems.extend(error.problems)
    if not files:
        problems.append(Problem(", ".join(map(str, paths)), "", _("no decree.toml found")))
    if any(problem.severity == "error" for problem in problems):
        raise DecreeLoadError(problems)
    results = []
    try:
        for file, decree_file in loaded:
            logo = next((file.parent / name for name in LOGO_NAMES if (file.parent / name).is_file()), None)
            try:
                tenant, summary = apply(decree_file, logo)
            except LogoRefused as refused:
                raise DecreeLoadError([Problem(str(logo), "", str(refused))]) from None
            except RegionLoop as refused:
                raise DecreeLoadError([Problem(str(file), "tenant.region.parent", _(
                    "region '%(region)s' cannot be part of '%(parent)s': that is the region itself or lies inside it",
                    region=refused.slug, parent=refused.parent))]) from None
            results.append(LoadResult(tenant.slug, summary, decree_file.warnings))
        db.session.flush()
    except Exception:
        discard()
        raise
    return results
