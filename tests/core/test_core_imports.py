"""The core services import each other in one direction only: no cycle, lazy imports included.

Every `import` statement counts, also those inside functions or under TYPE_CHECKING,
so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk

ROOT = Path(kiosk.__file__).parent
CORE = ("kiosk.audit", "kiosk.violations", "kiosk.checkin", "kiosk.privacy", "kiosk.views",
        "kiosk.passes", "kiosk.reports", "kiosk.store", "kiosk.staff", "kiosk.events",
        "kiosk.families", "kiosk.consent")


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every kiosk module `name` imports anywhere in its body."""
    targets: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    resolved = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def _in_core(name: str) -> bool:
    return any(name == c or name.startswith(c + ".") for c in CORE)


def test_no_import_cycle_among_core_modules() -> None:
    modules = _modules()
    graph = {name: {t for t in _imports(name, path, modules) if _in_core(t)}
             for name, path in modules.items() if _in_core(name)}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = [*trail[trail.index(name):], name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_records_check_reads_the_violation_vocabulary_not_the_workflow() -> None:
    modules = _modules()
    imported = _imports("kiosk.audit.records", modules["kiosk.audit.records"], modules)
    assert "kiosk.violations.workflow" not in imported
    assert "kiosk.audit.log" not in imported
    assert not _imports("kiosk.audit.log", modules["kiosk.audit.log"], modules) - {
        "kiosk.store", "kiosk.store.rows", "kiosk.audit.terms", "kiosk.audit.seals",
        "kiosk.security.keys"}
