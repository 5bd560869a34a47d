"""The database schema, versioned by sqlite-utils migrations (append new ones at the end).

Every row that belongs to a family can be found from the family: pupils, guardians and
passes carry `family_id`; consents hang off pupils; check-ins and violations carry
`family_id` when known; violation children name pupils; personal audit details carry
`family_id` in `audit_personal`, which can be purged without breaking the hash chain.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.store.initial_schema import INITIAL
from kiosk.store.upgrade import anchor_first_release

migrations = Migrations("kiosk")
MIGRATION_NAMES: list[str] = []


def _migration(name: str):
    """Register a migration and remember its name in order (for restore checks)."""
    MIGRATION_NAMES.append(name)
    return migrations(name=name)



@_migration("m001_initial_schema")
def m001_initial_schema(db: Database) -> None:
    """Every table of the first release."""
    for statement in INITIAL:
        db.execute(statement)


def apply_migrations(db: Database) -> None:
    """Bring the database up to the newest schema (idempotent)."""
    migrations.apply(db)


def schema_version(db: Database) -> list[str]:
    """Names of the applied migrations, oldest first (for restore checks and status)."""
    return [m.name for m in migrations.applied(db)]


def latest_version() -> str:
    """Name of the newest migration this program knows."""
    return MIGRATION_NAMES[-1]


@_migration("m002_violations_history_no_replace")
def m002_violations_history_no_replace(db: Database) -> None:
    """Refuse INSERT OR REPLACE over an existing history row, even without recursive_triggers.

    A REPLACE deletes the old row without firing the DELETE trigger on a connection that
    lacks `PRAGMA recursive_triggers` (a raw sqlite3 one); a BEFORE INSERT check cannot be
    skipped that way.
    """
    db.execute(
        """CREATE TRIGGER violation_history_no_replace BEFORE INSERT ON violation_history
        WHEN EXISTS (SELECT 1 FROM violation_history WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'violation history is append-only'); END"""
    )


@_migration("m003_audit_log_no_replace")
def m003_audit_log_no_replace(db: Database) -> None:
    """Refuse INSERT OR REPLACE over an existing audit entry (same id, or same kiosk and seq)."""
    db.execute(
        """CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
        WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id
            OR (kiosk_id = NEW.kiosk_id AND seq = NEW.seq))
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
    )


@_migration("m004_retention_purgeable_violations")
def m004_retention_purgeable_violations(db: Database) -> None:
    """Let retention and erasure remove a closed violation's history, and nothing else.

    History stays append-only except for violations named in `violation_purge_marks`, a
    table that only accepts closed violations and is emptied in the same transaction as
    the purge. An open (or acknowledged) violation can never be deleted, nor its history.
    """
    db.execute("CREATE TABLE violation_purge_marks (violation_id INTEGER PRIMARY KEY)")
    db.execute(
        """CREATE TRIGGER violation_purge_marks_closed_only BEFORE INSERT
        ON violation_purge_marks
        WHEN NOT EXISTS (SELECT 1 FROM violations WHERE id = NEW.violation_id
            AND status = 'closed' AND closed_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'only a closed violation can be purged'); END"""
    )
    db.execute("DROP TRIGGER violation_history_no_delete")
    db.execute(
        """CREATE TRIGGER violation_history_no_delete BEFORE DELETE ON violation_history
        WHEN NOT EXISTS (SELECT 1 FROM violation_purge_marks
            WHERE violation_id = OLD.violation_id)
        BEGIN SELECT RAISE(ABORT, 'violation history is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER violations_no_delete_unless_marked BEFORE DELETE ON violations
        WHEN NOT EXISTS (SELECT 1 FROM violation_purge_marks WHERE violation_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'only a closed violation can be purged'); END"""
    )


@_migration("m005_child_key_indexes")
def m005_child_key_indexes(db: Database) -> None:
    """Index the child side of foreign keys that had none, so deletes do not scan tables.

    With foreign keys on, erasing a guardian, pass or pupil looks up every referencing row.
    """
    for statement in (
        "CREATE INDEX IF NOT EXISTS pupil_guardians_guardian ON pupil_guardians(guardian_id)",
        "CREATE INDEX IF NOT EXISTS checkins_pass ON checkins(pass_id)",
        "CREATE INDEX IF NOT EXISTS violation_children_pupil ON violation_children(pupil_id)",
        "CREATE INDEX IF NOT EXISTS violations_pass ON violations(pass_id)",
        "CREATE INDEX IF NOT EXISTS violation_history_violation"
        " ON violation_history(violation_id)",
    ):
        db.execute(statement)


