"""GET /metrics on the real three daemons: the live output passes `promtool check metrics`
(Debian `prometheus`), parses as Prometheus text and as OpenMetrics (prometheus-client), counts
what the test does (requests, a dispatched call, a CSV import, a Socket.IO session), shows a daemon
that is down as `ibrat_daemon_up 0` without its figures, refuses a non-loopback peer without an
admin token, and exports every metric the alert rules and the Grafana dashboard use."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess

import pytest
import requests
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text

from conftest import ROOT, System, auth
from helpers import upload_csv

MONITORING = os.path.join(ROOT, "docs", "monitoring")

def scrape(system, **headers):
    r = requests.get(system.url + "/metrics", headers=headers, timeout=5)
    assert r.status_code == 200, r.text
    return r


def samples(text):
    """{(name, frozenset(labels)): value} of a text-format exposition."""
    out = {}
    for family in parse_text(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(text, name, **labels):
    for (n, l), v in samples(text).items():
        if n == name and set(labels.items()) <= set(l):
            return v
    return None


def test_live_output_passes_promtool_and_both_parsers(system):
    token = system.login()
    op_id, _ = system.create_operator(token, "Olga", "olga@example.com")
    r = requests.post(system.url + "/api/leads", headers=auth(token), timeout=5,
                      json={"phone": "+998901234567", "name": "Urgent lead", "priority": "urgent"})
    assert r.status_code == 201, r.text
    csv = "name,phone,priority\nAli,+998901111111,high\nVali,+998902222222,low\nBad,12,low\n"
    assert upload_csv(system, token, csv).status_code == 200
    assert requests.get(system.url + "/socket.io/?EIO=4&transport=polling", timeout=5).status_code == 200
    requests.get(system.url + "/no/such/route", timeout=5)

    system.wait_for(lambda: (value(scrape(system).text, "ibrat_dispatch_decisions_total", priority="urgent") or 0) >= 1,
                    what="the urgent lead dispatched")
    system.wait_for(lambda: (value(scrape(system).text, "ibrat_calls_total", status="initiated") or 0) >= 1,
                    what="the dialer counting the call")
    response = scrape(system)
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.text

    assert shutil.which("promtool"), "promtool missing: scripts/install-deps --test installs Debian prometheus"
    check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0 and check.stdout.strip() == "" and check.stderr.strip() == "", \
        f"promtool: {check.stdout}{check.stderr}"

    assert value(text, "ibrat_http_requests_total", route="/api/leads", method="POST", status="201") == 1
    assert value(text, "ibrat_http_requests_total", route="unmatched", status="404") >= 1
    assert value(text, "ibrat_http_request_duration_seconds_count", route="/api/leads/upload-csv") == 1
    assert value(text, "ibrat_csv_imports_total", outcome="completed") == 1
    assert value(text, "ibrat_csv_rows_total", result="imported") == 2
    assert value(text, "ibrat_csv_rows_total", result="invalid") == 1
    assert value(text, "ibrat_socketio_connections", transport="polling") >= 1
    assert sum(v for (n, l), v in samples(text).items() if n == "ibrat_leads") == 3
    assert value(text, "ibrat_dispatch_due_to_dial_seconds_count", priority="urgent") >= 1
    assert value(text, "ibrat_lines", state="max") == 5
    assert value(text, "ibrat_operators", state="free") + value(text, "ibrat_operators", state="on_call") >= 1
    assert value(text, "ibrat_operators", state="wrap_up") is not None
    # Issue 14: the abandon rate per window (what IbratAbandonRateNearCap reads), its cap, the dial level.
    assert value(text, "ibrat_abandon_rate", window="30d") == 0 and value(text, "ibrat_abandon_rate", window="day") == 0
    assert value(text, "ibrat_abandon_rate_cap") == 0.03
    assert value(text, "ibrat_answered_calls", window="30d") == 0
    assert value(text, "ibrat_pacing_dial_level") >= 0
    assert value(text, "ibrat_pacing_predictive", setting="configured") == 0
    for daemon in ("api-gateway", "queue-daemon", "dialer-daemon"):
        assert value(text, "ibrat_daemon_up", daemon=daemon) == 1
        assert value(text, "ibrat_process_resident_memory_bytes", daemon=daemon) > 1_000_000
        assert value(text, "ibrat_process_open_fds", daemon=daemon) >= 3
        assert value(text, "ibrat_process_start_time_seconds", daemon=daemon) > 1.6e9
        assert value(text, "ibrat_process_cpu_seconds_total", daemon=daemon) is not None
        assert value(text, "ibrat_build_info", daemon=daemon) == 1
    assert value(text, "ibrat_ipc_requests_total", daemon="queue-daemon", peer="dialer-daemon", outcome="ok") >= 1
    assert value(text, "ibrat_ipc_request_duration_seconds_count", daemon="api-gateway", peer="queue-daemon") >= 1

    open_response = scrape(system, Accept="application/openmetrics-text; version=1.0.0")
    assert open_response.headers["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    families = {f.name: f for f in parse_openmetrics(open_response.text)}
    assert families["ibrat_http_requests"].type == "counter"
    assert families["ibrat_dispatch_due_to_dial_seconds"].type == "histogram"
    assert families["ibrat_leads"].type == "gauge"


def test_a_daemon_that_is_down_shows_up_zero_and_no_stale_figures(system):
    assert value(scrape(system).text, "ibrat_calls_active") is not None
    system.kill("dialer-daemon", signal.SIGTERM)
    system.wait_for(lambda: value(scrape(system).text, "ibrat_daemon_up", daemon="dialer-daemon") == 0,
                    what="dialer-daemon reported down")
    text = scrape(system).text
    assert value(text, "ibrat_calls_active") is None
    assert value(text, "ibrat_process_open_fds", daemon="dialer-daemon") is None
    assert value(text, "ibrat_daemon_up", daemon="queue-daemon") == 1
    system.start("dialer-daemon")
    system.wait_for(lambda: value(scrape(system).text, "ibrat_daemon_up", daemon="dialer-daemon") == 1,
                    what="dialer-daemon back")


def outside_address():
    """A non-loopback IPv4 address of this machine (nothing is sent), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.mark.ibrat_env({"IBRAT_HTTP_HOST": "0.0.0.0"})
