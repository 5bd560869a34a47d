"""`kiosk passes ...` end to end on a real database file: no token is ever printed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.clock import system_clock
from kiosk.passes import issue_pass
from kiosk.store import open_store
from support.passes_school import FAMILIES, build_families
from support.signers import add_signers, signed


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    build_families(store, system_clock())
    add_signers(store, system_clock())
    store.close()
    return str(path)


def _run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def _lead(*args: str) -> Result:
    """Run a command that changes passes, signed by Lee Lead (PIN on standard input)."""
    flags, pin = signed("Lee Lead")
    return _run(*args, *flags, stdin=pin)


def test_passes_cannot_be_issued_without_a_lead(db: str, tmp_path: Path) -> None:
    nobody = _run("passes", "issue", "--all", "--out", str(tmp_path), "--db", db)
    assert nobody.exit_code == 1 and "--staff NAME (a lead or above)" in nobody.output
    flags, pin = signed("Sam Steward")
    steward = _run("passes", "issue", "--all", "--out", str(tmp_path), "--db", db, *flags,
                   stdin=pin)
    assert steward.exit_code == 1 and "Only a lead or above can do this." in steward.output
    assert not list(tmp_path.glob("*.pdf"))


def _token(png: str) -> str:
    (code,) = zxingcpp.read_barcodes(cv2.imread(png, cv2.IMREAD_GRAYSCALE))
    return code.text


def test_issue_all_writes_per_family_files_index_and_bulk_sheet(db: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = _lead("passes", "issue", "--all", "--out", str(out), "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    on_roll = [f[0] for f in FAMILIES if f[3]]
    assert sorted(p["family_id"] for p in report["passes"]) == sorted(on_roll)
    assert Path(report["bulk_pdf"]).exists()
    tokens = [_token(p["png"]) for p in report["passes"]]
    for row in report["passes"]:
        assert Path(row["pdf"]).exists() and Path(row["svg"]).exists()
    with open(report["index_csv"], encoding="utf-8") as handle:
        index = list(csv.DictReader(handle))
    assert {r["ref"] for r in index} == {p["ref"] for p in report["passes"]}
    assert [r["bulk_sheet"] for r in index][:2] == ["page 1, card 1", "page 1, card 2"]
    index_text = Path(report["index_csv"]).read_text(encoding="utf-8")
    for token in tokens:
        assert token not in result.output and token[4:] not in index_text
        verified = _run("passes", "verify", "-", "--db", db, stdin=token)
        assert verified.exit_code == 0 and verified.output.startswith("ok:")


def test_only_missing_skips_families_with_a_current_pass(db: str, tmp_path: Path) -> None:
    store = open_store(db)
    issue_pass(store, "F-ADAMS", now=system_clock())
    store.close()
    result = _lead("passes", "issue", "--all", "--only-missing", "--out", str(tmp_path),
                  "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "F-ADAMS" not in {p["family_id"] for p in report["passes"]}


def test_issue_one_family_with_label_and_date(db: str, tmp_path: Path) -> None:
    result = _lead("passes", "issue", "--family", "F-NOWAK", "--label", "Grandparents",
                  "--valid-until", "2099-07-31", "--out", str(tmp_path), "--db", db)
    assert result.exit_code == 0, result.output
    assert "Issued 1 pass(es) for 1 family(ies)" in result.output
    listed = json.loads(_run("passes", "list", "--family", "F-NOWAK", "--format", "json",
                             "--db", db).output)
    assert [(r["label"], r["valid_until"], r["state"]) for r in listed] == [
        ("Grandparents", "2099-07-31", "valid")]
    assert "secret_hash" not in listed[0]


def test_usage_and_plain_errors(db: str, tmp_path: Path) -> None:
    both = _lead("passes", "issue", "--all", "--family", "F-ADAMS", "--out", str(tmp_path),
                 "--db", db)
    assert both.exit_code == 2
    missing = _lead("passes", "issue", "--family", "F-NOBODY", "--out", str(tmp_path),
                    "--db", db)
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[-1] == "Error: There is no family with id F-NOBODY."
    past = _lead("passes", "issue", "--family", "F-ADAMS", "--valid-until", "2001-01-01",
                 "--out", str(tmp_path), "--db", db)
    assert past.exit_code == 1 and "has passed" in past.output
    unknown = _lead("passes", "revoke", "QQQQ", "--reason", "lost", "--db", db)
    assert unknown.exit_code == 1 and "No pass has the reference QQQQ." in unknown.output


def test_revoke_reissue_and_verify_codes(db: str, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = json.loads(_lead("passes", "issue", "--family", "F-ADAMS", "--out",
                             str(tmp_path / "a"), "--format", "json", "--db", db).stdout)
    old = first["passes"][0]
    old_token = _token(old["png"])
    revoked = _lead("passes", "revoke", old["ref"], "--reason", "lost", "--db", db)
    assert revoked.exit_code == 0 and f"Cancelled pass {old['ref']}" in revoked.output
    check = _run("passes", "verify", "-", "--format", "json", "--db", db, stdin=old_token)
    assert check.exit_code == 1
    assert json.loads(check.output)["code"] == "revoked"

    again = json.loads(_lead("passes", "reissue", "F-ADAMS", "--out", str(tmp_path / "b"),
                            "--format", "json", "--db", db).stdout)
    new_token = _token(again["passes"][0]["png"])
    assert _run("passes", "verify", "-", "--db", db, stdin=new_token + "\n").exit_code == 0
    by_image = _run("passes", "verify", "--image", again["passes"][0]["png"], "--format",
                    "json", "--db", db)
    assert by_image.exit_code == 0 and json.loads(by_image.output)["ok"] is True
    foreign = _run("passes", "verify", "-", "--db", db, stdin="https://example.org")
    assert foreign.exit_code == 1 and foreign.output.startswith("not_a_pass:")
    changed = "KP1:" + ("A" if new_token[4] != "A" else "B") + new_token[5:]
    assert _run("passes", "verify", "-", "--db", db, stdin=changed).output.startswith("malformed:")
    states = {r["ref"]: r["state"] for r in json.loads(
        _run("passes", "list", "--format", "json", "--db", db).output)}
    assert states[old["ref"]] == "revoked" and states[again["passes"][0]["ref"]] == "valid"
    table = _run("passes", "list", "--db", db)
    assert table.exit_code == 0 and old["ref"] in table.output


def test_verify_image_without_a_code(db: str, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((100, 100), 255, dtype=np.uint8))
    result = _run("passes", "verify", "--image", str(blank), "--db", db)
    assert result.exit_code == 1 and "No QR code was found" in result.output


def test_an_output_folder_that_does_not_exist_is_refused_not_made(db: str,
                                                                   tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for target in (blocker / "passes", tmp_path / "pases"):
        result = _lead("passes", "issue", "--all", "--out", str(target), "--db", db)
        assert result.exit_code == 1
        assert f"There is no folder {target}" in result.output
        assert "Traceback" not in result.output and not target.exists()
    listed = json.loads(_run("passes", "list", "--format", "json", "--db", db).stdout)
    assert listed == [], "nothing was issued"
