"""docs/openapi.json is written by scripts/openapi-gen from the route descriptions in
scripts/openapi/: a hand edit of the JSON, or a description changed without regenerating it,
fails here (the document the gateway serves must be the one the descriptions give)."""
import json
import os
import subprocess
import sys

from conftest import ROOT


def test_the_document_is_what_scripts_openapi_gen_writes():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "openapi-gen"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
        spec = json.load(f)
    assert spec["openapi"] == "3.1.0"
    assert len([op for item in spec["paths"].values() for op in item]) >= 45
