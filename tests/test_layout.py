"""The package's shape: data flows one way through the stages, and no module imports one
that imports it back (not even lazily, inside a function).

The stages, in the order data flows (docs/design.md draws them): the source and the model
(with the Diagnostic type) underneath everything; then syntax; then the timeline and the
formatter; then the checks; then outputs and the one-file pipeline; then the player and the
language server; the command line last. A module may import from its own stage or an
earlier one, never a later one. ``dsl/__init__.py`` (the public API) and ``__main__`` may
import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "dsl"

STAGES: tuple[tuple[str, int], ...] = (
    ("dsl._version", 0), ("dsl.model", 0), ("dsl.source", 0), ("dsl.diagnostics", 0),
    ("dsl.suggestions", 0), ("dsl.workers", 0), ("dsl.templates", 0),
    ("dsl.syntax", 1),
    ("dsl.timeline", 2), ("dsl.format", 2),
    ("dsl.lint", 3), ("dsl.codes", 3),
    ("dsl.outputs", 4), ("dsl.pipeline", 4), ("dsl.api", 4),
    ("dsl.player", 5), ("dsl.lsp", 5), ("dsl.exports", 5), ("dsl.web", 5),
    ("dsl.cli", 6),
)
FACADES = {"dsl", "dsl.__main__"}
# Lark's stand-alone parser, as Lark writes it (tests/regenerate_parser.py). Its two relative
# imports are on paths stretch never takes (Earley's end-of-input error, Lark's cache).
GENERATED = {"dsl.syntax.standalone"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, wherever the import
    stands (top level, inside a function, under TYPE_CHECKING)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):  # relative: the package uses absolute
                found.add("." * node.level + (node.module or ""))
        graph[name] = {m for m in found if (m in modules or m.startswith(".")) and m != name}
    return graph


def stage(module: str) -> int | None:
    chosen = None
    for prefix, number in STAGES:
        if module == prefix or module.startswith(prefix + "."):
            chosen = number
    return chosen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                popped = stack.pop()
                on_stack.discard(popped)
                group.append(popped)
                if popped == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_imports_are_absolute() -> None:
    relative = {name: sorted(m for m in deps if m.startswith("."))
                for name, deps in import_graph().items() if name not in GENERATED}
    assert not {name: deps for name, deps in relative.items() if deps}


def test_every_module_belongs_to_a_stage() -> None:
    unstaged = [name for name in import_graph() if name not in FACADES and stage(name) is None]
    assert not unstaged, "add the new folder to STAGES and to docs/design.md"


def test_no_module_imports_a_later_stage() -> None:
    backwards = [
        f"{name} -> {imported}"
        for name, imports in sorted(import_graph().items()) if name not in FACADES
        for imported in sorted(imports)
        if (stage(imported) or 0) > (stage(name) or 0)
    ]
    assert not backwards


def test_no_import_circles() -> None:
    graph = import_graph()
    # The graph sees imports of both kinds: `from dsl.x import name` and lazy ones.
    assert "dsl.lint.rules" in graph["dsl.lint.rules.long_step"]
    assert "dsl.codes" in graph["dsl.lint.config"]
    assert cycles(graph) == []


def test_the_checks_find_a_circle_and_a_backward_import() -> None:
    graph = {"dsl.syntax.a": {"dsl.syntax.b"}, "dsl.syntax.b": {"dsl.syntax.a"},
             "dsl.model": set()}
    assert cycles(graph) == [["dsl.syntax.a", "dsl.syntax.b"]]
    assert (stage("dsl.lint.rules.untimed_hold") or 0) > (stage("dsl.syntax.parser") or 0)
