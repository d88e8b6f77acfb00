/// Entry point of the dialer-daemon: everything lives in `DialerMain` / `DialerDaemon`.
import Glibc

exit(DialerMain.run())
