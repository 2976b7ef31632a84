"""The admin login is throttled: failed logins per account and per address, in the shared cache."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

LOGIN = "/admin/login/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def editors(db):
    cache.clear()
    users = get_user_model().objects
    yield [
        users.create_superuser(f"editor{n}", f"editor{n}@example.com", PASSWORD) for n in range(3)
    ]
    cache.clear()


def attempt(username: str, password: str, address: str = "203.0.113.7"):
    """One login from a fresh browser at `address`."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return response, client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_24_wrong_ones(editors):
    for _ in range(24):
        response, _client = attempt("editor0", "wrong")
        assert response.status_code in (200, 429)
    response, client = attempt("editor0", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed logins" in response.content.decode()
    assert not logged_in(client)


def test_failures_count_per_account_whatever_the_address(settings, editors):
    limit = settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT
    for n in range(limit):
        response, _client = attempt("editor0", "wrong", address=f"198.51.100.{n + 1}")
        assert response.status_code == 200
    response, client = attempt("editor0", PASSWORD, address="192.0.2.200")
    assert response.status_code == 429
    assert not logged_in(client)
    # Another account from that fresh address is not affected.
    response, client = attempt("editor1", PASSWORD, address="192.0.2.200")
    assert response.status_code == 302 and logged_in(client)


def test_failures_count_per_address_whatever_the_account(settings, editors):
    settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        response, _client = attempt(f"nobody{n}", "wrong")
        assert response.status_code == 200
    response, client = attempt("editor2", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    # The same account from another address logs in.
    response, client = attempt("editor2", PASSWORD, address="192.0.2.9")
    assert response.status_code == 302 and logged_in(client)


def test_an_ipv6_client_cannot_hop_around_its_own_64(settings, editors):
    settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        attempt(f"nobody{n}", "wrong", address=f"2001:db8:1:2::{n + 1}")
    response, _client = attempt("editor0", PASSWORD, address="2001:db8:1:2::ffff")
    assert response.status_code == 429


def test_a_login_under_the_limit_works_and_successes_do_not_count(settings, editors):
    limit = settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT
    for _ in range(limit - 1):
        assert attempt("editor0", "wrong")[0].status_code == 200
    for _ in range(limit + 2):
        response, client = attempt("editor0", PASSWORD)
        assert response.status_code == 302 and logged_in(client)


def test_the_lock_lifts_when_the_window_passes(settings, editors, monkeypatch):
    settings.VERDICTS_ADMIN_LOGIN_WINDOW = 60
    now = 1_800_000_000.0
    monkeypatch.setattr("verdicts.common.ratelimit.time.time", lambda: now)
    for _ in range(settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT):
        attempt("editor0", "wrong")
    assert attempt("editor0", PASSWORD)[0].status_code == 429
    monkeypatch.setattr("verdicts.common.ratelimit.time.time", lambda: now + 61)
    response, client = attempt("editor0", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
