"""`kiosk serve`: plain sentences for a taken port or a missing event; doors listed,
renamed and unpaired."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.serve.pairing import PairingStore, hub_folder
from kiosk.store import Store
from support.checkin_school import build_school
from support.tablet import free_port


def serve(db_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["serve", "--db", str(db_path), *args])


def test_a_port_it_cannot_bind_is_one_sentence(store: Store, db_path: Path,
                                              now: datetime) -> None:
    build_school(store, now)
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = serve(db_path, "--event", "nativity", "--host", "127.0.0.1",
                       "--port", str(port))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: Cannot listen on 127.0.0.1:{port} (address already in use): "
        "is another hub running? Try another --port.")
    assert "Main door:" not in result.output  # no links for a hub that is not running


def test_without_an_event_today_it_says_which_option(store: Store, db_path: Path,
                                                     now: datetime) -> None:
    build_school(store, now)  # its nativity is on a fixed day, not today
    result = serve(db_path, "--host", "127.0.0.1", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "There is no event today: say which with --event." in result.output
    missing = serve(tmp := db_path.with_name("none.db"), "--event", "nativity")
    assert missing.exit_code == 1 and f"There is no database at {tmp}." in missing.output


def test_plain_http_only_on_localhost_and_cert_needs_key(db_path: Path) -> None:
    assert serve(db_path, "--http", "--host", "0.0.0.0").exit_code == 2
    result = serve(db_path, "--cert", "x.crt")
    assert result.exit_code == 2 and "--cert and --key go together" in result.output


def test_doors_are_listed_renamed_and_unpaired(store: Store, db_path: Path,
                                               now: datetime) -> None:
    build_school(store, now)
    pairings = PairingStore(hub_folder(db_path))
    pairings.pair(pairings.new_code(pairings.ensure("North door")))
    listed = serve(db_path, "doors")
    assert listed.exit_code == 0
    assert "North door (door): 1 tablet(s) paired" in listed.output
    renamed = serve(db_path, "rename", "North door", "Hall door")
    assert renamed.exit_code == 0 and "'Hall door'" in renamed.output
    unpaired = serve(db_path, "unpair", "hall door")
    assert unpaired.output.strip() == "Unpaired 1 tablet(s) from 'hall door'."
    assert "Hall door (door): 0 tablet(s) paired" in serve(db_path, "doors").output
    unknown = serve(db_path, "unpair", "West door")
    assert unknown.exit_code == 1 and "No door called 'West door'" in unknown.output
