"""A printer address that breaks a rule, said in the page's or the caller's language: the
printers package says it in English (its logs), with a reason and the values it names."""

from __future__ import annotations

from pos.core.messages import N_, Message
from printers.connections import SERIAL_BAUDRATES, BadConnectionURL

CONNECTION_PROBLEMS = {
    "not_url": N_("Not an address."),
    "port": N_("The port must be a number from 1 to 65535."),
    "tcp_host": N_('tcp:// needs a host, e.g. "tcp://192.168.1.50:9100".'),
    "usb_ids": N_('usb:// needs VENDOR:PRODUCT in hexadecimal, e.g. "usb://04b8:0e15".'),
    "serial_path": N_('serial:// needs a device path, e.g. "serial:///dev/ttyUSB0".'),
    "baudrate": N_(
        "The baud rate must be one of %(rates)s.",
        rates=", ".join(str(rate) for rate in SERIAL_BAUDRATES),
    ),
    "file_path": N_('file:// needs an absolute path, e.g. "file:///tmp/receipts".'),
    "scheme": N_('Must start with tcp://, usb://, serial:// or file://, or be "device".'),
}


def connection_problem(error: BadConnectionURL) -> Message | str:
    """What ``error`` says, as a catalog entry with its values."""
    if error.reason in CONNECTION_PROBLEMS:
        return CONNECTION_PROBLEMS[error.reason]
    if error.reason == "unresolved":
        return N_("The host %(host)s cannot be found on the network.", **error.params)
    if error.reason == "outside":
        return N_(
            "%(host)s (%(addresses)s) is outside the printer networks (%(allowed)s).",
            **error.params,
        )
    if error.reason == "not_a_device":
        return N_("%(device)s leads to %(real)s, which is not a device.", **error.params)
    return f"{error}."
