"""The core never imports textual: only kiosk.ui (and the CLI's `run`) may."""

from __future__ import annotations

import subprocess
import sys

CORE = ("kiosk.checkin.service", "kiosk.checkin.lists", "kiosk.checkin.doorview", "kiosk.consent",
        "kiosk.passes", "kiosk.store", "kiosk.events", "kiosk.cli.checkin")


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
