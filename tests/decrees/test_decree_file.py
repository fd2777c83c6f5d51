"""Decree files: both shipped offices load, and mistakes are named by their key path."""

import codecs
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from tanggap.decrees.decree_file import (
    DecreeFile,
    DecreeFileError,
    Problem,
    check_file,
    check_text,
    decoded,
    load_file,
    load_text,
)
from tanggap.decrees.rules import Text

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
METRO_PATH = TENANTS / "disdikbud-metro" / "decree.toml"
LAMPUNG_PATH = TENANTS / "dinsos-lampung" / "decree.toml"
METRO_TEXT = METRO_PATH.read_text(encoding="utf-8")
NAME = "tenants/disdikbud-metro/decree.toml"


def metro_with(*replacements: tuple[str, str]) -> str:
    """Metro's shipped file with some text replaced; each original must occur exactly once."""
    text = METRO_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def errors(text: str) -> dict[str, str]:
    found = check_text(text, NAME)
    return {problem.key: problem.message for problem in found if problem.severity == "error"}


# The shipped files --------------------------------------------------------------------------


METRO = load_file(METRO_PATH)
LAMPUNG = load_file(LAMPUNG_PATH)


def codes(entries: Any) -> str:
    return " ".join(entry.code for entry in entries)


def test_metro_tenant_is_the_education_office_of_kota_metro_in_lampung() -> None:
    tenant = METRO.tenant
    assert (tenant.slug, tenant.timezone, tenant.brand_color) == (
        "disdikbud-metro",
        "Asia/Jakarta",
        "#0b5394",
    )
    assert tenant.region.slug == "kota-metro" and tenant.region.parent == "provinsi-lampung"
    assert tenant.region.name == "Pemerintah Kota Metro"


def test_metro_decree_keeps_every_clause() -> None:
    decree = METRO.decree
    assert (decree.number, decree["enacted_in"]) == ("002.b/KPTS/D-1/2024", "Metro")
    assert decree.enacted_at == decree.effective_from == date(2024, 1, 4)
    assert decree["revokes"] == ("009.a/KPTS/D-1/2022",)
    assert decree["signer"] is not None and decree["signer"].nip == "19670512 200003 1 009"
    labels = " ".join(decision.label for decision in decree["decisions"])
    assert labels == "KESATU KEDUA KETIGA KEEMPAT KELIMA KEENAM"
    assert (len(decree["considerations"]), len(decree["legal_basis"]), len(decree["policy"])) == (3, 8, 9)
    assert len(decree["copies_to"]) == 6 and decree["funding"] == "APBD"
    assert [(a.label, a.number, a.date) for a in decree["attachments"]] == [
        ("Lampiran I", "002b/KPTS/D-1/2024", "04 Januari 2024"),
        ("Lampiran II", "002.b/KPTS/D-1/2024", "09 Januari 2024"),
    ]
    assert len(decree.enacted_rows) == 7  # five matrix rows, two category rows


def test_metro_rules_are_three_times_24_hours_five_components_two_tiers() -> None:
    rules = METRO.rules
    assert (rules.deadline.hours, rules.deadline.counting) == (72, "calendar")
    assert codes(rules.components) == "requirements procedure time fee product"
    assert codes(rules.compensations) == "apology clarification priority refund souvenir"
    assert [(tier.code, tier.min_delay, tier.max_delay) for tier in rules.tiers] == [
        ("A", timedelta(minutes=30), timedelta(hours=1)),
        ("B", timedelta(days=3), timedelta(weeks=1)),
    ]
    assert [(sanction.code, sanction.kind) for sanction in rules.sanctions] == [
        ("reprimand", "disciplinary"),
        ("coaching", "developmental"),
    ]


def test_lampung_tenant_is_the_provincial_social_office_with_its_letterhead() -> None:
    tenant = LAMPUNG.tenant
    assert (tenant.slug, tenant.region.slug, tenant.region.parent) == (
        "dinsos-lampung", "provinsi-lampung", None,
    )  # fmt: skip
    assert (tenant.postal_code, tenant.website) == ("35215", "http://www.dinsos.lampungprov.go.id")
    assert tenant.letterhead is not None
    assert tenant.letterhead.header == Text(
        "PEMERINTAH PROVINSI LAMPUNG", "GOVERNMENT OF LAMPUNG PROVINCE"
    )


