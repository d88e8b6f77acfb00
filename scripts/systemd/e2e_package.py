#!/usr/bin/env python3
"""The Debian package phase of scripts/systemd-e2e, run like e2e_checks.py in the container's
network namespace. With the container clean (scripts/uninstall --purge ran before):

1. `dpkg -i` of the first package: the postinst creates the user and the secrets (0600 root),
   prints the first admin's password once, enables and starts ibrat.target; the system answers and
   that password logs in. The conffile /etc/ibrat/ibrat.conf is then edited (rate limit off, fast
   simulated calls) and the target restarted.
2. Data: leads created over HTTP.
3. `dpkg -i` of a rebuilt package with a higher version while a client keeps creating and listing
   leads: the daemons are restarted one by one (new main PIDs, in order queue, dialer, gateway), no
   connection is refused, no lead is lost, the old token still works, the secrets and the edited
   conffile are kept.
4. `dpkg -r`: the units stop and go away; the database, secrets and conffile stay. Installing the
   package again finds the same leads and prints no new password.
5. `dpkg -P`: the database, /var/lib/ibrat and /etc/ibrat are gone. Standard library only."""
import argparse
import os
import re
import sys
import time

from e2e_support import (Api, CheckFailed, Container, LoadClient, PhoneSeq, all_lead_phones, create_lead,
                         lead_total, login, step, wait_for)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DAEMONS = ("queue-daemon", "dialer-daemon", "api-gateway")  # the postinst's restart order
ADMIN_EMAIL = "admin@ibrat.local"
CONF = "/etc/ibrat/ibrat.conf"
CONF_ADDITION = "\n# added by scripts/systemd-e2e (package phase)\nIBRAT_RATE_LIMIT=0\nIBRAT_USER_RATE_LIMIT=0\nIBRAT_SIM_TIME_SCALE=0.05\n"
LEADS = 5
LOAD_SECONDS = 1.0


def dpkg(ct, *args):
    out = ct.run("env", "DEBIAN_FRONTEND=noninteractive", "dpkg", *args, timeout=300)
    return out


def main_pids(ct):
    return {d: ct.show(f"ibrat-{d}.service", "MainPID")["MainPID"] for d in DAEMONS}


def started_at(ct, daemon):
    return int(ct.show(f"ibrat-{daemon}.service", "ExecMainStartTimestampMonotonic")["ExecMainStartTimestampMonotonic"])


def all_active(ct):
    return all(ct.show(f"ibrat-{d}.service", "ActiveState")["ActiveState"] == "active" for d in DAEMONS)


def system_answers():
    status, body = Api().request("GET", "/health")
    return status == 200 and body.get("status") == "OK"


def file_text(ct, path):
    return ct.run("cat", path)


def check_metrics():
    """GET /metrics under the real sandbox (ProtectProc=invisible, ProcSubset=pid, private network for
    the queue and dialer): every daemon answers and reads its own /proc figures."""
    step("package: GET /metrics: the three daemons up, with their process figures")
    status, text = Api().request("GET", "/metrics")
    if status != 200 or not isinstance(text, str):
        raise CheckFailed(f"GET /metrics answered {status}")
    for daemon in DAEMONS:
        for metric, pattern in (("ibrat_daemon_up", r" 1$"), ("ibrat_process_start_time_seconds", r" \d{10}$"),
                                ("ibrat_process_open_fds", r" \d+$"), ("ibrat_process_resident_memory_bytes", r" \d+$")):
            line = re.search(rf'^{metric}{{daemon="{daemon}"}}(.*)$', text, re.M)
            if not line or not re.search(pattern, line.group(0)):
                raise CheckFailed(f"GET /metrics: no {metric} for {daemon} (got {line.group(0) if line else None})")


