"""Hash-chained audit log: every decision and staff action, tamper-evident per kiosk.

hash = HMAC-SHA256 under the audit key (kept in the key file beside the database, never in
it) of previous hash + canonical entry: someone holding only the file cannot recompute a
chain after editing it. Personal details go to a separate row (salted digest in the
chain), so they can be purged without breaking the chain. A database from the first
release (plain SHA-256 chains) was anchored when this release first opened it
(kiosk.store.upgrade): each chain's part before its `audit.upgraded` entry is checked with
SHA-256, the anchor and everything after it with the key.
This module imports no service: the whole check (chains and records) is kiosk.audit.verify.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, unquote

from kiosk.audit.terms import Actor, Subject
from kiosk.security.chain import (
    ANCHOR_ACTION,
    CHANGED_KEYED,
    GENESIS,
    canonical,
    chained,
    first_release_breaks,
    link_reason,
)
from kiosk.security.chain import CHAINED_FIELDS as CHAINED_FIELDS  # re-exported
from kiosk.security.chain import keyed_hash as entry_hash
from kiosk.security.keys import Keys
from kiosk.store import Store
from kiosk.store.rows import AuditEntryRow


def append(
    store: Store,
    *,
    kiosk_id: str,
    at: datetime,
    actor: Actor | str,
    action: str,
    subject: Subject | str | None = None,
    detail: Mapping[str, object] | None = None,
    personal: Mapping[str, object] | None = None,
    family_id: str | None = None,
) -> int:
    """Append one entry to `kiosk_id`'s chain; return its id.

    `detail` must hold nothing personal (codes, ids, counts); names and free text go in
    `personal`, tied to `family_id` for subject access and erasure. Call it inside the
    caller's `store.immediate()` so the entry commits with the change it records.
    A plain string actor or subject is stored as given (a tool's name such as "cli").
    """
    with store.immediate():
        last = store.audit.last_entry(kiosk_id)
        personal_text = None
        digest = None
        if personal is not None:
            personal_text = canonical({"salt": secrets.token_hex(16), **personal})
            digest = hashlib.sha256(personal_text.encode("utf-8")).hexdigest()
        entry = {
            "kiosk_id": kiosk_id,
            "seq": (last["seq"] + 1) if last else 1,
            "at": at.isoformat(),
            "actor": actor.text if isinstance(actor, Actor) else actor,
            "action": action,
            "subject": subject.text if isinstance(subject, Subject) else subject,
            "detail": canonical(dict(detail or {})),
            "personal_digest": digest,
        }
        prev = last["hash"] if last else GENESIS
        entry_id = store.audit.insert_entry(
            {**entry, "prev_hash": prev, "hash": entry_hash(store.keys, prev, entry)}
        )
        if personal_text is not None:
            store.audit.insert_personal(entry_id, family_id, personal_text)
    return entry_id


@dataclass(frozen=True)
class AuditProblem:
    """The first bad entry found in one chain (or a stray personal row): where and what."""

    kiosk_id: str | None
    seq: int | None
    entry_id: int
    reason: str

    def __str__(self) -> str:
        """One plain sentence naming the entry and what is wrong with it."""
        number = f" (id {self.entry_id})" if self.entry_id else ""
        where = (
            f"kiosk {self.kiosk_id!r}, entry {self.seq}{number}"
            if self.kiosk_id is not None
            else f"audit entry id {self.entry_id}"
        )
        return f"{where}: {self.reason}"


@dataclass
class ChainReport:
    """What `verify_chains` found: counts per kiosk, chain heads, purged details, problems."""

    entries: dict[str, int] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    first_release: dict[str, str] = field(default_factory=dict)  # by kiosk: what was upgraded
    broken_before_upgrade: list[str] = field(default_factory=list)  # kiosks, as recorded
    personal_kept: int = 0
    personal_purged: int = 0
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def chain_ok(self) -> bool:
        """True when every chain and every kept personal detail checks out."""
        return not self.problems

    @property
    def first_problem(self) -> AuditProblem | None:
        """The first bad entry found, or None."""
        return self.problems[0] if self.problems else None

    @property
    def total(self) -> int:
        """Entries checked across every kiosk."""
        return sum(self.entries.values())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_entry(
    keys: Keys, row: AuditEntryRow, expected_seq: int, prev: str, personal: dict[int, str],
    report: ChainReport,
) -> str | None:
    """What is wrong with one keyed entry, or None (counting kept and purged details)."""
    reason = link_reason(row, expected_seq, prev)
    if reason is not None:
        return reason
    if not keys.signed(prev + canonical(chained(row)), row["hash"]):
        return CHANGED_KEYED
    return _personal_reason(row, personal, report)


def _personal_reason(row: AuditEntryRow, personal: dict[int, str],
                     report: ChainReport) -> str | None:
    """What is wrong with an entry's personal detail, or None (counting kept and purged)."""
    kept = personal.get(row["id"])
    if row["personal_digest"] is None:
        if kept is not None:
            return "it has personal details attached that it never committed to"
        return None
    if kept is None:
        report.personal_purged += 1
        return None
    if _digest(kept) != row["personal_digest"]:
        return "its personal details were altered (they no longer match its digest)"
    report.personal_kept += 1
    return None


def verify_chains(store: Store) -> ChainReport:
    """Recompute every kiosk's chain and check its kept personal details.

    Names the first bad entry of each chain (sequence gap, broken link, changed content,
    altered personal details). A purged personal row (absent) is counted here; whether it
    should be gone is the records check's question. Cutting entries off the end of a chain
    cannot be seen from the file alone: `compare_heads` checks the heads noted in backups,
    reports and exports.
    """
    report = ChainReport()
    keys = store.keys
    personal = store.audit.personal_details()
    for kiosk_id in store.audit.kiosks():
        rows = store.audit.chain(kiosk_id)
        start = _anchor_index(rows)
        prev = GENESIS
        if start:
            prev = _check_first_release(rows[:start], rows[start], personal, report)
        for expected, row in enumerate(rows[start:], start=start + 1):
            reason = _check_entry(keys, row, expected, prev, personal, report)
            if reason is not None:
                report.problems.append(AuditProblem(kiosk_id, row["seq"], row["id"], reason))
                break
            prev = row["hash"]
        report.entries[kiosk_id] = len(rows)
        report.heads[kiosk_id] = rows[-1]["hash"]
    for entry_id in sorted(set(personal) - set(store.audit.entry_ids())):
        report.problems.append(
            AuditProblem(None, None, entry_id, "personal details belong to no audit entry")
        )
    return report


def _anchor_index(rows: list[AuditEntryRow]) -> int:
    """Where a chain's upgrade anchor is (0: none, the whole chain is keyed)."""
    return next((i for i, row in enumerate(rows) if row["action"] == ANCHOR_ACTION), 0)


def _check_first_release(legacy: list[AuditEntryRow], anchor: AuditEntryRow,
                         personal: dict[int, str], report: ChainReport) -> str:
    """Check a chain's first-release part against its anchor; return its head hash.

    Breaks the anchor recorded at the upgrade are noted (the history was already broken
    then); any other break, or a part that no longer ends where the anchor says, is named.
    """
    kiosk_id = anchor["kiosk_id"]
    recorded = json.loads(anchor["detail"]).get("first_release", {})
    known = {(seq, reason) for seq, reason in recorded.get("breaks", [])}
    breaks = first_release_breaks(legacy)
    for found in breaks:
        if (found.seq, found.reason) not in known:
            report.problems.append(AuditProblem(kiosk_id, found.seq, found.entry_id,
                                                f"{found.reason}, before the upgrade"))
    for row in legacy:
        reason = _personal_reason(row, personal, report)
        if reason is not None:
            report.problems.append(AuditProblem(kiosk_id, row["seq"], row["id"], reason))
    head = legacy[-1]
    if (recorded.get("head"), recorded.get("entries")) != (head["hash"], len(legacy)):
        report.problems.append(AuditProblem(
            kiosk_id, anchor["seq"], anchor["id"], "the first-release entries before this"
            " upgrade entry are not the ones it recorded (they were cut or rewritten since)"))
    words = f"entries 1 to {head['seq']} are from the first release (SHA-256), upgraded" \
            f" {anchor['at'][:10]} at entry {anchor['seq']}"
    if known:
        report.broken_before_upgrade.append(kiosk_id)
        seq, reason = sorted(known)[0]
        words += (f"; already broken then ({len(known)} break(s), first at entry {seq}:"
                  f" {reason})")
    report.first_release[kiosk_id] = words
    return str(head["hash"])


HEADS_PATTERN = re.compile(r"audit-head (\S+) (\d+) ([0-9a-f]{64})")
HEADS_TITLE = ("Audit chain heads when this was written (to check it later:"
               " kiosk audit verify --against this file)")


def chain_heads(store: Store) -> dict[str, tuple[int, str]]:
    """Every kiosk chain's newest entry now: (seq, hash) by kiosk id."""
    heads = {}
    for kiosk_id in store.audit.kiosks():
        last = store.audit.last_entry(kiosk_id)
        if last is not None:
            heads[kiosk_id] = (last["seq"], last["hash"])
    return heads


def heads_text(heads: Mapping[str, tuple[int, str]]) -> str:
    """The heads as lines `audit-head KIOSK SEQ HASH`, written into reports and exports.

    The kiosk id is percent-encoded ("North door" -> "North%20door"), so every line is
    plain ASCII without spaces: it reads back from a PDF's keywords or a CSV cell alike.
    """
    return "\n".join(f"audit-head {quote(k, safe='')} {seq} {h}"
                     for k, (seq, h) in sorted(heads.items()))


def heads_markdown(heads: str) -> str:
    """The heads as the closing block of a Markdown report or export."""
    return f"\n\n{HEADS_TITLE}:\n\n```\n{heads}\n```\n" if heads else ""


def noted_now(store: Store) -> str:
    """The heads of every chain now, as `heads_text` (what a report or export notes)."""
    return heads_text(chain_heads(store))


def parse_heads(text: str) -> dict[str, tuple[int, str]]:
    """The heads noted in a report, export or any text (the newest per kiosk wins)."""
    found: dict[str, tuple[int, str]] = {}
    for quoted, seq, digest in HEADS_PATTERN.findall(text):
        kiosk_id = unquote(quoted)
        if kiosk_id not in found or int(seq) > found[kiosk_id][0]:
            found[kiosk_id] = (int(seq), digest)
    return found


def compare_heads(
    store: Store, noted: Mapping[str, tuple[int, str]], where: str
) -> list[AuditProblem]:
    """What in the chains now disagrees with heads noted earlier (a cut or rewritten tail)."""
    problems = []
    for kiosk_id, (seq, digest) in sorted(noted.items()):
        entry = store.audit.entry_at(kiosk_id, seq)
        if entry is None:
            problems.append(AuditProblem(kiosk_id, seq, 0, f"it is gone, but {where} noted it"
                                         " (the end of the chain was cut off)"))
        elif entry["hash"] != digest:
            problems.append(AuditProblem(kiosk_id, seq, entry["id"], f"it is not the entry"
                                         f" {where} noted (the chain was rewritten)"))
    return problems
