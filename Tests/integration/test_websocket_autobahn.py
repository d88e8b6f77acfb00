"""RFC 6455 conformance of the gateway's own WebSocket implementation: the Autobahn core cases
(1.x-7.x, 9.x, 10.x; 301 cases, permessage-deflate 12.x/13.x excluded) run by kosoku 0.1.0
against the test-only echo endpoint `/ws-echo` (enabled by IBRAT_WS_ECHO=1)."""
import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

KOSOKU_VERSION = "0.1.0"
CORE_CASES = 301


def find_kosoku():
    here = os.path.join(os.path.dirname(sys.executable), "kosoku")
    if os.access(here, os.X_OK):
        return here
    found = shutil.which("kosoku")
    if found:
        return found
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        f"kosoku=={KOSOKU_VERSION}"], capture_output=True, text=True, timeout=300)
    if r.returncode == 0 and os.access(here, os.X_OK):
        return here
    pytest.skip(f"kosoku=={KOSOKU_VERSION} could not be installed (pip said: {r.stderr.strip()[-300:]})")


@pytest.mark.ibrat_env({"IBRAT_WS_ECHO": "1"})
def test_autobahn_core_cases_all_pass(system, tmp_path):
    kosoku = find_kosoku()
    report = tmp_path / "kosoku-report"
    url = f"ws://127.0.0.1:{system.port}/ws-echo"
    r = subprocess.run([kosoku, url, "-x", "12.*", "-x", "13.*", "-o", str(report), "-p", "2"],
                       capture_output=True, text=True, timeout=600)
    behaviours = {}
    for path in glob.glob(str(report / "*.json")):
        try:
            with open(path) as f:
                case = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(case, dict) and "behavior" in case:
            behaviours[os.path.basename(path)] = (case["behavior"], case.get("behaviorClose"))
    failed = {name: b for name, b in behaviours.items()
              if b[0] not in ("OK", "NON-STRICT", "INFORMATIONAL") or b[1] not in ("OK", "INFORMATIONAL")}
    assert r.returncode == 0 and not failed, f"kosoku rc={r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}\n{failed}"
    assert len(behaviours) == CORE_CASES, f"expected {CORE_CASES} case reports, got {len(behaviours)}"


def test_echo_endpoint_is_off_by_default(system):
    import requests
    r = requests.get(system.url + "/ws-echo", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, timeout=5)
    assert r.status_code == 404
