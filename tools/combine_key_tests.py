"""Fold a model's, seed's or raw table's per-assertion tests into one test node.

    .venv/bin/python tools/combine_key_tests.py dbt_project/models seeds [more folders or files]

Mechanical and repeatable (run it again after a merge: an existing fold is merged with
what was added since). A model's or seed's plain `not_null`, `unique`, `accepted_values`
(values, quote), `value_between`, `relationships` and its model-level `unique_combination`
and `expression_is_true` become one `column_checks` test; a raw table's `raw_table_landed`
and `not_null_where_landed` one `raw_checks` test. Tests are folded per `config:` (the
same severity and `where`): a test with a name, or any other key, keeps its own node, and
so does a node with fewer than two assertions of one config. The assertions stay the same:
`assertion_inventory` in lead_funnel_tools/bench.py lists them from a manifest, before and
after (tests/orchestration/test_column_checks.py compares them).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

# kind -> the argument names a foldable test of that kind may carry
COLUMN_KINDS: dict[str, frozenset[str]] = {
    "not_null": frozenset(),
    "unique": frozenset(),
    "accepted_values": frozenset({"values", "quote"}),
    "value_between": frozenset({"min_value", "max_value"}),
    "relationships": frozenset({"to", "field"}),
}
MODEL_KINDS: dict[str, frozenset[str]] = {
    "unique_combination": frozenset({"columns"}),
    "expression_is_true": frozenset({"expression"}),
}
RAW_COLUMN_KINDS: dict[str, frozenset[str]] = {"not_null_where_landed": frozenset()}
RAW_TABLE_KINDS: dict[str, frozenset[str]] = {"raw_table_landed": frozenset()}
FOLDED = {"column_checks", "raw_checks"}


def _yaml(text: str) -> YAML:
    """ruamel, writing the file's own indentation back (`- name` level with `models:` or in it)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    if re.search(r"^(models|seeds|sources):\n- ", text, re.MULTILINE):
        yaml.indent(mapping=2, sequence=2, offset=0)
    else:
        yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _parse(test: object, kinds: dict[str, frozenset[str]]) -> tuple[str, dict, dict] | None:
    """(kind, arguments, config) of a test this tool may fold, else None."""
    if isinstance(test, str):
        return (test, {}, {}) if test in kinds and not kinds[test] else None
    if not isinstance(test, dict) or len(test) != 1:
        return None
    ((kind, body),) = test.items()
    if kind not in kinds or not isinstance(body, dict) or not set(body) <= {"arguments", "config"}:
        return None
    arguments = body.get("arguments") or {}
    config = body.get("config") or {}
    if not isinstance(arguments, dict) or not isinstance(config, dict):
        return None
    if not set(arguments) <= kinds[kind]:
        return None
    return kind, dict(arguments), dict(config)


class _Fold:
    """The assertions of one node and one config, as the folded test's arguments."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.arguments: dict[str, Any] = {}
        self.count = 0

    def add(self, kind: str, column: str | None, arguments: dict) -> None:
        self.count += 1
        if kind in ("not_null", "unique", "not_null_where_landed"):
            self.arguments.setdefault(kind, []).append(column)
        elif kind == "accepted_values":
            spec = arguments["values"] if set(arguments) == {"values"} else arguments
            self.arguments.setdefault(kind, {})[column] = spec
        elif kind == "value_between":
            self.arguments.setdefault(kind, {})[column] = arguments
        elif kind == "relationships":
            self.arguments.setdefault(kind, []).append({"column_name": column, **arguments})
        elif kind == "unique_combination":
            self.arguments.setdefault(kind, []).append(list(arguments["columns"]))
        elif kind == "expression_is_true":
            self.arguments.setdefault(kind, []).append(arguments["expression"])
        elif kind == "raw_table_landed":
            self.arguments["table_landed"] = True

    def merge(self, arguments: dict) -> None:
        """An earlier fold's arguments (the tool ran before this file gained tests)."""
        for kind, value in arguments.items():
            if kind == "table_landed":
                self.arguments[kind] = bool(value)
                self.count += 1
            elif isinstance(value, dict):
                self.arguments.setdefault(kind, {}).update(value)
                self.count += len(value)
            else:
                self.arguments.setdefault(kind, []).extend(value)
                self.count += len(value)

    def holds(self, kind: str, column: str | None) -> bool:
        """A second test of the same kind on the same column keeps its own node."""
        value = self.arguments.get(kind)
        if kind in ("accepted_values", "value_between"):
            return isinstance(value, dict) and column in value
        if kind in ("not_null", "unique", "not_null_where_landed"):
            return column in (value or [])
        return kind == "raw_table_landed" and bool(self.arguments.get("table_landed"))


