"""Between the assessment pages and the decisions: filling forms, reading them back, and
wording the rules' refusals and the policy engine's warnings for the leader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from ..complaints.attachments import Upload
from ..complaints.models import Complaint
from .. import clock
from ..database import whole_number
from ..decrees.simulation import describe
from ..decrees.duration_words import duration_words
from ..extensions import db
from ..forms import options
from ..i18n import localized, rupiah
from ..units.models import Officer
from . import methods
from .decisions import DecisionError, Delivery, Finding, Proposal
from .forms import AssessmentForm, DeliveryForm
from .models import DeliveryMethod, PackageItem

ERRORS: dict[str, Callable[..., str]] = {
    "reasoning": lambda: _("Write the reasoning for the file."),
    "explanation": lambda: _("Explain to the citizen why the complaint is not upheld."),
    "components": lambda: _("Choose the components that were in fact not met."),
    "empty": lambda: _("The decree gives no compensation for these components."),
    "added": lambda: _("Choose only compensation that the decree names."),
    "refund_amount": lambda: _("A refund is due: give the amount charged over the tariff."),
    "souvenir": lambda: _("A souvenir is due but no category covers it: choose one."),
    "future": lambda: _("The delivery cannot be in the future."),
    "before_submission": lambda: _("The delivery cannot be before the complaint was filed."),
    "receipt": lambda: _("Give the receipt number of the refund."),
    "method": lambda: _("Choose a way this kind of compensation can be delivered."),
    "underpaid": lambda given, owed: _(
        "%(given)s is less than the %(owed)s owed: the whole refund must be paid.",
        given=rupiah(given), owed=rupiah(owed)),
    "overpay_reason": lambda given, owed: _(
        "%(given)s is more than the %(owed)s owed: say why, for the office's leaders.",
        given=rupiah(given), owed=rupiah(owed)),
}


def assessment_form(complaint: Complaint, formdata: Any = None) -> AssessmentForm:
    """The form with this complaint's choices; ``formdata`` for a body read another way (the API)."""
    form = AssessmentForm(formdata=formdata, meta={"csrf": False}) if formdata is not None else AssessmentForm()
    decree = complaint.decree
    form.components.choices = options((c.code, localized(c.name)) for c in decree.components)
    form.added.choices = options((c.code, localized(c.name)) for c in decree.compensation_types)
    form.souvenir_tier.choices = options([("", _("Choose a category"))] + [
        (tier.code, f"{tier.code} · {localized(tier.name)} · {localized(tier.item)}") for tier in decree.tiers])
    officers = db.session.execute(select(Officer).where(Officer.active).order_by(Officer.name)).scalars()
    form.officer.choices = options([("", _("Not named"))] + [
        (str(o.id), o.name + (f" ({o.unit.name})" if o.unit else "")) for o in officers])
    if not form.is_submitted():
        claimed_finding = claimed(complaint)
        form.components.data = claimed_finding.components
        form.delay_amount.prefill(duration_words(claimed_finding.delay_minutes))  # "2 hari", not "2880"
        form.overcharge.data = claimed_finding.overcharge
    return form


def claimed(complaint: Complaint) -> Finding:
    """The finding as the citizen's own account would have it: the starting point of the preview."""
    overcharge = None
    if complaint.charged is not None and complaint.tariff is not None and complaint.charged > complaint.tariff:
        overcharge = complaint.charged - complaint.tariff
    known = {c.code for c in complaint.decree.components}
    return Finding(upheld=True, components=[c for c in complaint.components if c in known], reasoning="",
                   delay_minutes=complaint.waited_minutes, overcharge=overcharge)


def finding(form: AssessmentForm) -> Finding:
    # The choices are SelectChoice objects (WTForms 3.3), which its stubs do not know yet.
    valid = {choice.value for choice in form.components.choices}  # type: ignore[union-attr]
    return Finding(
        upheld=form.upheld.data != "no",
        components=[code for code in (form.components.data or []) if code in valid],
        reasoning=form.reasoning.data or "",
        delay_minutes=form.delay_minutes(),
        overcharge=form.overcharge.data,
        responsible_officer_id=whole_number(form.officer.data) or None,
        explanation=form.explanation.data,
        added=list(form.added.data or []),
        souvenir_tier=form.souvenir_tier.data or None,
        souvenir_item=(form.souvenir_item.data or "").strip() or None,
    )


def request_buttons() -> set[str]:
    return {name for name in ("confirm", "preview") if name in request.form}


def add_error(form: AssessmentForm | DeliveryForm, error: DecisionError) -> None:
    field = getattr(form, error.field, None)
    word = ERRORS.get(str(error), lambda: str(error))
    message = word(**error.values) if error.values else word()
    if field is not None:
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        form.form_errors.append(message)


def warnings(proposal: Proposal | None) -> list[str]:
    return [describe(warning) for warning in proposal.package.warnings] if proposal else []


def items_of(complaint: Complaint) -> list[PackageItem]:
    return list(db.session.execute(
        select(PackageItem).where(PackageItem.complaint_id == complaint.id).order_by(PackageItem.position)
    ).scalars())


def delivery_choices(form: DeliveryForm, item: PackageItem) -> DeliveryForm:
    """Offer only the methods that fit the item's kind (``methods.BY_KIND``)."""
    form.method.choices = options((m.value, methods.LABELS[m]) for m in methods.for_kind(item.kind))
    form.files.description = f"{methods.evidence_hint(item.kind)} {form.files.description}"
    return form


def fill_delivery(form: DeliveryForm, item: PackageItem, now: datetime) -> None:
    form.delivered_at.data = now.replace(second=0, microsecond=0, tzinfo=None)
    if item.kind == "refund":
        form.refunded_amount.data = item.amount
    if item.kind == "souvenir" and item.item:
        form.souvenir_given.data = localized(item.item)


def delivery(form: DeliveryForm, zone: ZoneInfo, evidence: list[Upload] | None = None) -> Delivery:
    assert form.delivered_at.data is not None  # a required field of a validated form
    moment = form.delivered_at.data.replace(tzinfo=zone)
    now = clock.now()
    if moment == now.astimezone(zone).replace(second=0, microsecond=0):
        moment = now  # "delivered just now": keep the seconds, so the timeline stays in order
    return Delivery(
        delivered_at=moment,
        method=DeliveryMethod(form.method.data),
        refunded_amount=form.refunded_amount.data,
        receipt_number=form.receipt_number.data,
        souvenir_given=form.souvenir_given.data,
        voucher=form.voucher.data,
        note=form.note.data,
        overpay_reason=form.overpay_reason.data,
        evidence=evidence or [],
    )
