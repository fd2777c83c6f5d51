"""The leader's decision and the officers' deliveries, through the complaint's lifecycle.

The package comes from the policy engine under the decree the complaint was filed under.
The leader may add what the decree allows and settle what the engine left open (a souvenir
with no tier); nothing the matrix requires can be taken out, because the items are
rebuilt from the finding on every confirmation, never taken from the browser.

Whether compensation came on time is decided from what the office cannot set: the moment a
delivery was recorded. An officer may record a delivery up to ``RECORDING_ALLOWANCE`` after
the time they state for it; a stated time earlier than that is kept as stated, but the
delivery counts from when it was recorded and is marked backdated for leaders and inspectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..auth.models import Actor, actor_parts
from ..complaints import attachments, lifecycle
from ..complaints.lifecycle import Action, IllegalTransition
from ..complaints.models import Complaint, EventKind, Status
from .. import clock
from ..decrees.policy import Item, Package, compensation_package
from ..decrees.rules import Rules, Text
from ..extensions import db
from . import methods
from .models import Assessment, DeliveryEvidence, DeliveryMethod, PackageItem

#: How long after the stated time a delivery may be recorded and still count at that time.
RECORDING_ALLOWANCE = timedelta(hours=24)


class DecisionError(ValueError):
    """A finding or delivery that the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str, **values: int) -> None:
        super().__init__(message)
        self.field = field
        #: Figures the message names (the amount owed and the amount given).
        self.values = values


@dataclass
class Finding:
    """What the leader found, as the assessment form gives it."""

    upheld: bool
    components: list[str]
    reasoning: str
    delay_minutes: int | None = None
    overcharge: int | None = None
    responsible_officer_id: int | None = None
    explanation: str | None = None
    #: Compensation codes the decree names that the leader adds beyond the matrix.
    added: list[str] = field(default_factory=list)
    #: For a souvenir the engine could not place: a tier code, or (with no tiers) the item.
    souvenir_tier: str | None = None
    souvenir_item: str | None = None


@dataclass(frozen=True)
class Proposal:
    """The package as the leader confirms it: the engine's items plus the leader's additions."""

    package: Package
    items: tuple[Item, ...]
    added: tuple[str, ...]


def propose(complaint: Complaint, finding: Finding) -> Proposal:
    """The package a finding leads to under the complaint's own decree version."""
    rules = complaint.decree.rules()
    delay = timedelta(minutes=finding.delay_minutes) if finding.delay_minutes is not None else None
    package = compensation_package(rules, finding.components, delay=delay, overcharge=finding.overcharge)
    items = [_settle_souvenir(item, rules, finding) for item in package.items]
    known = {compensation.code for compensation in rules.compensations}
    added = tuple(code for code in finding.added if code not in package.codes and code in known)
    for code in added:
        compensation = rules.compensation(code)
        items.append(_settle_souvenir(Item(code=code, kind=compensation.kind, name=compensation.name,
                                           amount=finding.overcharge if compensation.kind == "refund" else None),
                                      rules, finding))
    return Proposal(package=package, items=tuple(items), added=added)


def _settle_souvenir(item: Item, rules: Rules, finding: Finding) -> Item:
    if item.kind != "souvenir" or item.tier is not None:  # the engine placed it: the decree decides
        return item
    if rules.tiers and finding.souvenir_tier:
        tier = next((t for t in rules.tiers if t.code == finding.souvenir_tier), None)
        if tier is not None:
            return Item(code=item.code, kind=item.kind, name=item.name, tier=tier.code, tier_name=tier.name,
                        item=tier.item)
    if not rules.tiers and finding.souvenir_item:
        chosen = Text(finding.souvenir_item, finding.souvenir_item)
        return Item(code=item.code, kind=item.kind, name=item.name, item=chosen)
    return item


