"""The systemd units of systemd/ and the installer that deploys them.

- `systemd-analyze verify` is clean for every unit, as shipped and as rendered by
  `scripts/install --root --prefix` (a temporary root holds the units, stand-in executables at the
  ExecStart paths, and a copy of the host's stock units such as sysinit.target).
- `systemd-analyze security --offline=true` rates every service at most 2.0 ("Overall exposure level").
- The units keep the contract the daemons rely on (fd names, paths, Type=notify, credentials).
- `scripts/systemd-e2e` boots them under a real systemd in a container when this machine can
  (it prints "SKIPPED: <reason>" and exits 0 when it cannot).
Skipped, with the reason, only when systemd-analyze is not installed."""
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UNIT_SRC = os.path.join(ROOT, "systemd")
DAEMONS = ("api-gateway", "queue-daemon", "dialer-daemon")
SERVICES = tuple(f"ibrat-{d}.service" for d in DAEMONS)
SOCKETS = tuple(f"ibrat-{d}.socket" for d in DAEMONS)
UNITS = SERVICES + SOCKETS + ("ibrat.target",)
MAX_EXPOSURE = 2.0
# scripts/systemd-e2e: about 25 s with the cached Debian root, plus about a minute for debootstrap
# on the first run; the bound only keeps a hung container from stalling the test command.
E2E_TIMEOUT = 600
ANALYZE = shutil.which("systemd-analyze")
EXPOSURE_RE = re.compile(r"Overall exposure level for (\S+): (\d+(?:\.\d+)?)")

pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (Debian package: systemd)")


def parse_unit(path):
    """A unit file as {section: {key: [values...]}} (keys may repeat)."""
    sections, current = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], {})
                continue
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def stock_unit_dir():
    for d in ("/usr/lib/systemd/system", "/lib/systemd/system"):
        if os.path.isfile(os.path.join(d, "sysinit.target")):
            return d
    pytest.skip("the host has no stock systemd units (sysinit.target) to verify against")


def make_root(units_from, libexec="/usr/local/libexec/ibrat"):
    """A temporary root: stock units, our units in /etc/systemd/system, stand-in executables."""
    root = tempfile.mkdtemp(prefix="ibrat-units-")
    shutil.copytree(stock_unit_dir(), os.path.join(root, "usr/lib/systemd/system"), symlinks=True)
    if units_from:
        dst = os.path.join(root, "etc/systemd/system")
        os.makedirs(dst)
        for u in UNITS:
            shutil.copy(os.path.join(units_from, u), dst)
    if libexec:
        bindir = os.path.join(root, libexec.lstrip("/"))
        os.makedirs(bindir, exist_ok=True)
        for d in DAEMONS:
            write_exe(os.path.join(bindir, d))
    return root


def write_exe(path):
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(path, 0o755)


def verify(root, *units):
    p = subprocess.run([ANALYZE, "verify", "--man=no", f"--root={root}", *units],
                       capture_output=True, text=True, cwd="/")
    return p.returncode, (p.stdout + p.stderr).strip()


def exposure(unit, root=None):
    args = [ANALYZE, "security", "--offline=true", "--no-pager"]
    if root:
        args += [f"--root={root}", unit]
    else:
        args.append(os.path.join(UNIT_SRC, unit))
    p = subprocess.run(args, capture_output=True, text=True, cwd="/")
    m = EXPOSURE_RE.search(p.stdout + p.stderr)
    assert m, f"no 'Overall exposure level' line for {unit}:\n{p.stdout}{p.stderr}"
    return float(m.group(2)), p.stdout


@pytest.fixture(scope="module")
def shipped_root():
    root = make_root(UNIT_SRC)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("unit", UNITS)
def test_verify_is_clean(shipped_root, unit):
    rc, out = verify(shipped_root, unit)
    assert rc == 0 and out == "", f"systemd-analyze verify {unit}:\n{out}"


def test_verify_catches_a_missing_executable():
    root = make_root(UNIT_SRC)
    try:
        os.remove(os.path.join(root, "usr/local/libexec/ibrat/queue-daemon"))
        rc, out = verify(root, "ibrat-queue-daemon.service")
        assert rc != 0 and "/usr/local/libexec/ibrat/queue-daemon" in out, out
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("service", SERVICES)
def test_security_exposure_at_most_2(service):
    score, report = exposure(service)
    print(f"{service}: exposure {score}")
    assert score <= MAX_EXPOSURE, f"{service} exposure {score} > {MAX_EXPOSURE}:\n" + "\n".join(
        line for line in report.splitlines() if line.startswith("✗"))


