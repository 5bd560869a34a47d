"""Subject access: the audit section in words, staff names in free text withheld."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kiosk.families import flag_family
from kiosk.passes.issuing import revoke_pass
from kiosk.privacy.subject_access import WITHHELD, export_family, family_export
from kiosk.store import Store
from kiosk.violations.workflow import log_violation
from support.data_protection_school import NOW, School

pytest_plugins = ("support.data_protection_fixtures",)


def test_staff_names_typed_in_free_text_are_withheld(school_store: tuple[Store, School],
                                                     tmp_path: Path) -> None:
    store, school = school_store
    log_violation(store, event_id="nativity", kind="other", reported_by=school.staff_id,
                  now=NOW, kiosk_id="door-1", family_id="F-ROSE",
                  description="Helen Head asked them to stop", action_taken="asked_to_stop",
                  notes="Mrs Head saw it too")
    doc = family_export(store, "F-ROSE", now=NOW + timedelta(minutes=1))
    mine = next(v for v in doc["violations"] if v["kind"] == "other")
    assert mine["description"] == f"{WITHHELD} asked them to stop"
    assert mine["notes"] == f"Mrs {WITHHELD} saw it too"
    text = "".join(p.read_text("utf-8") for p in export_family(
        store, "F-ROSE", tmp_path, now=NOW + timedelta(minutes=2), pdf=False))
    assert "Helen" not in text and "Head saw" not in text


def test_audit_section_is_in_words_and_a_flag_note_is_withheld(
    school_store: tuple[Store, School], tmp_path: Path
) -> None:
    store, _ = school_store
    ref = store.passes.all()[0]
    family = ref["family_id"]
    revoke_pass(store, ref["ref"], reason="lost on the bus", now=NOW)
    flag_family(store, family, "Court order: only Mum collects", now=NOW)
    doc = family_export(store, family, now=NOW + timedelta(minutes=1))
    words = {(a["what"], a["in_words"]) for a in doc["audit_details"]}
    assert ("A family pass was cancelled.", "Reason: lost on the bus") in words
    assert ("The office keeps a note for staff about your family.", "") in words
    (markdown,) = [p for p in export_family(store, family, tmp_path,
                                            now=NOW + timedelta(minutes=2), pdf=False)
                   if p.suffix == ".md"]
    section = markdown.read_text("utf-8").split("Audit log details about you")[1]
    assert "A family pass was cancelled." in section and "Reason: lost on the bus" in section
    assert "{" not in section.split("Not included")[0], "no raw JSON"
    assert "Court order" not in markdown.read_text("utf-8")
