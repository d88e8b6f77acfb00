#!/usr/bin/env python3
"""The checks of scripts/systemd-e2e, run on the host inside the container's network namespace
(`nsenter -t <init> -n`), so HTTP goes to the container's 127.0.0.1:5000 while systemctl and
journalctl run fully inside the container through nsenter. Standard library only.

Phases: units up with the sockets systemd made and useful `STATUS=` lines; the sandbox really
applied to the running binaries (seccomp, no new privileges, no capabilities, the ibrat user,
a private network for the queue and dialer daemons, the WAL database in the state directory);
login; operators and leads; `systemctl restart` of the queue-daemon and then of the api-gateway
while a client keeps sending requests (no refused or reset connection, no lost lead, tokens stay
valid, the IPC sockets are the same ones systemd made); a CSV import (worker threads, a large IPC
transaction); `kill -9` of the dialer-daemon (systemd restarts it, the calls in flight end,
dispatch goes on); SIGSTOP of the queue-daemon (its watchdog fires, systemd restarts it); the
queue paused and drained: no lead left `calling`, no call left non-terminal; `journalctl LEAD_ID=`
showing all three daemons; `systemctl stop ibrat.target` with calls in flight stopping every unit
cleanly, a start that recovers (drained again), a final stop, and no unexpected warning or error
in the journal. The run uses a 5 s watchdog (a drop-in of scripts/systemd-e2e), so it also proves
the daemons' watchdog pings reach systemd."""
import argparse
import http.client
import json
import re
import sys
import time

from e2e_support import (HOST, PORT, Api, CheckFailed, Container, LoadClient, PhoneSeq, all_lead_phones,
                         call_status, control, count_calls, create_lead, entity_id, lead_total, list_calls,
                         login, step, wait_for)
DAEMONS = ("api-gateway", "queue-daemon", "dialer-daemon")
SOCKETS = ("ibrat-api-gateway.socket", "ibrat-queue-daemon.socket", "ibrat-dialer-daemon.socket")
TERMINAL_CALL = {"completed", "busy", "no-answer", "failed", "canceled"}
LIVE_CALL = {"initiated", "ringing", "answered"}
OPERATORS = 3
CSV_ROWS = 2000
# The STATUS= lines the daemons send (DESIGN §9): what `systemctl status` shows as "Status:".
STATUS_PATTERNS = {
    "api-gateway": re.compile(r"^serving on \S+, queue-daemon (up|down), dialer-daemon (up|down)"),
    # The dispatch line, or the line sent with READY=1 until dispatch sends its first one.
    "queue-daemon": re.compile(r"^(dialing \d+/\d+, \d+ pending, paused=(yes|no)"
                               r"|queue (running|paused), max \d+ concurrent calls)"),
    "dialer-daemon": re.compile(r"^\d+ active calls?, provider=\w+"),
}
# Journal lines of the daemons at warning or worse that are expected in this run.
EXPECTED_WARNINGS = (
    "Failed to set thread priority for worker thread",  # libdispatch renicing as a non-root user
    "Call was live when the dialer stopped",             # the calls cut by kill -9
    "connection lost", "lost the connection to",         # peers of a restarted daemon
    "to queue-daemon failed: 503",                       # commands in flight during its restart
    "dialer-daemon is shutting down",                    # a call placed as the dialer restarts: re-queued
)


