"""The UI's shape, checked in CI: no import cycles in kiosk.ui, lazy or TYPE_CHECKING ones
included; staff screens never import the staff mode; the scanner never imports the demo."""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk

ROOT = Path(kiosk.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in ROOT.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Every kiosk module `name` imports anywhere in its text (top level, lazy, typing)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(names: list[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph = {n: imports_of(n) & set(names) for n in names}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_kiosk_ui_has_no_import_cycles() -> None:
    ui = sorted(n for n in MODULES if n == "kiosk.ui" or n.startswith("kiosk.ui."))
    assert "kiosk.ui.staff.mode" in ui
    assert cycles(ui) == []


def test_staff_screens_never_import_the_mode_and_the_mode_imports_no_screen() -> None:
    staff = [n for n in MODULES if n.startswith("kiosk.ui.staff.")]
    screens = [n for n in staff if n not in ("kiosk.ui.staff.mode", "kiosk.ui.staff.desk")]
    for name in screens:
        assert "kiosk.ui.staff.mode" not in imports_of(name), name
        assert "kiosk.ui.staff" not in imports_of(name), name  # nor the composition root
    assert imports_of("kiosk.ui.staff.mode") & set(screens) <= {"kiosk.ui.staff.base"}


def test_screens_and_camera_never_import_the_app() -> None:
    for name in ("kiosk.ui.door", "kiosk.ui.camera", "kiosk.ui.party", "kiosk.ui.card"):
        assert not {"kiosk.ui.app", "kiosk.ui.demo_app"} & imports_of(name), name


def test_the_scanner_imports_nothing_from_the_demo() -> None:
    for name in MODULES:
        if name.startswith("kiosk.scanner"):
            assert not any(m.startswith("kiosk.demo") for m in imports_of(name)), name
