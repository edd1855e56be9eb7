"""Fold a model's per-column not_null / unique / accepted_values tests into one `column_checks`.

    .venv/bin/python tools/combine_key_tests.py dbt_project/models/marts [more folders or files]

Mechanical and repeatable (run it again after a merge): a column's test is folded only when
it is a plain `not_null` or `unique`, or an `accepted_values` with nothing but `values` (and
`quote`): any `config:` (severity, where) or name keeps it where it is. A model with fewer
than two such assertions is left alone. Staging ymls are not its business (their tests are
being reorganised elsewhere). The assertions stay the same: `assertion_inventory` in
lead_funnel/bench.py lists them from a manifest, before and after.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

FOLDABLE = ("not_null", "unique")


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _accepted_values(test: object) -> dict | None:
    if not isinstance(test, dict) or list(test) != ["accepted_values"]:
        return None
    body = test["accepted_values"]
    if not isinstance(body, dict) or list(body) != ["arguments"]:
        return None
    arguments = body["arguments"]
    if not isinstance(arguments, dict) or not set(arguments) <= {"values", "quote"}:
        return None
    return arguments


def fold_model(model: dict) -> bool:
    not_null: list[str] = []
    unique: list[str] = []
    accepted: dict[str, object] = {}
    plans = []
    for column in model.get("columns") or []:
        tests = column.get("data_tests")
        if not tests:
            continue
        keep = []
        for test in tests:
            if test in FOLDABLE:
                (not_null if test == "not_null" else unique).append(column["name"])
            elif (arguments := _accepted_values(test)) is not None:
                accepted[column["name"]] = (
                    arguments["values"] if set(arguments) == {"values"} else arguments
                )
            else:
                keep.append(test)
        plans.append((column, tests, keep))
    if len(not_null) + len(unique) + len(accepted) < 2:
        return False
    for column, tests, keep in plans:
        if len(keep) == len(tests):
            continue
        if keep:
            flow = isinstance(tests, CommentedSeq) and tests.fa.flow_style()
            replacement = CommentedSeq(keep)
            if flow:
                replacement.fa.set_flow_style()
            column["data_tests"] = replacement
        else:
            del column["data_tests"]
    arguments = CommentedMap()
    if not_null:
        arguments["not_null"] = _flow(not_null)
    if unique:
        arguments["unique"] = _flow(unique)
    if accepted:
        values = CommentedMap()
        for name, spec in accepted.items():
            values[name] = _flow(list(spec)) if isinstance(spec, list) else spec
        arguments["accepted_values"] = values
    body = CommentedMap([("name", f"column_checks_{model['name']}"), ("arguments", arguments)])
    check = CommentedMap([("column_checks", body)])
    model_tests = model.get("data_tests")
    if model_tests is None:
        model_tests = CommentedSeq()
        _insert_before(model, "columns", "data_tests", model_tests)
    model_tests.append(check)
    return True


def _flow(values: list) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _insert_before(mapping: CommentedMap, before: str, key: str, value: object) -> None:
    keys = list(mapping)
    position = keys.index(before) if before in keys else len(keys)
    mapping.insert(position, key, value)


def fold_file(path: Path) -> int:
    yaml = _yaml()
    document = yaml.load(path.read_text())
    if not isinstance(document, dict) or "models" not in document:
        return 0
    folded = sum(fold_model(model) for model in document["models"])
    if folded:
        with path.open("w") as handle:
            yaml.dump(document, handle)
    return folded


def main(arguments: list[str]) -> int:
    for argument in arguments:
        root = Path(argument)
        paths = [root] if root.is_file() else sorted(root.rglob("*.yml"))
        for path in paths:
            if "staging" in path.parts:
                continue
            if folded := fold_file(path):
                print(f"{path}: {folded} model(s) folded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
