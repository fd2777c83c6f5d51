"""The one way mail leaves the platform: SMTP when ``MAIL_SERVER`` is set, a folder otherwise.

Citizens' notices, invitations, password resets and alerts are all sent through ``send``.
On the embedded default there is no SMTP server, and a mail that only a log line mentions
is a mail nobody can use: an invited admin would never get in. So there each message is
written whole, as one ``.eml`` file, to the mail folder (``MAIL_FOLDER``, the instance
folder's ``mail/``), and one log line names its recipient, its subject, its file and the
links in it. With SMTP nothing changes: Flask-Mail sends it.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from flask import current_app
from flask_mail import Message

from . import clock
from .extensions import mail

log = logging.getLogger(__name__)

#: While set (the demo's bulk load), messages still go to the folder but are not logged one by one.
_quiet: ContextVar[bool] = ContextVar("tanggap_mail_quiet", default=False)
_LINK = re.compile(r"https?://[^\s<>\"']+")


def folder() -> Path | None:
    """Where mail is written instead of sent; None when an SMTP server sends it."""
    configured = current_app.config.get("MAIL_FOLDER")
    return Path(configured) if configured else None


def send(subject: str, recipients: Sequence[str], body: str, *, html: str | None = None,
         headers: dict[str, str] | None = None) -> Path | None:
    """Send one message by the configured backend; the file it was written to, on the folder backend."""
    message = Message(subject=subject, recipients=list(recipients), body=body, html=html,
                      extra_headers=headers or {})
    mail.send(message)  # SMTP, or nothing but the dispatch signal when MAIL_SUPPRESS_SEND is on
    target = folder()
    if target is None:
        return None
    path = _write(target, message)
    if not _quiet.get():
        links = " ".join(dict.fromkeys(_LINK.findall(body)))
        log.info("mail to %s: %r written to %s%s", ", ".join(map(str, message.recipients)), subject, path,
                 f" (links: {links})" if links else "")
    return path


def _write(target: Path, message: Message) -> Path:
    """The message as an .eml any mail program opens, its text left readable (8-bit, not base64)."""
    eml = EmailMessage(policy=SMTP.clone(max_line_length=0))
    eml["From"] = message.sender or current_app.config.get("MAIL_DEFAULT_SENDER", "")
    eml["To"] = ", ".join(map(str, message.recipients))
    eml["Subject"] = message.subject or ""
    eml["Date"] = format_datetime(clock.now())
    for name, value in (message.extra_headers or {}).items():
        eml[name] = value
    eml.set_content(message.body or "", cte="8bit")
    if message.html:
        eml.add_alternative(message.html, subtype="html", cte="8bit")
    # Reset and invitation links are keys to accounts: the app's own user alone reads them.
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = target / f"{clock.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.eml"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(eml.as_bytes())
    return path


@contextmanager
def quietly() -> Iterator[None]:
    """Write mail to the folder without a log line each: the demo's many notices would bury its logins."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def where() -> str:
    """One sentence for the console saying where mail goes."""
    target = folder()
    if target is None:
        return f"Mail is sent by SMTP through {current_app.config.get('MAIL_SERVER')}."
    return f"No MAIL_SERVER: every mail is written to {target}/ (one .eml file each) and named in this log."
