"""One Firefox tab on the console over WebDriver BiDi (see firefox_bidi.py): real pointer and key
input (input.performActions), controls found the way a user finds them (by label text, by button
name), waits that poll the page until a deadline, and the page's problems: uncaught errors and
console errors (log.entryAdded) and Content-Security-Policy violations (a preload script listens
for securitypolicyviolation before the console's own scripts run)."""
import base64
import json
import os
import tempfile
import time

WAIT_SECONDS = 15         # generous: the machine may be busy; passing runs take far less
POLL_SECONDS = 0.05
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = os.environ.get("IBRAT_SCREENSHOT_DIR") or os.path.join(tempfile.gettempdir(), "ibrat-screenshots")
WATCH_CSP = """() => {
  window.__ibratCsp = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__ibratCsp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
}"""
# Page-side lookups (the arguments come as JSON): a form control by its <label>'s text, a button
# by its text, and whether an element is rendered.
FIND = """
const byLabel = (text) => [...document.querySelectorAll('label')]
  .find((l) => l.textContent.trim() === text)?.control ?? null;
const button = (name) => [...document.querySelectorAll('button')]
  .find((b) => b.textContent.trim() === name && !b.disabled) ?? null;
const shown = (el) => !!el && el.getClientRects().length > 0 && !el.closest('[hidden]');
"""


class Tab:
    """A new tab of `firefox` (a Firefox from firefox_bidi.py), sized like a desktop."""

    def __init__(self, firefox):
        self.firefox = firefox
        self.context = firefox.command("browsingContext.create", type="tab")["context"]
        firefox.command("browsingContext.setViewport", context=self.context, viewport=DESKTOP)
        firefox.command("script.addPreloadScript", functionDeclaration=WATCH_CSP, contexts=[self.context])

    def open(self, url):
        self.firefox.command("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def js(self, body, *args):
        """Runs `body` (statements ending in `return ...`, async allowed) with `args` in the page; returns
        the JSON value of its result."""
        expression = (f"(async (...args) => {{ {FIND}\n const result = await (async () => {{ {body} }})();"
                      f" return JSON.stringify(result ?? null); }})(...{json.dumps(list(args))})")
        answer = self.firefox.command("script.evaluate", expression=expression, awaitPromise=True,
                                      target={"context": self.context}, resultOwnership="none")
        if answer["type"] == "exception":
            raise AssertionError(f"page script failed: {answer['exceptionDetails'].get('text')}")
        return json.loads(answer["result"]["value"])

    def element(self, body, *args):
        """The node reference (for input actions) that `body` returns in the page, or None."""
        expression = f"((...args) => {{ {FIND}\n return (() => {{ {body} }})(); }})(...{json.dumps(list(args))})"
        answer = self.firefox.command("script.evaluate", expression=expression, awaitPromise=False,
                                      target={"context": self.context}, resultOwnership="none")
        if answer["type"] == "exception":
            raise AssertionError(f"page script failed: {answer['exceptionDetails'].get('text')}")
        value = answer["result"]
        return value if value.get("type") == "node" else None

    def wait_until(self, body, *args, what="condition", timeout=WAIT_SECONDS):
        """Polls `body` in the page until it returns a truthy value (returned); fails after `timeout`."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.js(body, *args)
            if last:
                return last
            time.sleep(POLL_SECONDS)
        shot = self.screenshot("firefox-failure.png")
        raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r}); "
                             f"screenshot {shot}; page problems: {self.problems()}")

    def wait_for_element(self, body, *args, what):
        self.wait_until(f"{{ const el = (() => {{ {body} }})(); return shown(el); }}", *args, what=what)
        return self.element(body, *args)

    def click(self, node):
        origin = {"type": "element", "element": {"sharedId": node["sharedId"]}}
        self.firefox.command("input.performActions", context=self.context, actions=[{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                        {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}])
        self.firefox.command("input.releaseActions", context=self.context)

    def type_text(self, text):
        keys = [step for ch in text for step in ({"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch})]
        self.firefox.command("input.performActions", context=self.context,
                             actions=[{"type": "key", "id": "keyboard", "actions": keys}])

    def fill(self, label, text):
        """Clicks the control labelled `label` and types `text` into it, as a user does."""
        self.click(self.wait_for_element("return byLabel(args[0]);", label, what=f"a field labelled {label!r}"))
        self.type_text(text)
        typed = self.js("return byLabel(args[0]).value;", label)
        assert typed == text, f"{label!r} holds {typed!r} after typing {text!r}"

    def press(self, name):
        """Clicks the enabled button named `name`."""
        self.click(self.wait_for_element("return button(args[0]);", name, what=f"a button {name!r}"))

    def text(self, selector):
        return self.js("const el = document.querySelector(args[0]); return el ? el.textContent.trim() : null;",
                       selector)

    def wait_for_text(self, selector, expected, timeout=WAIT_SECONDS):
        self.wait_until("const el = document.querySelector(args[0]);"
                        " return !!el && shown(el) && el.textContent.includes(args[1]);",
                        selector, expected, what=f"{selector} to show {expected!r}", timeout=timeout)

    def problems(self):
        """JavaScript errors and console errors of this tab, and CSP violations, in words."""
        csp = self.js("return window.__ibratCsp || [];")   # also drains the events sent before it
        found = []
        for event in self.firefox.events:
            entry = event["params"]
            if event["method"] != "log.entryAdded" or entry.get("source", {}).get("context") != self.context:
                continue
            if entry.get("type") == "javascript" or entry.get("level") == "error":
                found.append(f"{entry.get('type')} {entry.get('level')}: {entry.get('text')}")
        return found + [f"CSP: {v}" for v in csp]

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name)
        data = self.firefox.command("browsingContext.captureScreenshot", context=self.context)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def close(self):
        self.firefox.command("browsingContext.close", context=self.context)