def test_services_keep_the_daemon_contract():
    for d in DAEMONS:
        svc = parse_unit(os.path.join(UNIT_SRC, f"ibrat-{d}.service"))["Service"]
        sock = parse_unit(os.path.join(UNIT_SRC, f"ibrat-{d}.socket"))
        assert svc["Type"] == ["notify"], d
        assert svc["ExecStart"] == [f"/usr/local/libexec/ibrat/{d}"], d
        assert svc["Restart"] == ["on-failure"] and svc["WatchdogSec"], d
        assert svc["User"] == ["ibrat"] and svc["Group"] == ["ibrat"], d
        assert svc["StateDirectory"] == ["ibrat"] and svc["RuntimeDirectory"] == ["ibrat"], d
        assert svc["RuntimeDirectoryPreserve"] == ["yes"], f"{d}: a stop would delete the sockets in /run/ibrat"
        assert svc["SyslogIdentifier"] == [d], d
        assert svc["Sockets"] == [f"ibrat-{d}.socket"], d
        assert "PartOf" in parse_unit(os.path.join(UNIT_SRC, f"ibrat-{d}.service"))["Unit"], d
        assert sock["Unit"]["PartOf"] == ["ibrat.target"], d
    fdnames = {d: parse_unit(os.path.join(UNIT_SRC, f"ibrat-{d}.socket"))["Socket"] for d in DAEMONS}
    assert fdnames["api-gateway"]["FileDescriptorName"] == ["http"]
    assert fdnames["api-gateway"]["ListenStream"][0].endswith(":5000")
    assert fdnames["queue-daemon"]["FileDescriptorName"] == ["queue"]
    assert fdnames["queue-daemon"]["ListenStream"] == ["/run/ibrat/queue.sock"]
    assert fdnames["dialer-daemon"]["FileDescriptorName"] == ["dialer"]
    assert fdnames["dialer-daemon"]["ListenStream"] == ["/run/ibrat/dialer.sock"]
    for d in ("queue-daemon", "dialer-daemon"):
        assert fdnames[d]["SocketMode"] == ["0660"] and fdnames[d]["SocketGroup"] == ["ibrat"], d
        svc = parse_unit(os.path.join(UNIT_SRC, f"ibrat-{d}.service"))["Service"]
        assert svc["PrivateNetwork"] == ["yes"] and svc["RestrictAddressFamilies"] == ["AF_UNIX"], d
        assert "IBRAT_JWT_SECRET" in svc["UnsetEnvironment"][0], d
    gw = parse_unit(os.path.join(UNIT_SRC, "ibrat-api-gateway.service"))
    assert "jwt-secret:/etc/ibrat/jwt-secret" in gw["Service"]["LoadCredential"]
    after = " ".join(gw["Unit"]["After"])
    assert "ibrat-queue-daemon.socket" in after and "ibrat-dialer-daemon.socket" in after
    target = parse_unit(os.path.join(UNIT_SRC, "ibrat.target"))
    wanted = " ".join(target["Unit"]["Wants"]).split()
    assert sorted(wanted) == sorted(UNITS[:-1])


