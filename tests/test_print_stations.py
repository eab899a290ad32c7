"""Print stations: a worker prints only for the booths whose printer hangs on its station,
and a station belongs to one fair; a worker is woken by the commit of a sale."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

from pos.events.models import Event
from pos.events.services import create_event
from pos.extensions import db
from pos.receipts import worker
from printers.emulator import PrinterEmulator
from tests.printing_support import put_printer
from tests.support import auth, post_sale, simple_sale


def _put_printer(client, fair, booth, connection: str, station=None):
    return put_printer(client, fair.organiser_token, booth.id, connection, station=station)


def _sale(client, booth) -> dict:
    product, price = (
        (booth.products["pot"], "130.00")
        if "pot" in booth.products
        else (booth.products["teapot"], "380.00")
    )
    response = post_sale(client, booth.token, booth.id, simple_sale(product, amount=price))
    assert response.status_code == 201, response.json
    return response.json


def test_a_booth_on_a_station_is_printed_only_by_that_stations_workers(app, client, fair, tmp_path):
    office = tmp_path / "printer-out" / "office"
    answer = _put_printer(client, fair, fair.a, f"file://{office}", station="fair-office")
    assert answer.status_code == 200, answer.json
    assert answer.json["station"] == "fair-office"
    sale = _sale(client, fair.a)

    assert worker.run(app, once=True) == 0  # a worker on no station leaves it
    assert worker.run(app, station="hall-b", once=True) == 0
    assert not office.exists()  # nothing written on another station's disk
    assert worker.run(app, station="fair-office", once=True) == 1
    assert [path.suffix for path in office.iterdir()] == [".escpos", ".png"]
    status = client.get(f"/api/v1/sales/{sale['id']}", headers=auth(fair.a.token))
    assert status.json["print_status"] == "printed"

    # Booth B's printer names no station: the station's worker leaves it to the others.
    assert (
        _put_printer(client, fair, fair.b, f"file://{tmp_path / 'printer-out' / 'b'}").json[
            "station"
        ]
        is None
    )
    _sale(client, fair.b)
    assert worker.run(app, station="fair-office", once=True) == 0
    assert worker.run(app, once=True) == 1


def test_a_station_belongs_to_one_fair(app, client, fair, tmp_path):
    assert (
        _put_printer(client, fair, fair.a, "tcp://192.168.1.50", station="hall-a").status_code
        == 200
    )
    with app.app_context():
        other = create_event(
            {
                "name": "Foire de Fès",
                "name_ar": "معرض فاس",
                "starts_on": date.today(),
                "ends_on": date.today() + timedelta(days=2),
                "timezone": "Africa/Casablanca",
                "currency": "MAD",
            },
            db.session.get_one(Event, fair.event_id).organisation_id,  # the same organiser's
        )
        db.session.commit()
        other_id = other.id
    created = client.post(
        f"/api/v1/events/{other_id}/exhibitors",
        headers=auth(fair.organiser_token),
        json={
            "name": "Coopérative Fès",
            "name_ar": "تعاونية فاس",
            "legal_form": "cooperative",
            "province": "Fès",
            "sector": "honey",
            "booth": "F01",
        },
    )
    assert created.status_code == 201, created.json
    answer = put_printer(
        client, fair.organiser_token, created.json["id"], "tcp://192.168.1.50", station="hall-a"
    )
    # The same private address at another fair: its receipts must not reach hall A's printer.
    assert answer.status_code == 422 and "station" in answer.json["errors"]
    bad = _put_printer(client, fair, fair.b, "tcp://192.168.1.51", station="Hall A!")
    assert bad.status_code == 422 and "station" in bad.json["errors"]


def test_a_worker_is_woken_by_the_sale_not_by_its_poll(app, client, fair, tmp_path):
    printer = PrinterEmulator(port=0).start()
    assert _put_printer(client, fair, fair.a, f"tcp://127.0.0.1:{printer.port}").status_code == 200
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run, args=(app,), kwargs={"poll_seconds": 60, "stop": stop}, daemon=True
    )
    thread.start()
    try:
        time.sleep(0.5)  # asleep, with a minute before it would look again
        sold = time.monotonic()
        _sale(client, fair.a)
        while not printer.printed and time.monotonic() - sold < 10:
            time.sleep(0.01)
        waited = time.monotonic() - sold
    finally:
        stop.set()
        thread.join(5)
        printer.stop()
    assert not thread.is_alive()
    assert printer.printed and waited < 3, waited