def check_units(ct, watchdog):
    step("units: three services active (Type=notify, READY=1 sent), sockets listening")
    for d in DAEMONS:
        props = ct.show(f"ibrat-{d}.service", "ActiveState", "SubState", "Type", "WatchdogUSec", "StatusText", "User")
        if props.get("ActiveState") != "active" or props.get("SubState") != "running":
            raise CheckFailed(f"ibrat-{d}.service is {props.get('ActiveState')}/{props.get('SubState')}")
        if props.get("Type") != "notify" or props.get("User") != "ibrat" or props.get("WatchdogUSec") != watchdog:
            raise CheckFailed(f"ibrat-{d}.service: unexpected {props} (want Type=notify, User=ibrat, "
                              f"WatchdogUSec={watchdog})")
        text = props.get("StatusText", "")
        print(f"   ibrat-{d}: active, watchdog {props.get('WatchdogUSec')}, status \"{text}\"")
        if not STATUS_PATTERNS[d].match(text):
            raise CheckFailed(f"ibrat-{d}.service STATUS= line {text!r} does not match {STATUS_PATTERNS[d].pattern}")
    for s in SOCKETS:
        if ct.show(s, "ActiveState").get("ActiveState") != "active":
            raise CheckFailed(f"{s} is not active")
    listing = ct.run("stat", "-c", "%n %a %U:%G", "/run/ibrat/queue.sock", "/run/ibrat/dialer.sock")
    for line in listing.splitlines():
        if not line.endswith(" 660 ibrat:ibrat"):
            raise CheckFailed(f"socket permissions: {line} (want 660 ibrat:ibrat)")
    status = ct.run("systemctl", "status", "--no-pager", "--lines=0", *[f"ibrat-{d}.service" for d in DAEMONS],
                    check=False)
    shown = [line.strip() for line in status.splitlines() if line.strip().startswith("Status:")]
    if len(shown) != len(DAEMONS):
        raise CheckFailed(f"systemctl status shows {len(shown)} Status: lines, want {len(DAEMONS)}:\n{status}")


def socket_inodes(ct):
    """The inodes of the IPC socket files: the same ones across daemon restarts means the
    daemons use the sockets systemd made (a daemon binding its own would replace the file)."""
    out = ct.run("stat", "-c", "%n %i", "/run/ibrat/queue.sock", "/run/ibrat/dialer.sock")
    return dict(line.split() for line in out.splitlines())


def check_sandbox(ct):
    step("sandbox applied to the running binaries: seccomp, no new privileges, no capabilities, "
         "user ibrat, private network for queue/dialer, WAL database in the state directory")
    uid = ct.run("id", "-u", "ibrat").strip()
    init_net = ct.run("readlink", "/proc/1/ns/net").strip()
    for d in DAEMONS:
        pid = ct.show(f"ibrat-{d}.service", "MainPID")["MainPID"]
        fields = {}
        for line in ct.run("cat", f"/proc/{pid}/status").splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        want = {"Seccomp": "2", "NoNewPrivs": "1", "CapEff": "0000000000000000", "CapBnd": "0000000000000000"}
        bad = {k: fields.get(k) for k, v in want.items() if fields.get(k) != v}
        if bad:
            raise CheckFailed(f"ibrat-{d} (pid {pid}) is not sandboxed as its unit says: {bad}")
        if fields.get("Uid", "").split()[:1] != [uid]:
            raise CheckFailed(f"ibrat-{d} runs as uid {fields.get('Uid')}, want ibrat ({uid})")
        net = ct.run("readlink", f"/proc/{pid}/ns/net").strip()
        private = net != init_net
        if private != (d != "api-gateway"):
            raise CheckFailed(f"ibrat-{d}: network namespace {net} (host's {init_net}); "
                              f"want {'private' if d != 'api-gateway' else 'the host one'}")
        threads = int(fields.get("Threads", "0"))
        if d == "api-gateway" and threads < 2:
            raise CheckFailed(f"ibrat-api-gateway has {threads} thread(s) after a CSV upload: no worker threads?")
        print(f"   ibrat-{d}: pid {pid}, {threads} threads, seccomp filter, no capabilities, "
              f"{'private' if private else 'host'} network")
    db = ct.run("stat", "-c", "%n %a %U", "/var/lib/ibrat/ibrat.db", "/var/lib/ibrat/ibrat.db-wal")
    for line in db.splitlines():
        if not line.endswith(" 600 ibrat"):
            raise CheckFailed(f"database file {line} (want mode 600, owner ibrat)")
    print("   /var/lib/ibrat: ibrat.db and ibrat.db-wal, 0600 ibrat")


