"""A worker process of its own for the decree-cache test: an app on a shared database that
answers requests and publishes decree versions when asked, with its own in-process cache."""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any


def serve(database_url: str, instance: str, pipe: Connection) -> None:
    """Answer ``("get", path)``, ``("publish", (slug, number[, component to drop]))``, ``("unit", (slug, name))``,
    ``("kept", None)`` until ``("stop", None)``."""
    from tanggap import create_app

    app = create_app({"SECRET_KEY": "worker", "SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_BINDS": {},
                      "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://", "MAIL_SUPPRESS_SEND": True,
                      "MAIL_FOLDER": None, "JOBS_SYNC": True, "AUDIT_CHECKPOINTS": f"{instance}/checkpoints"})
    from sqlalchemy import select  # after the app: every model is loaded first, as in a worker

    from tanggap import clock
    from tanggap.decrees import drafts, published
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant
    from tanggap.units.models import ServiceUnit

    client = app.test_client()
    while True:
        command, argument = pipe.recv()
        answer: Any = None
        if command == "stop":
            break
        if command == "get":
            response = client.get(argument)
            answer = (response.status_code, response.get_data(as_text=True))
        elif command == "kept":
            answer = len(published._kept)
        elif command == "publish":
            slug, number, *dropped = argument
            with app.app_context():
                tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
                with bound_to(tenant):
                    draft = drafts.start_draft(tenant, None)
                    draft.number = number
                    draft.components = [c for c in draft.components if c.code not in dropped]
                    drafts.publish_draft(draft, clock.office_today(tenant), None)
                    db.session.commit()
        elif command == "unit":
            slug, name = argument
            with app.app_context():
                tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
                with bound_to(tenant):
                    db.session.add(ServiceUnit(tenant_id=tenant.id, name=name))
                    db.session.commit()
        pipe.send(answer)
    with app.app_context():
        db.engine.dispose()
