"""The reports' figures against an independent count of known fixture data, through the pages
the leader and the inspector read, and the exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from statistics import median
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tanggap.complaints.models import Complaint, Status
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import CROSS_TENANT, every_office
from tanggap.database import unit_of_work

#: The instant these tests run at: mid-month, so the fixture's complaints, filed 48 hours
#: earlier, fall in the month the pages show by default.
NOW = datetime(2026, 11, 18, 3, 0, tzinfo=timezone.utc)
WIT = ZoneInfo("Asia/Jayapura")


@pytest.fixture(autouse=True)
def _mid_month(travel):
    travel(NOW)


def _shape(ctx, filed, **fields):
    """Put a complaint into a known state, as the lifecycle would have left it."""
    with ctx():
        complaint = db.session.execute(every_office(select(Complaint).where(Complaint.id == filed.id))).scalar_one()
        for name, value in fields.items():
            setattr(complaint, name, value)
        db.session.commit()


#: (status, status before close, hours to compensation or None, hours the deadline is away, rating)
FIXTURE = [
    (Status.SUBMITTED, None, None, 30, None),
    (Status.IN_ASSESSMENT, None, None, -5, None),         # overdue
    (Status.UPHELD, None, None, -1, None),                # upheld, overdue, not yet compensated
    (Status.COMPENSATED, None, 20, 10, None),             # on time
    (Status.CLOSED, Status.COMPENSATED, 30, 10, 5),       # on time, rated 5
    (Status.CLOSED, Status.COMPENSATED, 60, 10, 2),       # late, rated 2
    (Status.CLOSED, Status.REJECTED, None, 10, 4),        # not upheld
    (Status.WITHDRAWN, Status.SUBMITTED, None, 10, None),
]


@pytest.fixture
def office(make, ctx):
    office = make.office_with_staff("dinas-alpha", region="kota-alpha", parent="provinsi-alpha")
    for status, before, hours, due_in, rating in FIXTURE:
        filed = make.complaint(office)
        submitted = NOW - timedelta(hours=48)
        _shape(ctx, filed, status=status, status_before_close=before, submitted_at=submitted,
               due_at=NOW + timedelta(hours=due_in) if status in (Status.SUBMITTED, Status.IN_ASSESSMENT, Status.UPHELD)
               else submitted + timedelta(hours=48),
               compensated_at=submitted + timedelta(hours=hours) if hours else None, rating=rating)
    return office


def expected():
    compensated = [row for row in FIXTURE if row[2]]
    on_time = [row for row in compensated if row[2] <= 48]
    return {
        "received": len(FIXTURE),
        "open": sum(1 for row in FIXTURE if row[0] not in (Status.CLOSED, Status.WITHDRAWN)),
        "overdue": sum(1 for row in FIXTURE if row[0] in (Status.SUBMITTED, Status.IN_ASSESSMENT, Status.UPHELD)
                       and row[3] < 0),
        "upheld": sum(1 for row in FIXTURE if Status.UPHELD in (row[0], row[1]) or Status.COMPENSATED in (row[0], row[1])),
        "rejected": sum(1 for row in FIXTURE if Status.REJECTED in (row[0], row[1])),
        "compensated": len(compensated),
        "on_time": len(on_time),
        "median": median(row[2] for row in compensated),
    }


def _figure(html: str, name: str) -> int:
    return int(re.search(rf'id="figure-{name}">\s*<span class="figure-value">(\d+)<', html).group(1))


def test_the_office_dashboard_counts_what_happened(office, new_visitor):
    want = expected()
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get("/locale/en")
    html = leader.get("/dinas-alpha/staff/reports/").get_data(as_text=True)
    for name in ("received", "open", "overdue", "upheld", "rejected", "compensated", "on_time"):
        assert _figure(html, name) == want[name], name
    assert f"Median time from filing to full compensation: {want['median']:.1f} hours." in html
    assert "Average citizen rating: 3.7 of 5 (3 ratings)." in html
    assert "67%" in html  # 2 of 3 compensated on time

    # Each figure links to the inbox that makes it, and the inbox agrees.
    link = re.search(r'href="([^"]+)" class="d-block" id="figure-upheld"', html).group(1).replace("&amp;", "&")
    listed = leader.get(link).get_data(as_text=True)
    assert len(re.findall(r">(DINAS-\d{4}-\d{6})</a>", listed)) == want["upheld"]


def test_exports_carry_the_same_figures(office, new_visitor):
    want = expected()
    leader = new_visitor()
    leader.login(office.admin.email)
    leader.get("/locale/en")
    rows = list(csv.reader(io.StringIO(leader.get("/dinas-alpha/staff/reports/export/key.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Received", "Open", "Overdue"]
    assert [int(value) for value in rows[1][:7]] == [want[k] for k in ("received", "open", "overdue", "upheld",
                                                                          "rejected", "compensated", "on_time")]
    book = load_workbook(io.BytesIO(leader.get("/dinas-alpha/staff/reports/export/all.xlsx").data))
    assert {"key", "components", "units", "months", "items", "sanctions", "ratings"} <= set(book.sheetnames)
    assert book["key"]["A2"].value == want["received"]
    assert book["ratings"]["B2"].value == 1  # one rating of 5
    assert leader.get("/dinas-alpha/staff/reports/export/nonsense.csv").status_code == 404


def test_the_inspectorate_sees_its_regions_offices_and_nothing_else(office, make, ctx, new_visitor):
    other = make.office_with_staff("dinas-beta", region="kota-beta", parent="provinsi-beta")
    make.complaint(other)
    province = new_visitor()
    province.login(make.inspector("provinsi-alpha").email)
    province.get("/locale/en")
    overview = province.get("/inspektorat/").get_data(as_text=True)
    assert 'data-office="dinas-alpha"' in overview and "dinas-beta" not in overview
    assert "no decree in force" not in overview.split('data-office="dinas-alpha"')[1].split("</tr>")[0]
    assert province.get("/inspektorat/dinas-beta/").status_code == 404
    assert province.get("/inspektorat/dinas-beta/complaints").status_code == 404
    assert province.get("/inspektorat/dinas-beta/compliance").status_code == 404

    city = new_visitor()
    city.login(make.inspector("kota-alpha", email="kota@example.org").email)
    assert 'data-office="dinas-alpha"' in city.get("/inspektorat/").get_data(as_text=True)
    elsewhere = new_visitor()
    elsewhere.login(make.inspector("kota-beta", email="beta@example.org").email)
    assert "dinas-alpha" not in elsewhere.get("/inspektorat/").get_data(as_text=True)
    assert elsewhere.get("/inspektorat/dinas-alpha/").status_code == 404

    staff = new_visitor()
    staff.login(office.leader.email)
    assert staff.get("/inspektorat/").status_code == 404  # staff are not inspectors


def test_inspectors_stop_seeing_a_deactivated_office(office, make, ctx, new_visitor):
    closed = make.office_with_staff("dinas-gamma", region="kota-alpha", parent="provinsi-alpha")
    make.complaint(closed)
    with ctx():
        db.session.get(Tenant, closed.tenant.id).active = False  # as the operator's console leaves it
        db.session.commit()
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    overview = inspector.get("/inspektorat/").get_data(as_text=True)
    assert 'data-office="dinas-alpha"' in overview and "dinas-gamma" not in overview
    for page in ("", "complaints", "compliance"):
        assert inspector.get(f"/inspektorat/dinas-gamma/{page}").status_code == 404
    sheet = inspector.get("/inspektorat/export.csv").get_data(as_text=True)
    assert "dinas-alpha" in sheet and "dinas-gamma" not in sheet


def test_the_inspector_reads_complaints_with_contacts_masked(office, make, new_visitor):
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    page = inspector.get("/inspektorat/dinas-alpha/complaints").get_data(as_text=True)
    assert "W*** C***" in page and "w***@example.org" in page and "0812****890" in page
    assert "Warga Contoh" not in page and "warga@example.org" not in page and "081234567890" not in page
    dashboard = inspector.get("/inspektorat/dinas-alpha/").get_data(as_text=True)
    assert _figure(dashboard, "received") == len(FIXTURE)
    book = load_workbook(io.BytesIO(inspector.get("/inspektorat/export.xlsx").data))
    assert book["offices"]["A2"].value == "dinas-alpha" and book["offices"]["B2"].value == len(FIXTURE)


def test_the_compliance_sheet(office, make, new_visitor, ctx):
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    inspector.get("/locale/en")
    sheet = inspector.get("/inspektorat/dinas-alpha/compliance").get_data(as_text=True)
    assert re.search(r'id="regime">\s*Yes: 1/KPTS/2026', sheet)
    assert re.search(r'id="published">\s*Yes', sheet)
    assert re.search(r'id="component-fee">\s*No upheld complaints', sheet)


def test_an_empty_period_reads_as_nothing_not_an_error(office, new_visitor):
    leader = new_visitor()
    leader.login(office.leader.email)
    html = leader.get("/dinas-alpha/staff/reports/?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert _figure(html, "received") == 0
    assert leader.get("/dinas-alpha/staff/reports/?from=bogus&to=2020").status_code == 200


def test_the_rollup_gives_the_live_figures_and_follows_changes(office, make, ctx, new_visitor):
    from datetime import date

    from tanggap.reports import figures, rollup
    from tanggap.reports.period import Period

    period = Period(date(2020, 1, 1), date(2030, 12, 31), "Asia/Jakarta")

    def both():
        with ctx():
            offices = [db.session.get(Tenant, office.tenant.id)]
            return figures.key_figures(offices, period, NOW)[office.tenant.id], \
                figures.key_figures_rolled(offices, period, NOW)[office.tenant.id]

    with ctx(), unit_of_work():
        assert rollup.refresh() == -1  # the first refresh builds it all
    live, rolled = both()
    assert (rolled.received, rolled.open, rolled.overdue, rolled.upheld, rolled.rejected, rolled.compensated,
            rolled.on_time, rolled.rated, rolled.rating_total) == (
        live.received, live.open, live.overdue, live.upheld, live.rejected, live.compensated, live.on_time,
        live.rated, live.rating_total)
    assert rolled.median_hours == live.median_hours == 30.0  # one definition, not three-hour buckets

    make.complaint(office)  # a new complaint: only its office-day is recomputed
    with ctx(), unit_of_work():
        assert rollup.refresh() >= 1  # (a minute of overlap may recompute a day just refreshed)
    live, rolled = both()
    assert rolled.received == live.received == len(FIXTURE) + 1

    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    page = inspector.get("/inspektorat/?from=2020-01-01&to=2030-12-31").get_data(as_text=True)
    assert 'id="as-of"' in page
    row = page.split('data-office="dinas-alpha"')[1].split("</tr>")[0]
    assert f"<td>{len(FIXTURE) + 1}</td>" in row


def test_an_office_in_wit_is_counted_between_its_own_midnights_everywhere(make, ctx, new_visitor, travel):
    """00:30 WIT on 1 April is still 31 March in WIB (22:30) and in UTC (15:30): the office, its
    inspector, the live figures and the rollup all count it in April, the office's month."""
    from tanggap.reports import rollup

    office = make.office_with_staff("dinas-papua", region="kota-jayapura", parent="provinsi-papua",
                                    timezone="Asia/Jayapura")
    travel(datetime(2027, 4, 1, 0, 30, tzinfo=WIT))
    make.complaint(office)
    travel(datetime(2027, 4, 10, 9, 0, tzinfo=WIT))
    leader = new_visitor()
    leader.login(office.leader.email)
    assert _figure(leader.get("/dinas-papua/staff/reports/").get_data(as_text=True), "received") == 1
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-papua").email)
    assert _figure(inspector.get("/inspektorat/dinas-papua/").get_data(as_text=True), "received") == 1

    def received(query: str) -> int:
        page = inspector.get(f"/inspektorat/{query}").get_data(as_text=True)
        return int(re.search(r'data-office="dinas-papua".*?<td>(\d+)</td>', page, re.S).group(1))

    assert received("?from=2027-04-01&to=2027-04-30") == 1
    assert received("?from=2027-03-01&to=2027-03-31") == 0
    with ctx(), unit_of_work():
        rollup.refresh()
    assert received("?from=2027-04-01&to=2027-04-30") == 1  # from the rollup now
    assert received("?from=2027-03-01&to=2027-03-31") == 0


