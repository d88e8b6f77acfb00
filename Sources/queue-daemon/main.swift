/// queue-daemon: owns the lead queue (see `Daemon/QueueDaemon.swift`). Everything happens in
/// `QueueDaemonLauncher`; this file only turns its result into the process exit code.

import Glibc

exit(QueueDaemonLauncher.run())
