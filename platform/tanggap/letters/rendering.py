"""A letter's facts gathered from the complaint, in the letter's language, and the letter
as HTML and PDF. The words around the facts are the catalogue's; the facts are the office's
(its settings, its decree, the leader's assessment)."""

from __future__ import annotations

from babel.lists import format_list
from flask import render_template
from flask_babel import get_locale, gettext as _

from .. import clock
from ..assessments import methods
from ..assessments.models import PackageItem
from ..complaints.models import Complaint
from ..i18n import local_date, localized, rupiah, writing
from ..tenancy.models import Tenant
from ..tenancy.printing import office_pdf
from . import composing
from .settings import Settings


def facts(complaint: Complaint, item: PackageItem, number: str) -> dict[str, str]:
    """What a body's placeholders stand for, in the current language (``composing.PLACEHOLDERS``)."""
    locale = str(get_locale() or "id")
    rules = complaint.decree.rules()
    assessment = complaint.assessment
    found = assessment.components if assessment is not None and assessment.components else complaint.components
    components = [_component_name(rules, code, locale) for code in found]
    return {
        "citizen": complaint.name,
        "complaint_number": complaint.number,
        "filed_on": local_date(clock.office_date(complaint.tenant, complaint.submitted_at)),
        "office_name": localized(complaint.tenant.name, locale),
        "service": complaint.service or "",
        "components": format_list(components, locale=locale) if components else "",
        "decree_number": complaint.decree.number,
        "compensation_items": format_list([localized(entry.name, locale) for entry in complaint.package_items],
                                    locale=locale),
        "explanation": (assessment.explanation if assessment is not None else None) or "",
        "item": localized(item.name, locale),
        "amount": rupiah(item.refunded_amount or item.amount),
        "receipt_number": item.receipt_number or number,
        "category": _category(item, locale),
    }


def _component_name(rules, code: str, locale: str) -> str:
    try:
        return rules.component(code).name.get(locale)
    except KeyError:
        return code


def _category(item: PackageItem, locale: str) -> str:
    """A souvenir's tier as the decree names it: ``A (Kategori Ringan)``."""
    if item.kind != "souvenir" or not item.tier:
        return ""
    name = localized(item.tier_name, locale)
    return f"{item.tier} ({name})" if name else item.tier


def receipt_lines(item: PackageItem, values: dict[str, str]) -> list[tuple[str, str]]:
    """The lines a receipt lists for the citizen to sign, by kind of compensation."""
    lines = [(_("Compensation"), values["item"])]
    if item.kind == "refund":
        lines += [(_("Amount"), values["amount"]), (_("Receipt number"), values["receipt_number"])]
    if item.kind == "souvenir":
        if values["category"]:
            lines.append((_("Category"), values["category"]))
        given = item.souvenir_given or localized(item.item)
        if given:
            lines.append((_("Souvenir"), given))
    if item.method is not None:
        lines.append((_("Delivered"), methods.label(item.method)))
    return lines


def compose(complaint: Complaint, item: PackageItem, kind: str, locale: str, number: str,
            settings: Settings) -> composing.Composed:
    """The letter of ``kind`` for ``item``, in ``locale``, dated the office's today."""
    tenant = complaint.tenant
    spec = settings.kind(kind)
    with writing(locale, tenant):
        values = facts(complaint, item, number)
        return composing.compose(
            kind=kind, locale=locale, number=number, place=settings.place,
            date=local_date(clock.office_today(tenant)), subject=localized(spec["subject"], locale),
            body=localized(spec["body"], locale), addressee=complaint.name, facts=values,
            signer=settings.signer, lines=receipt_lines(item, values) if kind == "receipt" else None)


def html(letter: composing.Composed, tenant: Tenant) -> str:
    with writing(letter.locale, tenant):
        return render_template("letters/letter.html", letter=letter, tenant=tenant, lang=letter.locale)


def pdf(letter: composing.Composed, tenant: Tenant) -> bytes:
    return office_pdf(html(letter, tenant), tenant)
