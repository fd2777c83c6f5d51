"""What the APIs send: each resource as JSON, and beside it the JSON Schema that describes it.

The two live side by side so that changing one shows the other; the OpenAPI document takes
the schemas from here, and schemathesis checks every answer against them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from collections.abc import Sequence
from typing import Any

from ..assessments.models import Assessment, PackageItem
from ..complaints import labels
from ..complaints.models import Complaint, ComplaintEvent
from ..decrees.models import Decree
from ..decrees.rules import COMPENSATION_KINDS, SANCTION_KINDS
from ..reports.figures import KeyFigures
from ..reports.period import Period
from ..tenancy.models import Tenant
from ..units.listing import Unit
from ..units.models import Officer


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


# Schemas -----------------------------------------------------------------------------------

def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
TEXT = {"type": "object", "description": "Decree text in both languages.",
        "properties": {"id": STRING, "en": STRING}, "required": ["id", "en"]}
STATUSES = ["submitted", "info_requested", "in_assessment", "upheld", "rejected", "compensated", "closed",
            "not_competent", "transferred", "withdrawn"]
NAMED = {"type": "object", "properties": {"id": INTEGER, "name": STRING}, "required": ["id", "name"]}
JUDGED_UNDER = {"type": "object", "required": ["version", "number", "effective_from"],
                "description": "The decree version the complaint is judged under: the one in force when it "
                               "was filed. A later publication, even one dated earlier, never changes it.",
                "properties": {"version": INTEGER, "number": STRING, "effective_from": _nullable(DAY)}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable: clients may branch on it.",
                         "example": "invalid"},
                "message": {"type": "string", "description": "In the language of Accept-Language."},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": STRING},
                           "description": "Messages per field, when the body was not valid."},
            },
        }},
    },
    "Item": {
        "type": "object",
        "required": ["id", "code", "kind", "name", "required", "delivered_at"],
        "properties": {
            "id": INTEGER, "code": STRING, "kind": {"type": "string", "enum": list(COMPENSATION_KINDS)},
            "name": ref("Text"), "required": {"type": "boolean"}, "amount": _nullable(INTEGER),
            "tier": _nullable(STRING), "souvenir": _nullable(ref("Text")),
            "delivered_at": _nullable(TIME), "delivered_by": _nullable(STRING), "method": _nullable(STRING),
            "refunded_amount": _nullable(INTEGER), "receipt_number": _nullable(STRING),
            "souvenir_given": _nullable(STRING), "voucher": _nullable(STRING),
            "overpay_reason": {**_nullable(STRING), "description": "why more than amount was refunded"},
            "evidence": {"type": "array", "items": STRING,
                         "description": "names of the files kept as evidence (read them on the web)"},
            "recorded_at": _nullable(TIME),
            "backdated": {"type": "boolean", "description": "delivered_at lies so long before recorded_at that "
                                                            "the delivery counts from recorded_at"},
        },
    },
    "Assessment": {
        "type": "object", "required": ["upheld", "components", "reasoning", "decided_at", "items"],
        "properties": {
            "upheld": {"type": "boolean"}, "components": {"type": "array", "items": STRING},
            "delay_minutes": _nullable(INTEGER), "overcharge": _nullable(INTEGER),
            "responsible_officer_id": _nullable(INTEGER), "reasoning": STRING, "explanation": _nullable(STRING),
            "decided_at": TIME, "decided_by": STRING, "items": {"type": "array", "items": ref("Item")},
        },
    },
    "ComplaintSummary": {
        "type": "object",
        "required": ["number", "status", "status_label", "submitted_at", "due_at", "components", "name"],
        "properties": {
            "number": {"type": "string", "example": "DISDIKBUD-2026-000001"},
            "status": {"type": "string", "enum": STATUSES}, "status_label": STRING,
            "submitted_at": TIME, "due_at": TIME, "closed_at": _nullable(TIME),
            "components": {"type": "array", "items": STRING}, "service": _nullable(STRING),
            "unit": _nullable(ref("Named")), "assignee": _nullable(ref("Named")), "name": STRING,
        },
    },
    "Complaint": {
        "allOf": [ref("ComplaintSummary"), {
            "type": "object",
            "required": ["description", "occurred_on", "citizen", "decree_version", "decree", "actions"],
            "properties": {
                "description": STRING, "occurred_on": DAY, "waited_minutes": _nullable(INTEGER),
                "charged": _nullable(INTEGER), "tariff": _nullable(INTEGER),
                "citizen": {"type": "object", "required": ["name"], "properties": {
                    "name": STRING, "email": _nullable(STRING), "phone": _nullable(STRING)}},
                "decree_version": INTEGER, "decree": JUDGED_UNDER, "compensated_at": _nullable(TIME),
                "on_time": {"type": "boolean", "nullable": True}, "rating": _nullable(INTEGER),
                "referral": _nullable(STRING), "assessment": _nullable(ref("Assessment")),
                "actions": {"type": "array", "items": STRING,
                            "description": "The steps this token may take now."},
            },
        }],
    },
    "ComplaintReceipt": {
        "type": "object", "required": ["number", "status", "status_label", "due_at", "decree", "items", "actions"],
        "description": "What a token without the read scope is told: enough to take the next step, "
                       "none of the citizen's details or words.",
        "properties": {
            "number": STRING, "status": {"type": "string", "enum": STATUSES}, "status_label": STRING,
            "due_at": TIME, "decree": JUDGED_UNDER, "actions": {"type": "array", "items": STRING},
            "items": {"type": "array", "items": {
                "type": "object", "required": ["id", "code", "kind", "required", "delivered_at"],
                "properties": {"id": INTEGER, "code": STRING, "kind": {"type": "string", "enum": list(COMPENSATION_KINDS)},
                               "required": {"type": "boolean"}, "delivered_at": _nullable(TIME)}}},
        },
    },
    "StepAnswer": {
        "anyOf": [ref("Complaint"), ref("ComplaintReceipt")],
        "description": "The whole complaint for a token with the read scope, its receipt for any other.",
    },
    "CreatedComplaint": {
        "allOf": [ref("StepAnswer"), {
            "type": "object", "required": ["tracking_code", "tracking_url"],
            "properties": {
                "tracking_code": {"type": "string", "description": "Give it to the citizen: it is their only key."},
                "tracking_url": {"type": "string", "format": "uri"},
            },
        }],
    },
    "ComplaintPage": {
        "type": "object", "required": ["items", "page", "per_page", "total"],
        "properties": {"items": {"type": "array", "items": ref("ComplaintSummary")}, "page": INTEGER,
                       "per_page": INTEGER, "total": INTEGER},
    },
    "Event": {
        "type": "object", "required": ["id", "kind", "title", "at", "public", "actor", "data"],
        "properties": {
            "id": INTEGER, "kind": STRING, "title": STRING, "at": TIME,
            "public": {"type": "boolean", "description": "False for notes the citizen does not see."},
            "actor": _nullable(STRING), "message": _nullable(STRING),
            "data": {"type": "object", "additionalProperties": True},
        },
    },
    "Timeline": {"type": "object", "required": ["items"],
                 "properties": {"items": {"type": "array", "items": ref("Event")}}},
    "Text": TEXT,
    "Named": NAMED,
    "Decree": {
        "type": "object",
        "required": ["version", "number", "title", "effective_from", "deadline", "components", "compensations",
                     "tiers", "sanctions"],
        "properties": {
            "version": INTEGER, "number": STRING, "title": ref("Text"), "effective_from": _nullable(DAY),
            "deadline": {"type": "object", "required": ["hours", "counting"], "properties": {
                "hours": INTEGER, "counting": {"type": "string", "enum": ["calendar", "working"]}}},
            "components": {"type": "array", "items": {
                "type": "object", "required": ["code", "name", "compensations"], "properties": {
                    "code": STRING, "name": ref("Text"), "description": _nullable(ref("Text")),
                    "compensations": {"type": "array", "items": STRING}}}},
            "compensations": {"type": "array", "items": {
                "type": "object", "required": ["code", "kind", "name"], "properties": {
                    "code": STRING, "kind": {"type": "string", "enum": list(COMPENSATION_KINDS)},
                    "name": ref("Text")}}},
            "tiers": {"type": "array", "items": {
                "type": "object", "required": ["code", "name", "min_minutes", "max_minutes", "item"],
                "properties": {"code": STRING, "name": ref("Text"), "min_minutes": INTEGER,
                               "max_minutes": _nullable(INTEGER), "item": ref("Text")}}},
            "sanctions": {"type": "array", "items": {
                "type": "object", "required": ["code", "kind", "name"], "properties": {
                    "code": STRING, "kind": {"type": "string", "enum": list(SANCTION_KINDS)},
                    "name": ref("Text")}}},
        },
    },
    "Office": {
        "type": "object", "required": ["slug", "name", "timezone", "units", "officers"],
        "properties": {
            "slug": STRING, "name": ref("Text"), "timezone": STRING,
            "units": {"type": "array", "items": ref("Named")},
            "officers": {"type": "array", "items": {
                "type": "object", "required": ["id", "name", "unit_id"],
                "properties": {"id": INTEGER, "name": STRING, "unit_id": _nullable(INTEGER)}}},
        },
    },
    "Figures": {
        "type": "object",
        "required": ["from", "to", "received", "open", "overdue", "upheld", "rejected", "compensated", "on_time",
                     "on_time_rate", "median_hours", "rating"],
        "properties": {
            "from": DAY, "to": DAY,
            **{name: INTEGER for name in ("received", "open", "overdue", "upheld", "rejected", "compensated",
                                          "on_time", "rated")},
            "on_time_rate": {"type": "number", "nullable": True,
                             "description": "Share of compensated complaints compensated by their deadline."},
            "median_hours": {"type": "number", "nullable": True,
                             "description": "Median hours from filing to compensation."},
            "rating": {"type": "number", "nullable": True, "description": "Average rating, 1 to 5."},
        },
    },
}


# Representations ---------------------------------------------------------------------------

def _named(entity: Any) -> dict[str, Any] | None:
    return {"id": entity.id, "name": entity.name} if entity is not None else None


def summary(complaint: Complaint) -> dict[str, Any]:
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "status_label": labels.status_label(complaint.status, staff=True),
        "submitted_at": _time(complaint.submitted_at),
        "due_at": _time(complaint.due_at),
        "closed_at": _time(complaint.closed_at),
        "components": list(complaint.components),
        "service": complaint.service,
        "unit": _named(complaint.unit),
        "assignee": _named(complaint.assignee),
        "name": complaint.name,
    }


def complaint(complaint: Complaint, actions: list[str]) -> dict[str, Any]:
    assessment = getattr(complaint, "assessment", None)
    return {
        **summary(complaint),
        "description": complaint.description,
        "occurred_on": _day(complaint.occurred_on),
        "waited_minutes": complaint.waited_minutes,
        "charged": complaint.charged,
        "tariff": complaint.tariff,
        "citizen": {"name": complaint.name, "email": complaint.email, "phone": complaint.phone},
        "decree_version": complaint.decree.version,
        "decree": judged_under(complaint.decree),
        "compensated_at": _time(complaint.compensated_at),
        "on_time": complaint.on_time,
        "rating": complaint.rating,
        "referral": complaint.referral,
        "assessment": _assessment(assessment) if assessment is not None else None,
        "actions": actions,
    }


def receipt(complaint: Complaint, actions: list[str]) -> dict[str, Any]:
    """A complaint as a token that may not read complaints sees it: no names, contacts or citizen's text."""
    assessment = getattr(complaint, "assessment", None)
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "status_label": labels.status_label(complaint.status, staff=True),
        "due_at": _time(complaint.due_at),
        "decree": judged_under(complaint.decree),
        "actions": actions,
        "items": [{"id": item.id, "code": item.code, "kind": item.kind, "required": item.required,
                   "delivered_at": _time(item.delivered_at)} for item in assessment.items] if assessment else [],
    }


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "upheld": assessment.upheld,
        "components": list(assessment.components),
        "delay_minutes": assessment.delay_minutes,
        "overcharge": assessment.overcharge,
        "responsible_officer_id": assessment.responsible_officer_id,
        "reasoning": assessment.reasoning,
        "explanation": assessment.explanation,
        "decided_at": _time(assessment.decided_at),
        "decided_by": assessment.decider,
        "items": [item_of(item) for item in assessment.items],
    }


