"""The files an operator deploys with: systemd units that systemd accepts, a container image
whose build finds every file it copies (built and started where the machine runs
containers)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def test_systemd_units_verify(tmp_path):
    """`systemd-analyze verify` on each unit, its paths pointed at this checkout (the units
    name /opt/tadamon, where the README installs it): no warning, no error."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze on this machine")
    assert [unit.name for unit in UNITS] == [
        "tadamon-print-worker.service",
        "tadamon-web.service",
    ]
    pos = Path(sys.executable).with_name("pos")
    for unit in UNITS:
        text = unit.read_text()
        assert "Restart=on-failure" in text
        here = (
            text.replace("/opt/tadamon/.venv/bin/pos", str(pos))
            .replace("/etc/tadamon/pos.env", str(ROOT / "deploy" / "pos.env.example"))
            .replace("WorkingDirectory=/opt/tadamon", f"WorkingDirectory={ROOT}")
        )
        here = re.sub(r"(?m)^(User|Group)=.*$", r"\1=root", here)
        copy = tmp_path / unit.name
        copy.write_text(here)
        result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr == "", (unit.name, result.stderr)


def test_the_image_copies_only_what_is_there():
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def _docker_runs() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0


def test_the_image_builds_migrates_and_answers_ready():
    if not _docker_runs():
        pytest.skip("no container engine running on this machine (README: Running a platform)")
    tag = f"tadamon-pos-test:{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1800)
    name = f"tadamon-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["docker", "run", "-d", "--name", name, "-p", "127.0.0.1::5000", tag], check=True
    )
    try:
        port = (
            subprocess.run(
                ["docker", "port", name, "5000"], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .rsplit(":", 1)[1]
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
