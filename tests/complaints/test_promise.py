"""What the receipt promises follows the office's decree: a souvenir "by how long you waited"
only where the decree has souvenir categories (Metro's Lampiran II); Lampung's has none."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("locale", "by_wait", "by_leader"), [
    ("en", "category decided by how long you waited", "chosen by the head of office at assessment"),
    ("id", "kategori ditentukan oleh lamanya Anda menunggu", "dipilih oleh Kepala Dinas saat penilaian"),
])
def test_the_receipt_words_the_souvenir_as_the_decree_decides_it(metro, lampung, visitor, file_complaint,
                                                                 locale, by_wait, by_leader):
    visitor.get(f"/locale/{locale}")
    pages = {}
    for slug in ("disdikbud-metro", "dinsos-lampung"):
        code = file_complaint(visitor, slug)
        pages[slug] = visitor.get(f"/{slug}/pengaduan/{code}/tanda-terima").get_data(as_text=True)
        assert pages[slug].count("souvenir") or pages[slug].count("Souvenir")  # both fee rows grant one
    assert by_wait in pages["disdikbud-metro"] and by_leader not in pages["disdikbud-metro"]
    assert by_leader in pages["dinsos-lampung"] and by_wait not in pages["dinsos-lampung"]