def create_operators(admin):
    step(f"creating {OPERATORS} operators (dispatch needs free operators)")
    for i in range(OPERATORS):
        status, body = admin.request("POST", "/api/auth/register", {
            "name": f"E2E Operator {i}", "email": f"operator{i}@e2e.test", "password": "operator-pass-1",
            "phone": f"+9989011100{i:02d}", "role": "operator"})
        if status != 201:
            raise CheckFailed(f"register operator {i} answered {status}: {body}")


def restart_under_load(ct, api, phones, daemon):
    step(f"systemctl restart ibrat-{daemon} while a client keeps sending requests")
    before = ct.show(f"ibrat-{daemon}.service", "MainPID")["MainPID"]
    inodes = socket_inodes(ct)
    client = LoadClient(api, phones)
    client.start()
    time.sleep(1.5)
    t0 = time.time()
    ct.run("systemctl", "restart", f"ibrat-{daemon}.service")
    restart_s = time.time() - t0
    time.sleep(2.0)
    client.stop.set()
    client.join(timeout=60)
    after = ct.show(f"ibrat-{daemon}.service", "MainPID", "ActiveState")
    print(f"   restart took {restart_s:.2f}s (pid {before} -> {after['MainPID']}); "
          f"{len(client.attempted)} leads attempted, responses {client.status_counts}")
    if after["MainPID"] == before or after["ActiveState"] != "active":
        raise CheckFailed(f"ibrat-{daemon} did not come back: {after}")
    if client.errors:
        raise CheckFailed(f"{len(client.errors)} failed requests during the restart, first: {client.errors[:5]}")
    missing = set(client.attempted) - all_lead_phones(api)
    if missing:
        raise CheckFailed(f"{len(missing)} leads lost across the restart: {sorted(missing)[:10]}")
    if len(client.attempted) < 5:
        raise CheckFailed(f"only {len(client.attempted)} requests went through during the restart window")
    if socket_inodes(ct) != inodes:
        raise CheckFailed(f"the IPC socket files changed across the restart: {inodes} -> {socket_inodes(ct)}")
    unavailable = client.status_counts.get(503, 0)
    if unavailable:
        print(f"   note: {unavailable} create(s) answered 503 while the daemon restarted (retried, none lost)")


