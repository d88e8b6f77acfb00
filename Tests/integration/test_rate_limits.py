"""Issue 10, rate limits that fit an office: with the default limits (100 per 15 minutes per address
for anonymous requests, 1,000 per 15 minutes per user with a valid token), fifty operators behind one
address are fifty clients; anonymous logins from one address are still limited; a forwarding header
from an untrusted peer changes nothing, and one from a trusted proxy names the client."""
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from helpers import call, expect, expect_error, register

DEFAULTS = {"IBRAT_RATE_LIMIT": "100/900", "IBRAT_USER_RATE_LIMIT": "1000/900"}


def _login(system, email="nobody@example.com", headers=None):
    return call(system, "POST", "/api/auth/login", json={"email": email, "password": "wrong-pass-1"},
                headers=headers or {})


@pytest.mark.ibrat_env(DEFAULTS)
def test_fifty_users_on_one_address_are_not_limited_but_anonymous_logins_are(system):
    admin = system.login()
    users = [register(system, admin, f"Office {i}", f"office{i}@example.com")[1] for i in range(50)]

    def work(token):
        with requests.Session() as s:
            statuses = [s.get(system.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"},
                              timeout=10).status_code for _ in range(150)]
        return statuses

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, users))
    assert all(status == 200 for statuses in results for status in statuses), \
        {s for statuses in results for s in statuses}
    r = call(system, "GET", "/api/auth/me", users[0])
    assert r.headers["RateLimit-Limit"] == "1000" and int(r.headers["RateLimit-Remaining"]) == 1000 - 151

    # Anonymous requests from this address (the harness's start-up checks and the admin's login
    # came first) are limited at 100: the one that finds its window used up is refused.
    first = _login(system)
    assert first.status_code == 401 and first.headers["RateLimit-Limit"] == "100"
    for _ in range(int(first.headers["RateLimit-Remaining"])):
        expect_error(_login(system), 401, error="Invalid credentials")
    expect_error(_login(system), 429, error="Too Many Requests")
    r = _login(system)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # A spoofed X-Forwarded-For from an untrusted peer (no IBRAT_TRUSTED_PROXIES) changes nothing.
    expect_error(_login(system, headers={"X-Forwarded-For": "198.51.100.77"}), 429)
    # Users with a token are still served.
    expect(call(system, "GET", "/api/auth/me", users[1]), 200)


@pytest.mark.ibrat_env(dict(DEFAULTS, IBRAT_RATE_LIMIT="3/900", IBRAT_TRUSTED_PROXIES="127.0.0.1"))
def test_trusted_proxy_forwards_the_client_address(system):
    for client in ("198.51.100.1", "198.51.100.2"):
        for _ in range(3):
            expect_error(_login(system, headers={"X-Forwarded-For": client}), 401)
        expect_error(_login(system, headers={"X-Forwarded-For": client}), 429)
    # The client cannot pick another address by prepending one: the proxy's entry is the rightmost.
    expect_error(_login(system, headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}), 429)
    expect_error(_login(system, headers={"Forwarded": "for=198.51.100.3"}), 401)
