"""Access logs at the default level (issue 10): at IBRAT_LOG_LEVEL=info a request is logged only
when it is an error, slow (IBRAT_SLOW_REQUEST_MS) or changes state; the rest at debug."""
import re

import pytest
import requests


def access_lines(system):
    return [l for l in system.log_text("api-gateway").splitlines()
            if re.search(r"(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /\S* \d{3} [\d.]+ms", l)]


def test_default_level_logs_errors_and_state_changes_but_not_health(system):
    for _ in range(20):
        assert requests.get(system.url + "/health", timeout=5).status_code == 200
    assert requests.get(system.url + "/api/no-such-route", timeout=5).status_code == 404
    token = system.login()   # POST /api/auth/login
    assert requests.get(system.url + "/api/leads", headers={"Authorization": "Bearer " + token}, timeout=5).ok
    system.wait_for(lambda: any("POST /api/auth/login 200" in l for l in access_lines(system)),
                    what="the login's access-log line")
    lines = access_lines(system)
    assert any("GET /api/no-such-route 404" in l for l in lines), lines
    assert not any("GET /health " in l for l in lines), lines
    assert not any("GET /api/leads 200" in l for l in lines), lines


@pytest.mark.ibrat_env({"IBRAT_LOG_LEVEL": "debug"})
def test_debug_level_logs_every_request(system):
    assert requests.get(system.url + "/health", timeout=5).status_code == 200
    system.wait_for(lambda: any("GET /health 200" in l for l in access_lines(system)), what="the /health line")


@pytest.mark.ibrat_env({"IBRAT_SLOW_REQUEST_MS": "0"})
def test_slow_threshold_is_configurable(system):
    assert requests.get(system.url + "/health", timeout=5).status_code == 200
    system.wait_for(lambda: any("GET /health 200" in l for l in access_lines(system)),
                    what="/health logged as slow with a 0 ms threshold")
