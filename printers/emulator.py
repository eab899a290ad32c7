"""A network receipt printer in software: ``pos printer-emulator``.

It listens like a printer on port 9100, answers status queries (DLE EOT),
can be switched to paper out, cover open or offline (then, like a real one,
it loses what it is sent), and saves every receipt it prints as a PNG and
the text it found.
"""

from __future__ import annotations

import socketserver
import threading
import time
from pathlib import Path

from printers.decode import DecodedReceipt, Decoder

STATES = ("ready", "paper_out", "cover_open", "offline")
# Replies to DLE EOT 1, 2 and 4 in each state (bits 1 and 4 are always set).
_REPLIES = {
    "ready": {1: 0x16, 2: 0x12, 4: 0x12},
    "paper_out": {1: 0x1E, 2: 0x32, 4: 0x72},
    "cover_open": {1: 0x1E, 2: 0x16, 4: 0x12},
    "offline": {1: 0x1E, 2: 0x52, 4: 0x12},
}


class PrinterEmulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 9100,
        out: Path | None = None,
        paper_dots: int = 576,
        state: str = "ready",
        answers_status: bool = True,
        status_delay: float = 0.0,
    ):
        """``status_delay``: seconds before it answers each round of status queries, like a
        printer busy with its motor, or a Wi-Fi bridge in front of it."""
        self.out = Path(out) if out else None
        self.paper_dots = paper_dots
        self.state = state
        self.answers_status = answers_status
        self.status_delay = status_delay
        self.printed: list[DecodedReceipt] = []
        self.lost = 0
        self.connections = 0
        self._lock = threading.Lock()
        emulator = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                emulator._serve(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def current_state(self) -> str:
        """The state, which a file named ``state`` in the output folder may override."""
        if self.out and (self.out / "state").exists():
            wanted = (self.out / "state").read_text().strip()
            if wanted in STATES:
                return wanted
        return self.state

    def _serve(self, sock) -> None:
        decoder = Decoder(self.paper_dots)
        with self._lock:
            self.connections += 1
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            state = self.current_state()
            for query in decoder.feed(chunk):
                if self.status_delay and query == 1:  # a round of queries starts with 1
                    time.sleep(self.status_delay)
                if self.answers_status:
                    sock.sendall(bytes([_REPLIES[state].get(query, 0x12)]))
            finished, decoder.finished = decoder.finished, []
            for receipt in finished:
                self._take(receipt, state)

    def _take(self, receipt: DecodedReceipt, state: str) -> None:
        with self._lock:
            if state != "ready":
                self.lost += 1
                return
            self.printed.append(receipt)
            number = len(self.printed)
        if self.out:
            self.out.mkdir(parents=True, exist_ok=True)
            receipt.to_image().save(self.out / f"receipt-{number:05d}.png")
            (self.out / f"receipt-{number:05d}.txt").write_text(
                "\n".join(receipt.text_lines), encoding="utf-8"
            )

    def start(self) -> PrinterEmulator:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
