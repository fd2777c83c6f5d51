"""The shipped systemd units pass ``systemd-analyze verify`` with the commands they name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


@pytest.mark.deploy
@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_units_verify_and_each_runs_a_command_this_install_has(tmp_path):
    assert {unit.name for unit in UNITS} == {"tanggap-web.service", "tanggap-worker.service", "tanggap-cron.service"}
    venv = Path(sys.executable).parent.parent  # the virtualenv, where /opt/tanggap/venv would be
    for unit in UNITS:
        text = unit.read_text()
        assert "/opt/tanggap/venv/bin/" in text
        (tmp_path / unit.name).write_text(text.replace("/opt/tanggap/venv", str(venv)))
    result = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / unit.name) for unit in UNITS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no unknown key, no bad value, only warnings-free units
    web = (tmp_path / "tanggap-web.service").read_text()
    assert "tanggap.wsgi:app" in web and "unix:/run/tanggap/web.sock" in web
    worker = (tmp_path / "tanggap-worker.service").read_text()
    assert "--worker-class tanggap.jobs.AppWorker" in worker
