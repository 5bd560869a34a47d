"""The first release's tables, triggers and indexes (migration m001), as SQL text."""

INITIAL = [
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
