"""The packages' import boundaries (import-linter contracts in pyproject.toml) and how the
tools' commands reach `lead-funnel` without the product importing them.

Layers, top to bottom: `lead_funnel_tools`; `lead_funnel.cli` (the composition root: its
`run`, `ui` and `check` commands import the pipeline and the checks inside the command);
`orchestration`; `data_quality`; the rest of `lead_funnel`. The product (`lead_funnel`,
`orchestration`, `data_quality`) imports nothing from the tools.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

from lead_funnel.cli import TOOL_COMMANDS_GROUP, build_parser
from lead_funnel.paths import DEFAULT_DATABASE, REPO_ROOT

PACKAGES = ("lead_funnel", "lead_funnel_tools", "orchestration", "data_quality")


def test_the_import_contracts_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """No import of the tools from the product, no cycle between the packages (a broken
    contract prints the offending import chain)."""
    monkeypatch.chdir(REPO_ROOT)
    assert lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml"), no_cache=True) == 0


def test_the_import_graph_sees_imports_inside_functions() -> None:
    """The contracts would pass on a blind graph: the CLI imports the pipeline and the checks
    only inside its commands, and the graph must hold those edges."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert graph.direct_import_exists(importer="lead_funnel.cli", imported="orchestration.pipeline")
    assert graph.direct_import_exists(importer="lead_funnel.cli", imported="data_quality.check")
    assert graph.direct_import_exists(
        importer="lead_funnel_tools.cli", imported="lead_funnel.arguments"
    )
    product = [m for m in graph.modules if m.split(".")[0] != "lead_funnel_tools"]
    assert not [
        (m, imported)
        for m in product
        for imported in graph.find_modules_directly_imported_by(m)
        if imported.startswith("lead_funnel_tools")
    ]


def test_the_tools_register_their_commands_through_the_entry_point_group() -> None:
    registered = {ep.value for ep in entry_points(group=TOOL_COMMANDS_GROUP)}
    assert registered == {"lead_funnel_tools.cli:register"}
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(commands)[:3] == ["generate", "import-olist", "bench"]  # generate first


def test_generate_keeps_the_contract_flags(tmp_path: Path) -> None:
    """CONTRACT.md section 5: `lead-funnel generate --database PATH [--leads N] [--seed S]`."""
    from lead_funnel_tools.cli import cmd_generate

    target = tmp_path / "demo.duckdb"
    args = build_parser().parse_args(
        ["generate", "--database", str(target), "--leads", "250", "--seed", "9"]
    )
    assert (args.func, args.database, args.leads, args.seed) == (cmd_generate, target, 250, 9)
    defaults = build_parser().parse_args(["generate"])
    assert defaults.leads == 20_000 and defaults.seed is None
    assert defaults.database == Path(os.environ.get("LEAD_FUNNEL_DATABASE", DEFAULT_DATABASE))
