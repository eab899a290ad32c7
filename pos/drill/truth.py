"""What happened at the booths, as each phone saw it: one JSON line an event, one file a
phone, written when it happens and never corrected from what the server says."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


class TruthLog:
    def __init__(self, folder: Path, phone: str):
        folder.mkdir(parents=True, exist_ok=True)
        self._file = (folder / f"phone-{phone}.jsonl").open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, kind: str, **fields) -> None:
        with self._lock:
            self._file.write(json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n")
            self._file.flush()

    def close(self) -> None:
        self._file.close()


@dataclass
class TrueSale:
    key: str
    booth: str
    phone: str
    date: str  # the fair's local date of the true moment
    moment: str
    total: int
    by_method: dict[str, int]
    lines: list[dict]
    receipt_number: str | None = None
    voided: bool = False
    reprints: int = 0
    refused: list[dict] = field(default_factory=list)


@dataclass
class TrueNote:
    """An order or a contact taken at the booth."""

    key: str
    kind: str  # order, contact
    booth: str
    total: int = 0  # an order's, after its lines' discounts
    taken: bool = False  # the server acknowledged it
    refused: list[dict] = field(default_factory=list)


def _entries(folder: Path):
    for path in sorted(folder.glob("phone-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield json.loads(line)


def read_notes(folder: Path) -> dict[str, TrueNote]:
    """Every order and contact of every phone's log, by its Idempotency-Key."""
    notes: dict[str, TrueNote] = {}
    later = []
    for entry in _entries(folder):
        if entry["kind"] in ("order", "contact"):
            notes[entry["key"]] = TrueNote(
                entry["key"], entry["kind"], entry["booth"], entry.get("total", 0)
            )
        else:
            later.append(entry)
    for entry in later:
        note = notes.get(entry["key"])
        if note is not None and entry["kind"] == "taken":
            note.taken = True
        elif note is not None and entry["kind"] == "refused":
            note.refused.append(entry)
    return notes


def read(folder: Path) -> dict[str, TrueSale]:
    """Every sale of every phone's log, by its Idempotency-Key."""
    sales: dict[str, TrueSale] = {}
    later: dict[str, list[dict]] = defaultdict(list)
    for entry in _entries(folder):
        if entry["kind"] == "sale":
            by_method: dict[str, int] = defaultdict(int)
            for payment in entry["payments"]:
                by_method[payment["method"]] += payment["amount"]
            sales[entry["key"]] = TrueSale(
                key=entry["key"],
                booth=entry["booth"],
                phone=entry["phone"],
                date=entry["date"],
                moment=entry["moment"],
                total=entry["total"],
                by_method=dict(by_method),
                lines=entry["lines"],
            )
        else:
            later[entry["key"]].append(entry)
    for key, entries in later.items():
        sale = sales.get(key)
        if sale is None:
            continue  # an order's or a contact's (read_notes)
        for entry in entries:
            if entry["kind"] == "recorded":
                sale.receipt_number = entry["receipt_number"]
            elif entry["kind"] == "voided":
                sale.voided = True
            elif entry["kind"] == "reprinted":
                sale.reprints += 1
            elif entry["kind"] == "refused":
                sale.refused.append(entry)
    return sales
