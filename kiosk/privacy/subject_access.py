"""Subject access: everything held about one family, as JSON, Markdown and PDF.

The export holds the family's own records in full and nothing about anyone else: a
violation that concerns them (their family or pass was named, or one of their children
was involved) shows their own children by name, other children only as a count, never
another family's id or pass, and every free-text field has the names and ids of people
outside the family, and the names of staff, replaced by "[name withheld]". The audit
section is told in words ("A family pass was cancelled. Reason: lost"), not raw JSON;
an office flag's note is withheld (safeguarding: the school decides what to disclose).

Erasing the family is kiosk.privacy.erasure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.families import get_family
from kiosk.privacy.render import render_markdown, render_pdf
from kiosk.security.files import private_folder, write_private
from kiosk.store import Store

WITHHELD = "[name withheld]"
_NOT_NAMES = frozenset({
    "the", "and", "of", "family", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev",
    "sir", "dame", "mum", "dad", "carer", "parent", "guardian",
})
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


NOT_INCLUDED = (
    "Pass secrets: the school keeps only a one-way hash, which identifies no one.",
    f"Other children and families: named only by a count, or as {WITHHELD}.",
    "Names of staff who recorded events, also where typed in notes (the school can say"
    " who on request).",
    "The wording of a note the office keeps for staff about your family (a safeguarding"
    " matter: ask the school).",
    "Class-wide places in running orders (the whole class performs).",
)


class Redactor:
    """Replaces other people's names and ids in free text, whole words, any letter case.

    Full names ("Grace Smith") are withheld as phrases; single name words too, except
    words the family's own names share (their own "Grace" stays readable to them).
    """

    def __init__(
        self, people: Iterable[dict[str, Any]], own: Iterable[dict[str, Any]] = ()
    ) -> None:
        """Collect what to withhold from pupil, guardian and family rows (minus `own`)."""
        own = list(own)
        own_phrases = {p.lower() for person in own for p in _phrases(person)}
        own_words = {w.lower() for person in own for w in _words(person)}
        withheld: set[str] = set()
        for person in people:
            withheld |= {p for p in _phrases(person) if p.lower() not in own_phrases}
            withheld |= {w for w in _words(person) if w.lower() not in own_words}
        alternatives = sorted(withheld, key=lambda w: (-len(w), w))
        self._pattern = (
            re.compile(
                r"(?<![\w])(?:"
                + "|".join(r"\s+".join(map(re.escape, a.split())) for a in alternatives)
                + r")(?![\w])",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    def text(self, value: str | None) -> str | None:
        """`value` with every withheld name replaced."""
        if value is None or self._pattern is None:
            return value
        return self._pattern.sub(WITHHELD, value)

    def value(self, value: Any) -> Any:
        """Redact every string inside a JSON-like value."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value


def _phrases(person: dict[str, Any]) -> set[str]:
    """A person's full names: first and preferred name with surname, or the whole name."""
    surname = person.get("surname")
    found = {f"{first} {surname}" for first in (person.get("first_name"),
                                                  person.get("preferred_name"))
             if first and surname}
    if person.get("name"):
        found.add(person["name"])
    return {" ".join(p.split()) for p in found if p.strip()}


def _words(person: dict[str, Any]) -> set[str]:
    """A person's id and the single words of their names worth withholding."""
    found = {str(person["id"])} if not str(person["id"]).isdigit() else set()
    for key in ("first_name", "preferred_name", "surname", "name"):
        if person.get(key):
            found.update(w for w in _WORD.findall(person[key]) if _is_name(w))
    return found


def _is_name(word: str) -> bool:
    """A word worth withholding: two letters or more and not a title or a common word."""
    return len(word) >= 2 and word.lower() not in _NOT_NAMES


def _violations(
    store: Store, family_id: str, pass_ids: set[int], redact: Redactor
) -> list[dict[str, Any]]:
    """Violations concerning the family, their own children named, everyone else withheld."""
    rows = store.privacy.family_violations(family_id)
    ids = [r["id"] for r in rows]
    children = store.privacy.children_of_violations(ids)
    history = store.privacy.history_of_violations(ids)
    out = []
    for row in rows:
        mine = [c for c in children if c["violation_id"] == row["id"]
                and c["family_id"] == family_id]
        others = sum(1 for c in children if c["violation_id"] == row["id"]
                     and c["family_id"] != family_id)
        ours = row["family_id"] == family_id or row["pass_id"] in pass_ids
        concerns = []
        if row["family_id"] == family_id:
            concerns.append("your family was named")
        if row["pass_id"] in pass_ids:
            concerns.append("your pass was scanned")
        if mine:
            concerns.append("your child was involved")
        out.append({
            "id": row["id"], "event": row["event_name"], "event_date": row["event_date"],
            "at": row["at"], "item": redact.text(row["item_title"]), "kind": row["kind"],
            "concerns_you_because": concerns,
            "pass_ref": row["pass_ref"] if ours else None,
            "description": redact.text(row["description"]),
            "action_taken": row["action_taken"], "notes": redact.text(row["notes"]),
            "status": row["status"], "outcome": redact.text(row["outcome"]),
            "closed_at": row["closed_at"],
            "your_children": [
                {"pupil_id": c["pupil_id"],
                 "name": f"{c['preferred_name'] or c['first_name']} {c['surname']}",
                 "class": c["class_name"]} for c in mine
            ],
            "other_children": others,
            "history": [
                {"at": h["at"], "action": h["action"], "detail": redact.text(h["detail"])}
                for h in history if h["violation_id"] == row["id"]
            ],
        })
    return out


