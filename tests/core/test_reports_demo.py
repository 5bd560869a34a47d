"""The morning after the demo nativity: real check-ins with the demo passes, a few
violations worked through, then both reports rendered and the audit log verified."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.demo.school import build_demo, demo_passes
from kiosk.events import running_order
from kiosk.reports import event_summary, violations_report
from kiosk.store import Store, open_store
from kiosk.violations.workflow import acknowledge, add_note, close, log_violation

DAY = date(2026, 12, 10)
DOORS = datetime(2026, 12, 10, 13, 20, tzinfo=UTC)
MORNING = datetime(2026, 12, 11, 8, 15, tzinfo=UTC)


def _staff(store: Store, name: str) -> int:
    return store.staff.by_name(name)["id"]


@pytest.fixture(scope="module")
def demo_evening(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school after its nativity: every pass scanned, three violations handled."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, today=DAY)
    store = open_store(path)
    try:
        for n, demo_pass in enumerate(demo_passes(path)):
            at = DOORS + timedelta(seconds=10 * n)
            check_in(store, demo_pass.token, "nativity", now=at, kiosk_id="door-1",
                     nonce=f"scan-{n}")
            if demo_pass.kind == "admitted":
                check_in(store, demo_pass.token, "nativity", now=at + timedelta(minutes=40),
                         kiosk_id="door-2", nonce=f"rescan-{n}")
        order = running_order(store, "nativity")
        blocked = next(r for r in order.items if r.not_filmable)
        steward, lead = _staff(store, "Sam Steward"), _staff(store, "Lee Lead")
        head = _staff(store, "Helen Head")
        first = log_violation(
            store, event_id="nativity", kind="filmed_child_without_permission",
            reported_by=lead, now=DOORS + timedelta(minutes=50), kiosk_id="door-1",
            item_id=blocked.item.id, children=sorted(blocked.not_filmable)[:1],
            description="Parent in the second row filming the whole class.",
            action_taken="deleted_in_front_of_staff")
        log_violation(store, event_id="nativity", kind="filmed_staff", reported_by=steward,
                      now=DOORS + timedelta(minutes=62), kiosk_id="door-2",
                      description="Filmed the teacher at the piano.", action_taken="asked_to_stop")
        acknowledge(store, first, staff_id=head, now=MORNING, kiosk_id="office")
        add_note(store, first, "Called the family; clip confirmed deleted.", staff_id=head,
                 now=MORNING + timedelta(minutes=10), kiosk_id="office")
        close(store, first, "Resolved with the family.", staff_id=head,
              now=MORNING + timedelta(minutes=12), kiosk_id="office")
    finally:
        store.close()
    return path


def test_violations_report_from_the_demo_school(demo_evening: Path, tmp_path: Path) -> None:
    out = tmp_path / "violations"
    out.mkdir()  # --out into a folder that does not exist is refused
    result = CliRunner().invoke(cli, ["report", "violations", "--event", "nativity",
                                      "--format", "pdf", "--format", "csv", "--out", str(out),
                                      "--db", str(demo_evening), "--staff", "Helen Head"],
                                input="333333\n")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(out / "violations-nativity.pdf").pages)
    assert "Willowmere Primary School (demo)" in text
    assert "Filmed a child without permission" in text and "Filmed a member of staff" in text
    assert "Called the family; clip confirmed deleted." in text
    store = open_store(demo_evening)
    try:
        report = violations_report.gather(store, event_id="nativity")
    finally:
        store.close()
    child = report.violations[0]["children"][0]
    assert f"{child['name']} ({child['class_name']})" in text
    table, _, heads = (out / "violations-nativity.csv").read_text(
        encoding="utf-8-sig").partition("\n\nAudit chain heads")
    assert table.count("\n") == 2 and "audit-head " in heads  # header, two rows, heads


def test_event_summary_from_the_demo_school(demo_evening: Path, tmp_path: Path) -> None:
    store = open_store(demo_evening)
    try:
        summary = event_summary.gather(store, "nativity")
        kinds = {p.kind for p in demo_passes(demo_evening)}
        admitted = sum(1 for p in demo_passes(demo_evening)
                       if p.kind in ("admitted", "restricted"))
        assert summary.families_admitted == admitted
        assert summary.re_entries == sum(1 for p in demo_passes(demo_evening)
                                         if p.kind == "admitted")
        assert summary.refused_total == len(demo_passes(demo_evening)) - admitted
        assert set(summary.refusals) <= {"revoked", "expired", "not_expected", "not_yet_valid"}
        assert "revoked" in kinds and summary.refusals.get("revoked")
        out = tmp_path / "event.pdf"
        event_summary.render_pdf(summary, out, school=store.settings.get("school_name"),
                                 generated_at=MORNING)
    finally:
        store.close()
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Event summary:" in text and "Check-ins over time" in text
    assert "Filmed a member of staff" in text


def test_demo_audit_log_verifies(demo_evening: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", str(demo_evening)])
    assert result.exit_code == 0, result.output
    assert "OK: the audit log is intact." in result.output
