"""Runs the web console's JavaScript unit tests (Tests/web/*.test.mjs) under Node's test runner:
Socket.IO codec, back-off, Engine.IO ping/pong and reconnection, the wallboard model, CSV export,
routes and the Refresher."""
import glob
import os
import shutil
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_console_modules_pass_their_node_tests():
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "nodejs is missing: run scripts/install-deps --test"
    files = sorted(glob.glob(os.path.join(ROOT, "Tests", "web", "*.test.mjs")))
    assert files
    p = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]
    assert "# fail 0" in p.stdout, p.stdout[-2000:]