def test_the_office_dashboard_reads_under_its_own_scope(make, two_offices, new_visitor):
    """No statement behind an office's own figures lifts the tenant scope, so both walls hold."""
    alpha, _beta = two_offices
    lifted: list[str] = []

    def watch(state) -> None:
        statement = str(state.statement)
        # The token's look-up by digest is the one read across offices, through the cross role.
        if state.execution_options.get(CROSS_TENANT) and "FROM api_token" not in statement:
            lifted.append(statement[:80])

    leader = new_visitor()
    leader.login(alpha.leader.email)
    event.listen(Session, "do_orm_execute", watch)
    try:
        assert leader.get("/dinas-alpha/staff/reports/").status_code == 200
        assert leader.get("/api/v1/reports/figures", headers={"Authorization": f"Bearer {alpha.token.secret}"}).status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", watch)
    assert lifted == []


def _assessed_components(ctx, complaint, components: list[str]) -> None:
    from tanggap.assessments.models import Assessment

    with ctx():
        found = db.session.execute(every_office(select(Assessment).where(Assessment.complaint_id == complaint.id))).scalar_one()
        found.components = components
        db.session.commit()


def test_by_component_counts_complaints_and_never_more_upheld_than_complaints(make, ctx, new_visitor):
    """A leader may find a component the citizen did not name: the complaint still counts under
    the components it names (as the inbox's filter reads them), so upheld never exceeds complaints,
    and the dashboard, its export and the compliance sheet say the same."""
    office = make.office_with_staff("dinas-alpha", region="kota-alpha", parent="provinsi-alpha")
    first = make.complaint(office, components=("time",), upheld=True)
    make.complaint(office, components=("time",), upheld=True)
    _assessed_components(ctx, first, ["time", "fee"])
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get("/locale/en")
    html = leader.get("/dinas-alpha/staff/reports/").get_data(as_text=True)
    assert 'data-component="fee"' not in html
    row = html.split('data-component="time"')[1].split("</tr>")[0]
    assert [int(n) for n in re.findall(r">(\d+)</a>", row)] == [2, 2]
    rows = list(csv.reader(io.StringIO(leader.get("/dinas-alpha/staff/reports/export/components.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[1:] for row in rows[1:]] == [["2", "2"]]
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    inspector.get("/locale/en")
    sheet = inspector.get("/inspektorat/dinas-alpha/compliance").get_data(as_text=True)
    assert re.search(r'id="component-time">\s*Not yet\s*· 2 upheld, 0 compensated', sheet)
    assert re.search(r'id="component-fee">\s*No upheld complaints', sheet)


def _ranks(page: str, slug: str) -> tuple[str, str]:
    row = page.split(f'data-office="{slug}"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return cells[5].strip(), cells[6].strip()


def test_equal_figures_share_a_rank_and_an_office_without_a_decree_is_not_ranked(make, new_visitor):
    for slug in ("dinas-alpha", "dinas-beta", "dinas-gamma"):
        office = make.office_with_staff(slug, region=f"kota-{slug}", parent="provinsi-alpha")
        if slug != "dinas-gamma":
            make.complaint(office)  # publishes a decree; one open complaint each, none overdue
    make.office_with_staff("dinas-delta", region="kota-delta", parent="provinsi-alpha")  # no decree at all
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    inspector.get("/locale/en")
    page = inspector.get("/inspektorat/").get_data(as_text=True)
    assert _ranks(page, "dinas-alpha") == _ranks(page, "dinas-beta") == ("–", "1")
    assert _ranks(page, "dinas-delta") == ("–", "–")
    assert "no decree in force" in page.split('data-office="dinas-delta"')[1].split("</tr>")[0]


def test_ranking_is_competition_ranking():
    from tanggap.reports.figures import ranks

    assert ranks({1: 0.5, 2: 0.5, 3: 0.25, 4: None}, highest_first=True) == {1: 1, 2: 1, 3: 3, 4: None}
    assert ranks({1: 0, 2: 3, 3: 0}, highest_first=False) == {1: 1, 2: 3, 3: 1}


def test_the_office_admin_sees_figures_with_no_link_they_cannot_open(office, new_visitor):
    """The admin reads the reports but not the inbox: every link on their report pages opens."""
    admin = new_visitor()
    admin.login(office.admin.email)
    start = "/dinas-alpha/staff/reports/"
    pages = [start]
    page = admin.get(start).get_data(as_text=True)
    assert _figure(page, "received") == len(FIXTURE) and _figure(page, "upheld") == expected()["upheld"]
    assert "/staff/complaints" not in page
    pages += [href.replace("&amp;", "&") for href in re.findall(r'href="(/dinas-alpha/staff/reports/[^"]*)"', page)]
    seen = set()
    for path in pages:
        if path in seen:
            continue
        seen.add(path)
        answer = admin.get(path)
        assert answer.status_code not in (403, 404), path
        if answer.mimetype == "text/html":
            for href in re.findall(r'href="(/[^"#]*)"', answer.get_data(as_text=True)):
                href = href.replace("&amp;", "&")
                if href.startswith("/static/") or href in seen:
                    continue
                seen.add(href)
                assert admin.get(href).status_code not in (403, 404), (path, href)
    assert len(seen) > 10
