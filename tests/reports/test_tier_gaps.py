"""The inspectorate's tier check reads souvenir tiers as the engine does (``policy.TIER_BOUNDS``):
a category written 1h-3d fills Metro's gap, one written 1h1m-2d23h leaves two slivers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TENANTS = Path(__file__).resolve().parents[2] / "tenants"

MIDDLE = '''
[[souvenir_tiers]]
code = "C"
name = {{ id = "Kategori Sedang", en = "Moderate" }}
min_delay = "{low}"
max_delay = "{high}"
item = {{ id = "Buku tulis", en = "Notebook" }}
'''


def _metro_row(page: str) -> str:
    return re.search(r'data-office="disdikbud-metro".*?</tr>', page, re.S).group(0)


def _overview(app, make, new_visitor, tmp_path, low: str | None, high: str | None) -> str:
    source = (TENANTS / "disdikbud-metro" / "decree.toml").read_text(encoding="utf-8")
    if low is not None:
        source += MIDDLE.format(low=low, high=high)
    (tmp_path / "decree.toml").write_text(source, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["tenants", "load", str(tmp_path / "decree.toml")])
    assert result.exit_code == 0, result.output
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-lampung").email)
    return _metro_row(inspector.get("/inspektorat/", headers={"Accept-Language": "en"}).get_data(as_text=True))


@pytest.mark.parametrize(("low", "high", "said"), [
    (None, None, "souvenir tiers leave 1 gap"),          # as enacted: 60 minutes to under 3 days
    ("1 jam", "3 hari", None),                              # adjacent to both neighbours: no gap, no overlap
    ("1h1m", "2d23h", "souvenir tiers leave 2 gaps"),     # a minute after A, an hour before B
])
def test_the_inspectorate_reports_exactly_the_gaps_the_engine_leaves(app, make, new_visitor, tmp_path,
                                                                     low, high, said):
    row = _overview(app, make, new_visitor, tmp_path, low, high)
    if said is None:
        assert "gap" not in row and "overlap" not in row
    else:
        assert said in row and "overlap" not in row
