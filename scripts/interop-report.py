#!/usr/bin/env python3
"""Writes docs/interop.md, the interop matrix, from the interop tests' own results.

The end-to-end interop tests append one JSON line per checked cell to
multi-jvm-tests/target/interop-results.jsonl (InteropResults.java). This copies that run to
docs/interop/results.jsonl and writes the table from it, so the page never says more than was
run. Usage: scripts/interop-report.py [results.jsonl] (default: the tests' file, else the kept one).
"""

import json
import statistics
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "multi-jvm-tests" / "target" / "interop-results.jsonl"
KEPT = ROOT / "docs" / "interop" / "results.jsonl"
PAGE = ROOT / "docs" / "interop.md"
JOIN_FIGURES = ROOT / "docs" / "interop" / "join-to-first-frame.json"

CELLS = OrderedDict([
    ("two-way", "two-way call (publish and receive)"),
    ("late-join", "late joiner decodes everyone within 2 s"),
    ("no-pli", "receiver that never sends PLI/FIR"),
    ("leave", "leave"),
    ("cascade", "across a two-node cascade"),
    ("mixed-room", "in a room of mixed stacks"),
])
POLICIES = ["balanced", "max-compat", "max-bundle"]


def read(path):
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            records.append(json.loads(line))
    return records


def verdict(records):
    if not records:
        return "not run"
    if all(r["passed"] for r in records):
        return "pass"
    # A failed test runs once more (multi-jvm-tests/pom.xml): a cell whose every failing test
    # passed on that second run is flaky; one that failed twice is a failure.
    by_test = {}
    for r in records:
        by_test.setdefault(r["test"], []).append(r["passed"])
    return "flaky" if all(any(runs) for runs in by_test.values()) else "FAIL"


def main():
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else (RUN if RUN.exists() else KEPT)
    records = read(source)
    if source != KEPT:
        KEPT.parent.mkdir(parents=True, exist_ok=True)
        KEPT.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    stacks = OrderedDict()
    for r in records:
        stacks.setdefault(r["stack"], []).append(r)
    when = max((r["at"] for r in records), default="never")

    out = ["# Interop matrix", "",
           "Written by `scripts/interop-report.py` from `docs/interop/results.jsonl`, the results the",
           "end-to-end interop tests recorded in their last full run (" + when[:10] + "); not edited by hand.",
           "Every cell is decoded frames, asserted (`framesDecoded` or the stack's own decoder), not a",
           "connection state. `not run` means no test checked it; `flaky`, that a check failed once and"
           " passed when run again.", ""]
    header = ["stack", "version"] + list(CELLS) + POLICIES + ["codecs", "first frame after join (median, ms)"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for stack, rs in stacks.items():
        row = [stack, rs[-1].get("version", "?")]
        row += [verdict([r for r in rs if r["cell"] == cell]) for cell in CELLS]
        row += [verdict([r for r in rs if r.get("bundlePolicy") == policy]) for policy in POLICIES]
        codecs = sorted({r["codec"] for r in rs if r["passed"] and r.get("codec")})
        row.append(", ".join(codecs) or "-")
        figures = [ms for r in rs if r["passed"] for ms in r.get("firstFrameMs") or []]
        row.append(f"{statistics.median(figures):.0f} (n={len(figures)})" if figures else "-")
        out.append("| " + " | ".join(row) + " |")
    out += ["", "Cells:", ""]
    out += [f"- `{cell}`: {text}" for cell, text in CELLS.items()]
    out += ["- a bundle policy column: the stack published with that `bundlePolicy` and was decoded", ""]
    if JOIN_FIGURES.exists():
        figures = json.loads(JOIN_FIGURES.read_text(encoding="utf-8"))
        out += ["## Join to first frame", "",
                f"Measured {figures['measured'][:10]} by `{figures['command']}`: {figures['what']}.", "",
                "| stack | version | median (ms) | runs (ms) |", "|---|---|---|---|"]
        for stack, entry in figures["stacks"].items():
            runs = ", ".join(str(ms) for ms in entry["runsMs"])
            out.append(f"| {stack} | {entry['version']} | {entry['medianMs']} | {runs} |")
        out.append("")
    checks = sorted({(r["test"], r["stack"], r["cell"]) for r in records})
    out += ["Checks behind the table (test, stack, cell):", ""]
    out += [f"- `{t}`: {s}, {c}" for t, s, c in checks]
    PAGE.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} from {len(records)} results")


if __name__ == "__main__":
    main()
