"""A booth's printer paired to its phone: the jobs wait for the phone, which fetches their
exact bytes, prints them itself and says how it went."""

from __future__ import annotations

from pos.printing.models import DONE, ON_DEVICE, RETRYABLE, STATE_WORDS
from pos.receipts import worker
from printers.decode import decode
from printers.render import PAPERS
from tests.support import auth, post_sale, row_counts, simple_sale


def _on_phone(client, fair, booth=None):
    booth = booth or fair.a
    response = client.put(
        f"/api/v1/exhibitors/{booth.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
    )
    assert response.status_code == 200, response.json
    return response.json


def _jobs(client, booth, state="pending"):
    response = client.get(
        f"/api/v1/exhibitors/{booth.id}/print-jobs?state={state}", headers=auth(booth.token)
    )
    assert response.status_code == 200, response.json
    return response.json


def _sale(client, fair):
    return post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json


def _status(client, booth, sale_id):
    return client.get(f"/api/v1/sales/{sale_id}", headers=auth(booth.token)).json["print_status"]


def _report(client, booth, job_id, state, detail=None):
    body = {"state": state} | ({"detail": detail} if detail else {})
    return client.post(f"/api/v1/print-jobs/{job_id}/result", json=body, headers=auth(booth.token))


def test_the_phone_takes_the_receipt_prints_it_and_the_sale_says_printed(app, client, fair):
    assert _on_phone(client, fair)["connection"] == "device"
    sale = _sale(client, fair)
    assert sale["print_status"] == "pending"
    assert worker.run(app, once=True) == 0  # the server's workers leave it to the phone

    [job] = _jobs(client, fair.a)
    assert (job["sale_id"], job["kind"], job["state"]) == (sale["id"], "receipt", "pending")
    escpos = client.get(f"/api/v1/print-jobs/{job['id']}/escpos", headers=auth(fair.a.token))
    assert escpos.status_code == 200 and escpos.mimetype == "application/octet-stream"
    [printed] = decode(escpos.data, PAPERS[58].dots)
    # The booth's 58 mm paper, a cut at the end.
    assert printed.cut and max(image.width for image in printed.images) <= PAPERS[58].dots
    assert any(sale["receipt_number"] in line for line in printed.text_lines)

    answer = _report(client, fair.a, job["id"], "printed")
    assert answer.status_code == 200 and answer.json["state"] == "printed"
    assert _status(client, fair.a, sale["id"]) == "printed"
    assert _jobs(client, fair.a) == []
    # The phone's "printed" said again (its first answer lost) changes nothing.
    assert _report(client, fair.a, job["id"], "printed").status_code == 200
    assert _report(client, fair.a, job["id"], "failed").status_code == 409
    # Said in the cashier's words, the job's state too (not its key, "printed").
    refused = client.post(
        f"/api/v1/print-jobs/{job['id']}/result",
        json={"state": "failed"},
        headers={**auth(fair.a.token), "Accept-Language": "ar"},
    )
    assert refused.json["detail"] == "ليس هذا الوصل مما يطبعه الهاتف (حالته: مطبوع)."
    assert set(STATE_WORDS) == {*RETRYABLE, *DONE, *ON_DEVICE, "printing"}  # each has words
    # The receipt's preview shows the bytes the phone sent.
    preview = client.get(f"/api/v1/sales/{sale['id']}/receipt.png", headers=auth(fair.a.token))
    assert preview.status_code == 200 and preview.data.startswith(b"\x89PNG")


def test_a_failed_print_says_why_and_stays_the_phones_to_print_again(client, fair):
    _on_phone(client, fair)
    sale = _sale(client, fair)
    [job] = _jobs(client, fair.a)
    answer = _report(client, fair.a, job["id"], "failed", "the printer did not answer")
    assert answer.json["detail"] == "the printer did not answer"
    assert _status(client, fair.a, sale["id"]) == "failed"
    assert _jobs(client, fair.a) == []
    [failed] = _jobs(client, fair.a, "failed")
    assert failed["id"] == job["id"]
    assert _report(client, fair.a, job["id"], "printed").status_code == 200
    assert _status(client, fair.a, sale["id"]) == "printed"


def test_copies_and_voids_go_to_the_phone_too(client, fair):
    _on_phone(client, fair)
    sale = _sale(client, fair)
    copy = client.post(f"/api/v1/sales/{sale['id']}/reprint", headers=auth(fair.a.token))
    assert copy.status_code == 202 and copy.json["print_status"] == "pending"
    void = client.post(
        f"/api/v1/sales/{sale['id']}/void", json={"reason": "erreur"}, headers=auth(fair.a.token)
    )
    assert void.status_code in (200, 201), void.json
    assert [job["kind"] for job in _jobs(client, fair.a)] == ["receipt", "copy", "void"]


