"""The policy engine against both seeds' matrices (point 6) and Metro's tiers (Lampiran II)."""

from dataclasses import replace
from datetime import time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.decrees.decree_file import load_file
from tanggap.decrees.policy import (
    PackageWarning,
    TierGap,
    TierOverlap,
    compensation_package,
    tier_for,
    tier_problems,
)
from tanggap.decrees.rules import (
    COMPENSATION_KINDS,
    CompensationType,
    Component,
    Deadline,
    Rules,
    SouvenirTier,
    Text,
)

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
LAMPUNG = load_file(TENANTS / "dinsos-lampung" / "decree.toml").rules
METRO = load_file(TENANTS / "disdikbud-metro" / "decree.toml").rules
RULES = {"lampung": LAMPUNG, "metro": METRO}
MINUTES = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("office", "component", "expected"),
    [
        ("lampung", "requirements", ("apology", "clarification")),
        ("lampung", "procedure", ("apology", "clarification")),
        ("lampung", "time", ("apology", "clarification", "priority")),
        ("lampung", "fee", ("apology", "clarification", "souvenir")),
        ("lampung", "product", ("apology", "clarification")),
        ("metro", "requirements", ("apology", "clarification")),
        ("metro", "procedure", ("apology", "clarification")),
        ("metro", "time", ("apology", "clarification", "priority")),
        ("metro", "fee", ("apology", "refund", "clarification", "souvenir")),
        ("metro", "product", ("apology", "clarification")),
    ],
)
def test_each_matrix_cell_of_both_seeds(
    office: str, component: str, expected: tuple[str, ...]
) -> None:
    assert compensation_package(RULES[office], [component]).codes == expected


@pytest.mark.parametrize(
    ("office", "components", "expected"),
    [
        # Decree order decides, not the order the components are given in.
        ("metro", ["fee", "time"], ("apology", "clarification", "priority", "refund", "souvenir")),
        ("metro", ["product", "requirements"], ("apology", "clarification")),
        ("lampung", ["fee", "time"], ("apology", "clarification", "priority", "souvenir")),
        (
            "lampung",
            ["requirements", "procedure", "time", "fee", "product"],
            ("apology", "clarification", "priority", "souvenir"),
        ),
    ],
)
def test_several_components_give_the_union_in_matrix_order(
    office: str, components: list[str], expected: tuple[str, ...]
) -> None:
    assert compensation_package(RULES[office], components).codes == expected


def test_items_carry_kind_and_bilingual_name() -> None:
    apology = compensation_package(METRO, ["time"]).items[0]
    assert (apology.kind, apology.name.id, apology.name.get("en")) == (
        "apology",
        "Permohonan maaf dari pelaksana layanan",
        "Apology from the service officer",
    )


def test_metro_fee_late_45_minutes_gets_a_tier_a_pen() -> None:
    package = compensation_package(METRO, ["fee"], delay=timedelta(minutes=45), overcharge=50_000)
    souvenir = package.items[-1]
    assert (souvenir.tier, souvenir.item, souvenir.tier_name) == (
        "A",
        Text("Pulpen", "Pen"),
        Text("Kategori Ringan", "Light"),
    )
    assert package.warnings == ()


def test_metro_fee_late_4_days_gets_a_tier_b_water_bottle() -> None:
    souvenir = compensation_package(METRO, ["fee"], delay=timedelta(days=4), overcharge=0).items[-1]
    assert (souvenir.tier, souvenir.item) == ("B", Text("Tempat Air Minum", "Water bottle"))


def test_metro_fee_late_2_hours_falls_in_the_gap_and_keeps_the_souvenir_untiered() -> None:
    package = compensation_package(METRO, ["fee"], delay=timedelta(hours=2), overcharge=10_000)
    assert package.codes[-1] == "souvenir"
    assert (package.items[-1].tier, package.items[-1].item) == (None, None)
    assert package.warnings == (
        PackageWarning("no_tier_for_delay", timedelta(hours=2), "souvenir"),
    )


def test_a_souvenir_without_a_delay_is_kept_untiered_with_a_warning() -> None:
    package = compensation_package(METRO, ["fee"], overcharge=10_000)
    assert package.items[-1].tier is None
    assert package.warnings == (PackageWarning("no_delay_for_tier", None, "souvenir"),)


