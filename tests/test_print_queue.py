"""Print jobs: written with the sale, delivered over a real TCP socket, never lost."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
import zxingcpp

from pos.core.db import utcnow
from pos.extensions import db
from pos.printing.models import PrintJob
from pos.receipts import worker
from printers.emulator import PrinterEmulator
from tests.livesupport import free_port
from tests.printing_support import OUTPUT
from tests.support import auth, post_sale, simple_sale


@pytest.fixture
def emulator(tmp_path):
    printer = PrinterEmulator(port=0, out=tmp_path / "printed").start()
    yield printer
    printer.stop()


def _set_printer(client, fair, port, paper=80, cash_drawer=False):
    response = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={
            "connection": f"tcp://127.0.0.1:{port}",
            "paper_width_mm": paper,
            "profile": "TM-T20II" if paper == 80 else "POS-5890",
            "cash_drawer": cash_drawer,
        },
    )
    assert response.status_code == 200, response.json


def _work(app) -> int:
    return worker.run(app, once=True)


def _make_due(app):
    """Skip the backoff wait instead of sleeping through it."""
    with app.app_context():
        db.session.execute(sa.update(PrintJob).values(next_attempt_at=utcnow()))
        db.session.commit()


def _status(client, fair, sale_id) -> str:
    return client.get(f"/api/v1/sales/{sale_id}", headers=auth(fair.a.token)).json["print_status"]


def test_a_sale_prints_over_tcp_with_its_qr_pointing_to_the_public_page(
    app, client, fair, emulator
):
    _set_printer(client, fair, emulator.port, cash_drawer=True)
    body = simple_sale(fair.a.products["pot"], method="cash")
    body["payments"][0]["tendered"] = "200.00"
    sale = post_sale(client, fair.a.token, fair.a.id, body).json
    assert sale["print_status"] == "queued"
    assert _work(app) == 1
    assert _status(client, fair, sale["id"]) == "printed"
    [printed] = emulator.printed
    assert printed.cut and printed.drawer_kicked
    assert max(image.width for image in printed.images) <= 576
    OUTPUT.mkdir(parents=True, exist_ok=True)
    printed.to_image().save(OUTPUT / "printed-over-tcp.png")
    urls = [r.text for r in zxingcpp.read_barcodes(printed.to_image().convert("L"))]
    public_id = _public_id(app, sale["id"])
    # In capitals, which a QR code holds in fewer modules; the page answers to either case.
    assert urls == [f"HTTP://127.0.0.1:5000/R/{public_id.upper()}"]
    assert client.get(f"/r/{public_id}").status_code == 200

    page = client.get(urls[0].split("5000", 1)[1])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "text/html" in page.content_type
    assert sale["receipt_number"] in html and "علبة عسل" in html and 'dir="rtl"' in html
    assert "Authorization" not in html and str(fair.b.booth) not in html
    assert client.get("/r/" + "0" * 32).status_code == 404

    preview = client.get(f"/api/v1/sales/{sale['id']}/receipt.png", headers=auth(fair.a.token))
    assert preview.status_code == 200 and preview.data.startswith(b"\x89PNG")
    assert (
        client.get(
            f"/api/v1/sales/{sale['id']}/receipt.png", headers=auth(fair.b.token)
        ).status_code
        == 404
    )


def _public_id(app, sale_id):
    from pos.sales.models import Sale

    with app.app_context():
        return db.session.get(Sale, sale_id).public_id


def test_printer_down_the_sale_stands_and_prints_once_when_it_is_back(app, client, fair, tmp_path):
    port = free_port()
    _set_printer(client, fair, port)
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    assert sale.status_code == 201
    assert _work(app) == 1
    assert _status(client, fair, sale.json["id"]) == "failed_retrying"
    with app.app_context():
        job = db.session.scalar(sa.select(PrintJob))
        assert job.attempts == 1 and "cannot reach" in job.last_error
    printer = PrinterEmulator(port=port, out=tmp_path / "back").start()
    try:
        assert _work(app) == 0  # backing off: not due yet
        _make_due(app)
        assert _work(app) == 1
        assert _work(app) == 0
        assert len(printer.printed) == 1
        assert _status(client, fair, sale.json["id"]) == "printed"
    finally:
        printer.stop()


def test_paper_out_waits_then_prints(app, client, fair, emulator):
    _set_printer(client, fair, emulator.port)
    emulator.state = "paper_out"
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    _work(app)
    assert _status(client, fair, sale["id"]) == "waiting_for_printer"
    assert emulator.printed == [] and emulator.lost == 0  # nothing sent into the void
    emulator.state = "ready"
    _make_due(app)
    _work(app)
    assert _status(client, fair, sale["id"]) == "printed"
    assert len(emulator.printed) == 1


class RollEndsAfterOne(PrinterEmulator):
    """A printer whose roll ends with the receipt it prints: its status says paper out
    just after."""

    def _take(self, receipt, state):
        super()._take(receipt, state)
        if len(self.printed) == 1:
            self.state = "paper_out"


def test_paper_out_just_after_a_receipt_prints_it_again_as_a_copy(app, client, fair, tmp_path):
    """Found by ``pos drill``: the printer said paper out after taking the bytes, and the
    receipt, printed already, printed again as a second original."""
    from pos.drill.printers import kind_of

    printer = RollEndsAfterOne(port=free_port(), out=tmp_path / "roll").start()
    try:
        _set_printer(client, fair, printer.port)
        sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
        _work(app)
        assert _status(client, fair, sale["id"]) == "waiting_for_printer"
        printer.state = "ready"  # a new roll
        _make_due(app)
        _work(app)
        assert _status(client, fair, sale["id"]) == "printed"
        kinds = [kind_of(receipt, 80) for receipt in printer.printed]
        assert kinds == [("A01-000001", "original"), ("A01-000001", "copy")]
    finally:
        printer.stop()


def test_a_printer_that_does_not_answer_status_is_sent_not_printed(app, client, fair, tmp_path):
    silent = PrinterEmulator(port=0, out=tmp_path / "silent", answers_status=False).start()
    try:
        _set_printer(client, fair, silent.port)
        sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
        _work(app)
        assert _status(client, fair, sale.json["id"]) == "sent"
        # Nothing comes back from this printer: the bytes may still be on their way in.
        deadline = time.monotonic() + 10
        while not silent.printed and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(silent.printed) == 1
    finally:
        silent.stop()


def test_reprint_is_a_copy_and_a_void_prints_its_receipt(app, client, fair, emulator):
    _set_printer(client, fair, emulator.port, paper=58)
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    _work(app)
    response = client.post(f"/api/v1/sales/{sale['id']}/reprint", headers=auth(fair.a.token))
    assert response.status_code == 202 and response.json["print_status"] == "queued"
    client.post(
        f"/api/v1/sales/{sale['id']}/void", json={"reason": "erreur"}, headers=auth(fair.a.token)
    )
    _work(app)
    assert len(emulator.printed) == 3
    original, copy, void = emulator.printed
    assert len(copy.images) == len(original.images) + 1
    assert any("Motif\u00a0: erreur" in line for line in void.text_lines)
    assert max(image.width for image in copy.images) <= 384
    assert (
        client.post(f"/api/v1/sales/{sale['id']}/reprint", headers=auth(fair.b.token)).status_code
        == 404
    )


def test_reprint_without_a_printer_is_409(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    assert sale["print_status"] == "no_printer"
    response = client.post(f"/api/v1/sales/{sale['id']}/reprint", headers=auth(fair.a.token))
    assert response.status_code == 409


def _all_recorded_printed(app, count: int) -> bool:
    """Every one of ``count`` jobs printed and its outcome written (not only sent)."""
    with app.app_context():
        printed = db.session.scalar(
            sa.select(sa.func.count()).select_from(PrintJob).where(PrintJob.status == "printed")
        )
        db.session.remove()
    return printed == count


def test_two_workers_print_200_jobs_each_exactly_once(app, client, fair, emulator):
    _set_printer(client, fair, emulator.port)
    with app.app_context():
        # 200 receipts queued while the printer's worker was away.
        for _ in range(200):
            post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    stop = threading.Event()
    counts = []

    def work():
        counts.append(worker.run(app, poll_seconds=0.05, stop=stop))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _all_recorded_printed(app, 200):
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    numbers = [
        next(line.split()[-1] for line in receipt.text_lines if line.startswith("Reçu"))
        for receipt in emulator.printed
    ]
    assert sorted(numbers) == [f"A01-{n:06d}" for n in range(1, 201)]
    assert sum(counts) == 200, counts  # between them, each job once
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(PrintJob.status)))
    assert statuses == {"printed"}


def test_a_file_printer_folder_gets_each_receipt_as_png(app, client, fair):
    folder = app.config["POS_PRINTER_FILE_ROOT"] + "/A01"
    response = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": f"file://{folder}", "profile": "TM-T20II", "paper_width_mm": 80},
    )
    assert response.status_code == 200
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    _work(app)
    from pathlib import Path

    assert [p.suffix for p in sorted(Path(folder).iterdir())] == [".escpos", ".png"]


def test_a_stale_claim_is_taken_again(app, client, fair, emulator):
    _set_printer(client, fair, emulator.port)
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    with app.app_context():
        # A worker that claimed the job and died before printing it.
        db.session.execute(
            sa.update(PrintJob).values(
                status="printing", claimed_by="dead", claimed_at=utcnow() - timedelta(minutes=5)
            )
        )
        db.session.commit()
    assert _work(app) == 1
    assert len(emulator.printed) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_claim_reads_the_waiting_receipts_once_whatever_the_statistics(app, client, fair):
    """Found by ``pos drill``: on a database whose statistics were not gathered yet (a fair
    just loaded, autovacuum off), the claim joined the booths' printers to the waiting
    jobs in a nested loop that read every waiting job once per booth: 0.5 s a claim with
    2,000 receipts waiting, and receipts fell minutes behind. Its plan must read them
    once, whatever the statistics."""
    from pos.events.models import Event
    from pos.exhibitors.services import create_exhibitor
    from pos.printing import queue
    from pos.printing.models import PrinterSettings

    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    with app.app_context():
        event = db.session.get(Event, fair.event_id)
        booths = [
            create_exhibitor(
                event,
                {
                    "booth": f"P{n:03d}",
                    "name": f"C{n}",
                    "name_ar": "ت",
                    "legal_form": "cooperative",
                    "province": "Khénifra",
                    "sector": "Miel",
                },
            ).id
            for n in range(240)
        ]
        db.session.add_all(
            PrinterSettings(
                exhibitor_id=booth,
                connection="tcp://10.0.0.9:9100",
                profile="TM-T20II",
                paper_width_mm=80,
            )
            for booth in booths
        )
        db.session.add_all(
            PrintJob(
                sale_id=sale["id"], exhibitor_id=booths[n % 240], kind="receipt", status="queued"
            )
            for n in range(2000)
        )
        db.session.commit()
        statements = []
        engine = db.engine

        def keep(conn, cursor, statement, parameters, context, executemany):
            if "print_jobs" in statement and statement.lstrip().startswith(("UPDATE", "SELECT")):
                statements.append((statement, parameters))

        sa.event.listen(engine, "before_cursor_execute", keep)
        try:
            assert queue.claim("worker-1") is not None
        finally:
            sa.event.remove(engine, "before_cursor_execute", keep)
        [(claim, parameters)] = [s for s in statements if s[0].lstrip().startswith("UPDATE")]
        with engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + claim, parameters
            ).scalar_one()
            connection.rollback()

    def scans(node):
        if node.get("Relation Name") == "print_jobs":
            yield node["Actual Loops"]
        for child in node.get("Plans", []):
            yield from scans(child)

    assert max(scans(plan[0]["Plan"])) == 1