def check(complaint: Complaint, finding: Finding, proposal: Proposal | None) -> None:
    """Refuse a finding the rules do not allow, naming the field."""
    if not finding.reasoning.strip():
        raise DecisionError("reasoning", "reasoning")
    if not finding.upheld:
        if not (finding.explanation or "").strip():
            raise DecisionError("explanation", "explanation")
        return
    if not finding.components:
        raise DecisionError("components", "components")
    known = {compensation.code for compensation in complaint.decree.rules().compensations}
    if any(code not in known for code in finding.added):
        raise DecisionError("added", "added")
    assert proposal is not None
    if not proposal.items:
        raise DecisionError("components", "empty")
    for item in proposal.items:
        if item.kind == "refund" and not item.amount:
            raise DecisionError("overcharge", "refund_amount")
        if item.kind == "souvenir" and item.tier is None and item.item is None:
            raise DecisionError("souvenir_tier", "souvenir")


def assess(complaint: Complaint, finding: Finding, *, by: Actor) -> Assessment:
    """Record the finding and move the complaint to upheld (with its items) or rejected."""
    lifecycle.lock(complaint)  # a second assessment (or a withdrawal) waits here, then finds the status moved on
    if not lifecycle.allowed(complaint.status, Action.UPHOLD):
        raise IllegalTransition(Action.UPHOLD if finding.upheld else Action.REJECT, complaint.status)
    proposal = propose(complaint, finding) if finding.upheld else None
    check(complaint, finding, proposal)
    decider, decider_label = actor_parts(by)
    assessment = Assessment(
        tenant_id=complaint.tenant_id, complaint=complaint, upheld=finding.upheld,
        components=finding.components if finding.upheld else [], delay_minutes=finding.delay_minutes,
        overcharge=finding.overcharge, responsible_officer_id=finding.responsible_officer_id,
        reasoning=finding.reasoning.strip(), explanation=(finding.explanation or "").strip() or None,
        warnings=[w.as_dict() for w in proposal.package.warnings] if proposal else [], decided_by=decider,
        decided_by_label=decider_label,
    )
    db.session.add(assessment)
    if proposal is None:
        lifecycle.apply(complaint, Action.REJECT, by=by, message=assessment.explanation)
        return assessment
    for position, item in enumerate(proposal.items):
        db.session.add(PackageItem(
            tenant_id=complaint.tenant_id, assessment=assessment, complaint_id=complaint.id, position=position,
            code=item.code, kind=item.kind, name=item.name.as_dict(), required=item.code not in proposal.added,
            amount=item.amount, tier=item.tier, tier_name=item.tier_name.as_dict() if item.tier_name else None,
            item=item.item.as_dict() if item.item else None,
        ))
    db.session.flush()
    lifecycle.apply(complaint, Action.UPHOLD, by=by, message=assessment.explanation,
                    data={"components": finding.components, "items": [item.code for item in proposal.items]})
    return assessment


@dataclass
class Delivery:
    """How an officer delivered one item."""

    delivered_at: datetime
    method: DeliveryMethod
    refunded_amount: int | None = None
    receipt_number: str | None = None
    souvenir_given: str | None = None
    voucher: str | None = None
    note: str | None = None
    #: Why more was refunded than owed; required exactly when it was.
    overpay_reason: str | None = None
    #: Checked files (``complaints.uploads.checked_uploads``): the handover's photo, the slip.
    evidence: list[attachments.Upload] = field(default_factory=list)