@pytest.mark.parametrize(
    ("delay", "tier"),
    [
        (29 * MINUTES, None),
        (30 * MINUTES, "A"),  # lower bound inclusive
        (59 * MINUTES + timedelta(seconds=40), "A"),  # counted in whole minutes
        (60 * MINUTES, None),  # upper bound exclusive: one hour is where the gap starts
        (timedelta(days=3) - MINUTES, None),
        (timedelta(days=3), "B"),
        (timedelta(weeks=1) - MINUTES, "B"),
        (timedelta(weeks=1), None),
    ],
)
def test_metro_tier_bounds_read_lower_inclusive_upper_exclusive(delay: timedelta, tier: str | None) -> None:
    found = tier_for(METRO, delay)
    assert (found.code if found else None) == tier


def test_refund_carries_the_overcharge_in_metro() -> None:
    package = compensation_package(METRO, ["fee"], delay=timedelta(minutes=45), overcharge=50_000)
    refund = package.items[1]
    assert (refund.code, refund.amount) == ("refund", 50_000)
    assert all(item.amount is None for item in package.items if item.code != "refund")


def test_a_refund_without_an_amount_is_flagged() -> None:
    package = compensation_package(METRO, ["fee"], delay=timedelta(minutes=45))
    assert package.items[1].amount is None
    assert package.warnings == (PackageWarning("refund_without_amount", None, "refund"),)


def test_lampung_grants_no_refund_and_flags_an_overcharge() -> None:
    package = compensation_package(LAMPUNG, ["fee"], delay=timedelta(minutes=45), overcharge=50_000)
    assert "refund" not in package.codes
    assert PackageWarning("amount_without_refund") in package.warnings


@pytest.mark.parametrize("delay", [None, timedelta(minutes=45), timedelta(days=4)])
def test_lampung_fee_souvenir_has_no_tier_because_the_decree_has_none(
    delay: timedelta | None,
) -> None:
    package = compensation_package(LAMPUNG, ["fee"], delay=delay)
    souvenir = package.items[-1]
    assert (souvenir.code, souvenir.tier, souvenir.item) == ("souvenir", None, None)
    assert package.warnings == (PackageWarning("no_tiers", delay, "souvenir"),)


def test_components_without_souvenir_or_refund_have_no_warnings() -> None:
    assert compensation_package(METRO, ["time"], delay=timedelta(hours=2)).warnings == ()


def test_no_components_means_an_empty_package() -> None:
    package = compensation_package(METRO, [])
    assert (package.items, package.warnings) == ((), ())


def test_unknown_components_are_refused() -> None:
    with pytest.raises(ValueError, match="complaint_handling"):
        compensation_package(METRO, ["fee", "complaint_handling"])


def test_a_single_string_is_not_mistaken_for_components() -> None:
    with pytest.raises(TypeError):
        compensation_package(METRO, "fee")


@pytest.mark.parametrize(
    "arguments", [{"delay": timedelta(minutes=-1)}, {"overcharge": -1}], ids=["delay", "overcharge"]
)
def test_negative_delay_or_overcharge_is_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="negative"):
        compensation_package(METRO, ["fee"], **arguments)  # type: ignore[arg-type]


def test_package_json_matches_the_simulate_contract() -> None:
    package = compensation_package(METRO, ["fee"], delay=timedelta(minutes=45), overcharge=50_000)
    items = package.as_dict()["items"]
    assert items[1] == {
        "code": "refund",
        "kind": "refund",
        "name": METRO.compensation("refund").name.as_dict(),
        "amount": 50_000,
    }
    assert items[3]["tier"] == "A"
    assert items[3]["item"] == {"id": "Pulpen", "en": "Pen"}
    gap = compensation_package(METRO, ["fee"], delay=timedelta(hours=2), overcharge=1)
    assert gap.as_dict()["warnings"] == [
        {"code": "no_tier_for_delay", "delay": "2h", "compensation": "souvenir"}
    ]


# The rules the engine reads ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Pen"), ("en_US", "Pen"), ("en-GB", "Pen"), ("id", "Pulpen"), (None, "Pulpen")],
)
def test_text_picks_english_only_for_english_locales(locale: str | None, expected: str) -> None:
    assert Text("Pulpen", "Pen").get(locale) == expected


def test_rules_refuse_a_matrix_naming_an_undefined_compensation() -> None:
    fee = Component("fee", Text("Biaya", "Fee"), ("refund",))
    with pytest.raises(ValueError, match="undefined compensation 'refund'"):
        Rules("x", (), (fee,), (), Deadline(hours=72))


def test_rules_refuse_duplicate_codes() -> None:
    apology = CompensationType("apology", "apology", Text("Maaf", "Apology"))
    with pytest.raises(ValueError, match="'apology' is used twice"):
        Rules("x", (apology, apology), (), (), Deadline(hours=72))


