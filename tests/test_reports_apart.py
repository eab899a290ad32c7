"""Report files rendered in a child process (``POS_REPORTS_IN_CHILD``, the default of a
real server) are the same bytes as rendered in the request, and the server's worker only
waits for them."""

from __future__ import annotations

import multiprocessing
import os

from pos import create_app
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
