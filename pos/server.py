"""``pos serve``: the app under gunicorn, Flask's development server never."""

from __future__ import annotations

import atexit
import gc
import ipaddress
import logging
import os
import subprocess
import sys

from gunicorn.app.base import BaseApplication

from pos.trust.authority import machine_addresses, primary_address


class PosServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            if value is not None:
                self.cfg.set(name, value)

    def load(self):
        from pos import create_app

        return create_app()


def _settle(worker) -> None:
    """The app a worker has just loaded lives as long as the worker: its objects are kept
    out of the collector's full passes, each of which would otherwise stop every thread of
    the worker for tens of milliseconds (180,000 objects, a sale's slowest moments)."""
    gc.collect()
    gc.freeze()


def _start_print_worker(station: str | None) -> subprocess.Popen:
    """``pos print-worker`` as a child process, stopped with the server."""
    command = [sys.executable, "-m", "pos", "print-worker"]
    child = subprocess.Popen(command + (["--station", station] if station else []))
    atexit.register(lambda: None if child.poll() is not None else child.terminate())
    return child


def served_addresses(host: str) -> list[str]:
    """The addresses clients reach a server bound to ``host`` at."""
    if host in ("0.0.0.0", "::", ""):
        return machine_addresses()
    return sorted({host, "127.0.0.1"}) if _is_address(host) else ["127.0.0.1"]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def served_url(host: str, port: int, https: bool) -> str:
    """Where phones reach this server: its LAN address when it listens on every interface."""
    if host in ("0.0.0.0", "::", ""):
        host = primary_address() or "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if https else 'http'}://{shown}:{port}"


def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    certfile: str | None = None,
    keyfile: str | None = None,
    *,
    print_worker: bool = True,
    station: str | None = None,
) -> None:
    if certfile:
        # Served over HTTPS: session cookies are sent over HTTPS only.
        os.environ.setdefault("POS_SECURE_COOKIES", "1")
    # Links on receipts and pairing cards point here unless POS_PUBLIC_URL says otherwise;
    # the workers and the print worker read it from their environment.
    os.environ["POS_SERVED_URL"] = served_url(host, port, bool(certfile))
    # Each worker checkpoints SQLite's WAL in a thread, not in a sale (pos.core.sqlite_checkpoint).
    os.environ.setdefault("POS_SQLITE_CHECKPOINT_SECONDS", "1")
    if print_worker:
        _start_print_worker(station)
    _log_requests()
    PosServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 20,
            # Each request's line is the app's own, with its request id (pos.operations).
            "accesslog": None,
            "certfile": certfile,
            "keyfile": keyfile,
            # Several servers may run on one machine (tests, benchmarks): no shared control socket.
            "control_socket_disable": True,
            "post_worker_init": _settle,
        }
    ).run()


def _log_requests() -> None:
    """One line per request on standard error, as the workers write it (with its id)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] %(message)s"))
    log = logging.getLogger("pos.requests")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
