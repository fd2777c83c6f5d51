"""On the embedded default (no MAIL_SERVER) every mail, of every kind, is written to the
mail folder as a file its reader can open, with its links readable, and a log line says
where: a new office admin, a new member of staff and someone who forgot their password can
all get in. With an SMTP server configured, nothing is written."""

from __future__ import annotations

import logging
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from tanggap.auth.models import Membership, Role, User
from tanggap.config import Settings
from tanggap.extensions import db, mail

NEW_PASSWORD = "sebuah kata sandi baru"
TENANTS = Path(__file__).resolve().parents[1] / "tenants"


def _folder(app) -> Path:
    return Path(app.config["MAIL_FOLDER"])


def mails(app) -> list[tuple[Path, EmailMessage]]:
    """Every mail in the folder, oldest first, parsed as a mail program would."""
    files = sorted(_folder(app).glob("*.eml")) if _folder(app).exists() else []
    return [(path, message_from_bytes(path.read_bytes(), policy=policy.default)) for path in files]


def mail_to(app, address: str) -> tuple[Path, EmailMessage]:
    [found] = [(path, message) for path, message in mails(app) if message["To"] == address]
    return found


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(app, path: Path) -> str:
    """The link as the reader sees it in the file itself: plain text, not encoded."""
    raw = path.read_text(encoding="utf-8")
    [link] = set(re.findall(re.escape(app.config["PUBLIC_URL"]) + r"/\S+", raw))
    return link[len(app.config["PUBLIC_URL"]):]


def test_the_embedded_default_writes_mail_to_the_instance_folder_and_smtp_writes_none(tmp_path):
    embedded = Settings.from_environ({}).as_flask_config(tmp_path)
    assert embedded["MAIL_FOLDER"] == str(tmp_path / "mail") and embedded["MAIL_SUPPRESS_SEND"]
    chosen = Settings.from_environ({"TANGGAP_MAIL_FOLDER": str(tmp_path / "post")}).as_flask_config(tmp_path)
    assert chosen["MAIL_FOLDER"] == str(tmp_path / "post")
    smtp = Settings.from_environ({"MAIL_SERVER": "smtp.example.org"}).as_flask_config(tmp_path)
    assert smtp["MAIL_FOLDER"] is None and not smtp["MAIL_SUPPRESS_SEND"]


def test_a_staff_invitation_is_a_readable_mail_whose_link_lets_the_newcomer_in(app, make, new_visitor, ctx,
                                                                                 caplog):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    with caplog.at_level(logging.INFO, logger="tanggap.mailer"):
        invited = admin.submit("/dinas-alpha/staff/settings/staff",
                               {"name": "Petugas Baru", "email": "baru@example.org", "role": "officer"})
    assert invited.status_code == 303
    path, message = mail_to(app, "baru@example.org")
    assert message["Subject"] == "Anda diundang ke Tanggap"
    # a key to an account: only the app's own user may read it
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    link = link_in(app, path)
    assert link.startswith("/auth/reset/") and link in text_of(message)
    # the log names the recipient, the subject and the file, so whoever runs the server finds it
    [line] = [record.getMessage() for record in caplog.records if "baru@example.org" in record.getMessage()]
    assert "Anda diundang ke Tanggap" in line and str(path) in line and link in line

    newcomer = new_visitor()
    assert newcomer.get(link).status_code == 200
    assert newcomer.submit(link, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code in (302, 303)
    assert newcomer.login("baru@example.org", NEW_PASSWORD).status_code in (302, 303)
    assert newcomer.get("/dinas-alpha/staff/").status_code == 200
    with ctx():
        user = db.session.execute(select(User).where(User.email == "baru@example.org")).scalar_one()
        assert db.session.execute(select(Membership.role).where(Membership.user_id == user.id)).scalar() is Role.OFFICER


def test_a_reset_request_is_a_readable_mail_whose_link_sets_a_new_password(app, make, visitor, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    response = visitor.submit("/auth/reset", {"email": office.leader.email}, buffered=True)
    assert response.status_code == 302
    path, message = mail_to(app, office.leader.email)
    assert message["Subject"] == "Buat kata sandi Tanggap baru"
    link = link_in(app, path)
    assert link.startswith("/auth/reset/") and link in text_of(message)
    person = new_visitor()
    assert person.submit(link, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code in (302, 303)
    assert person.login(office.leader.email, NEW_PASSWORD).status_code in (302, 303)
    assert person.get("/dinas-alpha/staff/").status_code == 200


def test_an_office_admin_invited_from_the_console_gets_a_readable_mail(app, make, new_visitor):
    make.tenant("dinas-alpha", region="kota-alpha")
    make.user("operator@tanggap.example", is_operator=True)
    operator = new_visitor()
    operator.login("operator@tanggap.example")
    response = operator.submit("/platform/offices/dinas-alpha/admins", {"name": "Rina Admin", "email": "rina@example.org"},
                               page="/platform/offices/dinas-alpha")
    assert response.status_code == 303
    path, _message = mail_to(app, "rina@example.org")
    assert link_in(app, path).startswith("/auth/reset/")


def test_with_an_smtp_server_the_mail_is_sent_and_nothing_is_written(app, make, visitor, monkeypatch):
    office = make.office_with_staff("dinas-alpha")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", None)  # what MAIL_SERVER makes it
    with mail.record_messages() as sent:
        visitor.submit("/auth/reset", {"email": office.leader.email}, buffered=True)
    assert [message.recipients for message in sent] == [[office.leader.email]]
    assert not _folder_of_the_run(app).exists()


def _folder_of_the_run(app) -> Path:
    return Path(app.config["TEST_INSTANCE"]) / "mail"


def test_the_demo_writes_its_mail_quietly_and_ends_with_its_logins_and_where_mail_goes(app, caplog):
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(TENANTS)]).exit_code == 0
    with caplog.at_level(logging.INFO, logger="tanggap.mailer"):
        result = app.test_cli_runner().invoke(args=["demo", "--password", "demo-password-1",
                                                    "--base-url", "http://127.0.0.1:8080"])
    assert result.exit_code == 0, result.output
    assert mails(app), "the demo's complaints mail their citizens"
    assert not [record for record in caplog.records if record.name == "tanggap.mailer"]
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1] == f"No MAIL_SERVER: every mail is written to {_folder(app)}/ (one .eml file each) and named in this log."
    assert "operator@tanggap.demo" in "\n".join(lines[-12:])
    assert all("http://127.0.0.1:8080/" in line for line in lines if "@tanggap.demo" in line)
