"""The restore drill of README's "Backups", run as an operator would run it.

A platform on PostgreSQL keeps its files in a bucket; a citizen files with a photo and the
audit chains are checkpointed. The backup is the documented one: the checkpoint folder,
``pg_dump``, then ``flask files backup`` into a folder. Then the original database
is dropped and its bucket emptied, and the backup is restored into a new database and a new
bucket: ``flask files verify`` finds every file, ``flask audit verify`` finds every chain
intact against the checkpoints, and the restored platform serves the citizen's complaint
and its photo, byte for byte.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tanggap import create_app
from tanggap.extensions import db

from ..buckets import CREDENTIALS, s3_server  # noqa: F401 (the session's S3-protocol server)
from ..complaints.conftest import complaint_form
from ..complaints.helpers import photo
from ..conftest import APP_ROLE, CROSS_ROLE, TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]


def _url(role: str, database: str, driver: str = "postgresql") -> str:
    parts = urllib.parse.urlsplit(TEST_DATABASE_URL)
    return f"{driver}://{role}@{parts.hostname}:{parts.port or 5432}/{database}"


def _run(command: list[str], **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


class Platform:
    """One installation: its database, its bucket, its instance folder, and the audit key."""

    def __init__(self, tmp: Path, name: str, database: str, bucket: str, endpoint: str) -> None:
        self.database, self.bucket, self.home = database, bucket, tmp / name
        self.home.mkdir()
        owner = _url(urllib.parse.urlsplit(TEST_DATABASE_URL).username or "postgres", database)
        self.owner_url = owner
        self.environ = {
            **{k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "VIRTUAL_ENV", "REDIS_URL"}},
            **CREDENTIALS, "PYTHONPATH": str(ROOT / "platform"), "TANGGAP_INSTANCE_PATH": str(self.home),
            "TANGGAP_AUDIT_KEY": "drill-" * 8, "DATABASE_URL": owner, "TANGGAP_CROSS_DATABASE_URL": owner,
            "TANGGAP_FILE_STORE": f"s3://{bucket}/tanggap", "TANGGAP_S3_ENDPOINT_URL": endpoint,
        }

    def flask(self, *command: str) -> str:
        return _run([str(BIN / "flask"), "--app", "tanggap.wsgi", *command], cwd=self.home, env=self.environ)

    def install(self) -> None:
        """As README's step 3: the schema, the roles' rights, the shipped offices."""
        self.flask("db", "upgrade")
        self.flask("rls", "grant", APP_ROLE, "--cross", CROSS_ROLE)
        self.flask("tenants", "load", str(ROOT / "tenants"))

    def file_with_photo(self) -> tuple[str, str, bytes]:
        """A citizen files with a photo: the tracking page, the photo's link and its kept bytes."""
        app = self.app()
        citizen = app.test_client()
        page = "/disdikbud-metro/pengaduan/baru"
        form = citizen.get(page).get_data(as_text=True)
        sent = citizen.post(page, content_type="multipart/form-data", data={
            "csrf_token": _form_value(form, "csrf_token"), "submission_key": _form_value(form, "submission_key"),
            **complaint_form(), "files": [(io.BytesIO(photo()), "kuitansi.jpg")]})
        assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
        tracking = urllib.parse.urlsplit(sent.headers["Location"]).path.replace("/tanda-terima", "")
        link = re.search(rf'href="({re.escape(tracking)}/berkas/\d+)"', citizen.get(tracking).get_data(as_text=True))
        kept = citizen.get(link.group(1)).data
        with app.app_context():
            db.engine.dispose()
        return tracking, link.group(1), kept

    def app(self):
        """The platform serving as the office role, in this process."""
        return create_app({
            "TESTING": True, "SECRET_KEY": "drill", "REDIS_URL": None, "JOBS_SYNC": True, "MAIL_SUPPRESS_SEND": True,
            "SQLALCHEMY_DATABASE_URI": _url(APP_ROLE, self.database, "postgresql+psycopg"),
            "SQLALCHEMY_BINDS": {"cross": _url(CROSS_ROLE, self.database, "postgresql+psycopg")},
            "AUDIT_KEY": self.environ["TANGGAP_AUDIT_KEY"], "AUDIT_CHECKPOINTS": str(self.home / "audit-checkpoints"),
            "FILE_STORE": self.environ["TANGGAP_FILE_STORE"], "S3_ENDPOINT_URL": self.environ["TANGGAP_S3_ENDPOINT_URL"],
            "RATELIMIT_STORAGE_URI": "memory://", "MAIL_FOLDER": str(self.home / "mail"),
        })


