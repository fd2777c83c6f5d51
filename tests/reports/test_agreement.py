"""Every figure agrees with itself wherever it appears.

Random complaints in three offices (WIB, WITA, WIT) go through random lifecycles at random
moments around a month: accepted, asked for information, referred, transferred, withdrawn,
assessed upheld or not, delivered on time or late, closed, reopened, rated. Then each office's
figures are read from every place that shows them (the leader's dashboard and its exports, the
inspectorate's overview, office page, compliance sheet and export, the API's figures and its
list totals, the rollup) and must be equal to the unit, and equal to a count of the rows made
in plain Python.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import statistics
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tanggap.complaints.models import DEADLINE_BINDS, FINISHED, Complaint, Status
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import every_office
from tanggap.database import unit_of_work

PERIOD = (date(2026, 3, 1), date(2026, 3, 31))
#: When the figures are read: a day after the period, so some complaints are still open, some overdue.
NOW = datetime(2026, 4, 1, 9, 0, 30, tzinfo=timezone.utc)
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
COMPONENTS = ("time", "fee")
OUTCOMES = ("open", "overdue", "upheld", "rejected", "compensated", "on_time", "late")
_counter = itertools.count()

#: The actions a citizen or the office may take in each status, as the lifecycle allows them.
ACTIONS = {
    Status.SUBMITTED: ("accept", "request_info", "refer", "transfer", "withdraw"),
    Status.INFO_REQUESTED: ("answer", "withdraw"),
    Status.IN_ASSESSMENT: ("uphold", "reject", "request_info", "refer", "transfer", "withdraw"),
    Status.UPHELD: ("deliver",),
    Status.COMPENSATED: ("close",),
    Status.REJECTED: ("close",),
    Status.CLOSED: ("rate", "reopen"),
    Status.NOT_COMPETENT: ("reopen",),
}

#: Ways a complaint goes, named step by step (a step its status does not allow is not taken).
PATHS = {
    "open": (),
    "info": ("request_info", "answer", "accept"),
    "referred": ("refer",),
    "referred and reopened": ("accept", "refer", "reopen"),
    "withdrawn": ("accept", "withdraw"),
    "transferred and compensated there": ("transfer", "accept", "uphold", "deliver", "deliver", "close"),
    "rejected, closed, rated": ("accept", "reject", "close", "rate"),
    "upheld": ("accept", "uphold"),
    "partly delivered": ("accept", "uphold", "deliver"),
    "compensated": ("accept", "uphold", "deliver", "deliver"),
    "closed and rated": ("accept", "uphold", "deliver", "deliver", "close", "rate"),
    "closed and reopened": ("accept", "uphold", "deliver", "deliver", "close", "reopen"),
}
#: Minutes until the step, and, on a random walk, which allowed step (or stop).
step = st.tuples(st.integers(0, 40 * 60), st.integers(0, 11))
journey = st.fixed_dictionaries({
    "path": st.sampled_from([*PATHS, "random"]),
    "office": st.integers(0, 2),
    # From a day before the period to a day after it, in minutes.
    "filed": st.integers(-24 * 60, 32 * 24 * 60),
    "components": st.sampled_from([["time"], ["fee"], ["time", "fee"]]),
    "found": st.sampled_from([["time"], ["fee"], ["time", "fee"]]),
    "rating": st.integers(1, 5),
    "steps": st.lists(step, max_size=8),
})


def _decree(tenant: Tenant) -> None:
    """Two components, two compensations: an upheld fee complaint owes two items."""
    from tanggap.decrees import rules
    from tanggap.decrees.models import DecreeStatus
    from tanggap.decrees.specs import DecreeSpec
    from tanggap.decrees.store import new_version

    text = rules.Text
    law = rules.Rules(
        number="7/KPTS/2026",
        compensations=(rules.CompensationType("apology", "apology", text("Permohonan maaf", "Apology")),
                       rules.CompensationType("clarification", "clarification", text("Penjelasan", "Explanation"))),
        components=(rules.Component("time", text("Jangka Waktu", "Service time"), ("apology",)),
                    rules.Component("fee", text("Biaya", "Fee"), ("apology", "clarification"))),
        tiers=(), deadline=rules.Deadline(hours=48),
        sanctions=(rules.SanctionType("reprimand", text("Teguran", "Reprimand"), "disciplinary"),),
    )
    new_version(tenant, DecreeSpec(number="7/KPTS/2026", title=text("Kompensasi", "Compensation"),
                                   enacted_at=date(2026, 1, 5), effective_from=date(2026, 1, 5)),
                law, status=DecreeStatus.PUBLISHED)


def _offices(make, ctx, run: int) -> tuple[str, list[SimpleNamespace]]:
    from tanggap.tenancy.context import bound_to

    province = f"provinsi-uji-{run}"
    offices = []
    for index, zone in enumerate(ZONES):
        office = make.office_with_staff(f"uji-{run}-{index}", region=f"kota-uji-{run}-{index}", parent=province,
                                        timezone=zone)
        with ctx():
            tenant = db.session.get(Tenant, office.tenant.id)
            with bound_to(tenant):
                _decree(tenant)
                db.session.commit()
        office.token = make.api_token(office, scopes=("read",))
        offices.append(office)
    return province, offices


def _live(journeys: list[dict], offices: list[SimpleNamespace], ctx, travel) -> None:
    """File each complaint and take its steps, each at its own moment; a step the clock has
    not reached by ``NOW`` is not taken."""
    from tanggap.assessments.decisions import Delivery, Finding, assess, deliver
    from tanggap.assessments.models import DeliveryMethod
    from tanggap.auth.models import User
    from tanggap.complaints import citizen_actions, lifecycle
    from tanggap.complaints.intake import Submission, new_key, submit
    from tanggap.complaints.transfer import transfer
    from tanggap.tenancy.context import bound_to

    Action = lifecycle.Action
    start = datetime(2026, 3, 1, tzinfo=ZoneInfo("Asia/Jakarta"))
    for plan in journeys:
        at = start + timedelta(minutes=plan["filed"])
        travel(at)
        index = plan["office"]
        with ctx():
            tenant = db.session.get(Tenant, offices[index].tenant.id)
            with bound_to(tenant):
                complaint = submit(tenant, Submission(
                    components=list(plan["components"]), description="Layanan tidak sesuai standar.",
                    occurred_on=at.date() - timedelta(days=1), name="Warga Uji", email=None,
                    phone="081234567890", submission_key=new_key()))
                db.session.commit()
                complaint_id = complaint.id
        scripted = PATHS.get(plan["path"])
        steps = plan["steps"] if scripted is None else [
            (plan["steps"][number % len(plan["steps"])][0] if plan["steps"] else 60, name)
            for number, name in enumerate(scripted)]
        for minutes, choice in steps:
            at += timedelta(minutes=minutes)
            if at >= NOW:
                break
            travel(at)
            with ctx():
                tenant = db.session.get(Tenant, offices[index].tenant.id)
                with bound_to(tenant):
                    complaint = db.session.get_one(Complaint, complaint_id)
                    allowed = [name for name in ACTIONS.get(complaint.status, ())
                               if name != "rate" or complaint.rating is None]
                    if isinstance(choice, str):
                        if choice not in allowed:
                            continue
                        action = choice
                    elif choice >= len(allowed) * 2 or not allowed:
                        break  # nobody does anything more
                    else:
                        action = allowed[choice % len(allowed)]
                    leader = db.session.get_one(User, offices[index].leader.id)
                    officer = db.session.get_one(User, offices[index].officer.id)
                    if action == "transfer":
                        target_index = (index + 1) % len(offices)
                        received = transfer(complaint, db.session.get_one(Tenant, offices[target_index].tenant.id),
                                            by=leader, reason="Kewenangan dinas lain.")
                        db.session.commit()
                        index, complaint_id = target_index, received.id
                        continue
                    if action == "accept":
                        lifecycle.apply(complaint, Action.ACCEPT, by=officer)
                    elif action == "request_info":
                        lifecycle.apply(complaint, Action.REQUEST_INFO, by=officer, message="Mohon nomor berkas.")
                    elif action == "answer":
                        lifecycle.apply(complaint, Action.ANSWER, actor_label="citizen", message="Nomor 12.")
                    elif action == "refer":
                        lifecycle.refer(complaint, "Silakan ke kantor kecamatan.", by=officer)
                    elif action == "withdraw":
                        citizen_actions.withdraw(complaint, None)
                    elif action in ("uphold", "reject"):
                        upheld = action == "uphold"
                        assess(complaint, Finding(upheld=upheld, components=list(plan["found"]), reasoning="Diperiksa.",
                                                  explanation=None if upheld else "Layanan sesuai standar."),
                               by=leader)
                    elif action == "deliver":
                        item = next(entry for entry in complaint.assessment.items if not entry.delivered)
                        deliver(item, Delivery(delivered_at=at.astimezone(timezone.utc), method=DeliveryMethod.IN_PERSON),
                                by=officer)
                    elif action == "close":
                        lifecycle.apply(complaint, Action.CLOSE, by=officer)
                    elif action == "reopen":
                        lifecycle.apply(complaint, Action.REOPEN, by=leader, message="Perlu diperiksa lagi.")
                    elif action == "rate":
                        citizen_actions.rate(complaint, plan["rating"], None)
                    db.session.commit()


def _counted(tenant: Tenant) -> dict[str, object]:
    """The figures of one office counted in plain Python over its rows: the oracle."""
    zone = ZoneInfo(tenant.timezone)
    rows = [row for row in db.session.execute(
        every_office(select(Complaint).where(Complaint.tenant_id == tenant.id))
    ).scalars() if PERIOD[0] <= row.submitted_at.astimezone(zone).date() <= PERIOD[1]]
    upheld_states = (Status.UPHELD, Status.COMPENSATED)
    upheld = [row for row in rows if row.status in upheld_states or row.status_before_close in upheld_states
              or row.compensated_at is not None]
    compensated = [row for row in rows if row.compensated_at is not None]
    hours = [(row.compensated_at - row.submitted_at).total_seconds() / 3600 for row in compensated]
    ratings = [row.rating for row in rows if row.rating is not None]
    components: dict[str, list[int]] = {}
    for row in rows:
        for code in dict.fromkeys(row.components):
            counts = components.setdefault(code, [0, 0, 0])
            counts[0] += 1
            counts[1] += row in upheld
            counts[2] += row in compensated
    return {
        "received": len(rows),
        "open": sum(row.status not in FINISHED for row in rows),
        "overdue": sum(row.status in DEADLINE_BINDS and row.due_at < NOW for row in rows),
        "upheld": len(upheld),
        "rejected": sum(Status.REJECTED in (row.status, row.status_before_close) for row in rows),
        "compensated": len(compensated),
        "on_time": sum(row.compensated_at <= row.due_at for row in compensated),
        "median": round(statistics.median(hours), 1) if hours else None,
        "rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "components": {code: tuple(counts) for code, counts in components.items()},
    }


def _number(text: str) -> float | None:
    return None if text.strip() in ("", "–") else float(text)


def _card(html: str, name: str) -> int:
    return int(re.search(rf'id="figure-{name}">\s*<span class="figure-value">(\d+)<', html).group(1))


def _from_page(html: str) -> dict[str, object]:
    """The key figures as an office page (dashboard, the inspectorate's office page) shows them."""
    found: dict[str, object] = {name: _card(html, name) for name in
                                ("received", "open", "overdue", "upheld", "rejected", "compensated", "on_time")}
    found["late"] = _card(html, "late")
    median = re.search(r"Median time from filing to full compensation: (\S+) hours\.", html).group(1)
    found["median"] = _number(median)
    rating = re.search(r"Average citizen rating: (\S+) of 5", html)
    found["rating"] = float(rating.group(1)) if rating else None
    table = html.split('id="table-components"')[1].split("</table>")[0]
    found["components"] = {
        code: tuple(int(n) for n in re.findall(r">(\d+)<", row))
        for code, row in re.findall(r'data-component="(\w+)">(.*?)</tr>', table, re.S)}
    return found


def _key_csv(rows: list[list[str]]) -> dict[str, object]:
    names = ("received", "open", "overdue", "upheld", "rejected", "compensated", "on_time")
    found: dict[str, object] = {name: int(value) for name, value in zip(names, rows, strict=False)}
    found["rate"] = rows[7]
    found["median"] = _number(rows[8])
    found["rating"] = _number(rows[9])
    return found


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _percent(on_time: int, compensated: int) -> str:
    return f"{on_time / compensated * 100:.0f}%" if compensated else ""


# Derandomized, so CI runs the same examples every time. Each example makes offices of its own
# (the database is the test's, not the example's), hence the function-scoped fixtures. A failing
# example is reported as found: shrinking one through the pages takes minutes, not seconds.
@settings(max_examples=8, derandomize=True, deadline=None, database=None, print_blob=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(journeys=st.lists(journey, min_size=1, max_size=9))
def test_every_figure_agrees_everywhere(journeys, make, ctx, travel, new_visitor, app):
    from tanggap.reports import figures, rollup
    from tanggap.reports.models import ReportDay, RollupState
    from tanggap.reports.period import Period

    run = next(_counter)
    travel(datetime(2026, 2, 20, tzinfo=timezone.utc))
    province, offices = _offices(make, ctx, run)
    _live(journeys, offices, ctx, travel)
    travel(NOW)
    with ctx():
        # The rollup is rebuilt whole for this example's offices (the clock went back between examples).
        db.session.execute(delete(RollupState))
        db.session.execute(every_office(delete(ReportDay)))
        db.session.commit()
        with unit_of_work():
            rollup.refresh()
    query = f"from={PERIOD[0]}&to={PERIOD[1]}"
    inspector = new_visitor()
    inspector.login(make.inspector(province).email)
    inspector.get("/locale/en")
    overview = inspector.get(f"/inspektorat/?{query}").get_data(as_text=True)
    sheet = {row[0]: row for row in _csv(inspector.get(f"/inspektorat/export.csv?{query}"))[1:]}

    for office in offices:
        slug = office.tenant.slug
        with ctx():
            tenant = db.session.get_one(Tenant, office.tenant.id)
            want = _counted(tenant)
            period = Period(*PERIOD, tenant.timezone)
            live = figures.key_figures([tenant], period, NOW)[tenant.id]
            rolled = figures.key_figures_rolled([tenant], period, NOW)[tenant.id]
        assert live == rolled, slug
        assert (live.received, live.open, live.overdue, live.upheld, live.rejected, live.compensated, live.on_time,
                live.median_hours, live.rating) == tuple(want[name] for name in (
                    "received", "open", "overdue", "upheld", "rejected", "compensated", "on_time", "median", "rating"))
        late = want["compensated"] - want["on_time"]

        leader = new_visitor()
        leader.login(office.leader.email)
        leader.get("/locale/en")
        dashboard = _from_page(leader.get(f"/{slug}/staff/reports/?{query}").get_data(as_text=True))
        inspected = _from_page(inspector.get(f"/inspektorat/{slug}/?{query}").get_data(as_text=True))
        shown = {code: counts[:2] for code, counts in want["components"].items()}  # complaints, upheld
        for page in (dashboard, inspected):
            assert page == {**{name: want[name] for name in (
                "received", "open", "overdue", "upheld", "rejected", "compensated", "on_time", "median", "rating")},
                "components": shown, "late": late}, slug
        assert all(upheld <= complaints for complaints, upheld, _compensated in want["components"].values())

        key = _key_csv(_csv(leader.get(f"/{slug}/staff/reports/export/key.csv?{query}"))[1])
        assert key == {**{name: want[name] for name in ("received", "open", "overdue", "upheld", "rejected",
                                                         "compensated", "on_time", "median", "rating")},
                       "rate": _percent(want["on_time"], want["compensated"])}, slug
        components = _csv(leader.get(f"/{slug}/staff/reports/export/components.csv?{query}"))[1:]
        assert sorted(int(row[1]) for row in components) == sorted(c[0] for c in want["components"].values())
        assert sorted(int(row[2]) for row in components) == sorted(c[1] for c in want["components"].values())

        row = overview.split(f'data-office="{slug}"')[1].split("</tr>")[0]
        cells = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert [int(cells[0]), int(cells[1]), int(cells[2]), cells[3].replace("n/a", ""), _number(cells[4])] == [
            want["received"], want["upheld"], want["overdue"], _percent(want["on_time"], want["compensated"]),
            want["median"]], slug
        assert _key_csv(sheet[slug][1:]) == key, slug

        compliance = inspector.get(f"/inspektorat/{slug}/compliance?{query}").get_data(as_text=True)
        for code in COMPONENTS:
            _complaints, upheld, compensated = want["components"].get(code, (0, 0, 0))
            assert re.search(rf'id="component-{code}">.*?· {upheld} upheld, {compensated} compensated', compliance,
                             re.S), (slug, code)

        api = app.test_client()
        headers = {"Authorization": f"Bearer {office.token.secret}"}
        answer = api.get(f"/api/v1/reports/figures?{query}", headers=headers).json
        assert {name: answer[name] for name in ("received", "open", "overdue", "upheld", "rejected", "compensated",
                                               "on_time", "median_hours", "rating")} == {
            **{name: want[name] for name in ("received", "open", "overdue", "upheld", "rejected", "compensated",
                                             "on_time", "rating")}, "median_hours": want["median"]}, slug

        def total(filters: str, api=api, headers=headers) -> int:
            listed = api.get(f"/api/v1/complaints?tab=all&{query}&per_page=100{filters}", headers=headers).json
            assert len(listed["items"]) == min(listed["total"], 100)
            return listed["total"]

        assert total("") == want["received"], slug
        for outcome in OUTCOMES:
            expected = late if outcome == "late" else want[outcome]
            assert total(f"&outcome={outcome}") == expected, (slug, outcome)
        for code, (complaints, upheld, _compensated) in want["components"].items():
            assert total(f"&component={code}") == complaints, (slug, code)
            assert total(f"&component={code}&outcome=upheld") == upheld, (slug, code)
