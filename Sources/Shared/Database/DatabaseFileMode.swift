import Glibc

/// The permissions of the database file and its `-wal` / `-shm` companions: they hold password
/// hashes, so they are never readable by other local users, whatever the umask of whoever
/// started the daemon. 0600, or 0640 when the directory is shared with a group (owned by a
/// group other than root's and open to it, as systemd's `StateDirectory=` with mode 0750 is),
/// so an operator in that group can still read the database for backups.
///
/// The database file is created here, before SQLite opens it; SQLite creates `-wal` and `-shm`
/// with the database file's own mode (and `fchmod`s them to it, whatever the umask). An
/// existing file that other users may read (an earlier run's 0644) loses those bits.
public enum DatabaseFileMode {
    public static let privateMode: mode_t = 0o600
    public static let groupMode: mode_t = 0o640
    /// SQLite's companion files, by suffix.
    public static let companionSuffixes = ["-wal", "-shm"]

    /// The mode for database files in a directory with `directoryMode` owned by `directoryGroup`:
    /// group-readable only when the group is not root's and may enter and read the directory.
    public static func mode(directoryMode: mode_t, directoryGroup: gid_t) -> mode_t {
        let groupCanRead = directoryMode & (S_IRGRP | S_IXGRP) == (S_IRGRP | S_IXGRP)
        return directoryGroup != 0 && groupCanRead ? groupMode : privateMode
    }

    /// The bits an existing file keeps: nothing for others, and nothing for the group unless the
    /// directory is shared with it.
    public static func tightened(_ current: mode_t, target: mode_t) -> mode_t {
        current & (target == groupMode ? 0o770 : 0o700) & 0o777
    }

    /// Creates `path` with the right mode when it does not exist, and tightens it and its
    /// companions when they do. Paths SQLite does not treat as files (`:memory:`, `file:` URIs,
    /// the empty temporary database) are left alone. Failures are left for SQLite to report.
    public static func prepare(_ path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        var dirInfo = stat()
        guard stat(directory, &dirInfo) == 0 else { return }
        let target = mode(directoryMode: dirInfo.st_mode, directoryGroup: dirInfo.st_gid)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, target)
        if fd >= 0 {
            _ = fchmod(fd, target)   // exact mode regardless of the umask
            Glibc.close(fd)
        }
        for file in [path] + companionSuffixes.map({ path + $0 }) {
            var info = stat()
            guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let wanted = tightened(info.st_mode, target: target)
            if wanted != info.st_mode & 0o777 { _ = chmod(file, wanted) }
        }
    }
}