@_migration("m006_outbox")
def m006_outbox(db: Database) -> None:
    """The e-mail outbox: one row per message, written with the change it reports.

    `dedupe_key` (e.g. 'violation:12', 'digest:2026-12-01') makes queuing idempotent; a
    sender claims a row ('sending') in its own transaction, so two senders never both
    send it. Times are UTC ISO text, so they compare as strings.
    """
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('violation', 'digest')),
            dedupe_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_at TEXT,
            last_error TEXT,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox(status, next_attempt_at)")
    db.execute(
        """CREATE TRIGGER outbox_sent_is_final BEFORE UPDATE ON outbox
        WHEN OLD.status = 'sent'
        BEGIN SELECT RAISE(ABORT, 'a sent message is never sent again'); END"""
    )


@_migration("m009_parties_hours_checkout_flags")
def m009_parties_hours_checkout_flags(db: Database) -> None:
    """Each pass is its own party; events get an end time and optional check-out; flags.

    A family is admitted once per pass per event (a check-in by hand, with no pass, is
    one more party of its own), so two doors racing still admit one pass once. Check-outs
    name the admission of the party that left. A family flag (a court order, a
    safeguarding plan) is for staff only and goes with the family when it is erased.
    """
    db.execute("DROP INDEX checkins_one_admission")
    db.execute(
        """CREATE UNIQUE INDEX checkins_one_admission_per_pass
        ON checkins(event_id, family_id, COALESCE(pass_id, 0))
        WHERE result = 'admitted' AND undone_at IS NULL"""
    )
    db.execute("ALTER TABLE events ADD COLUMN ends_at TEXT")
    db.execute("ALTER TABLE events ADD COLUMN check_out INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """CREATE TABLE checkouts (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        family_id TEXT REFERENCES families(id),
        pass_id INTEGER REFERENCES passes(id),
        checkin_id INTEGER NOT NULL REFERENCES checkins(id),
        kiosk_id TEXT NOT NULL,
        at TEXT NOT NULL,
        method TEXT NOT NULL,
        staff_id INTEGER REFERENCES staff(id),
        nonce TEXT NOT NULL UNIQUE
    )"""
    )
    db.execute("CREATE INDEX checkouts_checkin ON checkouts(checkin_id)")
    db.execute("CREATE INDEX checkouts_family ON checkouts(family_id)")
    db.execute(
        """CREATE TABLE family_flags (
        family_id TEXT PRIMARY KEY REFERENCES families(id),
        note TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        flagged_by TEXT NOT NULL
    )"""
    )


@_migration("m008_staff_attempts_per_kiosk")
def m008_staff_attempts_per_kiosk(db: Database) -> None:
    """Count wrong PINs per staff member and kiosk, and drop the permanent lock.

    A stranger at one door could lock a name everywhere for good; now a streak locks that
    name on that kiosk only, for a capped time (kiosk.staff). Old counters and locks go.
    """
    db.execute(
        """CREATE TABLE staff_attempts (
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            kiosk_id TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            last_failed_at TEXT,
            locked_until TEXT,
            PRIMARY KEY (staff_id, kiosk_id)
        )"""
    )
    db.execute("UPDATE staff SET failed_attempts = 0, last_failed_at = NULL, locked_at = NULL")


KEYED_CHAINS = "m010_audit_keyed_chains"


@_migration(KEYED_CHAINS)
def m010_audit_keyed_chains(db: Database) -> None:
    """Anchor each first-release (SHA-256) audit chain with a keyed entry (kiosk.store.upgrade).

    Runs in the migration's transaction, so the anchors and the record of this step commit
    together; the key file was made by `open_store` just before, beside the database.
    """
    anchor_first_release(db)


def before_keyed_chains(db: Database) -> bool:
    """True for a database made before chains were keyed (the first release): no m010 yet."""
    applied = schema_version(db)
    return bool(applied) and KEYED_CHAINS not in applied
