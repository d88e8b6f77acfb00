#include <systemd/sd-event.h>
#include <systemd/sd-daemon.h>
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