def run_install(root, *extra):
    fake_bin = tempfile.mkdtemp(prefix="ibrat-fakebin-")
    for d in DAEMONS:
        write_exe(os.path.join(fake_bin, d))
    p = subprocess.run([os.path.join(ROOT, "scripts/install"), "--root", root, "--no-build",
                        "--bin-dir", fake_bin, "--non-interactive", *extra],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    shutil.rmtree(fake_bin, ignore_errors=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


@pytest.mark.skipif(shutil.which("systemd-sysusers") is None or shutil.which("systemd-tmpfiles") is None,
                    reason="systemd-sysusers/systemd-tmpfiles are not installed")
def test_install_root_with_prefix_then_uninstall():
    root = make_root(None, libexec=None)
    try:
        out = run_install(root, "--prefix", "/opt/ibrat", "--admin-email", "boss@example.com")
        password = re.search(r"Admin login: boss@example.com / (\S+)", out)
        assert password, out
        libexec = os.path.join(root, "opt/ibrat/libexec/ibrat")
        for d in DAEMONS:
            assert os.access(os.path.join(libexec, d), os.X_OK), d
        spec = os.path.join(root, "opt/ibrat/share/ibrat/openapi.json")
        with open(spec, "rb") as f, open(os.path.join(ROOT, "docs/openapi.json"), "rb") as g:
            assert f.read() == g.read(), "the OpenAPI document the gateway serves is installed"
        units = os.path.join(root, "etc/systemd/system")
        svc = parse_unit(os.path.join(units, "ibrat-queue-daemon.service"))
        assert svc["Service"]["ExecStart"] == ["/opt/ibrat/libexec/ibrat/queue-daemon"]
        web = os.path.join(root, "opt/ibrat/share/ibrat/web")   # the web console, found by the gateway
        assert os.path.isfile(os.path.join(web, "index.html")) and os.path.isfile(os.path.join(web, "assets/js/main.js"))
        rc, vout = verify(root, *UNITS)
        assert rc == 0 and vout == "", vout
        for u in SERVICES:
            assert exposure(u, root)[0] <= MAX_EXPOSURE, u
        with open(os.path.join(root, "etc/passwd")) as f:
            assert re.search(r"^ibrat:x:\d+:\d+:", f.read(), re.M)
        conf = os.path.join(root, "etc/ibrat")
        for name in ("jwt-secret", "admin-password", "ibrat.env"):
            mode = stat.S_IMODE(os.stat(os.path.join(conf, name)).st_mode)
            assert mode == 0o600, f"{name} has mode {oct(mode)}"
        with open(os.path.join(conf, "jwt-secret")) as f:
            secret = f.read()
        assert len(secret) >= 32 and "\n" not in secret
        with open(os.path.join(conf, "admin-password")) as f:
            assert f.read() == password.group(1)
        with open(os.path.join(conf, "ibrat.env")) as f:
            assert "IBRAT_ADMIN_EMAIL=boss@example.com\n" in f.read()
        # A second run (an upgrade) keeps the secrets and does not print a new password.
        out2 = run_install(root, "--prefix", "/opt/ibrat")
        with open(os.path.join(conf, "jwt-secret")) as f:
            assert f.read() == secret
        assert password.group(1) not in out2 and "boss@example.com" in out2
        p = subprocess.run([os.path.join(ROOT, "scripts/uninstall"), "--root", root, "--prefix", "/opt/ibrat"],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        assert not os.path.exists(os.path.join(units, "ibrat-queue-daemon.service"))
        assert not os.path.exists(os.path.join(libexec, "api-gateway"))
        assert not os.path.exists(spec)
        assert not os.path.exists(web)
        assert os.path.exists(os.path.join(conf, "jwt-secret")), "uninstall without --purge keeps the secrets"
        p = subprocess.run([os.path.join(ROOT, "scripts/uninstall"), "--root", root, "--prefix", "/opt/ibrat",
                            "--purge"], capture_output=True, text=True)
        assert p.returncode == 0 and not os.path.exists(conf), p.stdout + p.stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_systemd_e2e():
    """Boots the units under a real systemd in a container (scripts/systemd-e2e)."""
    if os.environ.get("IBRAT_SKIP_SYSTEMD_E2E") == "1":
        pytest.skip("IBRAT_SKIP_SYSTEMD_E2E=1")
    bin_dir = os.environ.get("IBRAT_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
    p = subprocess.Popen([os.path.join(ROOT, "scripts/systemd-e2e"), "--bin-dir", bin_dir],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = p.communicate(timeout=E2E_TIMEOUT)
    except subprocess.TimeoutExpired:
        # SIGTERM to the whole group: the checks stop, and the script's exit trap powers the
        # container off, unmounts and removes it (SIGKILL would leave the container running).
        os.killpg(p.pid, signal.SIGTERM)
        try:
            stdout, stderr = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            stdout, stderr = p.communicate()
        pytest.fail(f"scripts/systemd-e2e took more than {E2E_TIMEOUT} s:\n" + (stdout + stderr)[-8000:])
    out = stdout + stderr
    print(out)
    skipped = [line for line in stdout.splitlines() if line.startswith("SKIPPED: ")]
    if p.returncode == 0 and skipped:
        pytest.skip("scripts/systemd-e2e " + skipped[-1])
    # The progress and failure lines first (the journal dump that follows a failure is long).
    summary = "\n".join(line for line in out.splitlines() if line.startswith(("e2e:", "   ", "SKIPPED")))
    assert p.returncode == 0, summary + "\n\n--- output tail ---\n" + out[-6000:]