def item_of(item: PackageItem) -> dict[str, Any]:
    return {
        "id": item.id, "code": item.code, "kind": item.kind, "name": item.name, "required": item.required,
        "amount": item.amount, "tier": item.tier, "souvenir": item.item,
        "delivered_at": _time(item.delivered_at), "delivered_by": item.deliverer or None,
        "method": item.method.value if item.method else None, "refunded_amount": item.refunded_amount,
        "receipt_number": item.receipt_number, "souvenir_given": item.souvenir_given, "voucher": item.voucher,
        "overpay_reason": item.overpay_reason, "evidence": [file.filename for file in item.evidence],
        "recorded_at": _time(item.recorded_at), "backdated": item.backdated,
    }


def event(entry: ComplaintEvent) -> dict[str, Any]:
    actor = entry.actor.name if entry.actor else entry.actor_label
    return {
        "id": entry.id, "kind": entry.kind.value, "title": labels.event_title(entry), "at": _time(entry.at),
        "public": entry.public, "actor": actor, "message": entry.message, "data": entry.data or {},
    }


def judged_under(found: Decree) -> dict[str, Any]:
    """The version a complaint is judged under, in a few words; ``decree`` gives it in full."""
    return {"version": found.version, "number": found.number, "effective_from": _day(found.effective_from)}


