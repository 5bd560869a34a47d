"""Build the demo school: Willowmere Primary (fictional), imported through the roster importer.

`build_demo(path, today=...)` makes a fresh database from data/demo-school.csv (generated
by kiosk.demo.data with a fixed seed): 420 pupils in 14 classes, demo staff, an infant
nativity dated `today` and a junior summer concert next July, and one pass per family.

The pass tokens are written in plain text to demo-passes.json beside the database, so
the demo can present every door result. That is acceptable only because every family
is invented: a real school's tokens are never stored anywhere (the database keeps
hashes only).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from kiosk.demo.data import roster_csv
from kiosk.demo.events import add_demo_events
from kiosk.errors import KioskError, StoreUnavailable
from kiosk.events import running_order
from kiosk.passes import issue_pass, revoke_pass
from kiosk.roster import import_roster
from kiosk.roster.answers import record_answer, withdraw_consent
from kiosk.security.keys import key_path
from kiosk.staff import add_staff
from kiosk.store import Store, open_store
from kiosk.store.rows import PupilRow
from kiosk.store.snapshots import FileInUse, held_alone

DEMO_CSV = Path(__file__).resolve().parents[2] / "data" / "demo-school.csv"
PASSES_FILE = "demo-passes.json"
SCHOOL_NAME = "Willowmere Primary School (demo)"
DEMO_MARK = "demo_school"
STAFF = (
    ("Sam Steward", "steward", "111111"),
    ("Lee Lead", "lead", "222222"),
    ("Helen Head", "headteacher", "333333"),
    ("Ada Admin", "admin", "444444"),
)
ACTOR = "demo"
KIOSK = "demo"


class DemoError(KioskError):
    """The demo database could not be built where asked."""


@dataclass(frozen=True)
class DemoPass:
    """A demo family's pass and the door result it gives at the nativity."""

    family_id: str
    ref: str
    token: str
    kind: str  # admitted, restricted, not_expected, revoked, expired, not_yet_valid


@dataclass(frozen=True)
class DemoSchool:
    """Facts about a freshly built demo school (for the CLI, the demo UI and tests)."""

    path: Path
    passes_path: Path
    pupils: int
    families: int
    classes: tuple[str, ...]
    events: tuple[str, ...]
    door_families: dict[str, str]
    disputed_pupil: str
    withdrawn_pupil: str


def demo_csv_bytes() -> bytes:
    """The shipped demo export (regenerated identically when running from a wheel)."""
    return DEMO_CSV.read_bytes() if DEMO_CSV.exists() else roster_csv()


def passes_path_for(db_path: Path | str) -> Path:
    """Where the demo pass tokens live: beside the demo database."""
    return Path(db_path).with_name(PASSES_FILE)


def _clear(path: Path) -> None:
    """Remove an earlier demo database, refusing to touch anything that is not one."""
    if path.exists():
        try:
            old = open_store(path, migrate=False)
            try:
                is_demo = old.settings.get(DEMO_MARK) == "1"
            finally:
                old.close()
        except StoreUnavailable:
            is_demo = False
        if not is_demo:
            raise DemoError(f"{path} is not a demo database, so it was not replaced.")
        try:
            with held_alone(path):
                pass
        except FileInUse as error:
            raise DemoError(f"The demo database {path} is open in a running kiosk; close"
                            " it before building the demo again.") from error
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), passes_path_for(path),
                     key_path(path)):
        leftover.unlink(missing_ok=True)


def build_demo(path: Path | str, *, today: date) -> DemoSchool:
    """Build a fresh demo database at `path` (replacing an earlier demo, never other files)."""
    path = Path(path)
    _clear(path)
    now = datetime.combine(today, time(8, 0), tzinfo=UTC)
    store = open_store(path)
    try:
        with store.immediate():
            store.settings.set(DEMO_MARK, "1")
            store.settings.set("school_name", SCHOOL_NAME)
            import_roster(store, demo_csv_bytes(), now=now, actor=ACTOR, kiosk_id=KIOSK)
            disputed, withdrawn = _consent_stories(store, now)
            for name, role, pin in STAFF:
                add_staff(store, name, role, pin, now=now, actor=ACTOR, kiosk_id=KIOSK)
            add_demo_events(store, today, now=now, actor=ACTOR, kiosk_id=KIOSK)
            kinds = _door_kinds(store)
            passes = _issue_passes(store, kinds, now)
        school = DemoSchool(
            path=path,
            passes_path=passes_path_for(path),
            pupils=len(store.families.pupils()),
            families=len(store.families.all()),
            classes=tuple(sorted({p["class_name"] for p in store.families.pupils()},
                                 key=_class_order)),
            events=tuple(e["id"] for e in store.events.all()),
            door_families={p.kind: p.family_id for p in reversed(passes)},
            disputed_pupil=disputed,
            withdrawn_pupil=withdrawn,
        )
    finally:
        store.close()
    _write_passes(school.passes_path, passes)
    return school


