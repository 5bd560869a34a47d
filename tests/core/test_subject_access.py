"""Subject access export: all of one family's data, nothing about any other family."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kiosk.cli import cli
from kiosk.errors import NotFound
from kiosk.privacy.subject_access import WITHHELD, Redactor, export_family, family_export
from kiosk.store import Store
from support.data_protection_school import NAMES, NOW, School

pytest_plugins = ("support.data_protection_fixtures",)  # the fixture school


def _all_text(paths: list[Path]) -> str:
    """Every written file as text (the PDF through its text layer)."""
    texts = []
    for path in paths:
        if path.suffix == ".pdf":
            texts.append("\n".join(page.extract_text() for page in PdfReader(path).pages))
        else:
            texts.append(path.read_text("utf-8"))
    return "\n".join(texts)


def _foreign_words(family_id: str) -> list[str]:
    """Names and ids of every other family, their pupils and guardians."""
    words = []
    for other, names in NAMES.items():
        if other != family_id:
            words += [*names, other, f"{other}-0"]
    return words


@pytest.mark.parametrize("family_id", ["F-ROSE", "F-THORN", "F-HOLD"])
def test_export_holds_nothing_about_other_families(
    school_store: tuple[Store, School], tmp_path: Path, family_id: str,
) -> None:
    store, _ = school_store
    paths = export_family(store, family_id, tmp_path / "out", now=NOW)
    assert sorted(p.suffix for p in paths) == [".json", ".md", ".pdf"]
    text = _all_text(paths)
    for word in _foreign_words(family_id):
        assert word.lower() not in text.lower(), word
    for name in NAMES[family_id]:
        assert name in text


def test_export_holds_everything_about_the_family(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    doc = family_export(store, "F-ROSE", now=NOW)
    assert [p["first_name"] for p in doc["pupils"]] == ["Ophelia", "Barnaby"]
    assert [g["name"] for g in doc["guardians"]] == ["Marigold Rosewood"]
    assert len(doc["guardian_links"]) == 2
    assert {c["pupil_id"] for c in doc["consents"]} == {"F-ROSE-0", "F-ROSE-1"}
    assert len(doc["passes"]) == 1 and "secret_hash" not in doc["passes"][0]
    assert {c["event_id"] for c in doc["checkins"]} == {"harvest", "nativity"}
    # Both violations naming one of their children, though another family was named.
    assert [v["id"] for v in doc["violations"]] == [
        school.violations["old_closed"], school.violations["recent_closed"]]
    assert all(v["concerns_you_because"] == ["your child was involved"]
               for v in doc["violations"])
    assert {c["name"] for v in doc["violations"] for c in v["your_children"]} == {
        "Ophelia Rosewood", "Barnaby Rosewood"}
    assert all(v["pass_ref"] is None for v in doc["violations"])
    assert all(action["detail"].get("family_id") == "F-ROSE" for action in doc["audit_details"])
    assert "salt" not in json.dumps(doc["audit_details"])


def test_a_violation_shows_other_children_only_as_a_count(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    doc = family_export(store, "F-THORN", now=NOW)
    old = next(v for v in doc["violations"] if v["id"] == school.violations["old_closed"])
    assert old["concerns_you_because"] == ["your family was named"]
    assert old["your_children"] == [] and old["other_children"] == 1
    assert old["description"] == "Cuthbert Thornbury filmed the class from the aisle."
    assert [h["action"] for h in old["history"]] == ["created", "closed"]


def test_other_peoples_names_in_free_text_are_withheld(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    doc = family_export(store, "F-ROSE", now=NOW)
    old = next(v for v in doc["violations"] if v["id"] == school.violations["old_closed"])
    assert old["description"] == f"{WITHHELD} filmed the class from the aisle."


def test_redactor_matches_whole_words_in_any_case_and_skips_titles() -> None:
    redact = Redactor([{"id": "P-9", "first_name": "Ann", "surname": "Lee", "name": None},
                       {"id": "7", "name": "Mrs Jo Smith-Jones"}])
    assert redact.text("ANN and lee met Annabel, Mrs Smith-Jones and P-9 in room 7") == (
        f"{WITHHELD} and {WITHHELD} met Annabel, Mrs {WITHHELD} and {WITHHELD} in room 7"
    )
    assert redact.value({"a": ["jo"], "b": 3}) == {"a": [WITHHELD], "b": 3}
    assert Redactor([]).text("Ann") == "Ann"


def test_redactor_keeps_the_familys_own_names_but_not_others_full_names() -> None:
    others = [{"id": "P-1", "first_name": "Grace", "surname": "Smith", "name": None}]
    own = [{"id": "P-2", "first_name": "Grace", "surname": "Roberts", "name": None}]
    redact = Redactor(others, own=own)
    assert redact.text("Grace  Smith filmed Grace Roberts; Smith left") == (
        f"{WITHHELD} filmed Grace Roberts; {WITHHELD} left"
    )


def test_the_export_is_audited_without_names(
    school_store: tuple[Store, School], tmp_path: Path,
) -> None:
    store, _ = school_store
    export_family(store, "F-ROSE", tmp_path, now=NOW, pdf=False)
    entry = store.query_one("SELECT * FROM audit_log WHERE action = 'family.exported'")
    assert entry["subject"].startswith("family:") and entry["personal_digest"] is None
    assert "F-ROSE" not in entry["subject"] + entry["detail"]  # no MIS id in the chain
    assert json.loads(entry["detail"])["pupils"] == 2
    assert not any(name in json.dumps(entry) for name in NAMES["F-ROSE"])


def test_exporting_an_unknown_family_says_so(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no family"):
        export_family(store, "F-NOBODY", tmp_path, now=NOW)


def test_export_files_are_private_and_the_markdown_is_readable(
    school_store: tuple[Store, School], tmp_path: Path,
) -> None:
    store, _ = school_store
    paths = export_family(store, "F-ROSE", tmp_path, now=NOW)
    assert all(p.stat().st_mode & 0o077 == 0 for p in paths)
    markdown = next(p for p in paths if p.suffix == ".md").read_text("utf-8")
    assert markdown.startswith("# Data held about Rosewood")
    assert "| Ophelia | event recording | granted |" in markdown


ADMIN, ADMIN_PIN = ["--staff", "Ada Admin"], "444444\n"


def test_cli_export_needs_an_admin(school_db: tuple[Path, School], tmp_path: Path) -> None:
    path, _ = school_db
    head = CliRunner().invoke(cli, ["--db", str(path), "export", "family", "F-THORN", "--out",
                                    str(tmp_path / "sar"), "--staff", "Helen Head"],
                              input="333333\n")
    assert head.exit_code == 1 and "Only an admin or above can do this." in head.output
    assert not (tmp_path / "sar").exists()


def test_cli_export_family(school_db: tuple[Path, School], tmp_path: Path) -> None:
    path, _ = school_db
    out = tmp_path / "sar"
    result = CliRunner().invoke(
        cli, ["--db", str(path), "export", "family", "F-THORN", "--out", str(out), "--no-pdf",
              *ADMIN], input=ADMIN_PIN)
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".md"]
    missing = CliRunner().invoke(
        cli, ["--db", str(path), "export", "family", "F-NOBODY", "--out", str(out), *ADMIN],
        input=ADMIN_PIN)
    assert missing.exit_code == 1 and "Error: There is no family" in missing.output
