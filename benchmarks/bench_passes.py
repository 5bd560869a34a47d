"""Benchmark family passes: issue and render every demo family's files, then verify codes.

    .venv/bin/python benchmarks/bench_passes.py [--keep DIR]

On the demo school (kiosk.demo.school.build_demo, 283 families). Targets: issuing and rendering
passes for all families (PNG, SVG, family PDF, one bulk PDF) under 10 s on a 2-core
machine; verifying 10,000 codes against the same database file, median under 0.5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import perf_counter, perf_counter_ns, process_time

import cv2
import zxingcpp

from kiosk.demo.school import build_demo
from kiosk.passes import issue_to_families, verify
from kiosk.passes.token import new_token
from kiosk.store import Store, open_store

TODAY = date(2026, 12, 10)
NOW = datetime.combine(TODAY, time(9, 0), tzinfo=UTC)
VERIFY_COUNT = 10_000


def read_token(png: Path) -> str:
    """Decode a written PNG back to its token (also proves the round trip)."""
    (code,) = zxingcpp.read_barcodes(cv2.imread(str(png), cv2.IMREAD_GRAYSCALE))
    return code.text


def bench_issue(store: Store, out: Path) -> list[Path]:
    """Issue and render a pass for every family with a pupil on roll; print the figures."""
    family_ids = [row["id"] for row in store.passes.families_with_pupils_on_roll()]
    start, cpu = perf_counter(), process_time()
    run = issue_to_families(store, family_ids, out, now=NOW, bulk=True)
    elapsed, cpu = perf_counter() - start, process_time() - cpu
    passes = len(run.passes)
    bulk_kb = run.bulk_pdf.stat().st_size / 1024 if run.bulk_pdf else 0
    print(f"issue+render: {passes} passes for {len(family_ids)} families in {elapsed:.2f} s "
          f"= {elapsed / passes * 1000:.1f} ms per pass (PNG + SVG + family PDF, plus one "
          f"bulk PDF of {bulk_kb:.0f} KB; {cpu:.2f} s CPU) -> {'OK' if elapsed < 10 else 'OVER'} "
          "(target < 10 s)")
    return [p.png for p in run.passes]


def bench_verify(store: Store, tokens: list[str], today: date) -> None:
    """Verify 10,000 issued tokens, then a mix of wrong ones; print median and tail."""
    timings = []
    for index in range(VERIFY_COUNT):
        token = tokens[index % len(tokens)]
        start = perf_counter_ns()
        check = verify(token, store, today)
        timings.append((perf_counter_ns() - start) / 1e6)
        if not check.ok:
            sys.exit(f"issued token did not verify: {check.code}")
    _report("verify (issued, ok)", timings, target_ms=0.5)
    wrong = [new_token(), "https://example.org/", tokens[0][:-1] + "A", "x" * 100_000]
    timings = []
    for index in range(VERIFY_COUNT):
        start = perf_counter_ns()
        verify(wrong[index % len(wrong)], store, today)
        timings.append((perf_counter_ns() - start) / 1e6)
    _report("verify (unknown/foreign/misread/huge)", timings, target_ms=0.5)


def _report(label: str, timings: list[float], *, target_ms: float) -> None:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99)]
    verdict = "OK" if median < target_ms else "OVER"
    print(f"{label}: n={len(ordered)} median {median:.3f} ms, p99 {p99:.3f} ms, "
          f"max {ordered[-1]:.3f} ms -> {verdict} (target median < {target_ms} ms)")


def main() -> None:
    """Run both benchmarks in a temporary folder (or --keep DIR to look at the files)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the database and files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        build_demo(folder / "demo.db", today=TODAY)
        store = open_store(folder / "demo.db")
        pngs = bench_issue(store, folder / "passes")
        tokens = [read_token(png) for png in pngs]
        bench_verify(store, tokens, TODAY)
        store.close()


if __name__ == "__main__":
    main()
