"""The OpenAPI document (docs/openapi.json, served at GET /api/openapi.json) is the contract of the
REST API: schemathesis generates requests from it, valid and invalid, against the real system,
once as an admin and once as an operator, with every check (no server errors; statuses, content
types, headers and bodies as documented; invalid data refused; valid data accepted; auth not
ignored; unknown methods refused; stateful sequences from the document's links) and 0 failures.

Rate limits are off in this system (IBRAT_RATE_LIMIT=0 from conftest, IBRAT_USER_RATE_LIMIT=0
here): schemathesis sends a few thousand requests from one address and one account within a
minute, so the limits (100 per 15 minutes per address, 1000 per user) would answer nearly all of
them 429 and the run would test the limiter instead of the API; the limiter has its own tests and
429 stays documented on every limited operation.

The Socket.IO endpoint (`/socket.io/`, tag `realtime`) is documented but not fuzzed here: it is
the Engine.IO protocol (sessions, packets), checked with real Socket.IO clients in
test_realtime_*.py. Settings and the two per-operation exceptions are in schemathesis.toml; tokens,
protected accounts and ordered date ranges in schemathesis_hooks.py."""
import os
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest
import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, auth

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMATHESIS = os.path.join(ROOT, ".venv-test", "bin", "schemathesis")
# Test cases per operation and phase; about 2,500 requests per role, under a minute each on 2 cores.
MAX_EXAMPLES = 10
# Fixed so a run is reproducible; IBRAT_SCHEMATHESIS_SEED explores others.
SEED = int(os.environ.get("IBRAT_SCHEMATHESIS_SEED", "1"))
# Longest a role's run may take before it counts as hung.
RUN_TIMEOUT_SECONDS = 240
# Fewest operations a role's run must report, so a run that tests nothing cannot pass.
MIN_OPERATIONS = 40
OPERATOR_EMAIL = "st-operator@example.com"
OPERATOR_PASSWORD = "operator-pass-1"
SEED_LEADS = ("+998901110001", "+998901110002", "+998901110003")


def seed_data(system, admin_token):
    """Leads and at least one call, so lists and reports answer with content to check."""
    for phone in SEED_LEADS:
        r = requests.post(system.url + "/api/leads", headers=auth(admin_token), timeout=5,
                          json={"phone": phone, "name": "Seed lead", "priority": "urgent", "tags": ["seed"]})
        assert r.status_code == 201, r.text

    def has_calls():
        r = requests.get(system.url + "/api/calls", headers=auth(admin_token), timeout=5)
        return r.status_code == 200 and r.json()["pagination"]["total"] > 0

    system.wait_for(has_calls, timeout=30, what="a simulated call")


def run_schemathesis(system, email, password, protected, workdir, name):
    report = os.path.join(workdir, f"schemathesis-{name}.xml")
    env = dict(os.environ, IBRAT_ST_URL=system.url, IBRAT_ST_EMAIL=email, IBRAT_ST_PASSWORD=password,
               IBRAT_ST_PROTECTED=",".join(protected),
               SCHEMATHESIS_HOOKS=os.path.join(HERE, "schemathesis_hooks.py"))
    cmd = [SCHEMATHESIS, "--config-file", os.path.join(HERE, "schemathesis.toml"), "--no-color", "run",
           system.url + "/api/openapi.json", "--url", system.url, "--exclude-tag", "realtime",
           "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "2",
           "--report", "junit", "--report-junit-path", report]
    started = time.monotonic()
    # cwd: schemathesis keeps its example database (.hypothesis/) in the working directory.
    proc = subprocess.run(cmd, env=env, cwd=workdir, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    elapsed = time.monotonic() - started
    output = proc.stdout + proc.stderr
    print(f"schemathesis as {name}: exit {proc.returncode} in {elapsed:.1f} s")
    summary = output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-3000:]
    assert proc.returncode == 0, f"schemathesis as {name} found failures:\n{output[-20000:]}"
    suites = list(ET.parse(report).getroot().iter("testsuite"))
    cases = [case for suite in suites for case in suite.iter("testcase")]
    assert len(cases) >= MIN_OPERATIONS, f"only {len(cases)} operations tested as {name}:\n{summary}"
    bad = [case.get("name") for case in cases if case.find("failure") is not None or case.find("error") is not None]
    assert bad == [], f"failing operations as {name}: {bad}\n{summary}"


@pytest.mark.ibrat_env({"IBRAT_USER_RATE_LIMIT": "0"})
def test_the_api_keeps_its_openapi_contract(system):
    r = requests.get(system.url + "/api/openapi.json", timeout=5)
    assert r.status_code == 200 and r.json()["openapi"] == "3.1.0"
    admin = system.login()
    admin_id = requests.get(system.url + "/api/auth/me", headers=auth(admin), timeout=5).json()["user"]["id"]
    operator_id, _ = system.create_operator(admin, "Schema Operator", OPERATOR_EMAIL, password=OPERATOR_PASSWORD)
    seed_data(system, admin)
    protected = (admin_id, operator_id)
    run_schemathesis(system, ADMIN_EMAIL, ADMIN_PASSWORD, protected, system.dir, "admin")
    run_schemathesis(system, OPERATOR_EMAIL, OPERATOR_PASSWORD, protected, system.dir, "operator")
