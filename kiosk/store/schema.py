"""The database schema, versioned by sqlite-utils migrations (append new ones at the end).

Every row that belongs to a family can be found from the family: pupils, guardians and
passes carry `family_id`; consents hang off pupils; check-ins and violations carry
`family_id` when known; violation children name pupils; personal audit details carry
`family_id` in `audit_personal`, which can be purged without breaking the hash chain.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("kiosk")
MIGRATION_NAMES: list[str] = []


def _migration(name: str):
    """Register a migration and remember its name in order (for restore checks)."""
    MIGRATION_NAMES.append(name)
    return migrations(name=name)

_INITIAL = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE families (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        legal_hold INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE pupils (
        id TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES families(id),
        first_name TEXT NOT NULL,
        preferred_name TEXT,
        surname TEXT NOT NULL,
        class_name TEXT NOT NULL,
        year_group TEXT NOT NULL,
        on_roll INTEGER NOT NULL DEFAULT 1,
        left_at TEXT,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX pupils_family ON pupils(family_id)",
    "CREATE INDEX pupils_class ON pupils(class_name)",
    """CREATE TABLE guardians (
        id INTEGER PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES families(id),
        name TEXT NOT NULL,
        relationship TEXT,
        email TEXT,
        phone TEXT,
        UNIQUE (family_id, name)
    )""",
    """CREATE TABLE pupil_guardians (
        pupil_id TEXT NOT NULL REFERENCES pupils(id),
        guardian_id INTEGER NOT NULL REFERENCES guardians(id),
        PRIMARY KEY (pupil_id, guardian_id)
    )""",
    # One row per pupil x category x person who answered (the MIS record, or a guardian):
    # two guardians who disagree give two rows, and the fail-safe rule reads both.
    """CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        pupil_id TEXT NOT NULL REFERENCES pupils(id),
        category TEXT NOT NULL CHECK (category IN
            ('event_recording', 'website', 'social_media', 'press')),
        value TEXT NOT NULL CHECK (value IN ('granted', 'refused', 'not_returned')),
        given_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        valid_until TEXT,
        withdrawn_at TEXT,
        source TEXT NOT NULL DEFAULT 'import',
        UNIQUE (pupil_id, category, given_by)
    )""",
    "CREATE INDEX consents_pupil ON consents(pupil_id)",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        date TEXT NOT NULL,
        doors_open TEXT,
        curtain TEXT,
        open_to_all INTEGER NOT NULL DEFAULT 0,
        seats_per_family INTEGER,
        now_on_stage INTEGER REFERENCES items(id),
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        starts_at TEXT,
        staff_no_filming INTEGER NOT NULL DEFAULT 0,
        staff_reason TEXT,
        UNIQUE (event_id, position)
    )""",
    """CREATE TABLE item_performers (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        kind TEXT NOT NULL CHECK (kind IN ('class', 'pupil')),
        ref TEXT NOT NULL,
        UNIQUE (item_id, kind, ref)
    )""",
    """CREATE TABLE passes (
        id INTEGER PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES families(id),
        ref TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL UNIQUE,
        label TEXT,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        revoked_at TEXT,
        revoked_reason TEXT
    )""",
    "CREATE INDEX passes_family ON passes(family_id)",
    """CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('steward', 'lead', 'headteacher', 'admin')),
        pin_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        last_failed_at TEXT,
        locked_at TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    )""",
    # Refusals are recorded too (family unknown then). At most one live admission per
    # family and event, enforced by the database itself: two doors cannot both admit.
    """CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        family_id TEXT REFERENCES families(id),
        pass_id INTEGER REFERENCES passes(id),
        kiosk_id TEXT NOT NULL,
        at TEXT NOT NULL,
        party_size INTEGER,
        method TEXT NOT NULL CHECK (method IN ('camera', 'scanner', 'keyboard', 'manual', 'cli')),
        result TEXT NOT NULL CHECK (result IN ('admitted', 're_entry', 'refused')),
        code TEXT NOT NULL,
        staff_id INTEGER REFERENCES staff(id),
        reason TEXT,
        nonce TEXT NOT NULL UNIQUE,
        undone_at TEXT,
        undone_by INTEGER REFERENCES staff(id),
        undo_reason TEXT
    )""",
    """CREATE UNIQUE INDEX checkins_one_admission ON checkins(event_id, family_id)
        WHERE result = 'admitted' AND undone_at IS NULL""",
    "CREATE INDEX checkins_event ON checkins(event_id, at)",
    "CREATE INDEX checkins_family ON checkins(family_id)",
    """CREATE TABLE violations (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        at TEXT NOT NULL,
        item_id INTEGER REFERENCES items(id),
        kind TEXT NOT NULL CHECK (kind IN ('filmed_child_without_permission',
            'filmed_staff', 'filmed_other_children', 'posted_online', 'other')),
        family_id TEXT REFERENCES families(id),
        pass_id INTEGER REFERENCES passes(id),
        description TEXT,
        action_taken TEXT CHECK (action_taken IS NULL OR action_taken IN
            ('asked_to_stop', 'deleted_in_front_of_staff', 'refused_to_delete', 'left_event')),
        notes TEXT,
        reported_by INTEGER NOT NULL REFERENCES staff(id),
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'acknowledged', 'closed')),
        outcome TEXT,
        closed_at TEXT,
        nonce TEXT UNIQUE
    )""",
    "CREATE INDEX violations_event ON violations(event_id, at)",
    "CREATE INDEX violations_family ON violations(family_id)",
    """CREATE TABLE violation_children (
        violation_id INTEGER NOT NULL REFERENCES violations(id),
        pupil_id TEXT NOT NULL REFERENCES pupils(id),
        PRIMARY KEY (violation_id, pupil_id)
    )""",
    """CREATE TABLE violation_history (
        id INTEGER PRIMARY KEY,
        violation_id INTEGER NOT NULL REFERENCES violations(id),
        at TEXT NOT NULL,
        staff_id INTEGER REFERENCES staff(id),
        action TEXT NOT NULL CHECK (action IN ('created', 'acknowledged', 'note', 'closed')),
        detail TEXT
    )""",
    """CREATE TRIGGER violation_history_no_update BEFORE UPDATE ON violation_history
        BEGIN SELECT RAISE(ABORT, 'violation history is append-only'); END""",
    """CREATE TRIGGER violation_history_no_delete BEFORE DELETE ON violation_history
        BEGIN SELECT RAISE(ABORT, 'violation history is append-only'); END""",
    # Hash chain per kiosk. The hash covers every column here; personal details live in
    # audit_personal (referenced by id, committed to by digest) so they can be purged.
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT NOT NULL,
        personal_digest TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (kiosk_id, seq)
    )""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TABLE audit_personal (
        entry_id INTEGER PRIMARY KEY REFERENCES audit_log(id),
        family_id TEXT,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX audit_personal_family ON audit_personal(family_id)",
]


@_migration("m001_initial_schema")
def m001_initial_schema(db: Database) -> None:
    """Every table of the first release."""
    for statement in _INITIAL:
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
