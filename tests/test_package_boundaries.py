"""The packages' import boundaries, read from the source (every import, also inside functions).

- The product (`lead_funnel`, `orchestration`, `data_quality`) imports nothing from the tools
  (`lead_funnel_tools`); the CLI finds the tools' commands through an entry-point group.
- No import cycle between the packages. The layers, top to bottom: the tools; the CLI
  (`lead_funnel.cli`, `lead_funnel.__main__`: the composition root that starts a run or a
  check); `orchestration`; `data_quality`; the rest of `lead_funnel` (settings, contract, SLA
  clock, gate, publication, report), which imports no package above it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from lead_funnel.paths import REPO_ROOT

PRODUCT = ("lead_funnel", "orchestration", "data_quality")
TOOLS = "lead_funnel_tools"
ENTRY_MODULES = ("lead_funnel.cli", "lead_funnel.__main__")
OURS = (*PRODUCT, TOOLS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    """Every module `path` imports (relative imports resolved), wherever the import stands."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                yield ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                yield node.module


def _node(module: str) -> str | None:
    """The node of the package graph a module belongs to (None: not one of ours)."""
    if module in ENTRY_MODULES or any(module.startswith(f"{m}.") for m in ENTRY_MODULES):
        return "lead_funnel.cli"
    top = module.split(".")[0]
    return top if top in OURS else None


def _graph() -> dict[str, dict[str, list[str]]]:
    """node -> imported node -> the modules that import it (for the failure message)."""
    graph: dict[str, dict[str, list[str]]] = {}
    for package in OURS:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            source = _node(_module_name(path))
            assert source is not None
            edges = graph.setdefault(source, {})
            for imported in _imports(path):
                target = _node(imported)
                if target is not None and target != source:
                    edges.setdefault(target, []).append(f"{_module_name(path)} -> {imported}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for target in graph.get(node, {}):
            if target in path:
                found.append([*path[path.index(target) :], target])
            else:
                visit(target, [*path, target])

    for start in graph:
        visit(start, [start])
    return found


def test_the_walk_sees_imports_inside_functions() -> None:
    """The CLI's `run` imports the pipeline inside the command: the walk must see it, or the
    checks below would pass on a blind reader."""
    edges = _graph()["lead_funnel.cli"]
    assert "lead_funnel.cli -> orchestration.pipeline" in edges["orchestration"]
    assert "lead_funnel.cli -> data_quality.check" in edges["data_quality"]
    # and the tools import the product (the allowed direction)
    assert "lead_funnel_tools.cli -> lead_funnel.arguments" in _graph()[TOOLS]["lead_funnel"]


def test_the_product_imports_nothing_from_the_tools() -> None:
    graph = _graph()
    offending = [line for node in graph if node != TOOLS for line in graph[node].get(TOOLS, [])]
    assert offending == []


def test_no_import_cycle_between_the_packages() -> None:
    graph = _graph()
    cycles = _cycles(graph)
    described = [
        " -> ".join(cycle) + "  (" + "; ".join(graph[a][b][0] for a, b in pairwise(cycle)) + ")"
        for cycle in cycles
    ]
    assert described == []


def test_the_core_of_lead_funnel_imports_no_package_above_it() -> None:
    assert _graph().get("lead_funnel", {}) == {}  # not orchestration, data_quality, the CLI
