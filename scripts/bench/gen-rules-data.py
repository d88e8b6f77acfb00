"""Data for dialing-rules.sh (issue 12): a leads CSV of N rows spread over 50 IANA zones whose
09:00-20:00 window is closed now and for the next two hours (so the dispatcher holds every one of
them), a do-not-call CSV with the first M of those numbers, and prints an open zone for the
benchmark's own leads. Usage: gen-rules-data.py LEADS_CSV DNC_CSV N M"""
import datetime
import sys
import zoneinfo

ZONES_NEEDED = 50


def closed_for_two_hours(name, now):
    zone = zoneinfo.ZoneInfo(name)
    for minutes in range(0, 121, 15):
        local = (now + datetime.timedelta(minutes=minutes)).astimezone(zone)
        if 9 <= local.hour < 20:
            return False
    return True


def main():
    leads_csv, dnc_csv, n, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    now = datetime.datetime.now(datetime.timezone.utc)
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
    closed = [z for z in names if closed_for_two_hours(z, now)]
    is_open = [z for z in names if not closed_for_two_hours(z, now)
               and all(9 <= (now + datetime.timedelta(minutes=m_)).astimezone(zoneinfo.ZoneInfo(z)).hour < 20
                       for m_ in range(0, 121, 15))]
    if len(closed) < ZONES_NEEDED or not is_open:
        sys.exit(f"only {len(closed)} closed and {len(is_open)} open zones now")
    step = len(closed) // ZONES_NEEDED
    zones = closed[::step][:ZONES_NEEDED]
    with open(leads_csv, "w") as out:
        out.write("phone,name,priority,timezone\n")
        for i in range(n):
            out.write(f"+99893{i:07d},Lead {i},{('low', 'medium', 'high')[i % 3]},{zones[i % len(zones)]}\n")
    with open(dnc_csv, "w") as out:
        out.write("phone,reason\n")
        for i in range(m):
            out.write(f"+99893{i:07d},bench\n")
    print(is_open[len(is_open) // 2])


if __name__ == "__main__":
    main()
