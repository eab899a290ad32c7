"""The comparison: the books as the server gives them against the phones' logs, to the
centime, and the receipts as the printers counted them. Each difference is named."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pos.core.money import format_money, parse_money
from pos.drill import truth as truths

# A sale's recorded moment against the true one: the time its request took to arrive
# (Device-Clock is read when it arrives), which a loaded server makes seconds.
MOMENT_TOLERANCE = timedelta(seconds=30)

if TYPE_CHECKING:
    from pos.drill.run import Drill


def drawers(folder: Path, day: str) -> dict[str, int]:
    """Each booth's cash for ``day`` as its phones took it, the voided sales given back."""
    cash: dict[str, int] = defaultdict(int)
    for sale in truths.read(folder).values():
        if sale.date == day and not sale.voided:
            cash[sale.booth] += sale.by_method.get("cash", 0)
    return cash


def _figures():
    return {"sales_count": 0, "voided_count": 0, "net": 0, "by_method": defaultdict(int)}


def expected(sales: dict[str, truths.TrueSale]):
    """The truth's figures by (booth, date), by booth and by date."""
    by_booth_day: dict[tuple[str, str], dict] = defaultdict(_figures)
    for sale in sales.values():
        figures = by_booth_day[(sale.booth, sale.date)]
        if sale.voided:
            figures["voided_count"] += 1
            continue
        figures["sales_count"] += 1
        figures["net"] += sale.total
        for method, amount in sale.by_method.items():
            figures["by_method"][method] += amount
    return by_booth_day


def _money(text) -> int:
    return parse_money(text) if text else 0


class Verdict:
    def __init__(self) -> None:
        self.differences: list[str] = []
        self.outcomes: dict[str, int | str] = {}

    def differ(self, what: str) -> None:
        self.differences.append(what)

    def compare(self, what: str, truth, books) -> None:
        if truth != books:
            self.differ(f"{what}: the truth {truth}, the books {books}")


