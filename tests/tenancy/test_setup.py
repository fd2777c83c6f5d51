"""Saving regions (``tenancy.setup``): whoever saves one (a decree file, the console), a region
is never made part of itself, and a refused parent leaves nothing behind to be committed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.tenancy.models import Region
from tanggap.tenancy.setup import RegionLoop, RegionSpec, upsert_region

PLACES = {"provinsi-alpha": ("Provinsi Alpha", None), "kota-alpha": ("Kota Alpha", "provinsi-alpha"),
          "kecamatan-alpha": ("Kecamatan Alpha", "kota-alpha")}


def _places() -> dict[str, tuple[str, str | None]]:
    regions = db.session.execute(select(Region)).scalars()
    return {region.slug: (region.name, region.parent.slug if region.parent else None) for region in regions}


@pytest.mark.parametrize("slug, parent, reason", [
    ("kota-alpha", "kota-alpha", "region 'kota-alpha' cannot be its own parent"),
    ("kota-beta", "kota-beta", "region 'kota-beta' cannot be its own parent"),  # new, so not there to look up
    ("provinsi-alpha", "kecamatan-alpha",
     "region 'provinsi-alpha' cannot be part of 'kecamatan-alpha', which is already inside it"),
])
def test_a_region_is_refused_a_parent_that_is_itself_or_inside_it_and_nothing_changes(ctx, slug, parent, reason):
    with ctx():
        for place, (name, above) in PLACES.items():
            upsert_region(RegionSpec(place, name, parent=above))
        db.session.commit()
    with ctx():
        with pytest.raises(RegionLoop) as refused:
            upsert_region(RegionSpec(slug, "Renamed", parent=parent))
        assert str(refused.value) == reason
        assert not db.session.new and not db.session.dirty
        db.session.commit()  # whatever the refusal had left half-done would be saved now
    with ctx():
        assert _places() == PLACES