def _form_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def test_a_dump_and_a_file_backup_restore_into_a_new_database_and_bucket(tmp_path, s3_server):  # noqa: F811
    suffix = uuid.uuid4().hex[:8]
    admin = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    names = [f"tanggap_drill_{suffix}", f"tanggap_restored_{suffix}"]
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{names[0]}"'))
    original = Platform(tmp_path, "original", names[0], s3_server.new_bucket(), s3_server.endpoint)
    backup = tmp_path / "backup"
    try:
        original.install()
        tracking, link, kept = original.file_with_photo()
        original.flask("audit", "checkpoint")

        # The backup, as README's "Backups" gives it.
        backup.mkdir()
        shutil.copytree(original.home / "audit-checkpoints", backup / "audit-checkpoints")
        _run(["pg_dump", "--format=custom", f"--file={backup / 'tanggap.dump'}", original.owner_url])
        assert "1 files copied" in original.flask("files", "backup", str(backup / "files"))

        # The original is lost.
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{names[0]}" WITH (FORCE)'))
        for name in s3_server.names(original.bucket):
            s3_server.client().delete_object(Bucket=original.bucket, Key=name)

        # The restore: a new database and a new bucket on the same roles.
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{names[1]}"'))
        restored = Platform(tmp_path, "restored", names[1], s3_server.new_bucket(), s3_server.endpoint)
        _run(["pg_restore", "--exit-on-error", f"--dbname={restored.owner_url}", str(backup / "tanggap.dump")])
        restored.flask("rls", "grant", APP_ROLE, "--cross", CROSS_ROLE)  # roles are the cluster's, not the dump's
        assert "1 files restored" in restored.flask("files", "restore", str(backup / "files"))
        shutil.copytree(backup / "audit-checkpoints", restored.home / "audit-checkpoints")

        restored.flask("db", "upgrade")  # already at head: nothing to do
        assert "1 files checked, 0 missing or changed" in restored.flask("files", "verify", "--contents")
        chains = restored.flask("audit", "verify")
        assert chains.splitlines() == ["dinsos-lampung: intact", "disdikbud-metro: intact"], chains

        served = restored.app().test_client()
        assert served.get(tracking).status_code == 200
        answer = served.get(link)
        assert answer.status_code == 200 and answer.data == kept
        assert len(s3_server.names(restored.bucket)) == 1 and s3_server.names(original.bucket) == []
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_files_verify_names_a_file_the_store_lost(tmp_path, s3_server):  # noqa: F811
    """The check the drill relies on fails when it should: a file gone from the bucket."""
    suffix = uuid.uuid4().hex[:8]
    admin = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    name = f"tanggap_lost_{suffix}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    platform = Platform(tmp_path, "lost", name, s3_server.new_bucket(), s3_server.endpoint)
    try:
        platform.install()
        platform.file_with_photo()
        [key] = s3_server.names(platform.bucket)
        s3_server.client().delete_object(Bucket=platform.bucket, Key=key)
        done = subprocess.run([str(BIN / "flask"), "--app", "tanggap.wsgi", "files", "verify"], cwd=platform.home,
                              env=platform.environ, capture_output=True, text=True)
        assert done.returncode == 1
        assert f"missing: {key.removeprefix('tanggap/')} (attachment " in done.stderr
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