def test_rules_built_from_lists_are_frozen_into_tuples() -> None:
    apology = CompensationType("apology", "apology", Text("Maaf", "Apology"))
    time_row = Component("time", Text("Waktu", "Time"), ["apology"])  # type: ignore[arg-type]
    rules = Rules("x", [apology], [time_row], [], Deadline(48))  # type: ignore[arg-type]
    assert isinstance(rules.components, tuple) and isinstance(
        rules.components[0].compensations, tuple
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"hours": 0},
        {"hours": 8, "counting": "weekly"},
        {"hours": 8, "working_days": ()},
        {"hours": 8, "working_days": (0,)},
        {"hours": 8, "working_hours": (time(16), time(8))},
        {"hours": 8, "holidays": "MY"},
    ],
)
def test_a_deadline_that_could_never_be_met_is_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Deadline(**arguments)  # type: ignore[arg-type]


def test_a_tier_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="max_delay is not above min_delay"):
        tier("A", timedelta(hours=2), timedelta(hours=1))
    with pytest.raises(ValueError, match="max_delay is not above min_delay"):
        tier("A", timedelta(hours=2), timedelta(hours=2))  # [2h, 2h) covers nothing


# Tier problems ------------------------------------------------------------------------------


def tier(code: str, low: timedelta, high: timedelta | None) -> SouvenirTier:
    return SouvenirTier(code, Text(code, code), low, high, Text("souvenir", "souvenir"))


def test_metro_tiers_have_one_gap_between_60_minutes_and_3_days() -> None:
    assert tier_problems(METRO.tiers) == (
        (),
        (TierGap("A", "B", timedelta(hours=1), timedelta(days=3)),),
    )


def test_tiers_sharing_a_bound_meet_without_overlap_or_gap() -> None:
    tiers = [tier("A", 30 * MINUTES, 60 * MINUTES), tier("B", 60 * MINUTES, 2 * 60 * MINUTES)]
    assert tier_problems(tiers) == ((), ())


def test_metros_gap_filled_with_a_1h_to_3d_category_leaves_neither_gap_nor_overlap() -> None:
    filled = [*METRO.tiers, tier("C", timedelta(hours=1), timedelta(days=3))]
    assert tier_problems(filled) == ((), ())
    rules_ = replace(METRO, tiers=tuple(filled))
    assert [found.code for found in (tier_for(rules_, d) for d in (
        59 * MINUTES, 60 * MINUTES, timedelta(days=3) - MINUTES, timedelta(days=3))) if found] == ["A", "C", "C", "B"]


def test_tiers_a_minute_apart_leave_a_one_minute_gap() -> None:
    tiers = [tier("A", timedelta(), 59 * MINUTES), tier("B", 60 * MINUTES, None)]
    assert tier_problems(tiers) == ((), (TierGap("A", "B", 59 * MINUTES, 60 * MINUTES),))


def test_tiers_crossing_by_a_minute_overlap() -> None:
    tiers = [tier("A", 30 * MINUTES, 61 * MINUTES), tier("B", 60 * MINUTES, 2 * 60 * MINUTES)]
    assert tier_problems(tiers) == ((TierOverlap("A", "B"),), ())


def test_an_open_ended_tier_overlaps_every_later_one() -> None:
    tiers = [tier("A", timedelta(hours=1), None), tier("B", timedelta(days=3), timedelta(weeks=1))]
    assert tier_problems(tiers) == ((TierOverlap("A", "B"),), ())


def test_gaps_are_found_whatever_the_file_order() -> None:
    tiers = [tier("B", timedelta(days=3), None), tier("A", timedelta(), timedelta(hours=1))]
    assert tier_problems(tiers)[1] == (TierGap("A", "B", timedelta(hours=1), timedelta(days=3)),)


# Properties --------------------------------------------------------------------------------


@st.composite
def rules(draw: st.DrawFn) -> Rules:
    codes = [f"c{index}" for index in range(draw(st.integers(min_value=1, max_value=8)))]
    compensations = [
        CompensationType(code, draw(st.sampled_from(COMPENSATION_KINDS)), Text(code, code))
        for code in codes
    ]
    components = [
        Component(
            f"k{index}",
            Text("k", "k"),
            tuple(draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))),
        )
        for index in range(draw(st.integers(min_value=1, max_value=6)))
    ]
    bounds = st.integers(min_value=0, max_value=20_000).map(lambda minutes: minutes * MINUTES)
    lengths = st.integers(min_value=1, max_value=20_000).map(lambda minutes: minutes * MINUTES)
    tiers = []
    for index in range(draw(st.integers(min_value=0, max_value=3))):
        low, extra = draw(bounds), draw(st.none() | lengths)
        tiers.append(tier(f"T{index}", low, None if extra is None else low + extra))
    return Rules("test", tuple(compensations), tuple(components), tuple(tiers), Deadline(hours=24))


