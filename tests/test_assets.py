"""Static files under names that carry their content's fingerprint, cached for a year."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "platform" / "tanggap" / "static"


def test_pages_link_fingerprinted_files_that_may_be_kept_a_year(visitor):
    page = visitor.get("/auth/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/tanggap\.([0-9a-f]{12})\.css)"', page)
    assert css is not None, "the stylesheet's link carries no fingerprint"
    content = (STATIC / "css" / "tanggap.css").read_bytes()
    assert css.group(2) == hashlib.sha256(content).hexdigest()[:12]
    assert re.search(r'src="/static/vendor/htmx\.min\.[0-9a-f]{12}\.js"', page)

    answer = visitor.get(css.group(1))
    assert answer.status_code == 200
    assert answer.data == content
    assert answer.cache_control.max_age == 365 * 24 * 3600
    assert answer.cache_control.public and answer.cache_control.immutable


def test_a_stale_fingerprint_is_not_found_and_a_plain_name_is_not_kept_long(visitor):
    assert visitor.get("/static/css/tanggap.000000000000.css").status_code == 404
    plain = visitor.get("/static/css/tanggap.css")
    assert plain.status_code == 200
    assert (plain.cache_control.max_age or 0) < 365 * 24 * 3600
    assert visitor.get("/static/../config.py").status_code == 404
    assert visitor.get("/static/vendor/../../config.py").status_code == 404
