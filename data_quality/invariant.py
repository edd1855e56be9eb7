"""What an invariant is, and how one is read from its ``.sql`` file in ``data_quality/rules``.

Every invariant is one portable SQL query in one file, ``data_quality/rules/<rule>.sql``, that
returns one row per *checked entity* (a cycle, a funnel row, a lead, a breach, a raw table)
with the entity's key columns, a few evidence columns (the values the rule looks at) and a
boolean ``holds``: TRUE when the rule holds for the row, FALSE when the row violates it, NULL
when the rule does not apply to the row. Its one GX expectation says that the column named
after the rule is TRUE on every row where it applies (see ``data_quality.gx_runtime``).

The file starts with a header of ``--`` comment lines, one ``field: value`` each::

    -- rule: funnel_rates_are_fractions          (required; equals the file's name)
    -- severity: blocking                       (required; blocking | warning)
    -- mart: fct_funnel_by_source               (required; the relation it guards)
    -- keys: cohort_month, channel, lead_source (required; the entity's key columns)
    -- group_by: owner_id                       (optional; offenders broken down by it)
    -- protects:                                (required; the rule and why it is blocking
    --   The rule in one paragraph.              or a warning, continued on lines indented
    --                                           by two spaces; a bare ``--`` separates
    --   Blocking: why.                          paragraphs)

The SQL after the header names what it reads through placeholders the loader fills in:

* ``{marts.fct_lead_cycles}`` (also ``audit.``, ``seeds.``, ``intermediate.``): the relation
  in the schema that plays that role in this run (``marts_build`` during a run, ...);
* ``{setting.fit_gate}``: a numeric literal, the column of ``int_settings`` of that name;
* ``{as_of}``: the run's as-of as a TIMESTAMP literal, or a typed NULL;
* ``{fragment.name}``: the expression of ``rules/fragments/<name>.sql`` (a file holding one
  ``select <expression> as <name>``), for logic two rules share.

Evidence columns are every output column but the keys and ``holds``, in the query's order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal, cast, get_args

SchemaRole = Literal["marts", "audit", "seeds", "intermediate"]
SCHEMA_ROLES: tuple[str, ...] = get_args(SchemaRole)
HOLDS_COLUMN = "holds"
RULES_DIR = Path(__file__).resolve().parent / "rules"
FRAGMENTS_DIR = RULES_DIR / "fragments"

SETTINGS_RELATION = "int_settings"
SETTINGS_SCHEMA_ROLE: SchemaRole = "intermediate"

REQUIRED_FIELDS = ("rule", "severity", "mart", "keys", "protects")
OPTIONAL_FIELDS = ("group_by",)
_FIELD_LINE = re.compile(r"-- ([a-z_]+):\s*(.*)")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\.([a-z_][a-z0-9_]*))?\}")
_FRAGMENT = re.compile(r"^\s*select\s+(?P<expression>.*)\s+as\s+(?P<name>\w+)\s*$", re.S | re.I)


class Severity(StrEnum):
    """``blocking``: the data contradicts itself, the run fails and nothing is published.
    ``warning``: the sales process (or the source) falls short; reported, never blocking."""

    BLOCKING = "blocking"
    WARNING = "warning"


class InvariantFileError(ValueError):
    """An invariant file that cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class Reads:
    """A relation an invariant reads and the schema role it lives in."""

    relation: str
    schema_role: SchemaRole


@dataclass(frozen=True)
class Setting:
    """A numeric business setting: a column of ``int_settings`` (the one typed row dbt builds
    from the settings seeds, with no defaults of its own), the same value the models use."""

    name: str


@dataclass(frozen=True)
class QueryContext:
    """What a query is rendered with: qualified relation names, settings and the as-of."""

    relations: Mapping[Reads, str]
    settings: Mapping[Setting, float]
    as_of: datetime | None = None

    def as_of_literal(self) -> str:
        """The run's as-of as a SQL TIMESTAMP literal (naive UTC), or a typed NULL."""
        if self.as_of is None:
            return "cast(null as timestamp)"
        return f"timestamp '{self.as_of.strftime('%Y-%m-%d %H:%M:%S.%f')}'"


