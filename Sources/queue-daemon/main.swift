/// queue-daemon: owns the lead queue (see `Daemon/QueueDaemon.swift`). Everything happens in
/// `QueueDaemonLauncher`; this file only turns its result into the process exit code.
/// `queue-daemon --simulate-pacing key=value …` runs the pacing benchmark's in-process shift
/// simulation instead (issue 14, `PacingSimulation`) and starts no daemon.

import Glibc

if CommandLine.arguments.dropFirst().first == "--simulate-pacing" {
    exit(PacingSimulationResult.main(Array(CommandLine.arguments.dropFirst(2))))
}
exit(QueueDaemonLauncher.run())