def _flow(value: Any) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq([_flow(item) for item in value])
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        mapping = CommentedMap((key, _flow(item)) for key, item in value.items())
        mapping.fa.set_flow_style()
        return mapping
    return value


def _block(arguments: dict) -> CommentedMap:
    """Arguments one per line, each value (a list, a mapping of columns) on its line."""
    block = CommentedMap()
    for kind, value in arguments.items():
        if isinstance(value, dict):
            inner = CommentedMap((key, _flow(item)) for key, item in value.items())
            block[kind] = inner
        elif kind in ("relationships", "expression_is_true") and isinstance(value, list):
            block[kind] = CommentedSeq([_flow(item) for item in value])
        else:
            block[kind] = _flow(value)
    return block


def _config_key(config: dict) -> str:
    return json.dumps(config, sort_keys=True, default=str)


def fold_node(node: dict, name: str, test_name: str, column_kinds: dict, node_kinds: dict) -> bool:
    """Fold one model's / seed's / raw table's tests; True when its yml changed."""
    folds: dict[str, _Fold] = {}
    removals: list[tuple[Any, Any]] = []  # (the list holding it, the test)

    def fold_for(config: dict) -> _Fold:
        return folds.setdefault(_config_key(config), _Fold(config))

    node_tests = node.get("data_tests") or []
    for test in node_tests:
        if isinstance(test, dict) and len(test) == 1 and next(iter(test)) == test_name:
            body = test[test_name] or {}
            if set(body) <= {"name", "arguments", "config"}:
                fold_for(dict(body.get("config") or {})).merge(dict(body.get("arguments") or {}))
                removals.append((node_tests, test))
            continue
        parsed = _parse(test, node_kinds)
        if parsed is None:
            continue
        kind, arguments, config = parsed
        fold = fold_for(config)
        if fold.holds(kind, None):
            continue
        fold.add(kind, None, arguments)
        removals.append((node_tests, test))
    for column in node.get("columns") or []:
        tests = column.get("data_tests") or []
        for test in tests:
            parsed = _parse(test, column_kinds)
            if parsed is None:
                continue
            kind, arguments, config = parsed
            fold = fold_for(config)
            if fold.holds(kind, column["name"]):
                continue
            fold.add(kind, column["name"], arguments)
            removals.append((tests, test))
    worth = {key: fold for key, fold in folds.items() if fold.count >= 2}
    if not worth:
        return False
    for tests, test in removals:
        parsed = _parse(test, {**column_kinds, **node_kinds})
        config = parsed[2] if parsed else dict((test[test_name] or {}).get("config") or {})
        if _config_key(config) in worth:
            tests.remove(test)
    for column in node.get("columns") or []:
        if "data_tests" in column and not column["data_tests"]:
            del column["data_tests"]
    model_tests = node.get("data_tests")
    if model_tests is None:
        model_tests = CommentedSeq()
        _insert_before(node, "columns", "data_tests", model_tests)
    for index, fold in enumerate(worth.values()):
        suffix = f"_{index + 1}" if index else ""
        body = CommentedMap([("name", f"{test_name}_{name}{suffix}")])
        body["arguments"] = _block(fold.arguments)
        if fold.config:
            body["config"] = _flow(fold.config)
        model_tests.append(CommentedMap([(test_name, body)]))
    return True


def _insert_before(mapping: CommentedMap, before: str, key: str, value: object) -> None:
    keys = list(mapping)
    position = keys.index(before) if before in keys else len(keys)
    mapping.insert(position, key, value)


def fold_document(document: dict) -> int:
    folded = 0
    for section in ("models", "seeds"):
        for node in document.get(section) or []:
            folded += fold_node(node, node["name"], "column_checks", COLUMN_KINDS, MODEL_KINDS)
    for source in document.get("sources") or []:
        for table in source.get("tables") or []:
            folded += fold_node(
                table,
                f"{source['name']}_{table['name']}",
                "raw_checks",
                RAW_COLUMN_KINDS,
                RAW_TABLE_KINDS,
            )
    return folded


def fold_file(path: Path) -> int:
    text = path.read_text()
    yaml = _yaml(text)
    document = yaml.load(text)
    if not isinstance(document, dict):
        return 0
    folded = fold_document(document)
    if folded:
        with path.open("w") as handle:
            yaml.dump(document, handle)
    return folded


def main(arguments: list[str]) -> int:
    for argument in arguments:
        root = Path(argument)
        paths = [root] if root.is_file() else sorted(root.rglob("*.yml"))
        for path in paths:
            if folded := fold_file(path):
                print(f"{path}: {folded} node(s) folded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