@st.composite
def complaints(draw: st.DrawFn) -> tuple[Rules, list[str], timedelta | None, int | None]:
    drawn = draw(rules() | st.sampled_from([LAMPUNG, METRO]))
    violated = draw(
        st.lists(st.sampled_from([component.code for component in drawn.components]), unique=True)
    )
    delay = draw(st.none() | st.timedeltas(min_value=timedelta(), max_value=timedelta(weeks=3)))
    overcharge = draw(st.none() | st.integers(min_value=0, max_value=10_000_000))
    return drawn, violated, delay, overcharge


@settings(max_examples=100, deadline=None)
@given(complaints())
def test_package_is_exactly_the_matrix_cells_of_the_violated_components(
    complaint: tuple[Rules, list[str], timedelta | None, int | None],
) -> None:
    rules_, violated, delay, overcharge = complaint
    package = compensation_package(rules_, violated, delay, overcharge)
    granted = {
        code
        for component in rules_.components
        if component.code in violated
        for code in component.compensations
    }
    assert set(package.codes) == granted
    assert len(package.codes) == len(set(package.codes))


@settings(max_examples=100, deadline=None)
@given(complaints())
def test_items_follow_first_appearance_in_decree_order(
    complaint: tuple[Rules, list[str], timedelta | None, int | None],
) -> None:
    rules_, violated, delay, overcharge = complaint
    walk = [
        code
        for component in rules_.components
        if component.code in violated
        for code in component.compensations
    ]
    assert compensation_package(rules_, violated, delay, overcharge).codes == tuple(
        dict.fromkeys(walk)
    )


@settings(max_examples=100, deadline=None)
@given(complaints())
def test_every_untiered_souvenir_comes_with_a_warning_about_it(
    complaint: tuple[Rules, list[str], timedelta | None, int | None],
) -> None:
    rules_, violated, delay, overcharge = complaint
    package = compensation_package(rules_, violated, delay, overcharge)
    warned = {warning.compensation for warning in package.warnings}
    for item in package.items:
        if item.kind == "souvenir":
            assert (item.tier is None) == (item.code in warned)
            if item.tier is not None:
                assert delay is not None and rules_.tier(item.tier).min_delay <= delay
        if item.kind == "refund":
            assert item.amount == overcharge


@settings(max_examples=200)
@given(
    st.lists(st.integers(min_value=0, max_value=60_000), min_size=2, max_size=8, unique=True),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_adjacent_tiers_neither_overlap_nor_gap_in_engine_and_checker(
    points: list[int], open_ended: bool, shuffle: Any
) -> None:
    """Tiers built as [a, b), [b, c), ... (TIER_BOUNDS): the checker finds nothing, and every
    delay from the first bound on falls in exactly the tier whose range holds it."""
    points.sort()
    tiers = [tier(f"T{index}", low * MINUTES, high * MINUTES) for index, (low, high) in enumerate(pairwise(points))]
    if open_ended:
        tiers.append(tier("LAST", points[-1] * MINUTES, None))
    shuffled = list(tiers)
    shuffle.shuffle(shuffled)
    assert tier_problems(shuffled) == ((), ())
    rules_ = replace(METRO, tiers=tuple(shuffled))
    for index, (low, high) in enumerate(pairwise(points)):
        for minutes in {low, (low + high) // 2, high - 1}:
            assert tier_for(rules_, minutes * MINUTES).code == f"T{index}"  # type: ignore[union-attr]
    past_the_last = tier_for(rules_, points[-1] * MINUTES)
    assert (past_the_last.code if past_the_last else None) == ("LAST" if open_ended else None)
    if points[0]:
        assert tier_for(rules_, points[0] * MINUTES - MINUTES) is None


@settings(max_examples=200)
@given(
    st.lists(st.integers(min_value=0, max_value=60_000), min_size=4, max_size=8, unique=True),
    st.data(),
)
def test_a_hole_between_tiers_is_exactly_the_gap_reported(points: list[int], data: Any) -> None:
    """Leaving out one middle tier of [a, b), [b, c), [c, d) leaves the gap [b, c), no more, no less."""
    points.sort()
    ranges = list(pairwise(points))
    hole = data.draw(st.integers(min_value=1, max_value=len(ranges) - 2))
    tiers = [tier(f"T{i}", low * MINUTES, high * MINUTES) for i, (low, high) in enumerate(ranges) if i != hole]
    low, high = ranges[hole]
    assert tier_problems(tiers) == ((), (TierGap(f"T{hole - 1}", f"T{hole + 1}", low * MINUTES, high * MINUTES),))
