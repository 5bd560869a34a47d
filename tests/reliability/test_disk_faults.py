"""Disk and file faults under a running kiosk: read-only, disk full, file moved or replaced.

For each fault, a check-in and a violation are attempted: each must raise
StoreUnavailable with a plain staff-facing sentence (so nothing is confirmed), leave
nothing behind, and succeed when retried with the same nonce once the fault is removed.
Disk full is simulated portably with PRAGMA max_page_count, and for real with a small
tmpfs where this machine lets the test mount one (as root). The door screen, under the
same faults, tells staff why and carries on once the fault is gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.checkin.service import check_in
from kiosk.errors import StoreUnavailable
from kiosk.privacy.backup import backup, restore
from kiosk.store import Store, open_store
from kiosk.ui.app import KioskApp
from kiosk.violations.workflow import log_violation
from support.door_helpers import Messages, screen_text, wait_shown, wait_until

from .checks import assert_file_sound, read
from .hostile import is_plain
from .school import DOORS_OPEN, School

Fault = Callable[[], None]


def _check_in(store: Store, school: School, nonce: str, family: int) -> str:
    decision = check_in(store, school.tokens("valid")[family], school.event,
                        now=DOORS_OPEN + timedelta(minutes=family), kiosk_id="door-a",
                        nonce=nonce)
    return decision.code


def _log(store: Store, school: School, nonce: str) -> int:
    return log_violation(store, event_id=school.event, kind="filmed_staff",
                         reported_by=school.steward_id, now=DOORS_OPEN, kiosk_id="door-a",
                         nonce=nonce)


def _stored(db: Path, table: str, nonce: str) -> int:
    return read(db, f"SELECT COUNT(*) FROM {table} WHERE nonce = ?", (nonce,))[0][0]


def _refused_then_recovered(
    store: Store, school: School, start: Fault, stop: Fault, says: str, family: int = 0
) -> None:
    """Under the fault both writes raise plainly; after it, the same nonces are saved once."""
    assert _check_in(store, school, "before", family) != ""
    start()
    for attempt in (lambda: _check_in(store, school, "during", family + 1),
                    lambda: _log(store, school, "v-during")):
        with pytest.raises(StoreUnavailable) as refused:
            attempt()
        assert says in str(refused.value) and is_plain(str(refused.value)), refused.value
    stop()
    db = school.db_path
    assert (_stored(db, "checkins", "during"), _stored(db, "violations", "v-during")) == (0, 0)
    assert _check_in(store, school, "during", family + 1).startswith("admitted")
    _log(store, school, "v-during")
    assert (_stored(db, "checkins", "during"), _stored(db, "violations", "v-during")) == (1, 1)
    assert _stored(db, "checkins", "before") == 1
    assert_file_sound(db)


def test_read_only_database(school: School, school_store: Store) -> None:
    def start() -> None:
        school_store.conn.execute("PRAGMA query_only = ON")

    def stop() -> None:
        school_store.conn.execute("PRAGMA query_only = OFF")

    _refused_then_recovered(school_store, school, start, stop, "read-only")


def _until_refused(write: Callable[[str], object], prefix: str) -> tuple[list[str], str]:
    """Write with fresh nonces until one is refused; (nonces confirmed, nonce refused)."""
    confirmed: list[str] = []
    for number in range(1, 200):
        nonce = f"{prefix}-{number}"
        try:
            write(nonce)
        except StoreUnavailable as refused:
            assert "disk is full" in str(refused) and is_plain(str(refused)), refused
            return confirmed, nonce
        confirmed.append(nonce)
    raise AssertionError("the page limit never stopped a write")


def test_disk_full_by_page_limit(school: School, school_store: Store) -> None:
    """Writes fit in existing pages until one needs a new page: that one is refused."""
    pages = school_store.conn.execute("PRAGMA page_count").fetchone()[0]
    school_store.conn.execute(f"PRAGMA max_page_count = {pages}")
    families = iter(range(40))
    checked_in, refused = _until_refused(
        lambda nonce: _check_in(school_store, school, nonce, next(families)), "full")
    logged, refused_violation = _until_refused(lambda n: _log(school_store, school, n), "v")
    school_store.conn.execute("PRAGMA max_page_count = 1073741823")
    db = school.db_path
    assert [_stored(db, "checkins", n) for n in checked_in] == [1] * len(checked_in)
    assert [_stored(db, "violations", n) for n in logged] == [1] * len(logged)
    assert (_stored(db, "checkins", refused), _stored(db, "violations", refused_violation)) == (
        0, 0)
    _check_in(school_store, school, refused, next(families))
    _log(school_store, school, refused_violation)
    assert (_stored(db, "checkins", refused), _stored(db, "violations", refused_violation)) == (
        1, 1)
    assert_file_sound(db)


def test_database_moved_away_and_back(school: School, school_store: Store) -> None:
    away = school.db_path.with_name("moved.db")
    _refused_then_recovered(
        school_store, school, lambda: os.rename(school.db_path, away),
        lambda: os.rename(away, school.db_path), "deleted or moved away",
    )


def test_database_replaced_by_another_file_and_put_back(
    school: School, school_store: Store
) -> None:
    kept = school.db_path.with_name("original.db")

    def start() -> None:
        os.rename(school.db_path, kept)
        shutil.copyfile(kept, school.db_path)

    _refused_then_recovered(school_store, school, start,
                            lambda: os.replace(kept, school.db_path), "replaced")


def test_database_deleted_then_restored_from_a_backup(
    school: School, school_store: Store, tmp_path: Path
) -> None:
    """A deleted file lives on only in the open handle: never confirm into it.

    Restoring a backup (kiosk restore) after the kiosk stops must not replay the deleted
    file's leftover write-ahead log into the restored copy.
    """
    _check_in(school_store, school, "before", 0)
    saved = backup(school_store, tmp_path / "backup.db", now=DOORS_OPEN).path
    os.unlink(school.db_path)
    with pytest.raises(StoreUnavailable, match="deleted"):
        _check_in(school_store, school, "gone", 1)
    school_store.close()
    restore(saved, school.db_path, now=DOORS_OPEN)
    restarted = open_store(school.db_path)
    try:
        assert _check_in(restarted, school, "gone", 1).startswith("admitted")
        assert _check_in(restarted, school, "before", 0).startswith("admitted")
    finally:
        restarted.close()
    assert (_stored(school.db_path, "checkins", "gone"),
            _stored(school.db_path, "checkins", "before")) == (1, 1)
    assert_file_sound(school.db_path)


def test_database_replaced_under_a_running_kiosk_needs_a_restart(
    school: School, school_store: Store
) -> None:
    kept = school.db_path.with_name("original.db")
    school_store.conn.execute("VACUUM INTO ?", (str(kept),))
    os.replace(kept, school.db_path)
    with pytest.raises(StoreUnavailable, match="restart the kiosk"):
        _check_in(school_store, school, "new", 0)
    assert school_store.checkins.by_nonce("new") is None  # rolled back, not committed anywhere


@contextmanager
def small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A size-limited tmpfs at `folder` (skips the test where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounting = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    ) if shutil.which("mount") and os.geteuid() == 0 else None
    if mounting is None or mounting.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root; disk full is covered by max_page_count")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(filler: Path) -> None:
    """Write until the file system has no space left at all."""
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, bytes(65536))
    except OSError:
        while True:
            try:
                os.write(fd, bytes(512))
            except OSError:
                break
    finally:
        os.close(fd)


def test_disk_really_full_on_a_small_tmpfs(school: School, tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "tmpfs", "4m") as mounted:
        copy = school.copy_to(mounted / "kiosk")
        store = open_store(copy.db_path)
        filler = mounted / "filler"
        try:
            _refused_then_recovered(store, copy, lambda: _fill(filler), filler.unlink,
                                    "disk is full")
        finally:
            store.close()


def test_read_only_file_system_at_start_then_writable(school: School, tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "tmpfs", "8m") as mounted:
        copy = school.copy_to(mounted / "kiosk")
        subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
        with pytest.raises(StoreUnavailable) as refused:
            open_store(copy.db_path)
        assert is_plain(str(refused.value))
        subprocess.run(["mount", "-o", "remount,rw", str(mounted)], check=True)
        store = open_store(copy.db_path)
        try:
            assert _check_in(store, copy, "after", 0).startswith("admitted")
        finally:
            store.close()


# Disk full is left to the service tests above: whether one more row needs a new page
# (and so hits max_page_count) depends on the random pass hashes already stored.
FAULTS: dict[str, tuple[Callable[[Store, Path], None], Callable[[Store, Path], None], str]] = {
    "moved away": (lambda s, db: os.rename(db, db.with_name("away.db")),
                   lambda s, db: os.rename(db.with_name("away.db"), db), "moved away"),
    "read-only": (lambda s, db: s.conn.execute("PRAGMA query_only = ON"),
                  lambda s, db: s.conn.execute("PRAGMA query_only = OFF"), "read-only"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_door_screen_tells_staff_and_keeps_going(
    school: School, school_store: Store, fault: str
) -> None:
    start, stop, says = FAULTS[fault]
    token = school.tokens("valid")[2]
    app = KioskApp(school_store, school.event, clock=lambda: DOORS_OPEN, kiosk_id="door-a",
                   quiet=True, return_after=1000.0)
    messages = Messages()
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        start(school_store, school.db_path)
        app.door.handle_scan(token, "camera")
        assert (await wait_shown(pilot, messages, 1)).colour == "problem"
        await wait_until(pilot, lambda: says in " ".join(screen_text(app).split()),
                         "the staff-facing reason")
        assert "PLEASE SEE A MEMBER OF STAFF" in screen_text(app)
        stop(school_store, school.db_path)
        assert read(school.db_path, "SELECT COUNT(*) FROM checkins")[0][0] == 0
        app.door.handle_scan(token, "camera")
        assert (await wait_shown(pilot, messages, 2)).colour in ("green", "amber")
        assert app.is_running
    assert read(school.db_path, "SELECT COUNT(*) FROM checkins")[0][0] == 1