def decree(found: Decree) -> dict[str, Any]:
    rules = found.rules()
    return {
        "version": found.version,
        "number": found.number,
        "title": found.title,
        "effective_from": _day(found.effective_from),
        "deadline": {"hours": rules.deadline.hours, "counting": rules.deadline.counting},
        "components": [{"code": c.code, "name": c.name.as_dict(),
                        "description": c.description.as_dict() if c.description else None,
                        "compensations": list(c.compensations)} for c in rules.components],
        "compensations": [{"code": c.code, "kind": c.kind, "name": c.name.as_dict()} for c in rules.compensations],
        "tiers": [{"code": t.code, "name": t.name.as_dict(), "min_minutes": int(t.min_delay.total_seconds() // 60),
                   "max_minutes": int(t.max_delay.total_seconds() // 60) if t.max_delay is not None else None,
                   "item": t.item.as_dict()} for t in rules.tiers],
        "sanctions": [{"code": s.code, "kind": s.kind, "name": s.name.as_dict()} for s in rules.sanctions],
    }


def office(tenant: Tenant, units: Sequence[Unit], officers: list[Officer]) -> dict[str, Any]:
    return {
        "slug": tenant.slug, "name": tenant.name, "timezone": tenant.timezone,
        "units": [_named(unit) for unit in units],
        "officers": [{"id": o.id, "name": o.name, "unit_id": o.unit_id} for o in officers],
    }


def figures(found: KeyFigures, period: Period) -> dict[str, Any]:
    counted = asdict(found)
    counted.pop("rating_total")
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), **counted,
            "on_time_rate": found.on_time_rate, "rating": found.rating}
