"""Organisations apart: an organiser sees and changes only its organisation's fairs and
everything in them; anything else is a 404, as another booth is to a cashier. An admin
sees every organisation. Walked over every route, not sampled."""

from __future__ import annotations

from datetime import timedelta

from pos.auth.models import Organisation, User
from pos.auth.services import create_user
from pos.auth.tokens import issue_token
from pos.core.db import utcnow
from pos.extensions import db
from tests.support import ORGANISATION, auth, csrf_of, row_counts, sign_in_page
from tests.test_isolation import _api_routes, _b_objects, _call

OTHER_EMAIL = "organisateur@oriental.ma"
OTHER_PASSWORD = "Oriental-2026-salon"


def _token_of(app, email: str, role: str = "organiser", organisation: str | None = None):
    with app.app_context():
        user = create_user(email, OTHER_PASSWORD, role, organisation=organisation)
        token, _ = issue_token(role=role, user_id=user.id, expires_at=utcnow() + timedelta(hours=1))
        db.session.commit()
        return token


def test_an_organiser_of_another_organisation_gets_404_for_every_route_of_the_fair(
    app, client, fair
):
    objects = _b_objects(client, fair)
    other = _token_of(app, OTHER_EMAIL, organisation="Région de l'Oriental")
    before = row_counts(app)
    walked = 0
    for rule, method in _api_routes(app):
        url = rule.build({name: objects[name] for name in rule.arguments}, append_unknown=False)
        url = url[1] if isinstance(url, tuple) else url
        response = _call(client, method, url, other)
        body = response.get_data(as_text=True)
        walked += 1
        if rule.arguments:
            assert response.status_code == 404, (method, url, response.status_code, body)
            assert response.mimetype == "application/problem+json"
        else:
            assert response.status_code in (200, 201, 404, 422), (method, url, body)
        # Nothing of the fair leaks out: not its name, not a booth's.
        for secret in ("Salon régional", "Imilchil", "Tamaynoute", "B07", "A01"):
            assert secret not in body, (method, url, body)
    assert walked >= 30
    # The only row the walk may add: its own empty fair, if the event route took the body.
    after = row_counts(app)
    assert {k: v for k, v in after.items() if k not in ("events", "audit_events")} == {
        k: v for k, v in before.items() if k not in ("events", "audit_events")
    }
    # Its list of fairs holds none of the other organisation's.
    listed = client.get("/api/v1/events", headers=auth(other)).json
    assert fair.event_id not in [event["id"] for event in listed["items"]]


# The organisers' pages that show or change a fair: every one is walked.
PAGE_BLUEPRINTS = ("dashboard", "setup")
# Pages about the signed-in organiser, not about a fair.
OWN_PAGES = {
    "dashboard.static",
    "dashboard.home",
    "dashboard.login_form",
    "dashboard.login",
    "dashboard.logout",
    "dashboard.logout_everywhere",
}


def test_every_page_of_another_organisations_fair_is_not_found(app, client, fair):
    objects = _b_objects(client, fair)
    objects |= {"fmt": "csv"}
    _token_of(app, OTHER_EMAIL, organisation="Région de l'Oriental")
    sign_in_page(client, OTHER_EMAIL, OTHER_PASSWORD)
    # Signed in, the session's form token is new: the one a form of its pages carries.
    token = csrf_of(client.get("/login").get_data(as_text=True))
    before = row_counts(app)
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in PAGE_BLUEPRINTS or rule.endpoint in OWN_PAGES:
            continue
        path = rule.build({name: objects[name] for name in rule.arguments})[1]
        url = f"{path}?event={fair.event_id}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, "name": "Pris", "label": "volé"}
            response = client.open(url, method=method, data=data if method == "POST" else None)
            walked += 1
            body = response.get_data(as_text=True)
            assert response.status_code == 404, (method, url, response.status_code)
            for secret in ("Imilchil", "Tamaynoute", "Salon régional"):
                assert secret not in body, (method, url)
    assert walked >= 18
    assert row_counts(app) == before
    # Without ?event=, its dashboard has no fair of its own to show: not the other's.
    assert client.get("/dashboard").status_code == 404


def test_the_organisers_own_organisation_and_an_admin_see_the_fair(app, client, fair):
    colleague = _token_of(app, "collegue@example.ma", organisation=ORGANISATION)
    admin = _token_of(app, "admin@tadamon.ma", role="admin")
    for token in (fair.organiser_token, colleague, admin):
        answer = client.get(f"/api/v1/events/{fair.event_id}", headers=auth(token))
        assert answer.status_code == 200, answer.json
        booth = client.get(f"/api/v1/exhibitors/{fair.b.id}", headers=auth(token))
        assert booth.status_code == 200
    # A fair an organiser makes is its organisation's, whatever the body says.
    body = {
        "name": "Salon national",
        "name_ar": "المعرض الوطني",
        "starts_on": "2027-05-01",
        "ends_on": "2027-05-09",
        "organisation_id": 999,
    }
    made = client.post("/api/v1/events", json=body, headers=auth(colleague))
    assert made.status_code == 201, made.json
    with app.app_context():
        own = db.session.scalar(db.select(Organisation.id).where(Organisation.name == ORGANISATION))
    assert made.json["organisation_id"] == own
    # An admin names the organisation; one that does not exist is refused.
    refused = client.post("/api/v1/events", json=body, headers=auth(admin))
    assert refused.status_code == 422 and "organisation_id" in refused.json["errors"]


def test_an_earlier_edition_is_one_of_the_organisations_own_fairs(app, client, fair):
    other = _token_of(app, OTHER_EMAIL, organisation="Région de l'Oriental")
    body = {
        "name": "Salon de l'Oriental",
        "name_ar": "معرض الشرق",
        "starts_on": "2027-05-01",
        "ends_on": "2027-05-09",
        "previous_event_id": fair.event_id,
    }
    answer = client.post("/api/v1/events", json=body, headers=auth(other))
    assert answer.status_code == 422 and "previous_event_id" in answer.json["errors"]


def test_users_add_puts_an_organiser_in_its_organisation(app, fair):
    invoke = app.test_cli_runner().invoke
    answer = invoke(
        args=["users", "add", "o1@souss.ma", "--role", "organiser", "--organisation", "Souss"],
        input="Souss-Massa-2026\nSouss-Massa-2026\n",
    )
    assert answer.exit_code == 0, answer.output
    assert "of organisation 'Souss'" in answer.output
    # Two organisations now: an organiser without one named is refused, saying how.
    answer = invoke(
        args=["users", "add", "o2@souss.ma", "--role", "organiser"],
        input="Souss-Massa-2026\nSouss-Massa-2026\n",
    )
    assert answer.exit_code != 0 and "--organisation NAME" in answer.output
    with app.app_context():
        souss = db.session.scalar(
            db.select(User.organisation_id).where(User.email == "o1@souss.ma")
        )
        assert db.session.get(Organisation, souss).name == "Souss"
