"""Printer connection URLs: ``tcp://HOST:PORT``, ``usb://VENDOR:PRODUCT``,
``serial:///dev/ttyX?baudrate=N`` and ``file:///path``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

SERIAL_BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
_HEX_ID = re.compile(r"^(0x)?[0-9a-fA-F]{1,4}$")


class BadConnectionURL(ValueError):
    """The URL does not name a printer connection this package can open."""


@dataclass(frozen=True)
class ConnectionSpec:
    kind: str  # tcp | usb | serial | file
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    device: str | None = None
    baudrate: int | None = None
    path: str | None = None


def parse_connection(url: str) -> ConnectionSpec:
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise BadConnectionURL(f"not a URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme == "tcp":
        try:
            port = parts.port or 9100
        except ValueError as error:
            raise BadConnectionURL("the port must be a number from 1 to 65535") from error
        if not parts.hostname:
            raise BadConnectionURL("tcp:// needs a host, e.g. tcp://192.168.1.50:9100")
        return ConnectionSpec("tcp", host=parts.hostname, port=port)
    if scheme == "usb":
        vendor, _, product = parts.netloc.partition(":")
        if not (_HEX_ID.match(vendor) and _HEX_ID.match(product)):
            raise BadConnectionURL("usb:// needs VENDOR:PRODUCT in hex, e.g. usb://04b8:0e15")
        return ConnectionSpec("usb", vendor_id=int(vendor, 16), product_id=int(product, 16))
    if scheme == "serial":
        if parts.netloc or not parts.path.startswith("/dev/"):
            raise BadConnectionURL("serial:// needs a device path, e.g. serial:///dev/ttyUSB0")
        query = parse_qs(parts.query)
        try:
            baudrate = int(query.get("baudrate", ["9600"])[0])
        except ValueError as error:
            raise BadConnectionURL("baudrate must be a number") from error
        if baudrate not in SERIAL_BAUDRATES:
            raise BadConnectionURL(f"baudrate must be one of {SERIAL_BAUDRATES}")
        return ConnectionSpec("serial", device=parts.path, baudrate=baudrate)
    if scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise BadConnectionURL("file:// needs an absolute path, e.g. file:///tmp/receipts")
        return ConnectionSpec("file", path=parts.path)
    raise BadConnectionURL("the connection must start with tcp://, usb://, serial:// or file://")