def install_first(ct, deb):
    step("package: dpkg -i (first install): user, secrets, ibrat.target started")
    out = dpkg(ct, "-i", deb)
    printed = re.search(r"first admin login (\S+) / (\S+)", out)
    if not printed or printed.group(1) != ADMIN_EMAIL:
        raise CheckFailed(f"the postinst did not print the first admin's login:\n{out}")
    password = printed.group(2)
    if file_text(ct, "/etc/ibrat/admin-password") != password:
        raise CheckFailed("the printed password is not the one stored in /etc/ibrat/admin-password")
    for name in ("jwt-secret", "admin-password"):
        mode = ct.run("stat", "-c", "%a %U %G", f"/etc/ibrat/{name}").strip()
        if mode != "600 root root":
            raise CheckFailed(f"/etc/ibrat/{name} is {mode}, want 600 root root")
    if ct.run("stat", "-c", "%a", "/etc/ibrat").strip() != "700":
        raise CheckFailed("/etc/ibrat is not 0700")
    if CONF not in ct.run("dpkg-query", "-W", "-f=${Conffiles}", "ibrat"):
        raise CheckFailed(f"{CONF} is not a conffile")
    ct.run("id", "ibrat")
    if ct.run("systemctl", "is-enabled", "ibrat.target", check=False).strip() != "enabled":
        raise CheckFailed("ibrat.target is not enabled after the install")
    wait_for("the daemons active", lambda: all_active(ct), 60)
    wait_for("GET /health", system_answers, 30)
    login(ADMIN_EMAIL, password)
    check_metrics()
    if os.path.isfile(os.path.join(REPO, "web", "index.html")):
        step("package: GET / serves the web console from /usr/share/ibrat/web")
        status, body = Api().request("GET", "/")
        if status != 200 or "<html" not in str(body).lower():
            raise CheckFailed(f"GET / answered {status}")
    step("package: the conffile edited (rate limits off, fast calls), target restarted")
    ct.run("sh", "-c", f"printf '%s' '{CONF_ADDITION}' >> {CONF}")
    ct.run("systemctl", "restart", "ibrat.target")
    wait_for("the daemons active again", lambda: all_active(ct), 60)
    wait_for("GET /health", system_answers, 30)
    return password


def upgrade(ct, deb, version, password, api, phones):
    step(f"package: dpkg -i of the rebuilt {version} under load: daemons restarted one by one")
    before_pids = main_pids(ct)
    before_total = lead_total(api)
    secret = file_text(ct, "/etc/ibrat/jwt-secret")
    load = LoadClient(api, phones)
    load.start()
    time.sleep(LOAD_SECONDS)
    try:
        out = dpkg(ct, "-i", deb)
        time.sleep(LOAD_SECONDS)
    finally:
        load.stop.set()
        load.join(timeout=60)
    if load.errors:
        raise CheckFailed(f"client errors during the upgrade: {load.errors[:5]} (statuses {load.status_counts})")
    if "first admin login" in out:
        raise CheckFailed("the upgrade printed a new admin password")
    order = [line.split()[-1] for line in out.splitlines() if line.startswith("Ibrat: restarting ")]
    if order != [f"ibrat-{d}" for d in DAEMONS]:
        raise CheckFailed(f"the upgrade restarted {order}, want the three daemons one by one:\n{out}")
    wait_for("the daemons active after the upgrade", lambda: all_active(ct), 60)
    after_pids = main_pids(ct)
    for d in DAEMONS:
        if after_pids[d] == before_pids[d] or after_pids[d] == "0":
            raise CheckFailed(f"ibrat-{d} was not restarted (MainPID {before_pids[d]} → {after_pids[d]})")
    starts = [started_at(ct, d) for d in DAEMONS]
    if starts != sorted(starts):
        raise CheckFailed(f"the daemons did not restart in order {DAEMONS}: start times {starts}")
    installed = ct.run("dpkg-query", "-W", "-f=${Version}", "ibrat").strip()
    if installed != version:
        raise CheckFailed(f"dpkg reports version {installed}, want {version}")
    if file_text(ct, "/etc/ibrat/jwt-secret") != secret or file_text(ct, "/etc/ibrat/admin-password") != password:
        raise CheckFailed("the upgrade changed a secret")
    if "IBRAT_RATE_LIMIT=0" not in file_text(ct, CONF):
        raise CheckFailed("the upgrade lost the edit of the conffile")
    status, _ = api.request("GET", "/api/auth/me")
    if status != 200:
        raise CheckFailed(f"the token from before the upgrade answers {status}")
    phones_now = all_lead_phones(api)
    lost = [p for p in load.created if p not in phones_now]
    if lost or lead_total(api) < before_total + len(load.created):
        raise CheckFailed(f"leads lost in the upgrade: {lost[:5]}")
    step(f"package: upgrade kept {len(phones_now)} leads; {len(load.created)} created during it, none refused")
    return len(phones_now)


