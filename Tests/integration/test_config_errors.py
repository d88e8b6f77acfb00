"""Bad configuration at start-up (DESIGN §8, issue 5 "Bad input"): each daemon started with a bad
value exits at once with status 78 (EX_CONFIG) and a stderr line naming the variable, the config
file line or the credential, so `systemctl status` shows what to fix. The three daemons share one
configuration (one `ibrat.env`), so each refuses every bad shared value; the JWT secret and the
admin password credentials are the gateway's alone. A value in the environment overrides the
same key in the IBRAT_CONFIG file."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BIN_DIR, DAEMONS, System

EX_CONFIG = 78
EXIT_TIMEOUT = 10
PRIORITY_RE = re.compile(r"^<[0-7]>")


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def config_file(text):
    return lambda d: {"IBRAT_CONFIG": write(d, "ibrat.env", text)}


# (id, environment or a function of the test directory returning it, strings stderr must contain)
SHARED_CASES = [
    ("http-port-abc", {"IBRAT_HTTP_PORT": "abc"}, ["IBRAT_HTTP_PORT", '"abc"']),
    ("http-port-too-big", {"IBRAT_HTTP_PORT": "70000"}, ["IBRAT_HTTP_PORT", "70000"]),
    ("sim-time-scale-0", {"IBRAT_SIM_TIME_SCALE": "0"}, ["IBRAT_SIM_TIME_SCALE"]),
    ("sim-time-scale-text", {"IBRAT_SIM_TIME_SCALE": "fast"}, ["IBRAT_SIM_TIME_SCALE", "fast"]),
    ("max-concurrent-calls-negative", {"IBRAT_MAX_CONCURRENT_CALLS": "-1"}, ["IBRAT_MAX_CONCURRENT_CALLS", "-1"]),
    ("rate-limit-abc", {"IBRAT_RATE_LIMIT": "abc"}, ["IBRAT_RATE_LIMIT", "abc"]),
    ("rate-limit-no-window", {"IBRAT_RATE_LIMIT": "100/"}, ["IBRAT_RATE_LIMIT"]),
    ("log-level", {"IBRAT_LOG_LEVEL": "loud"}, ["IBRAT_LOG_LEVEL", "loud"]),
    ("sim-probabilities-sum", {"IBRAT_SIM_P_ANSWER": "0.9"}, ["IBRAT_SIM_P"]),
    ("ipc-timeout", {"IBRAT_IPC_TIMEOUT_MS": "1.5s"}, ["IBRAT_IPC_TIMEOUT_MS"]),
    ("country-code", {"IBRAT_DEFAULT_COUNTRY_CODE": "+0998"}, ["IBRAT_DEFAULT_COUNTRY_CODE"]),
    ("config-file-bad-line", config_file("# ibrat\nIBRAT_SIM_SEED=1\nthis is not an assignment\n"),
     ["IBRAT_CONFIG", "line 3", "ibrat.env"]),
    ("config-file-bad-key", config_file("9LIVES=1\n"), ["IBRAT_CONFIG", "line 1"]),
    ("config-file-unbalanced-quote", config_file('IBRAT_CORS_ORIGINS="https://a.example\n'),
     ["IBRAT_CONFIG", "line 1", "IBRAT_CORS_ORIGINS"]),
    ("config-file-bad-value", config_file("IBRAT_MAX_CONCURRENT_CALLS=lots\n"), ["IBRAT_MAX_CONCURRENT_CALLS", "lots"]),
    ("config-file-missing", lambda d: {"IBRAT_CONFIG": os.path.join(d, "no-such.env")}, ["IBRAT_CONFIG", "no-such.env"]),
    ("state-directory-is-a-file", lambda d: {"STATE_DIRECTORY": write(d, "not-a-dir", "x")},
     ["STATE_DIRECTORY", "not-a-dir"]),
    ("runtime-dir-too-long", lambda d: {"IBRAT_RUNTIME_DIR": os.path.join(d, "r" * 120)}, ["IBRAT_RUNTIME_DIR"]),
]

# Gateway only: where the JWT secret and the first admin's password come from.
GATEWAY_CASES = [
    ("web-dir-without-index", lambda d: {"IBRAT_WEB_DIR": d}, ["IBRAT_WEB_DIR", "index.html"]),
    ("jwt-secret-file-missing", lambda d: {"IBRAT_JWT_SECRET_FILE": os.path.join(d, "missing-secret")},
     ["IBRAT_JWT_SECRET_FILE", "missing-secret"]),
    ("jwt-secret-file-is-a-directory", lambda d: {"IBRAT_JWT_SECRET_FILE": d}, ["IBRAT_JWT_SECRET_FILE"]),
    ("jwt-secret-file-too-short", lambda d: {"IBRAT_JWT_SECRET_FILE": write(d, "short-secret", "tooshort\n")},
     ["IBRAT_JWT_SECRET_FILE", "32"]),
    ("jwt-secret-too-short", {"IBRAT_JWT_SECRET": "short"}, ["IBRAT_JWT_SECRET", "32"]),
    ("jwt-credential-missing", lambda d: credentials(d, {}, jwt_file=True), ["jwt-secret", "credential"]),
    ("jwt-credential-too-short", lambda d: credentials(d, {"jwt-secret": "abc"}, jwt_file=True),
     ["jwt-secret", "32"]),
    ("admin-password-credential-too-short", lambda d: credentials(d, {"jwt-secret": "s" * 40, "admin-password": "abc"}),
     ["admin-password"]),
    ("admin-email-without-password", {"IBRAT_ADMIN_PASSWORD": ""}, ["IBRAT_ADMIN_PASSWORD"]),
    ("admin-email-bad", {"IBRAT_ADMIN_EMAIL": "not-an-email"}, ["IBRAT_ADMIN_EMAIL", "not-an-email"]),
    ("eio-ping-interval", {"IBRAT_EIO_PING_INTERVAL_MS": "25s"}, ["IBRAT_EIO_PING_INTERVAL_MS", "25s"]),
    ("eio-ping-timeout", {"IBRAT_EIO_PING_TIMEOUT_MS": "0"}, ["IBRAT_EIO_PING_TIMEOUT_MS"]),
    ("eio-connect-timeout", {"IBRAT_EIO_CONNECT_TIMEOUT_MS": "-5"}, ["IBRAT_EIO_CONNECT_TIMEOUT_MS", "-5"]),
    ("eio-max-payload", {"IBRAT_EIO_MAX_PAYLOAD": "1MB"}, ["IBRAT_EIO_MAX_PAYLOAD", "1MB"]),
    ("slow-request-ms", {"IBRAT_SLOW_REQUEST_MS": "slow"}, ["IBRAT_SLOW_REQUEST_MS", "slow"]),
]


def credentials(directory, files, jwt_file=False):
    """A systemd CREDENTIALS_DIRECTORY holding `files`; with `jwt_file`, IBRAT_JWT_SECRET_FILE names
    the jwt-secret credential in it (as a unit would with %d/jwt-secret)."""
    creds = os.path.join(directory, "credentials")
    os.makedirs(creds, exist_ok=True)
    for name, text in files.items():
        write(creds, name, text + "\n")
    env = {"CREDENTIALS_DIRECTORY": creds, "IBRAT_JWT_SECRET": None}
    if "admin-password" in files:
        env["IBRAT_ADMIN_PASSWORD"] = None
    if jwt_file:
        env["IBRAT_JWT_SECRET_FILE"] = os.path.join(creds, "jwt-secret")
    return env


def run_daemon(name, env_spec):
    """Runs `name` with the harness environment changed by `env_spec` (None removes a variable);
    returns (exit status, stderr). The daemon must exit by itself."""
    sysm = System()
    try:
        env = dict(sysm.env)
        changes = env_spec(sysm.dir) if callable(env_spec) else env_spec
        if changes.get("IBRAT_JWT_SECRET_FILE"):
            env.pop("IBRAT_JWT_SECRET", None)  # both set is an error of its own
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        proc = subprocess.Popen([os.path.join(BIN_DIR, name)], env=env, cwd=sysm.dir,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = proc.communicate(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"{name} with {changes} did not exit within {EXIT_TIMEOUT} s:\n"
                                 f"{err.decode(errors='replace')[-2000:]}")
        return proc.returncode, (out + err).decode("utf-8", "replace")
    finally:
        shutil.rmtree(sysm.dir, ignore_errors=True)


def check_refused(name, env_spec, mentions):
    code, output = run_daemon(name, env_spec)
    assert code == EX_CONFIG, f"{name}: exit status {code}, expected {EX_CONFIG} (EX_CONFIG); output:\n{output}"
    lines = [l for l in output.splitlines() if l]
    assert lines, f"{name} exited {code} without a message"
    for m in mentions:
        assert any(m in l for l in lines), f"{name}: no line mentions {m!r}:\n{output}"
    culprit = [l for l in lines if mentions[0] in l]
    assert all(PRIORITY_RE.match(l) and int(l[1]) <= 3 for l in culprit), f"{name}: not logged as an error: {culprit}"


@pytest.mark.parametrize("name", DAEMONS)
@pytest.mark.parametrize("case", SHARED_CASES, ids=[c[0] for c in SHARED_CASES])
def test_bad_shared_value_stops_the_daemon(name, case):
    check_refused(name, case[1], case[2])


@pytest.mark.parametrize("case", GATEWAY_CASES, ids=[c[0] for c in GATEWAY_CASES])
def test_bad_secret_or_credential_stops_the_gateway(case):
    check_refused("api-gateway", case[1], case[2])


def test_environment_overrides_a_bad_value_in_the_config_file():
    """IBRAT_CONFIG is read first; the environment wins, so a good value there fixes a bad one in
    the file (the dialer then starts and is stopped by the test)."""
    sysm = System()
    try:
        path = write(sysm.dir, "ibrat.env", "IBRAT_SIM_TIME_SCALE=0\n")
        sysm.env.update({"IBRAT_CONFIG": path, "IBRAT_SIM_TIME_SCALE": "0.5"})
        sysm.start("dialer-daemon")
        sysm.wait_for(lambda: os.path.exists(os.path.join(sysm.dir, "run", "dialer.sock")), what="dialer.sock")
    finally:
        sysm.stop_all()
    assert sysm.procs["dialer-daemon"].returncode == 0, sysm.log_text("dialer-daemon")
    assert "SIM_TIME_SCALE=0.5" in sysm.log_text("dialer-daemon")
    shutil.rmtree(sysm.dir, ignore_errors=True)
