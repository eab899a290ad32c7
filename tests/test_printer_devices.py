"""USB and serial printers through python-escpos's extras, as a fresh install has them: a
serial printer over a real pseudo-terminal, a USB printer that is not plugged in."""

from __future__ import annotations

import os
import select
from concurrent.futures import ThreadPoolExecutor

from printers.connections import parse_connection
from printers.delivery import deliver
from printers.render import PAPERS, render_receipt
from tests.printing_support import typical_receipt


def _deliver(url: str, data: bytes):
    return deliver(
        data,
        parse_connection(url),
        profile="POS-5890",
        name="test",
        paper_dots=PAPERS[58].dots,
        networks=[],
    )


def _read_all(fd: int, size: int, timeout: float = 5.0) -> bytes:
    received = b""
    while len(received) < size:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            break
        received += os.read(fd, 65536)
    return received


def test_a_serial_printer_gets_the_receipt_byte_for_byte():
    printer_side, device_side = os.openpty()
    try:
        # The terminal must pass bytes through untouched, as a printer's serial line does.
        import tty

        tty.setraw(printer_side)
        tty.setraw(device_side)
        device = os.ttyname(device_side)
        data = render_receipt(typical_receipt(), 58)
        # The printer reads as the bytes come: a terminal holds only a few KB.
        with ThreadPoolExecutor(1) as printer:
            received = printer.submit(_read_all, printer_side, len(data))
            outcome = _deliver(f"serial://{device}?baudrate=19200", data)
            assert outcome.status == "sent", outcome
            assert received.result() == data
    finally:
        os.close(printer_side)
        os.close(device_side)


def test_a_usb_printer_not_plugged_in_is_waited_for_and_said_so():
    outcome = _deliver("usb://04b8:0e15", b"\x1b@hello")
    assert outcome.status == "waiting_for_printer"
    assert outcome.detail == "the USB printer 04b8:0e15 is not connected"


def test_a_serial_device_that_is_not_there_is_waited_for():
    outcome = _deliver("serial:///dev/ttyUSB9?baudrate=9600", b"\x1b@hello")
    assert outcome.status in ("waiting_for_printer", "failed_retrying")
    assert "ttyUSB9" in outcome.detail


def test_a_serial_printer_that_stops_reading_is_given_up_on_within_its_deadline():
    """A write has a deadline (the bytes' time at the port's speed, twice, and a margin):
    a printer that takes no more bytes does not hold its print worker for ever."""
    import time
    import tty

    printer_side, device_side = os.openpty()
    try:
        tty.setraw(printer_side)
        tty.setraw(device_side)
        device = os.ttyname(device_side)
        data = b"\x1b@" + b"x" * 24_000  # more than the terminal holds unread
        started = time.monotonic()
        outcome = deliver(
            data,
            parse_connection(f"serial://{device}?baudrate=115200"),
            profile="POS-5890",
            name="test",
            paper_dots=PAPERS[58].dots,
            networks=[],
            timeout=0.25,
        )
        elapsed = time.monotonic() - started
    finally:
        os.close(printer_side)
        os.close(device_side)
    assert outcome.status == "failed_retrying" and "timeout" in outcome.detail.lower()
    assert elapsed < 15
