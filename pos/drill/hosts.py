"""The servers a local drill starts itself: one or two ``pos serve`` hosts on one database,
one of them with its clock ahead (libfaketime), killed with SIGKILL and started again; the
backup taken while they serve and restored into a fresh database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

POS = str(Path(sys.executable).with_name("pos"))
# Debian's libfaketime, under the machine's architecture.
FAKETIME = next(iter(Path("/usr/lib").glob("*/faketime/libfaketime.so.1")), None)
AHEAD = "+2m"  # the second host's clock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pos_command(
    database_url: str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """A ``pos`` command on the drill's database, its output kept."""
    return subprocess.run(
        [POS, *args],
        env={**os.environ, "POS_DATABASE_URL": database_url},
        input=stdin,
        capture_output=True,
        text=True,
    )


class Host:
    """``pos serve`` as its own process group, so SIGKILL takes the master, its workers and
    its print worker at once, as a power cut does."""

    def __init__(self, database_url: str, log: Path, *, ahead: str | None = None, workers: int = 2):
        self.database_url, self.log_path, self.ahead, self.workers = (
            database_url,
            log,
            ahead,
            workers,
        )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "POS_DATABASE_URL": self.database_url,
            # The drill's printers listen on this machine.
            "POS_PRINTER_NETWORKS": "127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16",
        }
        if self.ahead and FAKETIME:
            env.update(
                LD_PRELOAD=str(FAKETIME),
                FAKETIME=self.ahead,
                # The monotonic clock moves by as much, which changes no interval; with it
                # left alone, libfaketime 0.9.10 fails Python's sleep (EINVAL) and gunicorn.
                FAKETIME_DONT_RESET="1",
            )
        with self.log_path.open("ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [POS, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"pos serve exited with {self.process.returncode}: see {self.log_path}"
                )
            try:
                urllib.request.urlopen(f"{self.base}/api/v1/openapi.json", timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"pos serve did not answer in 60 s: see {self.log_path}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def prepare_database(database_url: str, email: str, password: str) -> None:
    for args, stdin in (
        (("db", "upgrade"), None),
        (("users", "add", email, "--role", "organiser", "--password-stdin"), password + "\n"),
    ):
        result = pos_command(database_url, *args, stdin=stdin)
        if result.returncode != 0:
            raise RuntimeError(f"pos {' '.join(args)} failed: {result.stderr or result.stdout}")


def restored_database(database_url: str, folder: Path) -> str:
    """An empty database beside the drill's, for the backup's restore."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = folder / "restored.sqlite3"
        target.unlink(missing_ok=True)
        return f"sqlite:///{target}"
    name = f"{url.database}_restored"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_restored(restored_url: str) -> None:
    url = sa.engine.make_url(restored_url)
    if url.get_backend_name() == "sqlite":
        return  # kept in the drill's folder, beside the truth
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    admin.dispose()