def test_receipts_waiting_follow_the_printer_when_the_organiser_moves_it(app, client, fair):
    # A network printer that is not there: the receipt waits for it.
    response = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "tcp://127.0.0.1:9", "paper_width_mm": 80, "profile": "TM-T20II"},
    )
    assert response.status_code == 200, response.json
    sale = _sale(client, fair)
    worker.run(app, once=True)
    assert _status(client, fair.a, sale["id"]) == "failed_retrying"

    _on_phone(client, fair)  # paired to the phone instead: the phone prints it
    assert [job["sale_id"] for job in _jobs(client, fair.a)] == [sale["id"]]
    response = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "tcp://127.0.0.1:9", "paper_width_mm": 80, "profile": "TM-T20II"},
    )
    assert _jobs(client, fair.a) == []
    assert _status(client, fair.a, sale["id"]) == "queued"  # back to the server's workers


def test_a_job_the_server_prints_is_not_the_phones_to_report(app, client, fair):
    client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "tcp://127.0.0.1:9", "paper_width_mm": 80, "profile": "TM-T20II"},
    )
    sale = _sale(client, fair)
    with app.app_context():
        from pos.extensions import db
        from pos.printing.models import PrintJob

        job_id = db.session.query(PrintJob.id).filter_by(sale_id=sale["id"]).scalar()
    answer = _report(client, fair.a, job_id, "printed")
    assert answer.status_code == 409 and answer.mimetype == "application/problem+json"
    assert _status(client, fair.a, sale["id"]) == "queued"


def test_bad_results_name_the_field_and_write_nothing(app, client, fair):
    _on_phone(client, fair)
    _sale(client, fair)
    [job] = _jobs(client, fair.a)
    before = row_counts(app)
    for body in ({"state": "done"}, {}, {"state": "failed", "detail": "x" * 501}):
        answer = client.post(
            f"/api/v1/print-jobs/{job['id']}/result", json=body, headers=auth(fair.a.token)
        )
        assert answer.status_code == 422, (body, answer.json)
        assert set(answer.json["errors"]) <= {"state", "detail"} and answer.json["errors"]
    listing = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/print-jobs?state=printed", headers=auth(fair.a.token)
    )
    assert listing.status_code == 422 and "state" in listing.json["errors"]
    assert row_counts(app) == before
    assert _jobs(client, fair.a)[0]["state"] == "pending"


def test_one_booth_cannot_see_take_or_report_anothers_receipts(client, fair):
    _on_phone(client, fair)
    _sale(client, fair)
    [job] = _jobs(client, fair.a)
    b = auth(fair.b.token)
    assert client.get(f"/api/v1/exhibitors/{fair.a.id}/print-jobs", headers=b).status_code == 404
    assert client.get(f"/api/v1/print-jobs/{job['id']}/escpos", headers=b).status_code == 404
    stolen = client.post(
        f"/api/v1/print-jobs/{job['id']}/result", json={"state": "printed"}, headers=b
    )
    assert stolen.status_code == 404
    assert _jobs(client, fair.a)[0]["state"] == "pending"
    # Nor can a cashier move its own booth's printer to the phone: the organiser sets it.
    moved = client.put(
        f"/api/v1/exhibitors/{fair.b.id}/printer",
        headers=b,
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
    )
    assert moved.status_code == 403


def _second_phone(client, fair) -> str:
    response = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        headers=auth(fair.organiser_token),
        json={"label": "Tablette de Khadija"},
    )
    assert response.status_code == 201, response.json
    return response.json["token"]


def _claim(client, token, booth, **body):
    response = client.post(
        f"/api/v1/exhibitors/{booth.id}/print-jobs/claim", json=body, headers=auth(token)
    )
    assert response.status_code == 200, response.json
    return [job["id"] for job in response.json["items"]]


def _report_as(client, token, job_id, state):
    return client.post(
        f"/api/v1/print-jobs/{job_id}/result", json={"state": state}, headers=auth(token)
    )


def test_two_phones_claiming_at_once_never_get_the_same_receipt(app, client, fair):
    from concurrent.futures import ThreadPoolExecutor

    _on_phone(client, fair)
    other = _second_phone(client, fair)
    for _ in range(12):
        _sale(client, fair)

    def phone(token):
        """Claims two at a time and prints them, as a till does, until nothing waits."""
        own, printed = app.test_client(), []
        while batch := _claim(own, token, fair.a, limit=2):
            for job_id in batch:
                assert _report_as(own, token, job_id, "printed").status_code == 200
            printed += batch
        return printed

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(phone, [fair.a.token, other])
    assert not set(first) & set(second)
    assert len(first + second) == 12 and _jobs(client, fair.a) == []


def test_only_the_phone_holding_a_receipt_reports_it(client, fair):
    _on_phone(client, fair)
    other = _second_phone(client, fair)
    _sale(client, fair)
    [job_id] = _claim(client, fair.a.token, fair.a)
    assert _claim(client, other, fair.a) == []  # held by the first phone
    assert _claim(client, fair.a.token, fair.a) == [job_id]  # its own again, when it asks
    assert _report_as(client, other, job_id, "printed").status_code == 409
    assert _report_as(client, fair.a.token, job_id, "printed").status_code == 200
    assert _report_as(client, other, job_id, "printed").status_code == 200  # said twice
    assert _report_as(client, other, job_id, "failed").status_code == 409


