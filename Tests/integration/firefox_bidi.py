"""A small WebDriver BiDi client for Debian's firefox-esr (issue 13: the console works in Firefox too).
Playwright cannot drive Debian's Firefox and geckodriver is not packaged, but Firefox speaks BiDi
itself: `firefox-esr --headless --remote-debugging-port=0 --profile DIR` prints the WebSocket it
listens on, and commands go over one WebSocket (websocket-client, pinned in scripts/test-env).
Events (log.entryAdded) that arrive while a command waits for its answer are kept in `events`."""
import json
import os
import shutil
import subprocess
import tempfile
import time

import websocket

START_SECONDS = 60        # a cold Firefox on a busy 2-core machine
COMMAND_SECONDS = 30      # one BiDi command (navigate waits for the load event)
LISTENING = "WebDriver BiDi listening on "
# Quiet profile: no first-run pages, updates, telemetry or extensions to slow the start.
PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "extensions.autoDisableScopes": 15,
}


def firefox_path():
    """Debian's firefox-esr (IBRAT_FIREFOX overrides), or None when it is not installed."""
    path = os.environ.get("IBRAT_FIREFOX") or shutil.which("firefox-esr")
    return path if path and os.path.exists(path) else None


class BiDiError(AssertionError):
    pass


class Firefox:
    """One headless Firefox and its BiDi session. `command(method, **params)` returns the result."""

    def __init__(self, path):
        self.profile = tempfile.mkdtemp(prefix="ibrat-firefox-")
        with open(os.path.join(self.profile, "user.js"), "w") as f:
            for key, value in PREFS.items():
                f.write(f"user_pref({json.dumps(key)}, {json.dumps(value)});\n")
        self.output_path = os.path.join(self.profile, "firefox.log")
        self.output = open(self.output_path, "wb")
        self.proc = subprocess.Popen([path, "--headless", "--no-remote", "--remote-debugging-port=0",
                                      "--profile", self.profile], stdout=self.output, stderr=subprocess.STDOUT,
                                     env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"})
        self.events = []
        self.next_id = 0
        self.ws = None
        try:
            self.ws = websocket.create_connection(self._wait_for_address() + "/session", suppress_origin=True,
                                                  timeout=COMMAND_SECONDS)
            self.command("session.new", capabilities={"alwaysMatch": {"unhandledPromptBehavior": {"default": "ignore"}}})
        except BaseException:
            self.close()
            raise

    def _wait_for_address(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for line in self.log().splitlines():
                if line.startswith(LISTENING):
                    return line[len(LISTENING):].strip()
            if self.proc.poll() is not None:
                raise BiDiError(f"firefox-esr exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.05)
        raise BiDiError(f"firefox-esr did not open its BiDi port in {START_SECONDS} s:\n{self.log()}")

    def log(self):
        with open(self.output_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def command(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        deadline = time.monotonic() + COMMAND_SECONDS
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == mine:
                if message.get("type") == "error":
                    raise BiDiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]
        raise BiDiError(f"{method}: no answer in {COMMAND_SECONDS} s")

    def close(self):
        if self.ws is not None:
            try:
                self.command("browser.close")
            except Exception:
                pass
            self.ws.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.output.close()
        shutil.rmtree(self.profile, ignore_errors=True)
