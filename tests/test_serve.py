"""``pos serve`` is a production server that records sales over real HTTP."""

from __future__ import annotations

import uuid

from tests.livesupport import LiveServer
from tests.support import auth, simple_sale


def test_pos_serve_records_and_replays_a_sale_over_http(database_url, fair, tmp_path):
    server = LiveServer(database_url, log_path=tmp_path / "serve.log")
    try:
        server.wait_ready()
        headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())}
        body = simple_sale(fair.a.products["pot"], method="cash")
        status, response_headers, sale = server.request(
            "POST", f"/api/v1/exhibitors/{fair.a.id}/sales", body, headers
        )
        assert status == 201
        assert response_headers["Server"].startswith("gunicorn")
        status, replay_headers, replay = server.request(
            "POST", f"/api/v1/exhibitors/{fair.a.id}/sales", body, headers
        )
        assert status == 201 and replay == sale
        assert replay_headers["Idempotent-Replayed"] == "true"
    finally:
        server.stop()


def test_pos_serve_runs_a_print_worker(database_url, fair, tmp_path):
    import time

    from printers.emulator import PrinterEmulator

    printer = PrinterEmulator(port=0, out=tmp_path / "printed").start()
    server = LiveServer(database_url, log_path=tmp_path / "serve.log")
    try:
        server.wait_ready()
        status, _, _ = server.request(
            "PUT",
            f"/api/v1/exhibitors/{fair.a.id}/printer",
            {
                "connection": f"tcp://127.0.0.1:{printer.port}",
                "profile": "TM-T20II",
                "paper_width_mm": 80,
            },
            auth(fair.organiser_token),
        )
        assert status == 200
        headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())}
        _, _, sale = server.request(
            "POST",
            f"/api/v1/exhibitors/{fair.a.id}/sales",
            simple_sale(fair.a.products["pot"]),
            headers,
        )
        deadline, status = time.monotonic() + 20, sale["print_status"]
        while time.monotonic() < deadline and status != "printed":
            time.sleep(0.1)
            _, _, again = server.request(
                "GET", f"/api/v1/sales/{sale['id']}", None, auth(fair.a.token)
            )
            status = again["print_status"]
        assert status == "printed"
        assert len(printer.printed) == 1
    finally:
        server.stop()
        printer.stop()


def test_pos_serve_speaks_https_with_a_given_certificate(database_url, fair, tmp_path):
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = LiveServer(
        database_url,
        log_path=tmp_path / "serve.log",
        scheme="https",
        extra_args=("--certfile", str(cert), "--keyfile", str(key), "--no-print-worker"),
    )
    try:
        server.wait_ready()
        status, _, listing = server.request(
            "GET", f"/api/v1/exhibitors/{fair.a.id}/products", None, auth(fair.a.token)
        )
        assert status == 200 and listing["total"] == 4
    finally:
        server.stop()


def _pairing_url(server, fair) -> str:
    status, _, device = server.request(
        "POST",
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        {"label": "Téléphone"},
        auth(fair.organiser_token),
    )
    assert status == 201, device
    return device["pairing_url"]


def test_links_point_to_the_port_the_server_is_served_at(database_url, fair, tmp_path):
    server = LiveServer(
        database_url,
        log_path=tmp_path / "serve.log",
        extra_args=("--no-print-worker",),
        extra_env={"POS_PUBLIC_URL": ""},  # not set: the served address it is
    )
    try:
        server.wait_ready()
        assert _pairing_url(server, fair).startswith(f"http://127.0.0.1:{server.port}/till/pair?")
    finally:
        server.stop()


def test_pos_serve_https_makes_the_fairs_authority_and_phones_trusting_it_connect(
    database_url, fair, tmp_path
):
    import ssl
    import urllib.request

    from cryptography import x509

    instance = tmp_path / "instance"
    server = LiveServer(
        database_url,
        log_path=tmp_path / "serve.log",
        scheme="https",
        extra_args=("--https", "--no-print-worker"),
        extra_env={"POS_INSTANCE_PATH": str(instance), "POS_PUBLIC_URL": ""},
    )
    try:
        server.wait_ready()
        authority = instance / "tls" / "authority.pem"
        # A phone that trusts only the fair's authority: the name and chain check out.
        trusting = ssl.create_default_context(cafile=str(authority))
        with urllib.request.urlopen(f"{server.base}/ca", context=trusting, timeout=10) as answer:
            html = answer.read().decode()
        certificate = x509.load_pem_x509_certificate(authority.read_bytes())
        from pos.trust.authority import fingerprint

        assert fingerprint(certificate) in html and "Android" in html
        with urllib.request.urlopen(
            f"{server.base}/ca/tadamon-authority.crt", context=trusting, timeout=10
        ) as answer:
            assert answer.headers["Content-Type"] == "application/x-x509-ca-cert"
            assert x509.load_der_x509_certificate(answer.read()) == certificate
        # One that does not know it is warned off, as a phone is before installing it.
        try:
            urllib.request.urlopen(f"{server.base}/ca", timeout=10)
            raise AssertionError("an unknown authority was trusted")
        except urllib.error.URLError as error:
            assert isinstance(error.reason, ssl.SSLCertVerificationError)
        assert _pairing_url(server, fair).startswith(f"https://127.0.0.1:{server.port}/till/pair?")
    finally:
        server.stop()