def test_a_receipt_claimed_again_after_its_bytes_were_fetched_prints_as_a_copy(client, fair):
    """Found by ``pos drill``: the phone printed a receipt, its report was lost (the server
    killed), and its next claim gave it the same job, which it printed again as an original.
    Claimed again before its bytes were fetched (no printer in reach then), it is still the
    receipt."""
    _on_phone(client, fair)
    _sale(client, fair)
    [job_id] = _claim(client, fair.a.token, fair.a)
    assert _claim(client, fair.a.token, fair.a) == [job_id]  # could not print then
    assert _jobs(client, fair.a)[0]["kind"] == "receipt"
    fetched = client.get(f"/api/v1/print-jobs/{job_id}/escpos", headers=auth(fair.a.token))
    assert fetched.status_code == 200
    assert _claim(client, fair.a.token, fair.a) == [job_id]  # printed, the report lost
    assert _jobs(client, fair.a)[0]["kind"] == "copy"
    assert _report(client, fair.a, job_id, "printed").status_code == 200


def test_bytes_read_by_another_than_the_holder_change_nothing(client, fair):
    _on_phone(client, fair)
    other = _second_phone(client, fair)
    _sale(client, fair)
    [job_id] = _claim(client, fair.a.token, fair.a)
    assert client.get(f"/api/v1/print-jobs/{job_id}/escpos", headers=auth(other)).status_code == 200
    assert _claim(client, fair.a.token, fair.a) == [job_id]
    assert _jobs(client, fair.a)[0]["kind"] == "receipt"


def test_a_printer_moved_from_the_phone_to_the_server_mid_print_prints_no_receipt_twice(
    app, client, fair, tmp_path
):
    _on_phone(client, fair)
    sales = [_sale(client, fair) for _ in range(3)]
    held = _claim(client, fair.a.token, fair.a, limit=1)  # the phone is printing the first
    assert len(held) == 1
    folder = tmp_path / "printer-out" / "server"
    moved = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": f"file://{folder}", "paper_width_mm": 80, "profile": "TM-T20II"},
    )
    assert moved.status_code == 200
    # The server prints the two no phone held, not the one the phone is printing.
    assert worker.run(app, once=True) == 2
    assert _report(client, fair.a, held[0], "printed").status_code == 200
    assert worker.run(app, once=True) == 0
    assert len(list(folder.glob("*.escpos"))) == 2
    assert {_status(client, fair.a, sale["id"]) for sale in sales} == {"printed"}


def test_a_phone_that_never_says_is_taken_over_once_its_lease_ends(app, client, fair):
    import sqlalchemy as sa

    from pos.extensions import db
    from pos.printing.models import PrintJob

    _on_phone(client, fair)
    other = _second_phone(client, fair)
    _sale(client, fair)
    _sale(client, fair)
    [first, second] = _claim(client, fair.a.token, fair.a)
    assert _claim(client, other, fair.a) == []  # held
    # It fetched the first's bytes, not the second's (no printer in reach), then went quiet.
    fetched = client.get(f"/api/v1/print-jobs/{first}/escpos", headers=auth(fair.a.token))
    assert fetched.status_code == 200
    with app.app_context():  # a minute passes
        db.session.execute(sa.update(PrintJob).values(lease_expires_at=sa.func.current_timestamp()))
        db.session.commit()
    assert _claim(client, other, fair.a) == [first, second]
    # The first may have printed before it went quiet: the other phone prints a copy; the
    # second it never had in hand, and it prints as the receipt.
    assert [job["kind"] for job in _jobs(client, fair.a)] == ["copy", "receipt"]
    job_id = first
    assert _report_as(client, other, job_id, "printed").status_code == 200
    assert _report_as(client, fair.a.token, job_id, "failed").status_code == 409


def test_rawbt_says_sent_until_the_member_confirms_it_printed(client, fair):
    _on_phone(client, fair)
    sale = _sale(client, fair)
    [job_id] = _claim(client, fair.a.token, fair.a)
    assert _report(client, fair.a, job_id, "sent").json["state"] == "sent"
    assert _status(client, fair.a, sale["id"]) == "sent"
    assert _claim(client, fair.a.token, fair.a, include_failed=True) == []  # not sent again
    assert _report(client, fair.a, job_id, "printed").json["state"] == "printed"
    assert _status(client, fair.a, sale["id"]) == "printed"


def test_a_claim_is_the_booths_own(client, fair):
    _on_phone(client, fair)
    _sale(client, fair)
    answer = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/print-jobs/claim", json={}, headers=auth(fair.b.token)
    )
    assert answer.status_code == 404
    bad = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/print-jobs/claim",
        json={"limit": 0},
        headers=auth(fair.a.token),
    )
    assert bad.status_code == 422 and "limit" in bad.json["errors"]