def judge(drill: Drill, verify_live: str | None, verify_restored: str | None) -> Verdict:
    verdict = Verdict()
    sales = truths.read(drill.folder / "truth")
    organiser, event_id = drill.organiser, drill.event_id
    booths = drill.booths
    for error in drill.errors:
        verdict.differ(f"during the play: {error}")

    # ---- every sale once ----
    server_sales = {}
    for code, booth in booths.items():
        for listed in _every(organiser, f"/api/v1/exhibitors/{booth.exhibitor_id}/sales"):
            server_sales[listed["receipt_number"]] = (code, listed)
    truth_numbers = {}
    unacknowledged = 0
    for sale in sales.values():
        if sale.refused:
            problem = sale.refused[0]["problem"][:200]
            verdict.differ(f"refused though it happened: {sale.key} of {sale.booth}: {problem}")
        if sale.receipt_number is None:
            unacknowledged += 1
            verdict.differ(f"never acknowledged: sale {sale.key} of {sale.booth} on {sale.date}")
            continue
        truth_numbers[sale.receipt_number] = sale
    lost = set(truth_numbers) - set(server_sales)
    doubled = set(server_sales) - set(truth_numbers)
    for number in sorted(lost):
        verdict.differ(f"lost: {number}")
    for number in sorted(doubled):
        verdict.differ(f"recorded but never made (doubled?): {number}")
    late = corrected = 0
    for number, sale in truth_numbers.items():
        if number not in server_sales:
            continue
        __booth, book = server_sales[number]
        sold_at = datetime.fromisoformat(book["sold_at"])
        day = sold_at.astimezone(drill.clock.zone).date().isoformat()
        verdict.compare(f"{number} day", sale.date, day)
        off = abs(sold_at - datetime.fromisoformat(sale.moment))
        if off > MOMENT_TOLERANCE:
            verdict.differ(f"{number} recorded {off} away from when it was sold ({sale.moment})")
        verdict.compare(f"{number} total", sale.total, _money(book["total"]))
        verdict.compare(f"{number} voided", sale.voided, book["status"] == "voided")
        paid: dict[str, int] = defaultdict(int)
        for payment in book["payments"]:
            paid[payment["method"]] += _money(payment["amount"])
        verdict.compare(f"{number} payments", sale.by_method, dict(paid))
        late += bool(book.get("late"))
        corrected += bool(book.get("clock_corrected"))
    verdict.outcomes.update(
        {
            "sales made (the truth)": len(sales),
            "sales in the books": len(server_sales),
            "sales lost": len(lost) + unacknowledged,
            "sales doubled": len(doubled),
            "voided": sum(s.voided for s in sales.values()),
            "recorded late, for a closed day": late,
            "phone clocks corrected": corrected,
        }
    )

    # ---- the daily reports, per booth, day and payment method ----
    truth_figures = expected(sales)
    code_of = {booth.exhibitor_id: code for code, booth in booths.items()}
    for fair_day in drill.clock.dates:
        day = fair_day.isoformat()
        report = organiser.request(
            "GET", f"/api/v1/events/{event_id}/reports/daily?date={day}"
        ).json()
        seen = set()
        for row in report["exhibitors"]:
            code = code_of[row["exhibitor_id"]]
            seen.add(code)
            true = truth_figures.get((code, day), _figures())
            where = f"daily report {day} booth {code}"
            verdict.compare(f"{where} net", true["net"], _money(row["net"]))
            verdict.compare(f"{where} sales", true["sales_count"], row["sales_count"])
            verdict.compare(f"{where} voided", true["voided_count"], row["voided_count"])
            books_methods = {m: _money(a) for m, a in row["by_method"].items() if _money(a)}
            verdict.compare(f"{where} by method", dict(true["by_method"]), books_methods)
        for (code, date), true in truth_figures.items():
            if date == day and code not in seen and (true["sales_count"] or true["voided_count"]):
                verdict.differ(f"daily report {day}: booth {code} missing")

    # ---- the impact report, the statements and the closings ----
    net_total = sum(f["net"] for f in truth_figures.values())
    count_total = sum(f["sales_count"] for f in truth_figures.values())
    impact = organiser.request("GET", f"/api/v1/events/{event_id}/reports/impact").json()
    _orders_and_contacts(drill, verdict, impact["orders_and_contacts"])
    verdict.compare("impact report net", net_total, _money(impact["totals"]["net"]))
    verdict.compare("impact report sales", count_total, impact["totals"]["sales_count"])
    truth_days: dict[str, int] = defaultdict(int)
    truth_methods: dict[str, int] = defaultdict(int)
    for (_code, date), figures in truth_figures.items():
        truth_days[date] += figures["net"]
        for method, amount in figures["by_method"].items():
            truth_methods[method] += amount
    verdict.compare(
        "impact report by day",
        {d: n for d, n in truth_days.items() if n},
        {str(row["key"]): _money(row["net"]) for row in impact["by_day"] if _money(row["net"])},
    )
    verdict.compare(
        "impact report by method",
        {m: a for m, a in truth_methods.items() if a},
        {row["key"]: _money(row["net"]) for row in impact["by_method"] if _money(row["net"])},
    )
    closings_net = counted = expected_cash = 0
    for code, booth in booths.items():
        booth_net = sum(f["net"] for (c, _d), f in truth_figures.items() if c == code)
        statement = organiser.request(
            "GET", f"/api/v1/exhibitors/{booth.exhibitor_id}/statement"
        ).json()
        verdict.compare(f"statement {code} net", booth_net, _money(statement["totals"]["net"]))
        closings = organiser.request(
            "GET", f"/api/v1/exhibitors/{booth.exhibitor_id}/closings?limit=1000"
        ).json()["items"]
        booth_closed = sum(_money(c["net"]) for c in closings)
        verdict.compare(f"closings of {code}, net over the fair", booth_net, booth_closed)
        closings_net += booth_closed
        counted += sum(_money(c["cash_counted"]) for c in closings)
        expected_cash += sum(_money(c["cash_expected"]) for c in closings)
    verdict.compare(
        "cash counted in the drawers against the closings' cash", counted, expected_cash
    )
    journal = organiser.request(
        "GET", f"/api/v1/events/{event_id}/journal?kind=sale.refused&limit=1"
    ).json()
    verdict.compare("sales refused by the server", 0, journal["total"])
    verdict.outcomes.update(
        {
            "net income (the truth)": format_money(net_total),
            "net income (impact report)": impact["totals"]["net"],
        }
    )

    # ---- receipts ----
    due = receipts_due(drill)
    for what in sorted(due):
        verdict.differ(f"receipt {what[0]}: {due[what]}")
    printed: dict[str, int] = defaultdict(int)
    for counter in drill.counters().values():
        for (_number, kind), count in counter.printed.items():
            printed[kind] += count
    verdict.outcomes.update(
        {
            "receipts printed": printed["original"],
            "copies printed (reprints, or taken over after a kill)": printed["copy"],
            "void slips printed": printed["void"],
            "receipts that may have printed, printed again as a copy": drill.taken_over,
        }
    )

    # ---- hash chains ----
    for where, result in (("live database", verify_live), ("restored backup", verify_restored)):
        if result is None:
            verdict.outcomes[f"pos verify on the {where}"] = (
                "not run (a rehearsal on another server)"
            )
        elif result != "clean":
            verdict.differ(f"pos verify on the {where}: {result}")
        else:
            verdict.outcomes[f"pos verify on the {where}"] = "clean"
    return verdict


def _every(organiser, path: str) -> list[dict]:
    """Every item of a listing, page after page."""
    items: list[dict] = []
    while True:
        page = organiser.request("GET", f"{path}?limit=1000&offset={len(items)}").json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