def test_lampung_decree_keeps_every_clause_and_both_initials_tables() -> None:
    decree = LAMPUNG.decree
    assert (decree.enacted_at, decree["enacted_in"], decree["revokes"]) == (
        date(2024, 4, 30), "Bandar Lampung", (),
    )  # fmt: skip
    assert decree["signer"] is not None
    assert (decree["signer"].name, decree["signer"].rank, decree["signer"].nip) == (
        "Drs. ASWARODI . M.Si", "Pembina Utama Muda", "19700611 199003 1 003",
    )  # fmt: skip
    assert " ".join(d.label for d in decree["decisions"]) == "KESATU KEDUA KETIGA KEEMPAT KELIMA"
    assert decree["closing"] is not None and decree["closing"].startswith("Surat Keputusan ini berlaku")
    assert (len(decree["considerations"]), len(decree["legal_basis"]), len(decree["policy"])) == (3, 6, 9)
    # The two PARAF HIERARKI tables differ; both are kept.
    assert [row.position for row in decree["initials"]][1:3] == ["Wabid /JF", "Kasubag/Pengawas/JF"]
    attachment_initials = [row.position for row in decree["attachments"][0].initials]
    assert attachment_initials[1:3] == ["Kabid / JF", "Kasubag/Bengawan/ JF"]


def test_lampung_rules_are_two_times_24_hours_with_no_tiers_and_no_refund() -> None:
    rules = LAMPUNG.rules
    assert (rules.deadline.hours, rules.deadline.counting, rules.tiers) == (48, "calendar", ())
    assert codes(rules.components) == "requirements procedure time fee product"
    assert codes(rules.compensations) == "apology clarification priority souvenir"
    assert codes(rules.sanctions) == "reprimand coaching"


def test_both_seeds_record_their_discrepancies() -> None:
    assert any("Tahun 2028" in note for note in LAMPUNG.decree["notes"])
    assert any("09 Januari 2024" in note for note in METRO.decree["notes"])


def test_both_files_give_every_component_a_bilingual_description() -> None:
    for path in (METRO_PATH, LAMPUNG_PATH):
        for component in load_file(path).rules.components:
            description = component.description
            assert description is not None and description.id and description.en


def test_metro_yields_exactly_the_gap_warning() -> None:
    assert load_file(METRO_PATH).warnings == [
        Problem(
            str(METRO_PATH),
            "souvenir_tiers",
            "no category covers delays from 1 hour to under 3 days (between categories A and B)",
            "warning",
        )
    ]


def test_lampung_yields_exactly_the_souvenir_without_tiers_warning() -> None:
    [warning] = load_file(LAMPUNG_PATH).warnings
    assert (warning.key, warning.severity) == ("compensations[3]", "warning")
    assert "no souvenir categories" in warning.message


def test_a_tenant_folder_can_be_checked_for_its_decree_file() -> None:
    assert [problem.key for problem in check_file(METRO_PATH.parent)] == ["souvenir_tiers"]


# Corrupted copies ---------------------------------------------------------------------------


def test_a_corrupted_copy_reports_every_error_by_key_path() -> None:
    text = metro_with(
        ('timezone = "Asia/Jakarta"', 'timezone = "Asia/Jakartaa"\ncolour = "blue"'),
        (
            'name = { id = "Persyaratan Pelayanan", en = "Service requirements" }',
            'name = { id = "Persyaratan Pelayanan" }',
        ),
        (
            'compensations = ["apology", "refund", "clarification", "souvenir"]',
            'compensations = ["apology", "refunds", "clarification", "souvenir"]',
        ),
        ('min_delay = "3d"', 'min_delay = "50m"'),
        ('code = "coaching"', 'code = "coaching"\nkind2 = "developmental"'),
        (
            "# Point 7 of Lampiran I: sanksi",
            '[[souvenir_tiers]]\ncode = "C"\nname = { id = "Sangat Berat", en = "Very severe" }\n'
            'min_delay = "2 fortnights"\nitem = { id = "Tas", en = "Bag" }\n\n'
            "# Point 7 of Lampiran I: sanksi",
        ),
    )
    found = errors(text)
    assert set(found) == {
        "tenant.timezone",
        "tenant.colour",
        "components[0].name.en",
        "components[3].compensations[1]",
        "souvenir_tiers[1]",
        "souvenir_tiers[2].min_delay",
        "sanctions[1].kind2",
    }
    assert "unknown time zone" in found["tenant.timezone"]
    assert found["tenant.colour"] == "unknown key"
    assert found["components[0].name.en"] == "missing"
    assert "'refunds'" in found["components[3].compensations[1]"]
    assert found["souvenir_tiers[1]"] == "overlaps category A"
    assert "not a duration" in found["souvenir_tiers[2].min_delay"]