def csv_import(api):
    step(f"CSV upload of {CSV_ROWS} leads (worker threads, one IPC import transaction)")
    before = lead_total(api)
    rows = ["name,phone,email,priority"]
    rows += [f"CSV Lead {i},+99895{i:07d},csv{i}@e2e.test,low" for i in range(CSV_ROWS)]
    boundary = "e2e-boundary-7f3a"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csvFile\"; filename=\"leads.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n" + "\n".join(rows) + f"\n\r\n--{boundary}--\r\n").encode()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    t0 = time.time()
    try:
        conn.request("POST", "/api/leads/upload-csv", body=body, headers={
            "Authorization": "Bearer " + api.token, "Connection": "close",
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = raw[:300]
    summary = payload.get("summary", {}) if isinstance(payload, dict) else {}
    if resp.status != 200 or summary.get("successCount") != CSV_ROWS:
        raise CheckFailed(f"CSV upload answered {resp.status}: {payload}")
    added = lead_total(api) - before
    if added != CSV_ROWS:
        raise CheckFailed(f"CSV upload reported {CSV_ROWS} leads but the lead count grew by {added}")
    print(f"   {CSV_ROWS} leads imported in {time.time() - t0:.2f}s")


def kill_dialer(ct, api, phones):
    step("kill -9 the dialer-daemon during calls; systemd restarts it and the calls recover")
    for _ in range(10):
        create_lead(api, phones.take(), "urgent")
    live = wait_for("calls in progress", lambda: [c for c in list_calls(api) if c.get("status") in LIVE_CALL], 60)
    live_ids = {entity_id(c) for c in live}
    known_ids = {entity_id(c) for c in list_calls(api)}
    props = ct.show("ibrat-dialer-daemon.service", "MainPID", "NRestarts")
    pid, restarts = props["MainPID"], int(props["NRestarts"])
    print(f"   {len(live_ids)} calls in progress; kill -9 {pid}")
    # bash's kill builtin: a minbase root has no /bin/kill (procps); the pid is the container's.
    ct.run("bash", "-c", 'kill -9 "$1"', "kill", pid)

    def back():
        p = ct.show("ibrat-dialer-daemon.service", "MainPID", "NRestarts", "ActiveState")
        return p if p["ActiveState"] == "active" and p["MainPID"] not in ("0", pid) else None
    p = wait_for("systemd to restart the dialer-daemon", back, 30)
    if int(p["NRestarts"]) != restarts + 1:
        raise CheckFailed(f"NRestarts went {restarts} -> {p['NRestarts']}, expected one automatic restart")
    print(f"   restarted by systemd as pid {p['MainPID']} (NRestarts={p['NRestarts']})")
    status, _ = api.request("GET", "/api/leads?page=1&limit=5")
    if status != 200:
        raise CheckFailed(f"reads failed after the dialer restart: {status}")
    wait_for("the calls interrupted by kill -9 to reach a final status",
             lambda: all(call_status(api, c) in TERMINAL_CALL for c in live_ids), 60)
    for _ in range(5):
        create_lead(api, phones.take(), "urgent")
    done = wait_for("a new call placed and finished after the restart",
                    lambda: [c for c in list_calls(api)
                             if entity_id(c) not in known_ids and c.get("status") in TERMINAL_CALL], 90)
    print(f"   interrupted calls ended; {len(done)} new calls finished after the restart")
    return done


def hang_queue(ct, api, phones, watchdog):
    step(f"SIGSTOP the queue-daemon: the watchdog ({watchdog}) catches the hang and systemd restarts it")
    props = ct.show("ibrat-queue-daemon.service", "MainPID", "NRestarts")
    pid, restarts = props["MainPID"], int(props["NRestarts"])
    t0 = time.time()
    ct.run("bash", "-c", 'kill -STOP "$1"', "kill", pid)

    def back():
        p = ct.show("ibrat-queue-daemon.service", "MainPID", "NRestarts", "ActiveState")
        return p if p["ActiveState"] == "active" and p["MainPID"] not in ("0", pid) else None
    p = wait_for("systemd to restart the hung queue-daemon", back, 40)
    if int(p["NRestarts"]) != restarts + 1:
        raise CheckFailed(f"NRestarts went {restarts} -> {p['NRestarts']}, expected one automatic restart")
    log = ct.run("journalctl", "-b", "--no-pager", "-o", "cat", "-u", "ibrat-queue-daemon.service", check=False)
    if "Watchdog timeout" not in log:
        raise CheckFailed("the queue-daemon was restarted, but not by its watchdog")
    status, body = wait_for("a lead created after the restart",
                            lambda: (lambda r: r if r[0] == 201 else None)(create_lead(api, phones.take(), "urgent")), 15)
    print(f"   watchdog fired, restarted as pid {p['MainPID']} {time.time() - t0:.1f}s after SIGSTOP; "
          f"commands work again")


def drained_after_recovery(ct, api):
    step("pause the queue; once the calls in flight end, no lead is left calling and no call non-terminal")
    control(api, "pause_queue")
    wait_for("queue-daemon STATUS= to say paused=yes",
             lambda: "paused=yes" in ct.show("ibrat-queue-daemon.service", "StatusText")["StatusText"], 10)

    def live():
        return sum(count_calls(api, s) for s in LIVE_CALL)
    t0 = time.time()
    try:
        wait_for("every call to reach a final status", lambda: live() == 0, 60)
    except CheckFailed:
        raise CheckFailed(f"{live()} calls still non-terminal 60s after pausing the queue")
    t_calls = time.time() - t0
    wait_for("no lead in status calling", lambda: lead_total(api, "&status=calling") == 0, 10)
    print(f"   calls final {t_calls:.1f}s after the pause, leads out of calling {time.time() - t0:.1f}s")
    # The dialer sends STATUS= at most once a second, the last change included.
    try:
        wait_for("the dialer's STATUS= line to say 0 active calls", lambda: ct.show(
            "ibrat-dialer-daemon.service", "StatusText")["StatusText"].startswith("0 active calls"), 5)
    except CheckFailed:
        text = ct.show("ibrat-dialer-daemon.service", "StatusText")["StatusText"]
        raise CheckFailed(f"the dialer's STATUS= line did not follow the drain: {text!r}")
    texts = {d: ct.show(f"ibrat-{d}.service", "StatusText")["StatusText"] for d in DAEMONS}
    print(f"   drained: 0 live calls, 0 leads calling; status: {texts}")
    control(api, "resume_queue")


def journal_follows_lead(ct, calls):
    step("journalctl LEAD_ID=<id> shows entries from all three daemons")
    lead_ids = []
    for c in calls:
        lead = c.get("lead") if c.get("lead") is not None else c.get("leadId")
        if entity_id(lead):
            lead_ids.append(entity_id(lead))
    if not lead_ids:
        raise CheckFailed(f"no lead id in the calls: {calls[:2]}")
    seen = {}

    def idents():
        for lead_id in lead_ids[:5]:
            out = ct.run("journalctl", f"LEAD_ID={lead_id}", "-o", "json", "--no-pager", check=False)
            names = {json.loads(line).get("SYSLOG_IDENTIFIER") for line in out.splitlines() if line.strip()}
            seen[lead_id] = names
            if set(DAEMONS) <= names:
                return lead_id
        return None
    try:
        lead_id = wait_for("journal entries of one lead from all three daemons", idents, 15)
    except CheckFailed:
        raise CheckFailed(f"journalctl LEAD_ID=: identifiers seen per lead: {seen}")
    print(f"   journalctl LEAD_ID={lead_id}: {sorted(seen[lead_id])}")


def stop_target(ct, label):
    step(f"systemctl stop ibrat.target {label}: every unit stops cleanly")
    t0 = time.time()
    ct.run("systemctl", "stop", "ibrat.target")
    units = [f"ibrat-{d}.service" for d in DAEMONS] + list(SOCKETS) + ["ibrat.target"]

    # `systemctl stop ibrat.target` returns once the target is down; the target is ordered after
    # the services (so that starting it waits for their READY=1), hence stopped before them.
    def down():
        states = {u: ct.show(u, "ActiveState", "Result") for u in units}
        return states if all(p.get("ActiveState") in ("inactive", "failed") for p in states.values()) else None
    states = wait_for("every ibrat unit to become inactive", down, 40)
    bad = {u: p for u, p in states.items() if p.get("ActiveState") != "inactive" or p.get("Result", "success") != "success"}
    if bad:
        raise CheckFailed(f"units after stop: {bad}")
    print(f"   every unit inactive, result success, {time.time() - t0:.2f}s after the stop command")


def start_target(ct, watchdog):
    step("systemctl start ibrat.target again: every daemon recovers before READY=1")
    t0 = time.time()
    ct.run("systemctl", "start", "ibrat.target")
    print(f"   started in {time.time() - t0:.2f}s")
    check_units(ct, watchdog)


def journal_clean(ct):
    step("the daemons' journal has no unexpected warning or error")
    log = ct.run("journalctl", "-b", "--no-pager", "-o", "cat", "-u", "ibrat-*", check=False)
    # The failures this run causes on purpose: kill -9 of the dialer, SIGSTOP of the queue.
    intended = ("ibrat-dialer-daemon.service: Failed with result 'signal'",
                "ibrat-queue-daemon.service: Failed with result 'watchdog'",
                "ibrat-queue-daemon.service: Watchdog timeout")
    for bad in ("Watchdog timeout", "Failed with result", "status=243/CREDENTIALS", "code=dumped",
                "status=31/SYS", "Operation not permitted", "Permission denied"):
        hits = [line for line in log.splitlines() if bad in line and not line.startswith(intended)]
        if hits:
            raise CheckFailed(f"journal has '{bad}': {hits[:3]}")
    for line in intended:
        if sum(1 for entry in log.splitlines() if entry.startswith(line)) != 1:
            raise CheckFailed(f"expected exactly one '{line}' in the journal")
    # Warnings and errors of the daemons themselves (PRIORITY 0..4), less the expected ones.
    out = ct.run("journalctl", "-b", "--no-pager", "-o", "json", "-p", "warning",
                 *[f"SYSLOG_IDENTIFIER={d}" for d in DAEMONS], check=False)
    unexpected, expected = [], 0
    for line in out.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        message = entry.get("MESSAGE")
        message = message if isinstance(message, str) else str(message)
        if any(e in message for e in EXPECTED_WARNINGS):
            expected += 1
        else:
            unexpected.append(f"{entry.get('SYSLOG_IDENTIFIER')}: <{entry.get('PRIORITY')}> {message}")
    if unexpected:
        raise CheckFailed(f"{len(unexpected)} unexpected warnings/errors in the daemons' journal: {unexpected[:8]}")
    print(f"   {expected} expected warnings (restarts, kill -9, libdispatch renice), nothing else")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init-pid", required=True)
    ap.add_argument("--admin-email", required=True)
    ap.add_argument("--admin-password-file", required=True)
    ap.add_argument("--watchdog", required=True, help="WatchdogSec= of the services, as systemctl shows it")
    args = ap.parse_args()
    ct = Container(args.init_pid)
    with open(args.admin_password_file) as f:
        password = f.read().strip()
    timings = []

    def timed(name, fn, *a):
        t0 = time.time()
        result = fn(*a)
        timings.append(f"{name} {time.time() - t0:.1f}s")
        return result
    try:
        timed("units", check_units, ct, args.watchdog)
        step("HTTP: /health, admin login")
        wait_for("/health", lambda: Api().request("GET", "/health", timeout=2)[0] == 200, 30)
        admin = Api(login(args.admin_email, password))
        status, spec = Api().request("GET", "/api/openapi.json")
        if status != 200 or not isinstance(spec, dict) or spec.get("openapi") != "3.1.0":
            raise CheckFailed(f"GET /api/openapi.json answered {status} (the installed document)")
        create_operators(admin)
        phones = PhoneSeq(int(time.time()) % 1000000)
        status, body = create_lead(admin, phones.take(), "high")
        if status != 201:
            raise CheckFailed(f"POST /api/leads answered {status}: {body}")
        timed("restart queue", restart_under_load, ct, admin, phones, "queue-daemon")
        timed("restart gateway", restart_under_load, ct, admin, phones, "api-gateway")
        timed("csv", csv_import, admin)
        timed("sandbox", check_sandbox, ct)
        calls = timed("kill dialer", kill_dialer, ct, admin, phones)
        timed("hang queue", hang_queue, ct, admin, phones, args.watchdog)
        timed("drain", drained_after_recovery, ct, admin)
        timed("journal", journal_follows_lead, ct, calls)
        live = sum(count_calls(admin, st) for st in LIVE_CALL)
        timed("stop", stop_target, ct, f"with {live} calls in flight")
        timed("start", start_target, ct, args.watchdog)
        timed("drain after start", drained_after_recovery, ct, admin)
        timed("final stop", stop_target, ct, "(final)")
        timed("journal scan", journal_clean, ct)
    except CheckFailed as e:
        print(f"e2e: CHECK FAILED: {e}", file=sys.stderr, flush=True)
        return 1
    print(f"e2e: all checks passed ({', '.join(timings)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
