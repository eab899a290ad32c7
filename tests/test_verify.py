"""``pos verify`` finds each kind of tampering done behind the application's back."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from pos.extensions import db
from tests.livesupport import POS
from tests.support import auth, post_sale, simple_sale


def tamper(app, backend, *statements):
    """Run raw SQL with the append-only triggers out of the way, as an intruder would."""
    with app.app_context(), db.engine.begin() as connection:
        if backend == "postgresql":
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            names = (
                connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                .scalars()
                .all()
            )
            for name in names:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            connection.exec_driver_sql(statement)


def verify(app):
    result = app.test_cli_runner().invoke(args=["verify"])
    return result.exit_code, result.output


@pytest.fixture
def five_sales(client, fair):
    sales = [
        post_sale(
            client,
            fair.a.token,
            fair.a.id,
            simple_sale(fair.a.products["pot"], quantity=str(n), amount=f"{130 * n}.00"),
        ).json
        for n in range(1, 6)
    ]
    client.post(
        f"/api/v1/sales/{sales[3]['id']}/void",
        json={"reason": "erreur"},
        headers=auth(fair.a.token),
    )
    post_sale(
        client, fair.b.token, fair.b.id, simple_sale(fair.b.products["teapot"], amount="380.00")
    )
    return sales


def test_intact_chains_verify_clean(app, five_sales):
    own_priority = os.nice(0)
    code, output = verify(app)
    assert code == 0, output
    assert "all intact" in output
    assert "3 chains" in output  # booths A and B, and the event journal
    # It ran at the lowest priority in a thread of its own: its caller keeps its own.
    assert os.nice(0) == own_priority


def test_a_changed_amount_is_named(app, backend, five_sales):
    sale = five_sales[2]
    tamper(
        app,
        backend,
        f"UPDATE sale_lines SET line_total = 1, quantity = 1 WHERE sale_id = {sale['id']}",
    )
    code, output = verify(app)
    assert code == 1
    assert f"sale {sale['receipt_number']} (id {sale['id']}, link 3) was changed" in output


def test_the_pos_command_typed_in_a_terminal_verifies_and_says_how_it_ended(
    app, backend, database_url, five_sales
):
    """Typed in a terminal, ``pos verify`` leads its process group and works in a child of
    its own session (``pos.__main__``): what it finds and its exit status still reach the
    organiser."""
    sale = five_sales[1]

    def typed_in_a_terminal():
        # A session of its own, as a terminal's command leads its group.
        return subprocess.run(
            [POS, "verify"],
            env={**os.environ, "POS_DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
        )

    intact = typed_in_a_terminal()
    assert intact.returncode == 0 and "all intact" in intact.stdout, intact.stderr
    tamper(app, backend, f"UPDATE sales SET total = 1 WHERE id = {sale['id']}")
    broken = typed_in_a_terminal()
    assert broken.returncode == 1, broken.stderr
    assert f"sale {sale['receipt_number']} (id {sale['id']}, link 2) was changed" in broken.stdout


def test_work_apart_from_the_tills_takes_a_session_of_its_own_at_the_lowest_priority():
    """A nice value only orders the processes of one session where the kernel groups them
    by session (autogroups): work apart takes its own session, and gives it the lowest
    weight."""
    script = (
        "import os\n"
        "from pos.core.priority import yield_to_tills\n"
        "before = os.getsid(0)\n"
        "yield_to_tills()\n"
        "print(os.getsid(0) == os.getpid() != before, os.nice(0))\n"
        "if os.path.exists('/proc/self/autogroup'):\n"
        "    print(open('/proc/self/autogroup').read().split()[-1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "True 19"
    if os.path.exists("/proc/self/autogroup"):
        assert lines[1] == "19"  # "/autogroup-N nice 19": the session's weight, lowest


def test_a_record_missing_in_the_middle_is_named(app, backend, five_sales):
    sale = five_sales[1]
    tamper(
        app,
        backend,
        f"DELETE FROM idempotency_records WHERE sale_id = {sale['id']}",
        f"DELETE FROM sale_lines WHERE sale_id = {sale['id']}",
        f"DELETE FROM payments WHERE sale_id = {sale['id']}",
        f"DELETE FROM sales WHERE id = {sale['id']}",
    )
    code, output = verify(app)
    assert code == 1
    assert "link(s) 2..2 missing before sale A01-000003" in output
    assert "receipt(s) A01-000002 missing" in output


def _cut_tail(sale_id: int) -> list[str]:
    """Statements removing the last two links: the void (link 6) and the last sale (link 5)."""
    return [
        "DELETE FROM sale_voids",
        f"DELETE FROM idempotency_records WHERE sale_id = {sale_id}",
        f"DELETE FROM sale_lines WHERE sale_id = {sale_id}",
        f"DELETE FROM payments WHERE sale_id = {sale_id}",
        f"DELETE FROM sales WHERE id = {sale_id}",
    ]


def test_records_deleted_from_the_end_are_noticed(app, backend, five_sales):
    last = five_sales[4]
    tamper(app, backend, *_cut_tail(last["id"]))
    code, output = verify(app)
    assert code == 1
    assert "records were deleted from the end" in output
    assert "receipt(s) A01-000005 missing" in output


def test_a_tail_cut_with_the_head_rewound_is_caught_by_the_closing(
    app, client, backend, fair, five_sales
):
    day = five_sales[0]["period_date"]
    assert (
        client.post(
            f"/api/v1/exhibitors/{fair.a.id}/closings",
            json={"date": day},
            headers=auth(fair.a.token),
        ).status_code
        == 201
    )
    with app.app_context():
        link_4_hash = db.session.execute(
            sa.text("SELECT hash FROM sales WHERE id = :s"), {"s": five_sales[3]["id"]}
        ).scalar()
    # The intruder cuts the tail and rewinds the ledger head so the chain looks whole.
    tamper(
        app,
        backend,
        *_cut_tail(five_sales[4]["id"]),
        f"UPDATE exhibitor_ledgers SET last_chain_seq = 4, last_receipt_number = 4, "
        f"last_hash = '{link_4_hash}' WHERE exhibitor_id = {fair.a.id}",
    )
    code, output = verify(app)
    assert code == 1
    assert "closing Z#1" in output and "anchors link 6, which is missing" in output


def test_a_changed_journal_entry_is_named(app, client, backend, five_sales):
    with app.app_context():
        seq = db.session.execute(
            sa.text("SELECT seq FROM audit_events WHERE kind = 'sale.voided'")
        ).scalar_one()
    tamper(
        app,
        backend,
        "UPDATE audit_events SET details = '{\"reason\": \"other\"}' WHERE kind = 'sale.voided'",
    )
    code, output = verify(app)
    assert code == 1
    assert f"journal entry {seq} (sale.voided" in output and "was changed" in output


def test_verify_while_tills_sell_sees_one_moment(app, fair, monkeypatch):
    """A sale recorded while ``pos verify`` runs, after it read the chains' heads: the check
    reads one snapshot, so it reports no broken chain (on PostgreSQL each statement of a
    plain transaction would see the new sale and not the head that was read before it)."""
    import threading

    from pos.integrity import verify as verify_module
    from tests.support import post_sale, simple_sale

    real_check, sold = verify_module._verify_exhibitor, []

    def check_after_a_sale(exhibitor, head, report):
        if not sold:
            thread = threading.Thread(
                target=lambda: sold.append(
                    post_sale(
                        app.test_client(),
                        fair.a.token,
                        fair.a.id,
                        simple_sale(fair.a.products["pot"]),
                    ).status_code
                )
            )
            thread.start()
            thread.join(30)
        return real_check(exhibitor, head, report)

    post_sale(app.test_client(), fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    monkeypatch.setattr(verify_module, "_verify_exhibitor", check_after_a_sale)
    result = app.test_cli_runner().invoke(args=["verify"])
    assert sold == [201]
    assert result.exit_code == 0, result.output
    assert "all intact" in result.output
