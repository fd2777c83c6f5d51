"""How each kind of compensation can reach the citizen, declared once.

An apology is said in person, written in a letter, an e-mail or a WhatsApp message; money
is paid in cash or by bank transfer; a souvenir is handed over or sent by courier. The
delivery form offers only these, and the delivery step refuses any other, so a souvenir is
never "paid by bank transfer" and an apology can go by e-mail.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import DeliveryMethod as M

#: What each method is called on the form and on the complaint's page.
LABELS = {
    M.IN_PERSON: _l("In person"),
    M.PHONE: _l("By phone"),
    M.LETTER: _l("By letter"),
    M.EMAIL: _l("By e-mail"),
    M.WHATSAPP: _l("By WhatsApp"),
    M.CASH: _l("In cash"),
    M.BANK_TRANSFER: _l("By bank transfer"),
    M.COURIER: _l("By post or courier"),
}

_WORDS = (M.IN_PERSON, M.LETTER, M.EMAIL, M.WHATSAPP, M.PHONE)

#: The methods that fit each kind of compensation (DESIGN.md, glossary), in the form's order.
BY_KIND: dict[str, tuple[M, ...]] = {
    "apology": _WORDS,
    "clarification": _WORDS,
    # Served without queueing: at the counter, or at a time arranged with the citizen.
    "priority": (M.IN_PERSON, M.PHONE, M.WHATSAPP),
    "refund": (M.CASH, M.BANK_TRANSFER),
    "souvenir": (M.IN_PERSON, M.COURIER),
}

#: What the evidence of a delivery of each kind usually is (the form's hint).
EVIDENCE_HINTS = {
    "refund": _l("The transfer slip or the receipt the citizen signed."),
    "souvenir": _l("A photo of the handover or the courier's receipt."),
}
DEFAULT_EVIDENCE_HINT = _l("A photo of the handover, a copy of the letter or a screenshot of the message.")


def for_kind(kind: str) -> tuple[M, ...]:
    """The methods an item of ``kind`` may be delivered by; a kind the decree adds itself
    (``other``) may go any way."""
    return BY_KIND.get(kind, tuple(M))


def allowed(kind: str, method: M) -> bool:
    return method in for_kind(kind)


def label(method: M | None) -> str:
    return str(LABELS[method]) if method is not None else ""


def evidence_hint(kind: str) -> str:
    return str(EVIDENCE_HINTS.get(kind, DEFAULT_EVIDENCE_HINT))