def test_overlapping_tiers_are_an_error_on_the_later_tier() -> None:
    assert errors(metro_with(('min_delay = "3d"', 'min_delay = "50m"'))) == {
        "souvenir_tiers[1]": "overlaps category A"
    }


def test_a_failed_load_raises_with_all_problems() -> None:
    text = metro_with(("hours = 72", "hours = 0"), ('funding = "APBD"', "funding = 1"))
    with pytest.raises(DecreeFileError) as raised:
        load_text(text, NAME)
    assert [problem.key for problem in raised.value.errors] == ["decree.funding", "deadline.hours"]
    assert f"{NAME}: deadline.hours: must be at least 1" in str(raised.value)


def test_a_file_that_is_not_toml_is_one_problem() -> None:
    [problem] = check_text(metro_with(("[tenant]\n", "[tenant\n")), NAME)
    assert (problem.key, problem.severity) == ("", "error")
    assert problem.message.startswith("not valid TOML")


def test_working_hours_counting_loads_into_the_deadline() -> None:
    text = metro_with(
        (
            'counting = "calendar"',
            'counting = "working"\nworking_days = [1, 2, 3, 4, 5, 6]\n'
            'working_hours = "07:30-15:30"\nholidays = ""\n'
            'days_off = ["2024-04-08", 2024-04-09]  # a quoted date and a TOML date',
        )
    )
    deadline = load_text(text, NAME).rules.deadline
    assert (
        deadline.counting,
        deadline.working_days,
        deadline.working_hours,
        deadline.holidays,
    ) == ("working", (1, 2, 3, 4, 5, 6), (time(7, 30), time(15, 30)), "")
    assert deadline.days_off == (date(2024, 4, 8), date(2024, 4, 9))


def test_problems_print_as_file_key_and_message() -> None:
    problem = Problem("tenants/x/decree.toml", "souvenir_tiers[1].min_delay", "not a duration")
    assert str(problem) == "tenants/x/decree.toml: souvenir_tiers[1].min_delay: not a duration"
    warning = Problem("tenants/x/decree.toml", "souvenir_tiers", "gap", "warning")
    assert str(warning) == "tenants/x/decree.toml: souvenir_tiers: warning: gap"


def test_an_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    [problem] = check_file(tmp_path / "missing.toml")
    assert (problem.key, problem.message, problem.severity) == ("", "cannot be read", "error")
    with pytest.raises(DecreeFileError):
        load_file(tmp_path)


#: Metro's file as Windows editors save it; its en dash (Lampiran II) differs in each.
MARKED = {
    "utf-8-bom": codecs.BOM_UTF8 + METRO_TEXT.encode("utf-8"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + METRO_TEXT.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + METRO_TEXT.encode("utf-16-be"),
}


def _as_read(loaded: DecreeFile) -> tuple[Any, ...]:
    """What a decree file reads to, without the file name its warnings carry."""
    warnings = [(problem.key, problem.message, problem.severity) for problem in loaded.warnings]
    return loaded.tenant, loaded.decree, loaded.rules, warnings


@pytest.mark.parametrize("data", MARKED.values(), ids=MARKED.keys())
def test_a_file_saved_with_a_byte_order_mark_reads_as_the_plain_utf8_one(tmp_path: Path, data: bytes) -> None:
    assert decoded(data) == METRO_TEXT
    (tmp_path / "decree.toml").write_bytes(data)
    assert _as_read(load_file(tmp_path)) == _as_read(METRO)
    assert [problem.message for problem in check_file(tmp_path)] == [problem.message for problem in METRO.warnings]


@pytest.mark.parametrize("data", [
    b'[tenant]\nslug = "metro\xff"\n',  # not UTF-8
    codecs.BOM_UTF8 + b'slug = "\xc3"\n',  # marked UTF-8, cut inside a character
    codecs.BOM_UTF16_LE + "slug".encode("utf-16-le") + b"s",  # an odd number of bytes
    codecs.BOM_UTF16_BE + b"\xd8\x00\x00s",  # half a surrogate pair
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_a_file_in_none_of_the_encodings_is_refused_as_unreadable(tmp_path: Path, data: bytes) -> None:
    assert decoded(data) is None
    (tmp_path / "decree.toml").write_bytes(data)
    [problem] = check_file(tmp_path)
    assert (problem.key, problem.message, problem.severity) == ("", "cannot be read", "error")
    with pytest.raises(DecreeFileError):
        load_file(tmp_path)
