#!/usr/bin/env python3
"""Writes a benchmark data set: a 40-criterion framework, and by default 1,000 economies and
640,000 values (1,000 economies x 40 criteria x 16 quarters, every one present).

Usage: bench-data.py DIR [ECONOMIES [QUARTERS]]   (quarters start at 2012-Q1)"""
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
n_economies = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
n_quarters = int(sys.argv[3]) if len(sys.argv) > 3 else 16
regions = ["North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West"]
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(2013)

themes = ["records", "transfers", "medicines", "citizens", "standards"]
kinds = ["percentage", "boolean", "level", "date"]
fw = ['code = "bench"', 'name = "Benchmark framework"', "paperless_threshold = 90.0", ""]
fw += ['[[milestones]]', 'code = "paperless"', 'name = "Paperless"', 'date = "2018-03-31"', "paperless = true", ""]
for i, t in enumerate(themes):
    fw += ["[[themes]]", f'code = "{t}"', f'name = "Theme {t}"', f"weight = {i + 1}.0", ""]
criteria = []
for c in range(40):
    kind = kinds[c % 4]
    code = f"C{c:02d}"
    criteria.append((code, kind))
    fw += ["[[criteria]]", f'code = "{code}"', f'theme = "{themes[c % 5]}"', f'title = "Criterion {c}"', f'kind = "{kind}"']
    if kind == "percentage":
        fw.append("target = 90.0")
    elif kind == "level":
        fw.append("target = 5")
    elif kind == "date":
        fw.append('target = "2014-04-01"')
    fw.append(f"weight = {1 + c % 3}.0")
    if c < 7:
        fw.append(f"stage = {c + 1}")
    if c == 0:
        fw.append("gate = true")
    fw.append("")
(out / "framework.toml").write_text("\n".join(fw))

with open(out / "economies.csv", "w") as f:
    f.write("slug,name,region\n")
    for e in range(n_economies):
        f.write(f"e{e:04d},Economy {e},{regions[e % 9]}\n")

quarters = [f"{2012 + (q // 4)}-Q{q % 4 + 1}" for q in range(n_quarters)]
ends = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}
with open(out / "values.csv", "w") as f:
    f.write("economy,period,criterion,value,status\n")
    for e in range(n_economies):
        for qi, q in enumerate(quarters):
            for code, kind in criteria:
                if kind == "percentage":
                    v = f"{rng.uniform(0, 100):.1f}"
                elif kind == "boolean":
                    v = rng.choice(["yes", "no"])
                elif kind == "level":
                    v = str(rng.randint(0, 5))
                else:
                    v = rng.choice(["", f"{q[:4]}-{ends[q[-1]][:2]}-01"])
                s = rng.choice(["verified", "submitted", "submitted", "rejected"]) if qi > 0 else "verified"
                f.write(f"e{e:04d},{q},{code},{v},{s}\n")
