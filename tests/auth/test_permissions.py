"""The role matrix: one module answers, the README prints the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanggap.auth.models import Role
from tanggap.auth.permissions import ROLE_PERMISSIONS, Permission, matrix_rows

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_matrix() -> dict[str, dict[str, bool]]:
    lines = README.read_text().split("<!-- role-matrix -->")[1].strip().splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = {role: cell == "yes" for role, cell in zip(header[1:], cells[1:], strict=True)}
    return rows


def test_readme_prints_exactly_the_role_matrix():
    expected = {p.value: {r.value: allowed for r, allowed in roles.items()} for p, roles in matrix_rows()}
    assert _readme_matrix() == expected


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.LEADER, Permission.ASSESS, True),
        (Role.OFFICER, Permission.ASSESS, False),
        (Role.ADMIN, Permission.ASSESS, False),
        (Role.OFFICER, Permission.DELIVER, True),
        (Role.LEADER, Permission.DECIDE_SANCTION, True),
        (Role.ADMIN, Permission.EDIT_DECREE, True),
        (Role.LEADER, Permission.EDIT_DECREE, False),
        (Role.OFFICER, Permission.VIEW_AUDIT, False),
    ],
)
def test_role_grants(role, permission, allowed):
    assert (permission in ROLE_PERMISSIONS[role]) is allowed


def test_every_role_opens_the_staff_pages_and_nothing_is_granted_to_nobody():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission)
    assert all(Permission.VIEW_STAFF_PAGES in perms for perms in ROLE_PERMISSIONS.values())


def test_staff_page_opens_for_each_role_and_not_for_outsiders(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for person in (office.admin, office.leader, office.officer):
        visitor = new_visitor()
        visitor.login(person.email)
        assert visitor.get("/dinas-alpha/staff/").status_code == 200
    anonymous = new_visitor().get("/dinas-alpha/staff/")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
