"""The deadline sweep: each point once, to the right people, in their language; nothing for a
complaint already compensated; its work follows the complaints that have an alert due."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tanggap import clock
from tanggap.alerts.models import DeadlineAlert
from tanggap.alerts.sweep import sweep
from tanggap.auth.models import Membership, User
from tanggap.complaints.models import Complaint, Status
from tanggap.extensions import db
from tanggap.notifications.models import OutboxMessage, StaffNotification
from tanggap.tenancy.scoping import every_office



def _get(complaint_id: int) -> Complaint:
    return db.session.execute(every_office(select(Complaint).where(Complaint.id == complaint_id))).scalar_one()


def _filed(make, ctx, office, **fields):
    filed = make.complaint(office, **fields)
    with ctx():
        complaint = _get(filed.id)
        return filed, complaint.submitted_at, complaint.due_at


def _run(ctx, at):
    with ctx():
        return sweep(now=at)


def _mails(ctx) -> list[tuple[str, str]]:
    with ctx():
        rows = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.key.like("alert:%"))
                                  .order_by(OutboxMessage.id))).scalars()
        return [(row.recipient, row.key.split(":")[2]) for row in rows]


def test_each_point_fires_once_for_the_right_people(make, ctx):
    office = make.office_with_staff("dinas-alpha")
    filed, submitted, due = _filed(make, ctx, office)
    with ctx():
        _get(filed.id).assignee_id = office.officer.id
        head = db.session.execute(select(Membership).where(Membership.user_id == office.admin.id)).scalar_one()
        head.head_of_office = True
        db.session.commit()
    window = due - submitted  # 2 x 24 jam
    assert _run(ctx, submitted + timedelta(hours=1)).alerts == 0
    assert _run(ctx, submitted + window / 2).alerts == 1
    assert _run(ctx, submitted + window / 2).alerts == 0  # the same minute again: nothing new
    assert _run(ctx, due - timedelta(hours=12)).alerts == 1
    assert _run(ctx, due).alerts == 1
    assert _run(ctx, due + timedelta(hours=24)).alerts == 1
    assert _run(ctx, due + timedelta(days=30)).complaints == 0  # nothing left to look at

    officer, leader, head = office.officer.email, office.leader.email, office.admin.email
    assert sorted(_mails(ctx)) == sorted([
        (officer, "half"), (leader, "half"), (officer, "12h_left"), (leader, "12h_left"), (officer, "due"),
        (leader, "due"), (officer, "escalation"), (leader, "escalation"), (head, "escalation")])
    with ctx():
        assert db.session.scalar(every_office(select(func.count(DeadlineAlert.id)))) == 4
        bells = db.session.scalar(every_office(select(func.count(StaffNotification.id))))
        assert bells == 9
        assert _get(filed.id).next_alert_at is None


def test_alerts_are_written_in_each_persons_language(make, ctx):
    office = make.office_with_staff("dinas-alpha")
    filed, _, due = _filed(make, ctx, office)
    with ctx():
        db.session.get(User, office.leader.id).locale = "en"
        _get(filed.id).assignee_id = office.officer.id
        db.session.commit()
    _run(ctx, due)
    with ctx():
        subjects = dict(db.session.execute(every_office(select(OutboxMessage.recipient, OutboxMessage.subject)
                                           .where(OutboxMessage.key.like("alert:%")))).all())
    assert subjects[office.leader.email] == f"[{filed.number}] The deadline has passed"
    assert subjects[office.officer.email] == f"[{filed.number}] Batas waktu telah lewat"
    with ctx():
        bodies = db.session.execute(every_office(select(OutboxMessage.body).where(OutboxMessage.key.like("alert:%")))).scalars().all()
    # The deadline as the receipt gives it: to the minute, with the zone's name, never seconds.
    deadline_lines = [line for body in bodies for line in body.splitlines() if line.startswith(("Deadline", "Batas"))]
    assert deadline_lines and not any(re.search(r"\d[.:]\d\d[.:]\d\d", line) for line in deadline_lines)


def test_after_an_outage_only_the_latest_point_is_told(make, ctx):
    office = make.office_with_staff("dinas-alpha")
    *_, due = _filed(make, ctx, office)
    result = _run(ctx, due + timedelta(hours=25))
    assert result.alerts == 1  # the escalation; half, 12 hours left and due are recorded, not told
    assert _mails(ctx) == [(office.leader.email, "escalation")]  # nobody assigned, no head marked
    with ctx():
        assert db.session.scalar(every_office(select(func.count(DeadlineAlert.id)))) == 4


def test_a_compensated_or_closed_complaint_gets_no_alert(make, ctx, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office, upheld=True)
    with ctx():
        complaint = _get(filed.id)
        due = complaint.due_at
        assert complaint.next_alert_at is not None
    visitor = new_visitor()
    visitor.login(office.officer.email)
    now = clock.office_time("Asia/Jakarta").strftime("%Y-%m-%dT%H:%M")
    url = f"/dinas-alpha/staff/complaints/{filed.number}/items/{filed.item_id}/deliver"
    assert visitor.submit(url, {"delivered_at": now, "method": "phone"}).status_code == 303
    with ctx():
        complaint = _get(filed.id)
        assert complaint.status is Status.COMPENSATED and complaint.next_alert_at is None
    assert _run(ctx, due + timedelta(days=3)).alerts == 0
    assert _mails(ctx) == []


def test_the_sweep_reads_only_complaints_with_an_alert_due(make, ctx):
    office = make.office_with_staff("dinas-alpha")
    filed = [make.complaint(office) for _ in range(6)]
    with ctx():
        first = _get(filed[0].id)
        moment = first.submitted_at + timedelta(minutes=1)
    assert _run(ctx, moment).complaints == 6  # new complaints: each is looked at once...
    assert _run(ctx, moment + timedelta(minutes=1)).complaints == 0  # ...then not until their first point
    with ctx():
        late = _get(filed[3].id)
        late.next_alert_at = moment  # as if its half-time had come
        db.session.commit()
    assert _run(ctx, moment + timedelta(minutes=2)).complaints == 1


def test_the_cli_runs_one_sweep(app, make):
    make.office_with_staff("dinas-alpha")
    result = app.test_cli_runner().invoke(args=["alerts", "sweep"])
    assert result.exit_code == 0 and "complaints looked at" in result.output


def test_the_embedded_default_sweeps_in_the_background_without_redis(app, make, ctx):
    """``flask serve`` on the embedded default starts this thread; no Redis is involved."""
    import time

    import pytest

    from tanggap.alerts import background
    from tanggap.alerts.tasks import sweep_job
    from tanggap.notifications.tasks import redrive
    from tanggap.reports.tasks import refresh_job
    from tests.conftest import ON_POSTGRES

    if ON_POSTGRES:
        pytest.skip("the embedded default is SQLite; the suite's PostgreSQL connection is not shared across threads")
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    with ctx():
        complaint = _get(filed.id)
        complaint.submitted_at -= timedelta(days=3)
        complaint.due_at -= timedelta(days=3)
        db.session.commit()
    saved = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = None
    thread = background.start(app, (sweep_job, redrive, refresh_job), interval=0.2)
    try:
        for _ in range(50):
            if _mails(ctx):
                break
            time.sleep(0.1)
    finally:
        thread.stop.set()
        thread.join(5)
        app.config["REDIS_URL"] = saved
    assert _mails(ctx) == [(office.leader.email, "escalation")]


def test_one_sweep_writes_each_office_deadline_on_its_own_clock(make, ctx):
    """The sweep runs across offices outside any office's request: an office in WIT and one in
    WIB, alerted in the same run, each read their deadline in their own time."""
    from babel.dates import format_datetime
    from zoneinfo import ZoneInfo

    offices = {zone: make.office_with_staff(slug, region=f"kota-{slug}", timezone=zone)
               for slug, zone in (("dinas-barat", "Asia/Jakarta"), ("dinas-timur", "Asia/Jayapura"))}
    filed = {zone: _filed(make, ctx, office) for zone, office in offices.items()}
    latest = max(due for _filed_, _submitted, due in filed.values())
    assert _run(ctx, latest).alerts == 2
    with ctx():
        for zone, (complaint, _submitted, due) in filed.items():
            body = db.session.execute(every_office(select(OutboxMessage.body).where(
                OutboxMessage.key.like(f"alert:{complaint.id}:%"),
                OutboxMessage.recipient == offices[zone].leader.email))).scalars().first()
            # To the minute, as the receipt promised it, with the zone's name: "… 14.26 Waktu Indonesia Barat".
            minute = format_datetime(due, "EEEE, dd MMMM y HH.mm", tzinfo=ZoneInfo(zone), locale="id")
            zone_name = format_datetime(due, "zzzz", tzinfo=ZoneInfo(zone), locale="id")
            assert f"{minute} {zone_name}" in body


@pytest.mark.postgres
def test_the_sweeps_statements_follow_the_offices_not_the_complaints(make, ctx, app, monkeypatch):
    """Complaints of two offices, due in turn: telling them flushes once per office of a batch,
    so twelve due complaints cost the sweep what four do (it cost two flushes per complaint).
    No statement grows with the batch either: the alerts, bells and e-mails go as one document
    (``database.insert_rows``), not as a VALUES list of four to seven parameters a row, which
    the driver parsed afresh for every batch; the complaints' next alerts are moved by one
    statement (``database.update_rows``), not sent as a parameter set a complaint, which the
    database ran as a statement each. The messages' delivery is the worker's, so it is handed
    over, not run, here."""
    from sqlalchemy import event

    from tanggap import jobs

    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)

    offices = [make.office_with_staff(slug, region=f"kota-{slug}") for slug in ("dinas-utara", "dinas-selatan")]

    def statements_of_a_sweep(count: int) -> tuple[int, int]:
        """How many statements the sweep sent, how many parameters its widest INSERT had, and
        the most parameter sets any statement was sent with."""
        filed = [_filed(make, ctx, offices[index % 2]) for index in range(count)]
        latest = max(due for _complaint, _submitted, due in filed)
        seen: list[str] = []
        widths: list[int] = [0]
        sets: list[int] = [1]

        def counted(_conn, _cursor, statement, parameters, _context, many) -> None:
            seen.append(statement)
            sets.append(len(parameters) if many else 1)
            if statement.lstrip().upper().startswith("INSERT"):
                one = parameters[0] if isinstance(parameters, list | tuple) and parameters else parameters
                widths.append(len(one or ()))

        with ctx():
            engines = set(db.engines.values())
            for engine in engines:
                event.listen(engine, "before_cursor_execute", counted)
            try:
                result = sweep(now=latest)
            finally:
                for engine in engines:
                    event.remove(engine, "before_cursor_execute", counted)
        assert result.alerts == count
        return len(seen), max(widths), max(sets)

    statements_of_a_sweep(2)  # each office's settings made on first use
    few = statements_of_a_sweep(4)
    many = statements_of_a_sweep(12)
    assert many == few, (few, many)  # (statements, the widest INSERT's parameters, parameter sets)


def test_each_complaint_of_one_sweep_reads_its_own_details_in_a_letter_written_once(make, ctx):
    """The sweep writes each person's letter for a point once and fills in each complaint's
    details: two complaints told together each carry their own number, deadline, handler and
    link, and a name is escaped in the HTML."""
    from babel.dates import format_datetime
    from zoneinfo import ZoneInfo

    office = make.office_with_staff("dinas-alpha")
    first, _submitted, first_due = _filed(make, ctx, office)
    second, _submitted, second_due = _filed(make, ctx, office)
    with ctx():
        officer = db.session.get(User, office.officer.id)
        officer.name = "Budi <Santoso> & Rekan"
        _get(first.id).assignee_id = officer.id
        db.session.commit()
    assert _run(ctx, max(first_due, second_due)).alerts == 2
    with ctx():
        mails = {row.key.split(":")[1]: row for row in db.session.execute(
            every_office(select(OutboxMessage).where(OutboxMessage.key.like("alert:%"),
                                        OutboxMessage.recipient == office.leader.email))).scalars()}
    for filed, due, handler, escaped in ((first, first_due, "Budi <Santoso> & Rekan", "Budi &lt;Santoso&gt; &amp; Rekan"),
                                         (second, second_due, "belum ada", "belum ada")):
        mail = mails[str(filed.id)]
        deadline = format_datetime(due, "EEEE, dd MMMM y HH.mm", tzinfo=ZoneInfo("Asia/Jakarta"), locale="id")
        assert mail.subject.startswith(f"[{filed.number}] ")
        assert filed.number in mail.body and deadline in mail.body and f"Ditangani oleh: {handler}" in mail.body
        assert f"/staff/complaints/{filed.number}" in mail.body and "\ue000" not in mail.body + mail.html
        assert escaped in mail.html and f"/staff/complaints/{filed.number}\"" in mail.html
