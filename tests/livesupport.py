"""Running ``pos serve`` as a real process for tests that need one."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

POS = str(Path(sys.executable).with_name("pos"))
# The tests' own self-signed certificate: there is nothing to verify it against.
_UNVERIFIED = ssl._create_unverified_context()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        extra_env: dict | None = None,
        log_path: Path | None = None,
        extra_args: tuple[str, ...] = (),
        scheme: str = "http",
    ):
        self.port = free_port()
        self.base = f"{scheme}://127.0.0.1:{self.port}"
        env = {**os.environ, "POS_DATABASE_URL": database_url, **(extra_env or {})}
        self.log = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed in stop()
        # A process group of its own, so a test can kill the master and workers at once.
        self.process = subprocess.Popen(
            [POS, "serve", "--port", str(self.port), "--workers", str(workers), *extra_args],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pos serve exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(
                    f"{self.base}/api/v1/openapi.json", timeout=1, context=_UNVERIFIED
                ).close()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise TimeoutError("pos serve did not answer in time")

    def request(
        self, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 10
    ):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=_UNVERIFIED) as response:
                return (
                    response.status,
                    dict(response.headers),
                    json.loads(response.read() or b"null"),
                )
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"null")

    def kill(self) -> None:
        """kill -9 the whole process group: master, workers and print worker."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
