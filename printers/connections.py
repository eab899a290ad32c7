"""Printer connection URLs: ``tcp://HOST:PORT``, ``usb://VENDOR:PRODUCT``,
``serial:///dev/ttyX?baudrate=N`` and ``file:///path``; or ``device``: the printer is paired
to the booth's phone, which takes the booth's jobs and prints them itself."""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

SERIAL_BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
_HEX_ID = re.compile(r"^(0x)?[0-9a-fA-F]{1,4}$")
DEVICE = "device"


class BadConnectionURL(ValueError):
    """The URL does not name a printer connection this package can open. ``reason`` names
    which rule it broke, for a caller that says it in its user's language."""

    def __init__(self, message: str, reason: str = "other", **params: str):
        super().__init__(message)
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class ConnectionSpec:
    kind: str  # tcp | usb | serial | file | device
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    device: str | None = None
    baudrate: int | None = None
    path: str | None = None


def parse_connection(url: str) -> ConnectionSpec:
    if url == DEVICE:
        return ConnectionSpec(DEVICE)
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise BadConnectionURL(f"not a URL: {error}", "not_url") from error
    scheme = parts.scheme.lower()
    if scheme == "tcp":
        try:
            port = parts.port or 9100
        except ValueError as error:
            raise BadConnectionURL("the port must be a number from 1 to 65535", "port") from error
        if not parts.hostname:
            raise BadConnectionURL("tcp:// needs a host, e.g. tcp://192.168.1.50:9100", "tcp_host")
        return ConnectionSpec("tcp", host=parts.hostname, port=port)
    if scheme == "usb":
        vendor, _, product = parts.netloc.partition(":")
        if not (_HEX_ID.match(vendor) and _HEX_ID.match(product)):
            raise BadConnectionURL(
                "usb:// needs VENDOR:PRODUCT in hex, e.g. usb://04b8:0e15", "usb_ids"
            )
        return ConnectionSpec("usb", vendor_id=int(vendor, 16), product_id=int(product, 16))
    if scheme == "serial":
        # "/dev/../etc/passwd" is not a device: the path is judged once normalised (and,
        # where it is opened, once its links are resolved: ``real_serial_device``).
        if parts.netloc or not posixpath.normpath(parts.path).startswith("/dev/"):
            raise BadConnectionURL(
                "serial:// needs a device path, e.g. serial:///dev/ttyUSB0", "serial_path"
            )
        query = parse_qs(parts.query)
        try:
            baudrate = int(query.get("baudrate", ["9600"])[0])
        except ValueError as error:
            raise BadConnectionURL("baudrate must be a number", "baudrate") from error
        if baudrate not in SERIAL_BAUDRATES:
            raise BadConnectionURL(f"baudrate must be one of {SERIAL_BAUDRATES}", "baudrate")
        return ConnectionSpec("serial", device=posixpath.normpath(parts.path), baudrate=baudrate)
    if scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise BadConnectionURL(
                "file:// needs an absolute path, e.g. file:///tmp/receipts", "file_path"
            )
        return ConnectionSpec("file", path=parts.path)
    raise BadConnectionURL(
        'the connection must start with tcp://, usb://, serial:// or file://, or be "device"',
        "scheme",
    )


def allowed_tcp_address(spec: ConnectionSpec, networks) -> str:
    """The IP address to connect to for a tcp:// printer: its host resolved, and only an
    address inside ``networks`` (the fair's LAN), never link-local (169.254/16, fe80::/10:
    a cloud host's metadata service). Connecting to this address, not the name, keeps a
    name that changes its answer (DNS rebinding) from reaching elsewhere. Raises
    ``BadConnectionURL`` saying why not."""
    try:
        infos = socket.getaddrinfo(spec.host, spec.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise BadConnectionURL(
            f"the host {spec.host} cannot be resolved: {error}", "unresolved", host=spec.host or ""
        ) from error
    refused = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_link_local and any(address in network for network in networks):
            return str(address)
        refused.append(str(address))
    allowed = ", ".join(str(network) for network in networks) or "none"
    raise BadConnectionURL(
        f"{spec.host} ({', '.join(refused)}) is outside the printer networks ({allowed})",
        "outside",
        host=spec.host or "",
        addresses=", ".join(refused),
        allowed=allowed,
    )


def real_serial_device(spec: ConnectionSpec) -> str:
    """The serial device path with its links resolved; ``BadConnectionURL`` unless it is
    a device under /dev."""
    if spec.device is None:
        raise BadConnectionURL("a serial printer needs its device", "serial_path")
    real = os.path.realpath(spec.device)
    if not real.startswith("/dev/"):
        raise BadConnectionURL(
            f"{spec.device} leads to {real}, which is not a device",
            "not_a_device",
            device=spec.device,
            real=real,
        )
    return real
