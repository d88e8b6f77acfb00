"""scripts/package-deb: what the .deb holds (binaries, units rewritten for /usr/libexec and the
conffile, sysusers/tmpfiles, the conffile, man pages, docs, web files when web/ exists, maintainer
scripts) and that `lintian` reports no error.

The package under test is built from IBRAT_BIN_DIR (the debug build scripts/test makes). Debug
binaries load the Swift runtime from the toolchain through a RUNPATH, which lintian rightly reports
as the error `custom-library-search-path`; that one tag, on the three binaries, is the only error
tolerated for them. A release build with the static Swift runtime (what scripts/package-deb builds
by default, found in .build-static/release or IBRAT_STATIC_BIN_DIR) is checked with no error at all.
The install, upgrade, removal and purge under a real systemd are in scripts/systemd-e2e."""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN_DIR = os.environ.get("IBRAT_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
STATIC_BIN_DIR = os.environ.get("IBRAT_STATIC_BIN_DIR", os.path.join(ROOT, ".build-static", "release"))
DAEMONS = ("api-gateway", "queue-daemon", "dialer-daemon")
UNITS = ("ibrat.target",) + tuple(f"ibrat-{d}.{k}" for d in DAEMONS for k in ("service", "socket"))
VERSION = "1.0.0~test1"
DYNAMIC_RUNPATH_TAG = "custom-library-search-path"

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed (not Debian)")


def build(bin_dir, out, *extra):
    p = subprocess.run([os.path.join(ROOT, "scripts/package-deb"), "--bin-dir", bin_dir, "--version", VERSION,
                        "--out", out, "--compression", "gzip", *extra], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    deb = p.stdout.strip().splitlines()[-1]
    assert os.path.basename(deb) == f"ibrat_{VERSION}_{subprocess.check_output(['dpkg', '--print-architecture'], text=True).strip()}.deb"
    return deb


def is_dynamic(bin_dir):
    out = subprocess.run(["readelf", "-d", os.path.join(bin_dir, "api-gateway")], capture_output=True, text=True).stdout
    return "libswiftCore.so" in out


@pytest.fixture(scope="module")
def package():
    out = tempfile.mkdtemp(prefix="ibrat-deb-")
    extra = ("--allow-dynamic-swift",) if is_dynamic(BIN_DIR) else ()
    deb = build(BIN_DIR, out, *extra)
    tree = os.path.join(out, "tree")
    subprocess.run(["dpkg-deb", "-R", deb, tree], check=True)
    yield deb, tree
    shutil.rmtree(out, ignore_errors=True)


def field(deb, name):
    return subprocess.check_output(["dpkg-deb", "-f", deb, name], text=True).strip()


def read(tree, path):
    with open(os.path.join(tree, path.lstrip("/"))) as f:
        return f.read()


def test_refuses_a_dynamically_linked_runtime_unless_allowed():
    if not is_dynamic(BIN_DIR):
        pytest.skip("IBRAT_BIN_DIR holds statically linked binaries")
    p = subprocess.run([os.path.join(ROOT, "scripts/package-deb"), "--bin-dir", BIN_DIR, "--out", tempfile.gettempdir()],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and "static-swift-stdlib" in p.stderr


def test_control_data(package):
    deb, tree = package
    assert field(deb, "Package") == "ibrat"
    assert field(deb, "Version") == VERSION
    depends = field(deb, "Depends")
    for dep in ("systemd", "libsqlite3-0", "libsystemd0", "libc6"):
        assert re.search(rf"(^|, ){re.escape(dep)}( |,|$)", depends), depends
    assert read(tree, "DEBIAN/conffiles").split() == ["/etc/ibrat/ibrat.conf"]
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(tree, "DEBIAN", script)
        assert os.access(path, os.X_OK), script
        assert subprocess.run(["sh", "-n", path]).returncode == 0, script
    md5 = read(tree, "DEBIAN/md5sums")
    assert "usr/libexec/ibrat/api-gateway" in md5 and "etc/ibrat/ibrat.conf" in md5


def test_files(package):
    deb, tree = package
    for d in DAEMONS:
        assert os.access(os.path.join(tree, "usr/libexec/ibrat", d), os.X_OK)
        assert os.path.isfile(os.path.join(tree, f"usr/share/man/man8/ibrat-{d}.8.gz"))
    for unit in UNITS:
        text = read(tree, f"/usr/lib/systemd/system/{unit}")
        assert "/usr/local/" not in text, unit
        if unit.endswith(".service"):
            assert re.search(r"^ExecStart=/usr/libexec/ibrat/", text, re.M), unit
            assert "EnvironmentFile=-/etc/ibrat/ibrat.conf\n" in text, unit
    assert "u     ibrat" in read(tree, "/usr/lib/sysusers.d/ibrat.conf")
    assert "/var/lib/ibrat" in read(tree, "/usr/lib/tmpfiles.d/ibrat.conf")
    conf = read(tree, "/etc/ibrat/ibrat.conf")
    assert re.search(r"^IBRAT_ADMIN_EMAIL=\S+@\S+$", conf, re.M)
    for doc in ("copyright", "changelog.gz", "OPERATIONS.md", "monitoring/ibrat-alerts.yml"):
        assert os.path.isfile(os.path.join(tree, "usr/share/doc/ibrat", doc)), doc
    web = os.path.join(ROOT, "web")
    if os.path.isdir(web):
        for dirpath, _, files in os.walk(web):
            for name in files:
                rel = os.path.relpath(os.path.join(dirpath, name), web)
                assert os.path.isfile(os.path.join(tree, "usr/share/ibrat/web", rel)), rel
    else:
        assert not os.path.exists(os.path.join(tree, "usr/share/ibrat/web"))


def test_man_pages_render_without_warnings():
    if shutil.which("groff") is None:
        pytest.skip("groff is not installed")
    for name in os.listdir(os.path.join(ROOT, "packaging/man")):
        p = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", os.path.join(ROOT, "packaging/man", name)],
                           capture_output=True, text=True)
        assert p.returncode == 0 and p.stderr == "", name + p.stderr


def lintian_errors(deb):
    assert shutil.which("lintian"), "lintian missing: scripts/install-deps --test installs it"
    p = subprocess.run(["lintian", "--tag-display-limit", "0", deb], capture_output=True, text=True, timeout=600)
    return [line for line in p.stdout.splitlines() if line.startswith("E: ")], p.stdout


def test_lintian_reports_no_errors(package):
    deb, _ = package
    errors, report = lintian_errors(deb)
    if is_dynamic(BIN_DIR):
        expected = {f"usr/libexec/ibrat/{d}" for d in DAEMONS}
        runpath = [e for e in errors if f" {DYNAMIC_RUNPATH_TAG} " in e]
        assert {e.rsplit("[", 1)[-1].rstrip("]") for e in runpath} <= expected, report
        errors = [e for e in errors if e not in runpath]
    assert errors == [], report


def test_lintian_on_the_static_release_build():
    if not all(os.access(os.path.join(STATIC_BIN_DIR, d), os.X_OK) for d in DAEMONS):
        pytest.skip(f"no static release build in {STATIC_BIN_DIR} (scripts/package-deb without --bin-dir makes one)")
    if is_dynamic(STATIC_BIN_DIR):
        pytest.skip(f"{STATIC_BIN_DIR} is not linked with --static-swift-stdlib")
    out = tempfile.mkdtemp(prefix="ibrat-deb-static-")
    try:
        errors, report = lintian_errors(build(STATIC_BIN_DIR, out))
        assert errors == [], report
    finally:
        shutil.rmtree(out, ignore_errors=True)
