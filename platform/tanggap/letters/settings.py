"""An office's letter settings as they apply: its own where it saved them, the defaults
(``defaults``, its decree in force) where it did not. Declared once, in ``FIELDS``: the form,
the store and the letters read the same names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from ..audit.log import record
from ..auth.models import User
from ..complaints.numbering import ticket_prefix
from ..decrees.store import in_force
from ..extensions import db
from ..tenancy.models import Tenant
from . import defaults
from .composing import Signer
from .models import LetterSettings

#: The office-wide settings, in the form's order.
FIELDS = ("number_pattern", "unit_code", "place", "signer_name", "signer_position", "signer_rank", "signer_nip")


@dataclass
class Settings:
    number_pattern: str
    unit_code: str
    place: str
    signer_name: str
    signer_position: str
    signer_rank: str
    signer_nip: str
    #: Per letter kind: ``code``, ``subject`` and ``body`` in ``id`` and ``en``.
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def signer(self) -> Signer:
        return Signer(self.signer_name, self.signer_position, self.signer_rank, self.signer_nip)

    def kind(self, kind: str) -> dict[str, Any]:
        return self.kinds.get(kind) or defaults.KINDS[kind]


def default_settings(tenant: Tenant) -> Settings:
    """What an office's letters say until it edits them: the signer and place of its decree."""
    decree = in_force(tenant)
    signer = dict(decree.signer or {}) if decree is not None else {}
    return Settings(
        number_pattern=defaults.NUMBER_PATTERN, unit_code=ticket_prefix(tenant),
        place=(decree.enacted_in if decree is not None else None) or "",
        signer_name=signer.get("name", ""), signer_position=signer.get("position", ""),
        signer_rank=signer.get("rank", ""), signer_nip=signer.get("nip", ""),
        kinds={kind: {**spec, "subject": dict(spec["subject"]), "body": dict(spec["body"])}
               for kind, spec in defaults.KINDS.items()},
    )


def _row(tenant: Tenant) -> LetterSettings | None:
    return db.session.execute(select(LetterSettings).where(LetterSettings.tenant_id == tenant.id)).scalar_one_or_none()


def settings_of(tenant: Tenant) -> Settings:
    found = _row(tenant)
    settled = default_settings(tenant)
    if found is None:
        return settled
    for name in FIELDS:
        setattr(settled, name, getattr(found, name))
    for kind, spec in (found.kinds or {}).items():
        if kind in settled.kinds:
            settled.kinds[kind] = spec
    return settled


def save(tenant: Tenant, settings: Settings, *, by: User) -> None:
    """Keep the office's settings, audited, in the caller's transaction."""
    found = _row(tenant)
    before = None
    if found is None:
        found = LetterSettings(tenant_id=tenant.id)
        db.session.add(found)
    else:
        before = {name: getattr(found, name) for name in FIELDS} | {"kinds": found.kinds}
    after = asdict(settings)
    for name in FIELDS:
        setattr(found, name, after[name])
    found.kinds = after["kinds"]
    db.session.flush()
    record("letters.settings_changed", tenant_id=tenant.id, actor=by, obj=found, before=before, after=after)
