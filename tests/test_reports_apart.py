"""Report files rendered in a child process (``POS_REPORTS_IN_CHILD``, the default of a
real server) are the same bytes as rendered in the request, and the server's worker only
waits for them."""

from __future__ import annotations

import multiprocessing
import os

import pytest
import sqlalchemy as sa

from pos import create_app
from pos.core.db import begin_organiser_read
from pos.core.priority import NICENESS
from pos.extensions import db
from tests.support import auth, post_sale, simple_sale


def test_an_export_rendered_in_a_child_process_is_the_same_file(app, client, fair, database_url):
    assert (
        post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).status_code
        == 201
    )
    url = f"/api/v1/events/{fair.event_id}/reports/impact?format=csv"
    inline = client.get(url, headers=auth(fair.organiser_token))
    child_app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "POS_REPORTS_IN_CHILD": True}
    )
    own_priority = os.nice(0)
    before = set(multiprocessing.active_children())
    in_child = child_app.test_client().get(url, headers=auth(fair.organiser_token))
    started = set(multiprocessing.active_children()) - before
    assert inline.status_code == in_child.status_code == 200
    assert in_child.data == inline.data
    assert "Coopérative Imilchil" in in_child.data.decode("utf-8-sig")
    assert len(started) == 1  # the worker's rendering child, kept for the next export
    # The child yields to the tills from its start; the worker's own threads keep theirs.
    [child] = started
    assert os.getpriority(os.PRIO_PROCESS, child.pid) == NICENESS
    assert os.nice(0) == own_priority
    statement = child_app.test_client().get(
        f"/api/v1/exhibitors/{fair.a.id}/statement?format=pdf", headers=auth(fair.a.token)
    )
    assert statement.status_code == 200 and statement.data.startswith(b"%PDF")
    with child_app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_organisers_read_keeps_to_one_process_of_the_database(app):
    """A report's or pos verify's queries run in PostgreSQL's processes, at the tills'
    priority: they use no parallel workers (more processes beside the tills') and no JIT,
    for that transaction only, and still read one snapshot."""
    with app.app_context():
        begin_organiser_read(db.session)

        def setting(name: str) -> str:
            return db.session.execute(sa.text(f"SHOW {name}")).scalar_one()

        assert setting("max_parallel_workers_per_gather") == "0"
        assert setting("jit") == "off"
        assert setting("transaction_isolation") == "repeatable read"
        db.session.rollback()
        assert setting("max_parallel_workers_per_gather") != "0"  # a till's transaction
        db.session.rollback()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_on_postgresql_a_report_takes_one_process_of_the_database_at_a_time(app, client, fair):
    """Each query runs in a PostgreSQL process at the tills' priority: the report's five
    aggregates run one after another over one connection, not in five processes at once
    (which can take both processors of a 2-core server from the tills), and see one snapshot."""
    from pos.events.models import Event
    from pos.reports.impact import impact_report

    assert (
        post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).status_code
        == 201
    )
    with app.app_context():
        backends: set[int] = set()

        def note_backend(conn, cursor, statement, parameters, context, executemany):
            backends.add(conn.connection.dbapi_connection.info.backend_pid)

        begin_organiser_read(db.session)
        sa.event.listen(db.engine, "before_cursor_execute", note_backend)
        try:
            report = impact_report(db.session.get(Event, fair.event_id))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note_backend)
            db.session.rollback()
    assert report["totals"]["sales_count"] == 1
    assert len(backends) == 1