@dataclass(frozen=True)
class Invariant:
    """One stage-definition invariant: one rule, one severity, one mart, one query, one
    GX expectation. ``description`` (the header's ``protects``) states the rule and why it is
    blocking or a warning; it is shown in the GX Data Docs and the run summary."""

    name: str
    severity: Severity
    mart: str
    description: str
    key_columns: tuple[str, ...]
    sql: str
    path: Path
    group_by: str | None = None

    @property
    def is_blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    @property
    def summary(self) -> str:
        """The first paragraph of the description: the rule in one sentence."""
        return self.description.split("\n\n", 1)[0].replace("\n", " ").strip()

    @property
    def reads(self) -> tuple[Reads, ...]:
        """The relations the query names, in order of first use."""
        found = (
            Reads(relation, cast(SchemaRole, role))
            for role, relation in _PLACEHOLDER.findall(self.sql)
            if role in SCHEMA_ROLES
        )
        return tuple(dict.fromkeys(found))

    @property
    def settings(self) -> tuple[Setting, ...]:
        """The settings the query names, in order of first use."""
        found = (
            Setting(name) for role, name in _PLACEHOLDER.findall(self.sql) if role == "setting"
        )
        return tuple(dict.fromkeys(found))

    def query(self, context: QueryContext) -> str:
        """The query with every placeholder filled in: key and evidence columns plus ``holds``."""

        def fill(match: re.Match[str]) -> str:
            role, name = match.group(1), match.group(2)
            if role in SCHEMA_ROLES:
                return context.relations[Reads(name, cast(SchemaRole, role))]
            if role == "setting":
                return repr(float(context.settings[Setting(name)]))
            raise AssertionError(
                f"placeholder {match.group(0)} survived loading"
            )  # pragma: no cover

        return _PLACEHOLDER.sub(fill, self.sql.replace("{as_of}", context.as_of_literal()))


def load_invariants(rules_dir: Path = RULES_DIR) -> tuple[Invariant, ...]:
    """Every ``<rule>.sql`` directly in ``rules_dir``, sorted by file name. A file without a
    complete header, with an unknown field or placeholder, or named apart from its rule raises
    ``InvariantFileError`` naming the file."""
    paths = sorted(rules_dir.glob("*.sql"))
    if not paths:
        raise InvariantFileError(f"no invariant files (*.sql) in {rules_dir}")
    return tuple(load_invariant(path, rules_dir / FRAGMENTS_DIR.name) for path in paths)


def load_invariant(path: Path, fragments_dir: Path = FRAGMENTS_DIR) -> Invariant:
    """One invariant from its file (see the module docstring for the format)."""
    header, sql = _split_header(path)
    missing = [field for field in REQUIRED_FIELDS if not header.get(field)]
    if missing:
        raise InvariantFileError(f"{path}: header lacks {', '.join(missing)}")
    if header["rule"] != path.stem:
        raise InvariantFileError(f"{path}: rule {header['rule']!r} must match the file name")
    try:
        severity = Severity(header["severity"])
    except ValueError:
        raise InvariantFileError(
            f"{path}: severity {header['severity']!r} is not blocking or warning"
        ) from None
    sql = _PLACEHOLDER.sub(lambda match: _expand_fragment(match, path, fragments_dir), sql)
    for role, name in _PLACEHOLDER.findall(sql):
        if role not in (*SCHEMA_ROLES, "setting", "as_of") or (role == "as_of") == bool(name):
            raise InvariantFileError(f"{path}: unknown placeholder {{{role}.{name}}}")
    if not re.search(rf"\bas\s+{HOLDS_COLUMN}\b", sql, re.I):
        raise InvariantFileError(f"{path}: the query has no `{HOLDS_COLUMN}` column")
    return Invariant(
        name=header["rule"],
        severity=severity,
        mart=header["mart"],
        description=header["protects"],
        key_columns=tuple(key.strip() for key in header["keys"].split(",") if key.strip()),
        sql=sql,
        path=path,
        group_by=header.get("group_by") or None,
    )


def _split_header(path: Path) -> tuple[dict[str, str], str]:
    """The header fields and the SQL after the header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header: dict[str, list[str]] = {}
    current: str | None = None
    body_start = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("--"):
            body_start = index
            break
        field = _FIELD_LINE.fullmatch(stripped)
        if field:
            current = field.group(1)
            if current not in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS):
                raise InvariantFileError(f"{path}: unknown header field {current}")
            if current in header:
                raise InvariantFileError(f"{path}: header field {current} given twice")
            header[current] = [field.group(2).strip()] if field.group(2).strip() else []
        elif current is not None:
            # a continuation line of the current field; a bare `--` is a paragraph break
            header[current].append(stripped[2:].strip())
    fields = {name: _join_lines(parts) for name, parts in header.items()}
    return fields, "\n".join(lines[body_start:]).strip() + "\n"


def _join_lines(parts: list[str]) -> str:
    """Lines into paragraphs: consecutive lines joined by newlines, blank ones separate."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip()


def _expand_fragment(match: re.Match[str], path: Path, fragments_dir: Path) -> str:
    if match.group(1) != "fragment":
        return match.group(0)
    fragment = fragments_dir / f"{match.group(2)}.sql"
    if not fragment.is_file():
        raise InvariantFileError(f"{path}: fragment {fragment} does not exist")
    body = "\n".join(
        line
        for line in fragment.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith("--")
    )
    parsed = _FRAGMENT.match(body)
    if parsed is None or parsed.group("name") != match.group(2):
        raise InvariantFileError(
            f"{fragment}: a fragment is one `select <expression> as {match.group(2)}`"
        )
    return parsed.group("expression").strip()
