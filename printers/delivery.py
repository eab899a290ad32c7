"""Sending receipt bytes to a printer, asking it first whether it can print.

Port 9100 takes bytes into a buffer: "sent" is not "printed". Before sending,
the printer is asked for its status (DLE EOT) with a short timeout; an answer
saying offline, cover open or paper out means wait and retry, and no answer
means unknown, never "OK": the receipt is then sent and reported as "sent".

Every step has a deadline: connecting, each status query, and the write itself (a
printer that stops reading, a serial port whose cable is pulled). Just before the bytes
go out, ``still_ours`` is asked whether the job is still the caller's to print: a print
worker that paused past its lease must not print a receipt another worker has taken.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from printers.connections import (
    DEVICE,
    BadConnectionURL,
    ConnectionSpec,
    allowed_tcp_address,
    real_serial_device,
)
from printers.decode import decode

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4


@dataclass(frozen=True)
class Outcome:
    # printed | sent | waiting_for_printer | failed_retrying | pending | abandoned (the job
    # was no longer the caller's: nothing was sent)
    status: str
    detail: str = ""
    # The bytes reached the printer, whole or in part, though it did not print for sure
    # (paper out after them, the link lost while writing): printed again, it is a copy.
    maybe_printed: bool = False


ABANDONED = Outcome("abandoned", "the job was taken over before its bytes were sent")
StillOurs = Callable[[], bool]


def _always() -> bool:
    return True


def read_status(sock: socket.socket, timeout: float) -> str | None:
    """'ready', or what stops the printer, or None when it does not answer."""
    answers = {}
    sock.settimeout(timeout)
    for query in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
        sock.sendall(DLE_EOT + bytes([query]))
        try:
            reply = sock.recv(1)
        except TimeoutError:
            return None
        if not reply:
            return None
        answers[query] = reply[0]
    if answers[STATUS_PAPER] & 0x60 or answers[STATUS_OFFLINE_CAUSE] & 0x20:
        return "paper out"
    if answers[STATUS_OFFLINE_CAUSE] & 0x04:
        return "cover open"
    if answers[STATUS_PRINTER] & 0x08 or answers[STATUS_OFFLINE_CAUSE] & 0x40:
        return "offline"
    return "ready"


def _deliver_tcp(
    data: bytes, spec: ConnectionSpec, timeout: float, networks, still_ours: StillOurs
) -> Outcome:
    try:
        address = allowed_tcp_address(spec, networks)
    except BadConnectionURL as error:
        return Outcome("failed_retrying", str(error))
    try:
        sock = socket.create_connection((address, spec.port), timeout=timeout)
    except OSError as error:
        return Outcome("failed_retrying", f"cannot reach {spec.host}:{spec.port}: {error}")
    sending = False
    with sock:
        try:
            before = read_status(sock, timeout)
            if before not in (None, "ready"):
                return Outcome("waiting_for_printer", before)
            if not still_ours():
                return ABANDONED
            sock.settimeout(timeout * 4)  # the whole write's deadline (sendall)
            sending = True
            sock.sendall(data)
            after = read_status(sock, timeout) if before == "ready" else None
        except OSError as error:
            return Outcome("failed_retrying", f"connection lost: {error}", maybe_printed=sending)
    if after == "ready":
        return Outcome("printed")
    if after is None:
        return Outcome("sent", "the printer reports no status")
    return Outcome("waiting_for_printer", f"{after} after sending", maybe_printed=True)


def _deliver_file(
    data: bytes, spec: ConnectionSpec, name: str, paper_dots: int, still_ours: StillOurs
) -> Outcome:
    """A folder is a virtual printer: each receipt as .escpos bytes and as the PNG it prints."""
    target = Path(spec.path or ".")
    if not still_ours():
        return ABANDONED
    try:
        if target.is_dir() or not target.suffix:
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{name}.escpos").write_bytes(data)
            for receipt in decode(data, paper_dots):
                receipt.to_image().save(target / f"{name}.png")
        else:
            with target.open("ab") as handle:
                handle.write(data)
    except OSError as error:
        return Outcome("failed_retrying", f"cannot write {target}: {error}")
    return Outcome("printed")


def _deliver_escpos_device(
    data: bytes, spec: ConnectionSpec, profile: str, timeout: float, still_ours: StillOurs
) -> Outcome:
    """A USB or serial printer on this machine, through python-escpos (its ``usb`` and
    ``serial`` extras). One that is not plugged in is waited for, and said so."""
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Serial, Usb

    if spec.kind == "usb":
        import libusb_package

        name = f"USB printer {spec.vendor_id:04x}:{spec.product_id:04x}"
        # The libusb that comes with the package: none need be installed on the machine.
        backend = {"backend": libusb_package.get_libusb1_backend()}
        # pyusb's timeout is in milliseconds, for each transfer.
        printer = Usb(
            spec.vendor_id,
            spec.product_id,
            usb_args=backend,
            timeout=int(timeout * 4000),
            profile=profile,
        )
    else:
        try:
            device = real_serial_device(spec)
        except BadConnectionURL as error:
            return Outcome("failed_retrying", str(error))
        name = f"serial printer {device}"
        printer = Serial(devfile=device, baudrate=spec.baudrate, timeout=timeout, profile=profile)
    try:
        printer.open(raise_not_found=True)
    except DeviceNotFoundError:
        return Outcome("waiting_for_printer", f"the {name} is not connected")
    except Exception as error:  # a driver's own errors (permissions, a busy port)
        return Outcome("failed_retrying", f"{name}: {error}")
    if spec.kind == "serial" and spec.baudrate:
        # pyserial waits for ever on a write by default: a receipt's bytes at the port's
        # speed, twice over, then give up.
        printer.device.write_timeout = timeout * 4 + len(data) * 20 / spec.baudrate
    try:
        if not still_ours():
            return ABANDONED
        printer._raw(data)
    except Exception as error:  # a write that failed part way may have printed what went
        return Outcome("failed_retrying", f"{name}: {error}", maybe_printed=True)
    finally:
        printer.close()
    return Outcome("sent", "USB and serial printers report no status here")


def deliver(
    data: bytes,
    spec: ConnectionSpec,
    *,
    profile: str,
    name: str,
    paper_dots: int,
    networks,
    timeout: float = 2.0,
    still_ours: StillOurs = _always,
) -> Outcome:
    """Send ``data`` to the printer; ``networks``: where a tcp:// printer may be;
    ``still_ours``: asked just before the bytes go out (see above)."""
    if spec.kind == DEVICE:  # the booth's phone takes its jobs: nothing for a server to send
        return Outcome("pending", "the printer is paired to the booth's phone, which prints")
    if spec.kind == "tcp":
        return _deliver_tcp(data, spec, timeout, networks, still_ours)
    if spec.kind == "file":
        return _deliver_file(data, spec, name, paper_dots, still_ours)
    return _deliver_escpos_device(data, spec, profile, timeout, still_ours)