def test_non_loopback_peer_needs_an_admin_token(system):
    address = outside_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from")
    url = f"http://{address}:{system.port}/metrics"
    refused = requests.get(url, timeout=5)
    assert refused.status_code == 403
    assert refused.json()["error"] == "Forbidden"
    token = system.login()
    _, operator = system.create_operator(token, "Op", "op@example.com")
    assert requests.get(url, headers=auth(operator), timeout=5).status_code == 403
    assert requests.get(url, headers=auth(token), timeout=5).status_code == 200


def used_metric_names():
    text = open(os.path.join(MONITORING, "ibrat-alerts.yml")).read()
    dashboard = json.load(open(os.path.join(MONITORING, "grafana-dashboard.json")))
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            text += "\n" + target["expr"]
    return set(re.findall(r"\bibrat_[a-z0-9_]+", text))


def test_rules_and_dashboard_use_exported_metrics(system):
    token = system.login()
    system.create_operator(token, "Olga", "olga@example.com")
    requests.post(system.url + "/api/leads", headers=auth(token), timeout=5,
                  json={"phone": "+998901234567", "name": "Lead", "priority": "urgent"})
    text = scrape(system).text
    exported = set()
    for family in parse_text(text):
        exported.add(family.name)
        exported.update(s.name for s in family.samples)
    missing = sorted(used_metric_names() - exported)
    assert missing == [], f"used in docs/monitoring but not exported: {missing}"


def test_alert_rules_pass_promtool_check_and_unit_tests():
    assert shutil.which("promtool"), "promtool missing: scripts/install-deps --test installs Debian prometheus"
    check = subprocess.run(["promtool", "check", "rules", "ibrat-alerts.yml"], cwd=MONITORING,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 5 rules found" in check.stdout
    tests = subprocess.run(["promtool", "test", "rules", "ibrat-alerts.test.yml"], cwd=MONITORING,
                           capture_output=True, text=True, timeout=60)
    assert tests.returncode == 0, tests.stdout + tests.stderr
