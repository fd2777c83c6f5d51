"""Delivery against real services: Redis with an RQ worker, SMTP on loopback, a webhook.

A deadline passing sends exactly one e-mail per person per alert point; a Redis outage
during a submission loses nothing (the re-drive sends it once Redis is back); a webhook
that keeps failing is retried and ends in RQ's failed registry, where the operator sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from redis import Redis
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from tanggap.alerts.sweep import sweep
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.notifications.models import ChannelSettings, OutboxMessage
from tanggap.notifications.tasks import redrive
from tanggap.tenancy.scoping import every_office
from tests.complaints.conftest import complaint_form
from tests.notifications.conftest import work



def test_a_passing_deadline_mails_each_person_once_per_point(make, ctx, private_redis, smtp):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    with ctx():
        complaint = db.session.execute(every_office(select(Complaint).where(Complaint.id == filed.id))).scalar_one()
        complaint.assignee_id = office.officer.id
        due = complaint.due_at
        db.session.commit()
    for _ in range(2):  # the cron tick twice (RQ may duplicate one): one alert, one mail each
        with ctx():
            sweep(now=due + timedelta(minutes=1))
        work(private_redis)
    leader, officer = smtp.to(office.leader.email), smtp.to(office.officer.email)
    assert len(leader) == 1 and len(officer) == 1
    assert leader[0]["Subject"] == f"[{filed.number}] Batas waktu telah lewat"
    assert leader[0]["X-Tanggap-Key"].startswith(f"alert:{filed.id}:due:")
    kinds = sorted(part.get_content_type() for part in leader[0].walk() if not part.is_multipart())
    assert kinds == ["text/html", "text/plain"]


def test_a_complaint_filed_while_redis_is_down_is_kept_and_mailed_once_it_is_back(
        metro, visitor, private_redis, smtp, ctx):
    import re

    private_redis.stop()
    page = "/disdikbud-metro/pengaduan/baru"
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', visitor.get(page).get_data(as_text=True))
    response = visitor.submit(page, {"submission_key": key.group(1), **complaint_form(email="tini@example.org")})
    assert response.status_code == 303  # accepted: the database has it, the queue can wait
    with ctx():
        [waiting] = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.recipient == "tini@example.org"))).scalars().all()
        assert waiting.sent_at is None
    assert smtp.to("tini@example.org") == []

    private_redis.start()
    for _ in range(2):  # two re-drive rounds: still one mail
        assert redrive(older_than=timedelta(0)) in (0, 1)
        work(private_redis)
    assert len(smtp.to("tini@example.org")) == 1
    with ctx():
        sent = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.recipient == "tini@example.org"))).scalar_one()
        assert sent.sent_at is not None and sent.attempts == 1


def test_a_failing_webhook_is_retried_then_left_in_the_failed_registry(
        make, ctx, private_redis, webhook_receiver, new_visitor):
    receiver = webhook_receiver(status=500)
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    saved = admin.submit("/dinas-alpha/staff/notifications/settings",
                         {"email_enabled": "", "webhook_url": receiver.url})
    assert saved.status_code == 303
    assert admin.submit("/dinas-alpha/staff/notifications/settings/test", {},
                        page="/dinas-alpha/staff/notifications/settings").status_code == 303
    work(private_redis)
    assert len(receiver.requests) == 4  # the first try and three retries
    headers, body = receiver.requests[0]
    with ctx():
        secret = db.session.execute(every_office(select(ChannelSettings.webhook_secret))).scalar_one()
        message = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.channel == "webhook"))).scalar_one()
        assert message.sent_at is None and message.attempts == 4 and "500" in message.last_error
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Tanggap-Signature"] == expected and json.loads(body)["event"] == "test"
    registry = FailedJobRegistry("notifications", connection=Redis.from_url(private_redis.url))
    assert registry.count == 1

    operator = new_visitor()
    operator.login(make.user("ops@example.org", is_operator=True).email)
    page = operator.get("/platform/jobs").get_data(as_text=True)
    assert "notifications: 1 failed" in page or ("notifications" in page and "webhook answered 500" in page)
    job_id = registry.get_job_ids()[0]
    receiver.status = 200
    requeued = operator.submit(f"/platform/jobs/notifications/{job_id}/requeue", {}, page="/platform/jobs")
    assert requeued.status_code == 303 and registry.count == 0
    work(private_redis)
    with ctx():
        assert db.session.execute(every_office(select(OutboxMessage.sent_at).where(OutboxMessage.channel == "webhook"))).scalar_one() is not None
    assert len(receiver.requests) == 5


def test_messages_owed_in_bulk_are_the_bound_offices_only(make, ctx):
    """``owe_many`` writes past the session's flush, so it holds its rows to the rule the flush
    enforces: while an office is bound, a row of another office is refused and nothing is written."""
    from tanggap.notifications.outbox import owe_many
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant
    from tanggap.tenancy.scoping import TenantScopeError

    alpha, beta = make.office_with_staff("dinas-alpha"), make.office_with_staff("dinas-beta", region="kota-beta")
    row = {"recipient": "x@example.org", "subject": "s", "body": "b", "key": "bulk:1"}
    with ctx():
        with bound_to(db.session.get(Tenant, alpha.tenant.id)), pytest.raises(TenantScopeError):
            owe_many(emails=[{**row, "tenant_id": beta.tenant.id}], bells=[])
        with pytest.raises(TenantScopeError):
            owe_many(emails=[row], bells=[])  # no office named at all
        db.session.rollback()
        assert db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.key == "bulk:1"))).first() is None


def test_a_sweep_hands_its_messages_to_delivery_in_one_round_trip(make, ctx, app, private_redis, smtp):
    """Hundreds of alerts are queued as one pipeline, each a job of its own with the retries
    and the request id every job carries, and each is delivered once."""
    from rq import Queue

    from tanggap import logs

    offices = [make.office_with_staff(slug, region=f"kota-{slug}") for slug in ("dinas-utara", "dinas-selatan")]
    filed = [make.complaint(offices[index % 2]) for index in range(4)]
    with ctx():
        due = max(db.session.execute(every_office(select(Complaint.due_at).where(Complaint.id == f.id)))
                  .scalar_one() for f in filed)
    work(private_redis)  # the citizens' receipts, out of the way
    connection = Redis.from_url(private_redis.url)
    pipelines: list[int] = []
    original = connection.pipeline

    def counted(*args, **kwargs):
        pipelines.append(1)
        return original(*args, **kwargs)

    # The messages are handed over as the app context ends, inside the patch.
    token = logs.request_id.set("sweep-tick")
    try:
        with mock.patch.object(type(connection), "pipeline", side_effect=counted), ctx():
            assert sweep(now=due + timedelta(minutes=1)).alerts == 4
    finally:
        logs.request_id.reset(token)
    jobs = Queue("notifications", connection=connection).get_jobs()
    assert len(jobs) == 4 and len(pipelines) == 1  # one round trip, not one per message
    assert {job.meta["request_id"] for job in jobs} == {"sweep-tick"} and all(job.retries_left == 3 for job in jobs)
    work(private_redis)
    assert sorted(len(smtp.to(office.leader.email)) for office in offices) == [2, 2]


def test_inline_each_handed_message_runs_though_one_before_it_fails(app, monkeypatch):
    from tanggap import jobs

    ran: list[int] = []

    def job(number: int) -> None:
        ran.append(number)
        if number == 1:
            raise RuntimeError("the gateway said no")

    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.delitem(app.extensions, "tanggap.redis", raising=False)
    with app.app_context():
        with pytest.raises(RuntimeError, match="the gateway said no"):
            jobs.enqueue_each(job, [(0,), (1,), (2,)])
    assert ran == [0, 1, 2]


def test_pressing_send_test_twice_in_one_second_sends_two_tests(make, ctx, new_visitor, time_machine):
    """The test's outbox key named the second it was pressed: a double click's second message
    collided with the first's (a 500)."""
    time_machine.move_to(datetime(2026, 12, 4, 9, 0, 0, 250000, tzinfo=timezone.utc), tick=False)  # one second
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    assert admin.submit("/dinas-alpha/staff/notifications/settings", {"email_enabled": "y"}).status_code == 303
    for _ in range(2):
        assert admin.submit("/dinas-alpha/staff/notifications/settings/test", {},
                            page="/dinas-alpha/staff/notifications/settings").status_code == 303
    with ctx():
        tests = db.session.execute(every_office(select(OutboxMessage).where(
            OutboxMessage.recipient == office.admin.email, OutboxMessage.key.like("test:%")))).scalars().all()
    assert len(tests) == 2 and len({message.key for message in tests}) == 2
