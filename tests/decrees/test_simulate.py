"""``flask decree simulate --json``: every cell of both seed decrees, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
SUBMITTED = "2024-05-02T09:00:00+07:00"

# (office, component) -> the compensation codes the decree's matrix lists, in its order.
MATRIX = {
    ("dinsos-lampung", "requirements"): ["apology", "clarification"],
    ("dinsos-lampung", "procedure"): ["apology", "clarification"],
    ("dinsos-lampung", "time"): ["apology", "clarification", "priority"],
    ("dinsos-lampung", "fee"): ["apology", "clarification", "souvenir"],
    ("dinsos-lampung", "product"): ["apology", "clarification"],
    ("disdikbud-metro", "requirements"): ["apology", "clarification"],
    ("disdikbud-metro", "procedure"): ["apology", "clarification"],
    ("disdikbud-metro", "time"): ["apology", "clarification", "priority"],
    ("disdikbud-metro", "fee"): ["apology", "refund", "clarification", "souvenir"],
    ("disdikbud-metro", "product"): ["apology", "clarification"],
}


@pytest.fixture
def simulate(app):
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(TENANTS)]).exit_code == 0

    def run(slug: str, *components: str, **options: str) -> dict:
        args = ["decree", "simulate", slug, "--submitted-at", options.pop("submitted_at", SUBMITTED), "--json"]
        for component in components:
            args += ["--component", component]
        for name, value in options.items():
            args += [f"--{name}", value]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return run


@pytest.mark.parametrize(("slug", "component"), sorted(MATRIX))
def test_every_cell_of_both_decrees(simulate, slug, component):
    result = simulate(slug, component)
    assert [item["code"] for item in result["items"]] == MATRIX[slug, component]
    assert all(set(item["name"]) == {"id", "en"} for item in result["items"])


def test_contract_shape_and_deadlines(simulate):
    metro = simulate("disdikbud-metro", "time")
    assert metro["tenant"] == "disdikbud-metro" and metro["decree"] == "002.b/KPTS/D-1/2024"
    assert metro["submitted_at"] == "2024-05-02T09:00:00+07:00"
    assert metro["due_at"] == "2024-05-05T02:00:00+00:00"  # 3 x 24 jam: point 8 of Metro's Lampiran I
    lampung = simulate("dinsos-lampung", "time")
    assert lampung["due_at"] == "2024-05-04T02:00:00+00:00"  # 2 x 24 jam: point 8 of Lampung's


def test_metro_fee_with_overcharge_and_a_light_delay_gets_refund_and_a_pen(simulate):
    result = simulate("disdikbud-metro", "fee", delay="45m", overcharge="50000")
    items = {item["code"]: item for item in result["items"]}
    assert items["refund"]["amount"] == 50000
    assert items["souvenir"]["tier"] == "A" and items["souvenir"]["item"] == {"id": "Pulpen", "en": "Pen"}
    assert result["warnings"] == []


def test_metro_severe_delay_gets_a_water_bottle(simulate):
    items = {i["code"]: i for i in simulate("disdikbud-metro", "fee", delay="4d", overcharge="10000")["items"]}
    assert items["souvenir"]["tier"] == "B" and items["souvenir"]["item"]["id"] == "Tempat Air Minum"


def test_metro_delay_in_the_gap_keeps_the_souvenir_without_a_tier(simulate):
    result = simulate("disdikbud-metro", "fee", delay="2h", overcharge="10000")
    souvenir = next(i for i in result["items"] if i["code"] == "souvenir")
    assert souvenir["tier"] is None
    assert result["warnings"] == ["No souvenir tier covers a delay of 2 hours; the leader chooses at assessment."]


def test_lampung_fee_souvenir_has_no_tier_table(simulate):
    result = simulate("dinsos-lampung", "fee", delay="45m")
    souvenir = next(i for i in result["items"] if i["code"] == "souvenir")
    assert souvenir["tier"] is None and [w["code"] for w in result["warning_codes"]] == ["no_tiers"]


def test_refund_only_in_metro(simulate):
    assert "refund" not in [i["code"] for i in simulate("dinsos-lampung", "fee", overcharge="5000")["items"]]
    assert "refund" in [i["code"] for i in simulate("disdikbud-metro", "fee", overcharge="5000")["items"]]


def test_several_components_give_the_union_once_each(simulate):
    result = simulate("disdikbud-metro", "time", "fee", delay="45m", overcharge="1000")
    assert [i["code"] for i in result["items"]] == ["apology", "clarification", "priority", "refund", "souvenir"]


def test_unknown_component_is_a_usage_error(app, simulate):
    result = app.test_cli_runner().invoke(args=["decree", "simulate", "disdikbud-metro", "--component", "speed"])
    assert result.exit_code == 2 and "unknown component(s) speed" in result.output


@pytest.mark.parametrize(("delay", "tier"), [("3 hari", "B"), ("4 days", "B"), ("1 hari 12 jam", None), ("2x24 jam", None),
                                             ("45 menit", "A"), ("1 jam", None), ("1 minggu", None)])
def test_the_command_reads_delays_in_words_and_bounds_upper_exclusive(simulate, delay, tier):
    """"1 jam" and "1 minggu" are where Metro's categories A and B end: not theirs (policy.TIER_BOUNDS)."""
    items = {i["code"]: i for i in simulate("disdikbud-metro", "fee", delay=delay, overcharge="0")["items"]}
    assert items["souvenir"]["tier"] == tier
