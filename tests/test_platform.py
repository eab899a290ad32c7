"""Two hosts on one PostgreSQL database, each with its own instance folder and no
POS_SECRET_KEY, serve one platform: a page session opened on one holds on the other, a form
loaded from one posts to the other, both serve the same HTTPS authority, and pairing links
carry the platform's address, not a host's."""

from __future__ import annotations

import http.cookiejar
import os
import re
import ssl
import subprocess
import urllib.parse
import urllib.request

import pytest

from tests.livesupport import POS, LiveServer
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth

PLATFORM = "https://pos.region-bmk.ma"
_UNVERIFIED = ssl._create_unverified_context()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(jar: http.cookiejar.CookieJar):
    """Cookies kept across hosts as a load balancer's single address would have them (the
    two hosts listen on 127.0.0.1, ports apart: a cookie is the host's, not the port's)."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar),
        urllib.request.HTTPSHandler(context=_UNVERIFIED),
        _NoRedirect,
    )


def _get(opener, url):
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _post(opener, url, form):
    """A form posted as a browser does over HTTPS: its Referer the page's own origin (one
    name for both hosts behind a balancer)."""
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_hosts_share_sessions_forms_the_authority_and_the_address(
    database_url, fair, tmp_path, backend
):
    subprocess.run(
        [POS, "public-url", PLATFORM],
        env={
            **os.environ,
            "POS_DATABASE_URL": database_url,
            "POS_INSTANCE_PATH": str(tmp_path / "setup"),
        },
        check=True,
        capture_output=True,
    )
    hosts = [
        LiveServer(
            database_url,
            workers=1,
            extra_env={"POS_INSTANCE_PATH": str(tmp_path / name), "POS_SECRET_KEY": ""},
            extra_args=("--https", "--no-print-worker"),
            scheme="https",
            log_path=tmp_path / f"{name}.log",
        )
        for name in ("host-a", "host-b")
    ]
    try:
        for host in hosts:
            host.wait_ready(60)
        a, b = hosts
        jar = http.cookiejar.CookieJar()
        browser = _browser(jar)
        # The sign-in form from host A, posted to host B.
        status, _, html = _get(browser, f"{a.base}/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', html.decode()).group(1)
        status, headers = _post(
            browser,
            f"{b.base}/login",
            {"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
        )
        assert status == 302 and headers["Location"].endswith("/dashboard"), status
        # The session opened on B holds on A.
        for host in (a, b):
            status, headers, _ = _get(browser, f"{host.base}/dashboard")
            assert status == 200, (host.base, status, headers.get("Location"))
        # One authority: a phone that installed it from A trusts B.
        served = [_get(browser, f"{host.base}/ca/tadamon-authority.crt")[2] for host in hosts]
        assert served[0] == served[1] and served[0]
        # Pairing links carry the platform's address, from either host.
        for host in hosts:
            status, _, device = host.request(
                "POST",
                f"/api/v1/exhibitors/{fair.a.id}/devices",
                {"label": f"phone via {host.port}"},
                auth(fair.organiser_token),
            )
            assert status == 201 and device["pairing_url"].startswith(f"{PLATFORM}/till/pair")
        # And the organisers' set-up page says which address that is.
        status, _, html = _get(browser, f"{a.base}/setup?event={fair.event_id}")
        assert status == 200 and PLATFORM in html.decode()
    finally:
        for host in hosts:
            host.stop()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_host_given_another_key_refuses_to_start_and_says_why(database_url, tmp_path, backend):
    env = {**os.environ, "POS_DATABASE_URL": database_url, "POS_INSTANCE_PATH": str(tmp_path)}
    first = subprocess.run(
        [POS, "secret-key", "rotate"],
        env={**env, "POS_SECRET_KEY": "the-key-every-host-is-given"},
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    refused = subprocess.run(
        [POS, "serve", "--port", "1", "--no-print-worker"],
        env={**env, "POS_SECRET_KEY": "a-key-only-this-host-has"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "POS_SECRET_KEY is not the one the other hosts" in refused.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_rotated_key_keeps_open_sessions_open(database_url, fair, tmp_path, monkeypatch):
    """One host on SQLite: `pos secret-key rotate` writes a new key in the instance folder;
    after the restart, a session signed with the old one still opens the dashboard, and new
    sessions are signed with the new one."""
    from pos import create_app

    monkeypatch.setenv("POS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("POS_SECRET_KEY", raising=False)
    before = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    browser = before.test_client()
    html = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    signed_in = browser.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 302
    old_key = before.config["SECRET_KEY"]
    rotated = before.test_cli_runner().invoke(args=["secret-key", "rotate"])
    assert rotated.exit_code == 0, rotated.output

    after = create_app({"SQLALCHEMY_DATABASE_URI": database_url})  # the restart
    assert after.config["SECRET_KEY"] != old_key
    assert after.config["SECRET_KEY_FALLBACKS"] == [old_key]
    same_browser = after.test_client()
    kept = browser.get_cookie("session")  # the cookie the organiser's browser kept
    same_browser.set_cookie("session", kept.value, domain=kept.domain)
    assert same_browser.get(f"/dashboard?event={fair.event_id}").status_code == 200
