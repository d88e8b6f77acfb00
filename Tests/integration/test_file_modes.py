"""File modes (issue 10): the database and its -wal/-shm are created 0600 whatever the umask (0640
when the state directory is shared with a non-root group), so in a manual run in a world-readable
directory no other local user can read the password hashes."""
import os
import stat

import pytest

from conftest import System


def start_with_umask(mask, prepare=None):
    sysm = System()
    if prepare:
        prepare(sysm.dir)
    old = os.umask(mask)   # inherited by the daemons at fork
    try:
        sysm.start_all()
    except Exception:
        sysm.stop_all()
        raise
    finally:
        os.umask(old)
    return sysm


def modes(sysm):
    db = os.path.join(sysm.dir, "ibrat.db")
    sysm.wait_for(lambda: all(os.path.exists(db + s) for s in ("", "-wal", "-shm")), what="ibrat.db, -wal and -shm")
    return {os.path.basename(db + s): stat.S_IMODE(os.stat(db + s).st_mode) for s in ("", "-wal", "-shm")}


def test_database_files_are_private_under_umask_022():
    sysm = start_with_umask(0o022, lambda d: os.chmod(d, 0o755))   # a world-readable state directory
    try:
        assert modes(sysm) == {"ibrat.db": 0o600, "ibrat.db-wal": 0o600, "ibrat.db-shm": 0o600}
    finally:
        sysm.stop_all()
        sysm.cleanup()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the state directory a non-root group")
def test_database_files_are_group_readable_in_a_group_shared_state_directory():
    def share(d):
        os.chown(d, 0, 65534)   # nogroup
        os.chmod(d, 0o750)
    sysm = start_with_umask(0o077, share)
    try:
        assert modes(sysm) == {"ibrat.db": 0o640, "ibrat.db-wal": 0o640, "ibrat.db-shm": 0o640}
    finally:
        sysm.stop_all()
        sysm.cleanup()
