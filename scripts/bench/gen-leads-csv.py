#!/usr/bin/env python3
"""Writes a lead CSV of about the given size (default 10 MiB): unique Uzbek mobile numbers,
mixed priorities, names, emails, notes and tags; never larger than the size asked for. Usage:
gen-leads-csv.py OUT [MiB] [seed] [first]: numbers count up from `first` (default 1), so files made
with distinct ranges hold distinct leads."""
import random
import sys

out = sys.argv[1]
target = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 10 * 1024 * 1024
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
prios = ["urgent", "high", "medium", "medium", "low"]
size = 0
rows = 0
with open(out, "w", newline="") as f:
    header = "phone,name,email,priority,notes,tags\r\n"
    f.write(header)
    size += len(header)
    n = int(sys.argv[4]) - 1 if len(sys.argv) > 4 else 0
    while True:
        n += 1
        phone = f"+99890{n:07d}"
        line = (f'{phone},Lead {n},lead{n}@ex.uz,{rng.choice(prios)},'
                f'"call {rng.randint(9, 18)}h",hot\r\n')
        if size + len(line) > target:
            break  # never above the target: 10 MiB is the upload limit (413 beyond)
        f.write(line)
        size += len(line)
        rows += 1
print(rows)
