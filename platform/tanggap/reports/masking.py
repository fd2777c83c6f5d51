"""Citizens' contact details as the inspectorate sees them: enough to tell complaints apart,
not enough to reach or identify the person (UU 27/2022: only what the purpose needs)."""

from __future__ import annotations


def name(value: str | None) -> str:
    return " ".join(part[0] + "***" for part in (value or "").split() if part) or "–"


def email(value: str | None) -> str:
    if not value or "@" not in value:
        return "–"
    local, domain = value.split("@", 1)
    return f"{local[0]}***@{domain}"


def phone(value: str | None) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return f"{digits[:4]}****{digits[-3:]}" if len(digits) >= 8 else "–"