def _orders_and_contacts(drill: Drill, verdict: Verdict, impact: dict) -> None:
    """Every order and contact once, in its own booth, each order at its total; the
    impact report (its ``orders_and_contacts``) counting them."""
    notes = truths.read_notes(drill.folder / "truth")
    books: dict[str, tuple[str, str, int]] = {}  # key: kind, booth, total
    for code, booth in drill.booths.items():
        base = f"/api/v1/exhibitors/{booth.exhibitor_id}"
        for order in _every(drill.organiser, f"{base}/orders"):
            if order["note"] in books:
                verdict.differ(f"order recorded twice: {order['note']}")
            books[order["note"]] = ("order", code, _money(order["total"]))
        for contact in _every(drill.organiser, f"{base}/contacts"):
            if contact["interest"] in books:
                verdict.differ(f"contact recorded twice: {contact['interest']}")
            books[contact["interest"]] = ("contact", code, 0)
    for key, note in notes.items():
        if note.refused:
            problem = note.refused[0]["problem"][:200]
            verdict.differ(f"{note.kind} refused though it was taken: {key}: {problem}")
        if not note.taken:
            verdict.differ(f"never acknowledged: {note.kind} {key} of {note.booth}")
        elif key not in books:
            verdict.differ(f"lost: {note.kind} {key} of {note.booth}")
        else:
            verdict.compare(f"{note.kind} {key}", (note.kind, note.booth, note.total), books[key])
    for key in sorted(set(books) - set(notes)):
        verdict.differ(f"recorded but never taken: {books[key][0]} {key}")
    orders = [note for note in notes.values() if note.kind == "order"]
    verdict.compare(
        "impact report orders and contacts",
        (len(orders), sum(note.total for note in orders), len(notes) - len(orders)),
        (impact["orders"], _money(impact["orders_value"]), impact["contacts"]),
    )
    verdict.outcomes.update(
        {
            "orders taken (the truth)": len(orders),
            "orders in the books": sum(kind == "order" for kind, _, _ in books.values()),
            "contacts taken (the truth)": len(notes) - len(orders),
            "contacts in the books": sum(kind == "contact" for kind, _, _ in books.values()),
        }
    )


def receipts_due(drill: Drill, missing_only: bool = False) -> dict[tuple[str, str], str]:
    """Receipts not printed as they should be: (number, kind) -> what is wrong; with
    ``missing_only``, those still to come out."""
    sales = truths.read(drill.folder / "truth")
    printed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for counter in drill.counters().values():
        for (number, kind), count in counter.printed.items():
            printed[number or "?"][kind] += count
    wrong: dict[tuple[str, str], str] = {}
    taken_over: list[str] = []
    for sale in sales.values():
        if sale.receipt_number is None:
            continue
        got = printed.get(sale.receipt_number, {})
        originals, copies, voids = got.get("original", 0), got.get("copy", 0), got.get("void", 0)
        if voids < sale.voided or originals + copies < 1 + sale.reprints:
            wrong[(sale.receipt_number, "missing")] = "not all printed yet"
        if missing_only:
            continue
        if originals > 1:
            wrong[(sale.receipt_number, "original")] = f"printed {originals} times"
        # A receipt that may have printed (its holder killed while printing it, or the
        # printer out of paper just after it) goes again as a copy, whether or not the
        # original made it to paper: one for each kill or printer fault at most.
        if copies > sale.reprints + 1:
            wrong[(sale.receipt_number, "copies")] = f"{copies} copies for {sale.reprints} reprints"
        elif copies == sale.reprints + 1:
            taken_over.append(sale.receipt_number)
        if voids != sale.voided:
            wrong[(sale.receipt_number, "void")] = (
                f"{voids} void slips for {int(sale.voided)} voids"
            )
    faults = drill.thrown["server killed (SIGKILL)"] + drill.printer_faults
    if len(taken_over) > faults and not missing_only:
        wrong[("taken over", "copies")] = (
            f"{len(taken_over)} receipts printed again as copies after {faults} kills and "
            "printer faults: " + ", ".join(sorted(taken_over))
        )
    drill.taken_over = len(taken_over)
    if "?" in printed and not missing_only:
        wrong[("?", "unread")] = f"{sum(printed['?'].values())} receipts without a number"
    return wrong


def table(thrown: dict[str, int], verdict: Verdict, seconds: float) -> str:
    rows = [("thrown at the fair", ""), *sorted(thrown.items())]
    rows += [("came out", ""), *list(verdict.outcomes.items())]
    rows += [("differences", len(verdict.differences)), ("time taken", f"{seconds:.0f} s")]
    width = max(len(str(name)) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" if value != "" else f"\n{name}" for name, value in rows]
    lines += [f"  - {difference}" for difference in verdict.differences[:50]]
    if len(verdict.differences) > 50:
        lines.append(f"  … and {len(verdict.differences) - 50} more (in the JSON)")
    return "\n".join(lines)


def as_json(settings, thrown, verdict: Verdict, seconds: float) -> str:
    return json.dumps(
        {
            "settings": vars(settings),
            "thrown": dict(thrown),
            "outcomes": verdict.outcomes,
            "differences": verdict.differences,
            "seconds": round(seconds, 1),
        },
        ensure_ascii=False,
        indent=2,
    )