def remove_and_reinstall(ct, deb, password, total):
    step("package: dpkg -r: units stopped and gone, data, secrets and conffile kept")
    dpkg(ct, "-r", "ibrat")
    left = ct.run("systemctl", "list-units", "--all", "--plain", "--no-legend", "ibrat*", check=False)
    # ibrat.target stays known as masked (postrm, as debhelper does) until the purge unmasks it.
    left = [line for line in left.splitlines()
            if line.strip() and " not-found " not in line and not line.startswith("ibrat.target masked inactive")]
    if left:
        raise CheckFailed(f"units still loaded after dpkg -r: {left}")
    for path in ("/var/lib/ibrat/ibrat.db", "/etc/ibrat/jwt-secret", "/etc/ibrat/admin-password", CONF):
        ct.run("test", "-e", path)
    if ct.run("sh", "-c", "test -e /usr/libexec/ibrat/api-gateway && echo present || true").strip():
        raise CheckFailed("the binaries are still installed after dpkg -r")
    try:
        Api().request("GET", "/health", timeout=2)
        raise CheckFailed("the gateway still answers after dpkg -r")
    except OSError:
        pass
    step("package: installed again after the removal: same leads, same password")
    out = dpkg(ct, "-i", deb)
    if "first admin login" in out:
        raise CheckFailed("the re-install printed a new admin password")
    wait_for("the daemons active", lambda: all_active(ct), 60)
    wait_for("GET /health", system_answers, 30)
    api = Api(login(ADMIN_EMAIL, password))
    if lead_total(api) != total:
        raise CheckFailed(f"{lead_total(api)} leads after the re-install, want {total}")


def purge(ct):
    step("package: dpkg -P: database, state and /etc/ibrat gone")
    dpkg(ct, "-P", "ibrat")
    for path in ("/var/lib/ibrat", "/etc/ibrat", "/usr/lib/systemd/system/ibrat.target"):
        if ct.run("sh", "-c", f"test -e {path} && echo present || true").strip():
            raise CheckFailed(f"{path} still exists after dpkg -P")
    if ct.run("dpkg-query", "-W", "-f=${Status}", "ibrat", check=False).strip() not in ("", "unknown ok not-installed"):
        raise CheckFailed("dpkg still knows the package after the purge")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--init-pid", required=True)
    parser.add_argument("--deb-old", required=True, help="path inside the container")
    parser.add_argument("--deb-new", required=True, help="path inside the container")
    parser.add_argument("--new-version", required=True)
    args = parser.parse_args()
    ct = Container(args.init_pid)
    try:
        password = install_first(ct, args.deb_old)
        api = Api(login(ADMIN_EMAIL, password))
        phones = PhoneSeq(7_000_000)
        for _ in range(LEADS):
            status, body = create_lead(api, phones.take())
            if status != 201:
                raise CheckFailed(f"create lead: {status} {body}")
        total = upgrade(ct, args.deb_new, args.new_version, password, api, phones)
        remove_and_reinstall(ct, args.deb_new, password, total)
        purge(ct)
    except CheckFailed as e:
        print(f"e2e: FAILED: {e}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
