"""Who sold is a fact of the sale: a sale may name the booth's member who sold; the answer,
the sale, its hash and the booth's statement carry it."""

from __future__ import annotations

from pos.integrity.verify import verify_all
from tests.support import auth, post_sale, row_counts, simple_sale
from tests.test_verify import tamper


def _member(client, fair, booth, name: str) -> int:
    response = client.post(
        f"/api/v1/exhibitors/{booth.id}/members",
        json={"name": name, "pin": "4821"},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _sale(client, fair, member_id=None):
    body = simple_sale(fair.a.products["pot"]) | (
        {"member_id": member_id} if member_id is not None else {}
    )
    return post_sale(client, fair.a.token, fair.a.id, body)


def test_a_sale_names_the_member_who_sold_and_the_statement_splits_by_member(app, client, fair):
    fatima = _member(client, fair, fair.a, "Fatima")
    aicha = _member(client, fair, fair.a, "Aïcha")
    first = _sale(client, fair, fatima)
    assert first.status_code == 201 and first.json["member_id"] == fatima
    assert _sale(client, fair, fatima).status_code == 201
    assert _sale(client, fair, aicha).status_code == 201
    unsaid = _sale(client, fair)
    assert unsaid.status_code == 201 and unsaid.json["member_id"] is None
    shown = client.get(f"/api/v1/sales/{first.json['id']}", headers=auth(fair.a.token))
    assert shown.json["member_id"] == fatima

    statement = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/statement", headers=auth(fair.a.token)
    ).json
    by_member = {(row["member_id"], row["name"]): row for row in statement["by_member"]}
    assert by_member[(fatima, "Fatima")]["sales_count"] == 2
    assert by_member[(fatima, "Fatima")]["net"] == "260.00"
    assert by_member[(aicha, "Aïcha")]["sales_count"] == 1
    assert by_member[(None, None)]["sales_count"] == 1
    assert statement["by_member"][-1]["member_id"] is None  # the unsaid last


def test_the_member_is_sealed_in_the_sales_hash(app, client, fair, backend):
    fatima = _member(client, fair, fair.a, "Fatima")
    aicha = _member(client, fair, fair.a, "Aïcha")
    sale = _sale(client, fair, fatima).json
    with app.app_context():
        assert verify_all().ok
    # Someone changes who sold, behind the application's back.
    tamper(app, backend, f"UPDATE sales SET member_id = {aicha} WHERE id = {sale['id']}")
    with app.app_context():
        report = verify_all()
    assert not report.ok
    assert any(sale["receipt_number"] in problem for problem in report.problems), report.problems


def test_another_booths_member_is_refused_and_nothing_written(app, client, fair):
    other = _member(client, fair, fair.b, "Khadija")
    before = row_counts(app)
    for member_id in (other, 2**31 - 1):
        answer = _sale(client, fair, member_id)
        assert answer.status_code == 422 and "member_id" in answer.json["errors"], answer.json
    assert _sale(client, fair, "3").status_code == 422  # a number, not a string
    counts = row_counts(app)
    # Refused sales are journaled (for the organiser); nothing else is written.
    assert {k: v for k, v in counts.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def test_a_phone_keeps_a_pin_verifier_never_the_pin(app, client, fair):
    from pos.members import verifier

    member_id = _member(client, fair, fair.a, "Fatima")
    [member] = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/members", headers=auth(fair.a.token)
    ).json["items"]
    kept = member["pin_verifier"]
    assert kept.startswith("pbkdf2-sha256$100000$") and "4821" not in kept
    assert verifier.matches(kept, "4821") and not verifier.matches(kept, "4822")
    # A new PIN, a new verifier; no PIN, none.
    client.patch(
        f"/api/v1/members/{member_id}", json={"pin": "9731"}, headers=auth(fair.organiser_token)
    )
    [member] = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/members", headers=auth(fair.a.token)
    ).json["items"]
    assert member["pin_verifier"] != kept and verifier.matches(member["pin_verifier"], "9731")
    # Booth B's phone sees none of it.
    answer = client.get(f"/api/v1/exhibitors/{fair.a.id}/members", headers=auth(fair.b.token))
    assert answer.status_code == 404
