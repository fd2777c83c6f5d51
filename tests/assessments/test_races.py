"""Two people acting on one complaint at the same moment, on PostgreSQL: each step locks the
complaint before it checks the status, so the second waits for the first to commit and is then
refused like any step the status no longer allows (409), and nothing happens twice.

The requests run in real threads on real connections, so the test runs on a database of its
own (built by the migrations, dropped afterwards), not inside the suite's rolled-back
transaction. Each racer is held at a barrier after its request has read the complaint, so
that every one of them has seen the same status before any acts: the race that used to let
both through happens on every run, not one in four.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tanggap import clock
from tanggap.assessments.models import Assessment, PackageItem
from tanggap.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from tanggap.extensions import db
from tanggap.notifications.models import OutboxMessage
from tanggap.tenancy.scoping import every_office
from tests.api.conftest import Integrator
from tests.conftest import TEST_DATABASE_URL, Visitor
from tests.factories import Factories
from tests.throwaway import throwaway_app

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def race_app() -> Iterator[Flask]:
    # Rate limits stay on: the limiter is one object for every app of the process, and turning
    # it off here would turn it off for every test that runs after this module.
    with throwaway_app(TEST_DATABASE_URL, TESTING=True,
                       ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 1024, "parallelism": 1}) as app:
        yield app


@pytest.fixture
def race(race_app: Flask) -> Iterator[tuple[Flask, Factories]]:
    @contextmanager
    def ctx():
        with race_app.app_context():
            yield
            db.session.remove()

    yield race_app, Factories(race_app, ctx)


def held_after(monkeypatch, barrier: threading.Barrier, module: Any, loader: str) -> None:
    """Make ``module.loader`` (the view's read of the complaint) wait until all racers have read;
    only a thread's first read waits (a refused step reads the complaint again to show it)."""
    original: Callable[..., Any] = getattr(module, loader)
    held = threading.local()

    def loaded_then_held(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        if not getattr(held, "once", False):
            held.once = True
            barrier.wait()
        return found

    monkeypatch.setattr(module, loader, loaded_then_held)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Each call in its own thread, all at once; their results in order (or the error raised)."""
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except BaseException as error:  # noqa: BLE001 - the thread's error is asserted on by the caller
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _status(app: Flask, complaint_id: int) -> Status:
    with app.app_context():
        return db.session.execute(every_office(select(Complaint.status).where(Complaint.id == complaint_id))).scalar_one()


def _events(app: Flask, complaint_id: int, kind: EventKind) -> int:
    with app.app_context():
        return db.session.execute(every_office(select(func.count(ComplaintEvent.id)).where(
            ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.kind == kind))
        ).scalar_one()


def test_withdrawal_and_assessment_at_once_end_in_exactly_one_of_them(race, monkeypatch):
    from tanggap.assessments import views as assessment_views
    from tanggap.complaints import citizen_views as public_views

    app, make = race
    office = make.office_with_staff("dinas-balapan")
    filed = make.complaint(office, email="warga@example.org")
    leader = Visitor(app.test_client())
    leader.login(office.leader.email)
    staff_url = f"/dinas-balapan/staff/complaints/{filed.number}"
    assert leader.submit(f"{staff_url}/accept", page=staff_url).status_code == 303
    citizen = Visitor(app.test_client())
    track = f"/dinas-balapan/pengaduan/{filed.code}"
    withdrawal = {"csrf_token": citizen.csrf_token(track), "reason": "Sudah beres.", "confirm": "y"}
    assessment = {"csrf_token": leader.csrf_token(f"{staff_url}/assess"), "upheld": "yes", "components": ["time"],
                  "reasoning": "Terbukti terlambat.", "confirm": "1"}
    both = threading.Barrier(2, timeout=20)
    held_after(monkeypatch, both, public_views, "_complaint_or_404")
    held_after(monkeypatch, both, assessment_views, "complaint_or_404")

    withdrawn, assessed = run_together(
        lambda: citizen.client.post(f"{track}/tarik", data=withdrawal),
        lambda: leader.client.post(f"{staff_url}/assess", data=assessment),
    )

    assert sorted([withdrawn.status_code, assessed.status_code]) == [303, 409]
    final = _status(app, filed.id)
    with app.app_context():
        decided = db.session.execute(every_office(select(func.count(Assessment.id)).where(Assessment.complaint_id == filed.id))).scalar_one()
    if withdrawn.status_code == 303:
        assert (final, decided) == (Status.WITHDRAWN, 0)
    else:
        assert (final, decided) == (Status.UPHELD, 1)
        assert _events(app, filed.id, EventKind.WITHDRAWN) == 0
    refused = assessed if withdrawn.status_code == 303 else withdrawn
    assert 'class="alert alert-danger"' in refused.get_data(as_text=True)  # the page says why


def test_the_last_item_delivered_three_times_at_once_compensates_once(race, monkeypatch):
    from tanggap.api import views as api_views

    app, make = race
    office = make.office_with_staff("dinas-kirim")
    filed = make.complaint(office, upheld=True, email="warga@example.org")
    token = make.api_token(office, by="officer")  # officers deliver
    integrators = [Integrator(app, token.secret) for _ in range(3)]
    with app.app_context():
        before = db.session.execute(every_office(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == "warga@example.org"))).scalar_one()
    body = {"delivered_at": clock.office_time("Asia/Jakarta").strftime("%Y-%m-%dT%H:%M"), "method": "phone"}
    held_after(monkeypatch, threading.Barrier(3, timeout=20), api_views, "_complaint")

    answers = run_together(*(
        lambda client=client: client.post(f"/complaints/{filed.number}/items/{filed.item_id}/delivery", body)
        for client in integrators))

    assert sorted(answer.status_code for answer in answers) == [200, 409, 409]
    assert _status(app, filed.id) is Status.COMPENSATED
    assert _events(app, filed.id, EventKind.ITEM_DELIVERED) == 1
    assert _events(app, filed.id, EventKind.COMPENSATED) == 1
    with app.app_context():
        mails = db.session.execute(every_office(select(OutboxMessage.key).where(
            OutboxMessage.recipient == "warga@example.org"))).scalars().all()
        item = db.session.execute(every_office(select(PackageItem).where(PackageItem.id == filed.item_id))).scalar_one()
        assert item.delivered_at is not None
    assert len(mails) - before == 2  # "delivered" and "compensated", once each
    assert len(set(mails)) == len(mails)


def test_two_assessments_at_once_record_one_and_answer_the_other_409(race, monkeypatch):
    from tanggap.api import views as api_views

    app, make = race
    office = make.office_with_staff("dinas-nilai")
    filed = make.complaint(office)
    token = make.api_token(office)
    first, second = Integrator(app, token.secret), Integrator(app, token.secret)
    assert first.post(f"/complaints/{filed.number}/accept").status_code == 200
    upheld = {"upheld": "yes", "components": ["time"], "reasoning": "Terbukti terlambat."}
    rejected = {"upheld": "no", "reasoning": "Tidak terbukti.", "explanation": "Layanan selesai tepat waktu."}
    held_after(monkeypatch, threading.Barrier(2, timeout=20), api_views, "_complaint")

    answers = run_together(lambda: first.post(f"/complaints/{filed.number}/assessment", upheld),
                           lambda: second.post(f"/complaints/{filed.number}/assessment", rejected))

    assert sorted(getattr(answer, "status_code", answer) for answer in answers) == [200, 409]
    with app.app_context():
        decided = db.session.execute(every_office(select(Assessment).where(Assessment.complaint_id == filed.id))).scalars().all()
    assert len(decided) == 1
    assert _status(app, filed.id) is (Status.UPHELD if decided[0].upheld else Status.REJECTED)