def _class_order(name: str) -> tuple[int, str]:
    return ("R123456".find(name[0]), name)


def _consent_stories(store: Store, now: datetime) -> tuple[str, str]:
    """One pupil whose guardians disagree (disputed) and one whose consent was withdrawn."""
    def first(class_name: str, guardians: int) -> PupilRow:
        for pupil in sorted(store.families.pupils(), key=lambda p: p["id"]):
            rows = store.families.consents_of_pupil(pupil["id"])
            granted = any(r["category"] == "event_recording" and r["value"] == "granted"
                          and r["valid_until"] is None for r in rows)
            if (pupil["class_name"] == class_name and granted
                    and len(store.families.guardians_of_pupil(pupil["id"])) == guardians):
                return pupil
        raise DemoError(f"The demo roster has no pupil to tell a consent story in {class_name}.")

    disputed = first("RW", 2)
    mum, dad = store.families.guardians_of_pupil(disputed["id"])
    for guardian, value in ((mum, "granted"), (dad, "refused")):
        record_answer(store, disputed["id"], "event_recording", value, given_by=guardian["name"],
                      now=now, actor=ACTOR, kiosk_id=KIOSK)
    withdrawn = first("2B", 1)
    carer = store.families.guardians_of_pupil(withdrawn["id"])[0]
    withdraw_consent(store, withdrawn["id"], "event_recording", given_by=carer["name"],
                     now=now, actor=ACTOR, kiosk_id=KIOSK)
    return disputed["id"], withdrawn["id"]


def _door_kinds(store: Store) -> dict[str, str]:
    """Each family's result at the nativity door: admitted, restricted or not_expected."""
    order = running_order(store, "nativity")
    kinds = {}
    for family in store.families.all():
        children = [p["id"] for p in store.families.pupils_of_family(family["id"])]
        items = order.items_for_pupils(children)
        if not items:
            kinds[family["id"]] = "not_expected"
        elif all(r.status == "allowed" for r in items):
            kinds[family["id"]] = "admitted"
        else:
            kinds[family["id"]] = "restricted"
    return kinds


def _issue_passes(store: Store, kinds: dict[str, str], now: datetime) -> list[DemoPass]:
    """One pass per family, plus a lost (revoked), last year's (expired) and tomorrow's card."""
    passes = []
    for family_id, kind in sorted(kinds.items()):
        issued = issue_pass(store, family_id, now=now, actor=ACTOR, kiosk_id=KIOSK)
        passes.append(DemoPass(family_id, issued.ref, issued.token, kind))
    admitted = next(f for f, k in sorted(kinds.items()) if k == "admitted")
    lost = issue_pass(store, admitted, now=now - timedelta(days=20), label="Lost card",
                      actor=ACTOR, kiosk_id=KIOSK)
    revoke_pass(store, lost.ref, reason="Reported lost by the family", now=now,
                actor=ACTOR, kiosk_id=KIOSK)
    passes.append(DemoPass(admitted, lost.ref, lost.token, "revoked"))
    restricted = next(f for f, k in sorted(kinds.items()) if k == "restricted")
    old = issue_pass(store, restricted, now=now - timedelta(days=400), label="Last year's card",
                     actor=ACTOR, kiosk_id=KIOSK)
    passes.append(DemoPass(restricted, old.ref, old.token, "expired"))
    outside = next(f for f, k in sorted(kinds.items()) if k == "not_expected")
    early = issue_pass(store, outside, now=now + timedelta(days=1), label="Card from tomorrow",
                       actor=ACTOR, kiosk_id=KIOSK)
    passes.append(DemoPass(outside, early.ref, early.token, "not_yet_valid"))
    return passes


def _write_passes(target: Path, passes: list[DemoPass]) -> None:
    document = {
        "warning": "Demo passes for invented families only. Real pass tokens are never "
                   "written to disk; the database keeps only their hashes.",
        "passes": [asdict(p) for p in passes],
    }
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")


def demo_passes(db_path: Path | str) -> list[DemoPass]:
    """The demo passes saved beside a demo database (raises DemoError if there are none)."""
    target = passes_path_for(db_path)
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
        return [DemoPass(**item) for item in document["passes"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DemoError(f"No demo passes could be read from {target} ({error}).") from None
