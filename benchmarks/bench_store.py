"""Benchmark: import a generated 2,000-pupil roster (one row per pupil, and one row per
contact as ParentMail/SchoolBooking export it), then derive every item's status for an
event with 600 performers. Targets (issues 2, 13): import < 3 s, statuses < 20 ms.

Run: .venv/bin/python benchmarks/bench_store.py
"""

from __future__ import annotations

import csv
import io
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.consent import ItemSpec, derive_items
from kiosk.demo.data import SchoolSpec, roster_csv
from kiosk.demo.school import build_demo
from kiosk.events import add_item, create_event, filmable, running_order
from kiosk.roster import import_roster
from kiosk.store import Store, open_store

NOW = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)
EVENT_DAY = date(2026, 12, 10)
PUPILS = 2000
PERFORMERS = 600
IMPORT_TARGET_S = 3.0
STATUS_TARGET_MS = 20.0


def timed(action: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """(best, median) seconds over `repeat` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def build_event(store: Store) -> None:
    """One item per class until 600 pupils perform, named pupils to make it exact, a finale."""
    create_event(store, "gala", "Gala", EVENT_DAY, now=NOW)
    by_class: dict[str, list[str]] = defaultdict(list)
    for pupil in store.families.pupils():
        by_class[pupil["class_name"]].append(pupil["id"])
    chosen: list[str] = []
    count = 0
    for class_name in sorted(by_class):
        if count + len(by_class[class_name]) > PERFORMERS:
            break
        add_item(store, "gala", f"Class {class_name}", now=NOW, classes=[class_name])
        chosen.append(class_name)
        count += len(by_class[class_name])
    spare = [p for c in sorted(by_class) if c not in chosen for p in by_class[c]]
    add_item(store, "gala", "Soloists", now=NOW, pupils=spare[: PERFORMERS - count])
    add_item(store, "gala", "Finale", now=NOW, classes=chosen)


def pure_inputs(store: Store) -> tuple[list[ItemSpec], dict[str, list[str]], dict[str, bool]]:
    """The plain data derive_items needs, read once from the store."""
    order = running_order(store, "gala")
    specs = [r.item for r in order.items]
    classes = {c for spec in specs for c in spec.classes}
    by_class: dict[str, list[str]] = defaultdict(list)
    for pupil in store.families.pupils():
        if pupil["class_name"] in classes:
            by_class[pupil["class_name"]].append(pupil["id"])
    performers = {p for r in order.items for p in r.performers}
    return specs, by_class, filmable(store, sorted(performers), EVENT_DAY)


def per_contact_csv(data: bytes) -> tuple[bytes, int]:
    """The same export with one row per contact (unnumbered contact columns); and its rows."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    pupil = [i for i, h in enumerate(header) if not h.startswith("Contact ")]
    parts = ("Forename", "Surname", "Relationship", "Email", "Mobile")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*(header[i] for i in pupil), *(f"Contact {p}" for p in parts), "Priority"])
    count = 0
    for row in rows[1:]:
        for n in (1, 2):
            contact = [row[header.index(f"Contact {n} {p}")] for p in parts]
            if any(contact):
                writer.writerow([*(row[i] for i in pupil), *contact, str(n)])
                count += 1
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), count


def main() -> None:
    """Run the benchmark and print the figures."""
    csv = roster_csv(SchoolSpec(class_letters=tuple("ABCDEFGHIJ"), pupils=PUPILS, seed=7,
                                demo_consent_plan=False))
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.db")
        try:
            first, _ = timed(lambda: import_roster(store, csv, now=NOW))
            contacts, contact_rows = per_contact_csv(csv)
            with tempfile.TemporaryDirectory() as other:
                fresh = open_store(Path(other) / "contacts.db")
                try:
                    per_contact, _ = timed(lambda: import_roster(fresh, contacts, now=NOW))
                finally:
                    fresh.close()
            again, _ = timed(lambda: import_roster(store, csv, now=NOW))
            dry, _ = timed(lambda: import_roster(store, csv, now=NOW, dry_run=True))
            build_event(store)
            order = running_order(store, "gala")
            performers = len({p for r in order.items for p in r.performers})
            with_store = timed(lambda: running_order(store, "gala"), repeat=30)
            specs, by_class, allowed = pure_inputs(store)
            pure = timed(lambda: derive_items(specs, by_class, allowed), repeat=200)
        finally:
            store.close()
        demo, _ = timed(lambda: build_demo(Path(folder) / "demo.db", today=EVENT_DAY))
    blocked = sum(1 for r in order.items if r.status == "no_filming")
    print(f"roster: {PUPILS} pupils, {len(csv) / 1024:.0f} KiB CSV")
    print(f"  first import      {first:7.3f} s   (target < {IMPORT_TARGET_S:.0f} s)"
          f"  {'ok' if first < IMPORT_TARGET_S else 'SLOW'}")
    print(f"  one row per contact ({contact_rows} rows)  {per_contact:7.3f} s   (target < "
          f"{IMPORT_TARGET_S:.0f} s)  {'ok' if per_contact < IMPORT_TARGET_S else 'SLOW'}")
    print(f"  re-import (same)  {again:7.3f} s")
    print(f"  dry run           {dry:7.3f} s")
    print(f"event: {len(order.items)} items, {performers} performers, {blocked} no filming")
    for label, (best, median) in (("pure derive_items", pure),
                                  ("running_order (store)", with_store)):
        verdict = "ok" if median * 1000 < STATUS_TARGET_MS else "SLOW"
        print(f"  {label:22} best {best * 1000:6.2f} ms  median {median * 1000:6.2f} ms"
              f"  (target < {STATUS_TARGET_MS:.0f} ms)  {verdict}")
    print(f"demo school build (420 pupils, 4 argon2 PINs, 285 passes)  {demo:.2f} s")


if __name__ == "__main__":
    main()