def check_delivery(item: PackageItem, delivery: Delivery, complaint: Complaint, now: datetime) -> None:
    """Refuse a delivery the rules do not allow, naming the field.

    A refund is owed in full (the overcharge the leader found, or the fee): less is refused,
    and more is paid only with a reason, kept for the leaders (issue: a Rp25.000 refund was
    accepted at Rp40.000, Rp40.000 of Rp50.000 owed too).
    """
    if delivery.delivered_at > now + timedelta(minutes=5):
        raise DecisionError("delivered_at", "future")
    if delivery.delivered_at < complaint.submitted_at.replace(second=0, microsecond=0):  # the form counts in minutes
        raise DecisionError("delivered_at", "before_submission")
    if not methods.allowed(item.kind, delivery.method):
        raise DecisionError("method", "method")
    if item.kind != "refund":
        return
    if not delivery.refunded_amount:
        raise DecisionError("refunded_amount", "refund_amount")
    owed = item.amount or 0
    if delivery.refunded_amount < owed:
        raise DecisionError("refunded_amount", "underpaid", given=delivery.refunded_amount, owed=owed)
    if delivery.refunded_amount > owed and not (delivery.overpay_reason or "").strip():
        raise DecisionError("overpay_reason", "overpay_reason", given=delivery.refunded_amount, owed=owed)
    if not (delivery.receipt_number or "").strip():
        raise DecisionError("receipt_number", "receipt")


def deliver(item: PackageItem, delivery: Delivery, *, by: Actor) -> None:
    """Mark one item delivered; the last one makes the complaint compensated (on time or late).

    The complaint and its items are locked and read again first, so that of two deliveries of
    one item the second is refused, and of the last items delivered at once exactly one
    compensates the complaint.
    """
    complaint = lifecycle.lock(item.complaint)
    items = list(db.session.execute(
        select(PackageItem).where(PackageItem.assessment_id == item.assessment_id)
        .order_by(PackageItem.position).with_for_update().execution_options(populate_existing=True)
    ).scalars())
    if complaint.status is not Status.UPHELD or item.delivered:
        raise IllegalTransition(Action.COMPENSATE, complaint.status)
    now = clock.now()
    check_delivery(item, delivery, complaint, now)
    item.delivered_at = delivery.delivered_at
    deliverer, item.delivered_by_label = actor_parts(by)
    item.delivered_by_id = deliverer.id if deliverer else None
    item.recorded_at = now
    item.backdated = delivery.delivered_at < now - RECORDING_ALLOWANCE
    item.method = delivery.method
    item.refunded_amount = delivery.refunded_amount if item.kind == "refund" else None
    item.receipt_number = (delivery.receipt_number or "").strip() or None
    item.souvenir_given = (delivery.souvenir_given or "").strip() or None
    item.voucher = (delivery.voucher or "").strip() or None
    item.note = (delivery.note or "").strip() or None
    item.overpay_reason = ((delivery.overpay_reason or "").strip() or None) if item.overpaid else None
    for upload in delivery.evidence:
        stored = attachments.write(item.tenant_id, upload)
        item.evidence.append(DeliveryEvidence(
            tenant_id=item.tenant_id, complaint_id=complaint.id, filename=stored.filename, mimetype=stored.mimetype,
            size=stored.size, storage_key=stored.storage_key, sha256=stored.sha256, uploaded_at=now,
            uploaded_by_id=item.delivered_by_id))
    facts: dict[str, Any] = {"item": item.code, "name": item.name, "method": delivery.method.value,
             "refunded_amount": item.refunded_amount, "receipt_number": item.receipt_number,
             "recorded_at": now.isoformat()}
    if item.overpaid:
        facts |= {"owed": item.amount, "overpaid": item.overpaid, "overpay_reason": item.overpay_reason}
    if delivery.evidence:
        facts["evidence"] = [{"filename": e.filename, "sha256": e.sha256} for e in item.evidence]
    if item.backdated:
        facts["backdated"] = True
    lifecycle.log_event(complaint, EventKind.ITEM_DELIVERED, by=by, at=delivery.delivered_at, data=facts)
    if all(entry.delivered for entry in items):
        last = max(entry.counts_from for entry in items if entry.counts_from)
        backdated = [entry.code for entry in items if entry.backdated]
        lifecycle.apply(complaint, Action.COMPENSATE, by=by, at=last,
                        data={"backdated": backdated} if backdated else None)
