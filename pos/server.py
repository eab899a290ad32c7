"""``pos serve``: the app under gunicorn, Flask's development server never."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


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


def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> None:
    PosServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": "-",
            "certfile": certfile,
            "keyfile": keyfile,
            # Several servers may run on one machine (tests, benchmarks): no shared control socket.
            "control_socket_disable": True,
        }
    ).run()