_ACTION_WORDS = {
    "checkin.admitted": "You were checked in at an event.",
    "checkin.re_entry": "You came back in to an event (re-entry).",
    "checkin.refused": "A pass was not accepted at the door.",
    "checkin.undone": "Staff undid a check-in.",
    "checkout.recorded": "You checked out of an event.",
    "checkout.refused": "A check-out at the door was not accepted.",
    "consent.recorded": "A photo permission answer was recorded.",
    "consent.withdrawn": "A photo permission was withdrawn.",
    "pass.issued": "A family pass was issued.",
    "pass.revoked": "A family pass was cancelled.",
    "family.flagged": "The office keeps a note for staff about your family.",
    "violation.logged": "A recording-policy violation was logged.",
}
_KEY_WORDS = {"reason": "Reason", "given_by": "Given by", "label": "Card label",
              "outcome": "Outcome", "notes": "Notes", "description": "Description"}
_NOT_SHOWN = frozenset({"family_id", "note"})  # the family's own id; a staff-only note


def _in_words(action: str, detail: dict[str, Any]) -> tuple[str, str]:
    """(what happened, its details) as sentences a parent can read."""
    what = _ACTION_WORDS.get(action)
    if what is None:
        area = action.split(".", 1)[0]
        what = ("A violation record was updated." if area == "violation"
                else f"{action.replace('.', ': ').replace('_', ' ').capitalize()}.")
    parts = [f"{_KEY_WORDS.get(key, key.replace('_', ' ').capitalize())}: {value}"
             for key, value in detail.items()
             if key not in _NOT_SHOWN and value not in (None, "", [], {})]
    return what, "; ".join(str(p) for p in parts)


def _audit_details(store: Store, family_id: str, redact: Redactor) -> list[dict[str, Any]]:
    """Personal audit details tied to the family, in words, without salt or staff notes."""
    out = []
    for row in store.privacy.family_audit_personal(family_id):
        detail = json.loads(row["detail"])
        detail.pop("salt", None)
        if "note" in detail:
            detail["note"] = "[withheld: ask the school]"
        detail = redact.value(detail)
        what, words = _in_words(row["action"], detail)
        out.append({"at": row["at"], "action": row["action"], "subject": row["subject"],
                    "what": what, "in_words": words, "detail": detail})
    return out


def family_export(store: Store, family_id: str, *, now: datetime) -> dict[str, Any]:
    """Everything held about one family, as a JSON-ready document (one consistent read)."""
    with store.immediate():
        family = get_family(store, family_id)
        staff = [{"id": f"staff:{s['id']}", "name": s["name"]} for s in store.staff.all()]
        redact = Redactor([*store.privacy.people_around(family_id, inside=False), *staff],
                          own=store.privacy.people_around(family_id, inside=True))
        passes = store.privacy.family_passes(family_id)
        pass_ids = {p["id"] for p in passes}
        return {
            "format": "kiosk-subject-access/1",
            "generated_at": now.isoformat(),
            "family": family,
            "pupils": store.privacy.family_pupils_all(family_id),
            "guardians": store.families.guardians_of_family(family_id),
            "guardian_links": store.privacy.family_guardian_links(family_id),
            "consents": store.privacy.family_consents(family_id),
            "passes": [{k: v for k, v in p.items() if k != "id"} for p in passes],
            "checkins": store.privacy.family_checkins(family_id),
            "performances": store.privacy.family_performances(family_id),
            "violations": _violations(store, family_id, pass_ids, redact),
            "audit_details": _audit_details(store, family_id, redact),
            "not_included": NOT_INCLUDED,
        }


def export_family(
    store: Store, family_id: str, out_dir: Path | str, *, now: datetime,
    actor: str = "cli", kiosk_id: str = "admin", pdf: bool = True,
) -> list[Path]:
    """Write the family's export as JSON, Markdown (and PDF); audit it; return the files."""
    document = family_export(store, family_id, now=now)
    folder = Path(out_dir)
    private_folder(folder)
    stem = f"subject-access-{_file_safe(family_id)}-{now.date().isoformat()}"
    written = [folder / f"{stem}.json", folder / f"{stem}.md"]
    heads = audit.noted_now(store)
    write_private(written[0], json.dumps({**document, "audit_heads": heads.splitlines()},
                                         indent=2, ensure_ascii=False, default=str) + "\n")
    write_private(written[1], render_markdown(document) + audit.heads_markdown(heads))
    if pdf:
        written.append(folder / f"{stem}.pdf")
        render_pdf(document, written[2], heads=heads)
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=actor, action="family.exported",
        subject=seals.family_subject(store, family_id),
        detail={key: len(document[key]) for key in
                ("pupils", "guardians", "consents", "passes", "checkins", "violations")},
    )
    return written


def _file_safe(text: str) -> str:
    """A family id usable in a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) or "family"
